"""The pricing pages. Each app's URLs are included once from caremarket.urls."""

from django.urls import path

from caremarket.pricing.views import bands, cost, entry, entry_terms, reviews

app_name = "pricing"
urlpatterns = [
    path("pricing/cost-of-care/", cost.cost_of_care_page, name="cost-of-care"),
    path("pricing/transparency/", cost.transparency, name="transparency"),
    path("pricing/fee-reviews/", reviews.review_list, name="reviews"),
    path("pricing/fee-reviews/new/", reviews.review_new, name="review-new"),
    path("pricing/fee-reviews/<int:pk>/", reviews.review_detail, name="review"),
    path(
        "pricing/fee-reviews/<int:pk>/agreements/",
        reviews.review_agreements,
        name="review-agreements",
    ),
    path("pricing/evidence/<int:pk>/", reviews.evidence, name="evidence"),
    path("pricing/agreements/<int:pk>/band-review/", bands.band_review, name="band-review"),
    path("entry-windows/", entry.windows, name="windows"),
    path("entry-windows/<int:pk>/", entry.window, name="window"),
    path(
        "entry-windows/frameworks/<int:pk>/terms/",
        entry_terms.entry_terms,
        name="entry-terms",
    ),
    path("entry-windows/<int:pk>/lots/<int:lot>/apply/", entry.apply, name="apply"),
    path("entry-windows/<int:pk>/revise-prices/", entry.revise_prices, name="revise-prices"),
    path("applications/", entry.applications, name="applications"),
    path("applications/<int:pk>/", entry.application, name="application"),
    path("applications/<int:pk>/outcome/", entry.outcome, name="outcome"),
    path("answers/<int:pk>/evidence/", entry.answer_evidence, name="answer-evidence"),
]
