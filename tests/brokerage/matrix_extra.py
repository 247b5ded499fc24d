"""Brokerage routes added by issue 14, and who may open them (for tests/test_access_matrix)."""

from decimal import Decimal

from tests.access_roles import (
    API_POST_ONLY,
    BROKER,
    FORBIDDEN,
    OK,
    REDIRECT,
    UNAUTHENTICATED,
)

# Spot purchase approvals: brokers and commissioners (the roles with a spot limit) and the
# platform; the council's other staff and providers may not.
APPROVERS = BROKER | {"commissioner": OK, "practitioner": FORBIDDEN, "finance": FORBIDDEN}
API_APPROVERS = APPROVERS | {"anonymous": UNAUTHENTICATED}


def _devon_spot_request_id() -> int:
    """A request on one of Devon's referrals: the demo's (``demo.brokerage_devon``), or one
    made here when there is none."""
    from caremarket.accounts.models import User
    from caremarket.brokerage.models import Referral, SpotApproval

    demo = SpotApproval.objects.filter(commissioner__slug="devon").order_by("pk").first()
    if demo is not None:
        return demo.pk
    referral = Referral.objects.filter(commissioner__slug="devon").order_by("pk").first()
    assert referral is not None
    found, _ = SpotApproval.objects.get_or_create(
        referral=referral,
        status=SpotApproval.Status.PENDING,
        defaults={
            "commissioner": referral.commissioner,
            "provider": referral.offers.first().provider,
            "unit": "hour",
            "units_per_week": Decimal("6"),
            "unit_price": Decimal("40"),
            "weekly_cost": Decimal("240"),
            "yearly_cost": Decimal("12480"),
            "reason": "No framework provider could staff it.",
            "needs_approval_because": "above the band",
            "requested_by": User.objects.get(username="devon.broker"),
        },
    )
    return found.pk


def _devon_spot_request() -> str:
    return f"/brokerage/spot-approvals/{_devon_spot_request_id()}/"


def _api_spot_request(verb: str = "") -> str:
    return f"/api/v1/spot-approvals/{_devon_spot_request_id()}/" + (f"{verb}/" if verb else "")


def _withdraw_variation_path() -> str:
    from caremarket.brokerage.models import ServiceAgreement

    agreement = ServiceAgreement.objects.filter(commissioner__slug="devon").order_by("pk").first()
    assert agreement is not None
    return f"/api/v1/agreements/{agreement.pk}/withdraw-variation/"


MATRIX = {
    # A platform administrator belongs to no council: sent home with a message.
    "brokerage:merge-people": (lambda: "/brokerage/people/merge/", BROKER | {"platform": REDIRECT}),
    "brokerage:spot-approvals": (lambda: "/brokerage/spot-approvals/", APPROVERS),
    "brokerage:spot-approval": (_devon_spot_request, APPROVERS),
    # Over the API the same roles read their council's requests; the rest are refused.
    "api:spot-approval-list": (lambda: "/api/v1/spot-approvals/", API_APPROVERS),
    "api:spot-approval-detail": (_api_spot_request, API_APPROVERS),
    "api:spot-approval-approve": (lambda: _api_spot_request("approve"), API_POST_ONLY),
    "api:spot-approval-refuse": (lambda: _api_spot_request("refuse"), API_POST_ONLY),
    "api:agreement-withdraw-variation": (_withdraw_variation_path, API_POST_ONLY),
}
