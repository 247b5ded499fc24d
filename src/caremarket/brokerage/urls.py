from django.urls import path

from caremarket.brokerage.views import (
    agreements,
    awaiting,
    competitions,
    notifications,
    people,
    placements,
    provider,
    provider_history,
    referrals,
    spot,
)

app_name = "brokerage"
urlpatterns = [
    path("brokerage/", referrals.workbench, name="workbench"),
    path("referrals/", referrals.referral_list, name="referrals"),
    path("referrals/new/", referrals.raise_referral, name="raise"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral"),
    path("awaiting-care/", awaiting.awaiting_care, name="awaiting"),
    path("brokerage/suggest/", placements.suggest, name="suggest"),
    path("inbox/", provider.inbox, name="inbox"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("inbox/capacity/", placements.capacity, name="capacity"),
    path("inbox/history/", provider_history.history, name="provider-history"),
    path("inbox/offers/<int:pk>/", provider.offer_detail, name="offer"),
    path("competitions/", competitions.competition_list, name="competitions"),
    path("competitions/new/", competitions.competition_new, name="competition-new"),
    path("competitions/<int:pk>/", competitions.competition_detail, name="competition"),
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("subcontracting/", agreements.subcontracting, name="subcontracting"),
    path("brokerage/people/merge/", people.merge_people, name="merge-people"),
    path("brokerage/spot-approvals/", spot.approval_list, name="spot-approvals"),
    path("brokerage/spot-approvals/<int:pk>/", spot.approval_detail, name="spot-approval"),
]
