"""Who may use each pricing route (and the frameworks' entry-point routes): merged into
tests/test_access_matrix.py's MATRIX.

url name -> (path function, expected status by role); the helpers and role maps are those of
tests/test_access_matrix.py (import them from tests.access_roles). Paths read the demo: the
Devon fee review out to consultation on Supporting Independence, with provider.devon's
comment; a Staffordshire banded agreement (outside Devon's staff's scope: 404).
"""

from __future__ import annotations

from collections.abc import Callable

from tests.access_roles import (
    API_POST_ONLY,
    API_SIGNED_IN,
    COUNCIL,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    SIGNED_IN,
)
from tests.conftest import ROLES

MANAGERS = dict.fromkeys(ROLES, FORBIDDEN) | {
    "anonymous": LOGIN,
    "commissioner": OK,
    "finance": OK,
    "platform": OK,
}
BAND_REVIEWERS = dict.fromkeys(ROLES, FORBIDDEN) | {
    "anonymous": LOGIN,
    "practitioner": NOT_FOUND,  # Devon's staff: a Staffordshire agreement is not theirs
    "broker": NOT_FOUND,
    "platform": OK,
}


def devon_review() -> int:
    from caremarket.pricing.models import FeeReview

    return FeeReview.objects.get(commissioner__slug="devon").pk


def devon_comment() -> int:
    from caremarket.pricing.models import ProviderComment

    return ProviderComment.objects.filter(review__commissioner__slug="devon").first().pk  # type: ignore[union-attr]


def staffs_banded_agreement() -> int:
    from caremarket.brokerage.models import ServiceAgreement

    return (
        ServiceAgreement.objects.filter(commissioner__slug="staffordshire", unit="week").first().pk
    )  # type: ignore[union-attr]


MATRIX: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "pricing:cost-of-care": (lambda: "/pricing/cost-of-care/", COUNCIL),
    "pricing:transparency": (lambda: "/pricing/transparency/", MANAGERS),
    "pricing:reviews": (lambda: "/pricing/fee-reviews/", SIGNED_IN),
    "pricing:review-new": (lambda: "/pricing/fee-reviews/new/", MANAGERS),
    "pricing:review": (lambda: f"/pricing/fee-reviews/{devon_review()}/", SIGNED_IN),
    "pricing:review-agreements": (
        lambda: f"/pricing/fee-reviews/{devon_review()}/agreements/",
        MANAGERS,
    ),
    "pricing:evidence": (lambda: f"/pricing/evidence/{devon_comment()}/", SIGNED_IN),
    "pricing:band-review": (
        lambda: f"/pricing/agreements/{staffs_banded_agreement()}/band-review/",
        BAND_REVIEWERS,
    ),
    "api:pricing-fee-review-list": (lambda: "/api/v1/fee-reviews/", API_SIGNED_IN),
    "api:pricing-fee-review-detail": (
        lambda: f"/api/v1/fee-reviews/{devon_review()}/",
        API_SIGNED_IN,
    ),
    "api:pricing-fee-review-decide": (
        lambda: f"/api/v1/fee-reviews/{devon_review()}/decide/",
        API_POST_ONLY,
    ),
}


def devon_window() -> int:
    from caremarket.frameworks.models import EntryWindow

    return (
        EntryWindow.objects.filter(
            framework__slug="supporting-independence", purpose="entry", applications__isnull=False
        )
        .distinct()
        .get()
        .pk
    )


def devon_revision_window() -> int:
    from caremarket.frameworks.models import EntryWindow

    return EntryWindow.objects.get(
        framework__slug="living-well-at-home", purpose="price_revision"
    ).pk


def devon_application(status: str = "successful") -> int:
    from caremarket.frameworks.models import Application

    return Application.objects.get(lot__framework__slug="supporting-independence", status=status).pk


def devon_lot() -> int:
    from caremarket.frameworks.models import Lot

    return (
        Lot.objects.filter(framework__slug="supporting-independence").order_by("number").first().pk
    )  # type: ignore[union-attr]


def devon_answer() -> int:
    from caremarket.frameworks.models import Answer

    return Answer.objects.filter(application_id=devon_application()).first().pk  # type: ignore[union-attr]


PROVIDER_PAGE = dict.fromkeys(ROLES, FORBIDDEN) | {"anonymous": LOGIN, "provider": OK}
SOMEONE_ELSES = {**SIGNED_IN, "provider": NOT_FOUND}  # another provider's application: 404

MATRIX |= {
    "pricing:windows": (lambda: "/entry-windows/", SIGNED_IN),
    "pricing:window": (lambda: f"/entry-windows/{devon_window()}/", SIGNED_IN),
    "pricing:apply": (
        lambda: f"/entry-windows/{devon_window()}/lots/{devon_lot()}/apply/",
        PROVIDER_PAGE,
    ),
    "pricing:revise-prices": (
        lambda: f"/entry-windows/{devon_revision_window()}/revise-prices/",
        {**PROVIDER_PAGE, "provider": NOT_FOUND},  # provider.devon is not on Living Well
    ),
    "pricing:applications": (lambda: "/applications/", SIGNED_IN),
    "pricing:application": (lambda: f"/applications/{devon_application()}/", SOMEONE_ELSES),
    "pricing:outcome": (lambda: f"/applications/{devon_application()}/outcome/", SOMEONE_ELSES),
    "pricing:answer-evidence": (lambda: f"/answers/{devon_answer()}/evidence/", SOMEONE_ELSES),
    "api:pricing-application-list": (lambda: "/api/v1/applications/", API_SIGNED_IN),
    "api:pricing-application-detail": (
        lambda: f"/api/v1/applications/{devon_application()}/",
        {**API_SIGNED_IN, "provider": NOT_FOUND},
    ),
}


def devon_open_framework() -> int:
    from caremarket.frameworks.models import Framework

    return Framework.objects.get(slug="supporting-independence").pk


COMMISSIONER_ONLY = dict.fromkeys(ROLES, FORBIDDEN) | {
    "anonymous": LOGIN,
    "commissioner": OK,
    "platform": OK,
}
MATRIX |= {
    "pricing:entry-terms": (
        lambda: f"/entry-windows/frameworks/{devon_open_framework()}/terms/",
        COMMISSIONER_ONLY,
    ),
}
