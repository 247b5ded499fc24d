"""Who may use each delivery route: merged into tests/test_access_matrix.py's MATRIX.

url name -> (path function, expected status by role); the helpers and role maps are those of
tests/test_access_matrix.py (import them from tests.access_roles). The matrix signs in with
Devon's accounts and the demo's pay runs and visits are the Isle of Wight's, so a Devon user
asking for one gets 404 (scoping), the platform administrator 200.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.access_roles import (
    API_POST_ONLY,
    API_SIGNED_IN,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    PROVIDER_ONLY,
    SIGNED_IN,
    UNAUTHENTICATED,
)
from tests.conftest import ROLES

# Another council's record: 404 for every Devon role, 200 for the platform administrator.
ELSEWHERE = {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": LOGIN, "platform": OK}
API_ELSEWHERE = {**ELSEWHERE, "anonymous": UNAUTHENTICATED}
API_PROVIDER_ONLY = {
    **dict.fromkeys(ROLES, FORBIDDEN),
    "anonymous": UNAUTHENTICATED,
    "provider": OK,
}
FINANCE_ELSEWHERE = {
    **ELSEWHERE,
    **dict.fromkeys(("broker", "practitioner", "provider"), FORBIDDEN),
}


def _run() -> int:
    from caremarket.delivery.models import PayRun

    return PayRun.objects.filter(commissioner__slug="isle-of-wight").order_by("pk").first().pk


def _visit() -> int:
    from caremarket.delivery.models import Visit

    return Visit.objects.filter(commissioner__slug="isle-of-wight").order_by("pk").first().pk


def _line() -> tuple[int, int, int]:
    from caremarket.delivery.models import PayLine

    line = PayLine.objects.filter(run_id=_run()).order_by("pk").first()
    return line.pk, line.run_id, line.provider_id


MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "delivery:visits": (lambda: "/visits/", SIGNED_IN),
    "delivery:upload": (lambda: "/visits/upload/", PROVIDER_ONLY),
    "delivery:visit": (lambda: f"/visits/{_visit()}/", ELSEWHERE),
    "delivery:pay-runs": (lambda: "/pay-runs/", SIGNED_IN),
    "delivery:held": (lambda: "/pay-runs/held/", SIGNED_IN),
    "delivery:payment-days": (lambda: "/pay-runs/days-to-payment/", SIGNED_IN),
    "delivery:pay-run": (lambda: f"/pay-runs/{_run()}/", ELSEWHERE),
    "delivery:finance-export": (lambda: f"/pay-runs/{_run()}/export/", FINANCE_ELSEWHERE),
    "delivery:remittance": (
        lambda: "/pay-runs/{1}/remittance/{2}/".format(*_line()),
        ELSEWHERE,
    ),
    "delivery:line": (lambda: f"/pay-lines/{_line()[0]}/", ELSEWHERE),
    "delivery:kpis": (lambda: "/delivery/kpis/", SIGNED_IN),
    "delivery:subcontracting": (lambda: "/delivery/subcontracting/", SIGNED_IN),
    "delivery:variation-requests": (lambda: "/delivery/extra-time/", SIGNED_IN),
    "delivery:sharing": (lambda: "/delivery/payment-sharing/", PROVIDER_ONLY),
    "delivery:paid-for-my-visits": (lambda: "/delivery/paid-for-your-visits/", PROVIDER_ONLY),
    "api:delivery-visit-list": (lambda: "/api/v1/delivery/visits/", API_SIGNED_IN),
    "api:delivery-visit-detail": (lambda: f"/api/v1/delivery/visits/{_visit()}/", API_ELSEWHERE),
    "api:delivery-visit-batch": (lambda: "/api/v1/delivery/visits/batch/", API_POST_ONLY),
    "api:delivery-pay-run-list": (lambda: "/api/v1/delivery/pay-runs/", API_SIGNED_IN),
    "api:delivery-pay-run-detail": (
        lambda: f"/api/v1/delivery/pay-runs/{_run()}/",
        API_ELSEWHERE,
    ),
    "api:delivery-payment-share-list": (
        lambda: "/api/v1/delivery/payment-shares/",
        API_PROVIDER_ONLY,
    ),
    "api:delivery-payment-share-stop": (
        lambda: "/api/v1/delivery/payment-shares/stop/",
        API_POST_ONLY,
    ),
    "api:delivery-pay-run-lines": (
        lambda: f"/api/v1/delivery/pay-runs/{_run()}/lines/",
        API_ELSEWHERE,
    ),
}
