"""Every delivery and payment page in a browser at desktop (1280 px) and phone (375 px)
width, axe-core clean, as each of its users sees it: the provider (visits, its exceptions,
a visit, the upload page, its remittance), the finance officer (pay runs, a run, held lines,
days to payment, a remittance, KPIs) and the commissioner (extra time, subcontracting)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from caremarket.delivery.models import PayLine, PayRun, Visit
from tests.browser.test_directory_walk import sign_in
from tests.browser_support import walk_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_market")]


def _paid_run() -> PayRun:
    return PayRun.objects.filter(commissioner__slug="isle-of-wight", state="paid").first()  # type: ignore[return-value]


def test_a_provider_sees_its_visits_exceptions_and_remittance(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    run = _paid_run()
    line = PayLine.objects.filter(run=run, provider__users__username="provider.iow").first()
    assert line is not None, "the demo's paid run has a line for provider.iow"
    visit = Visit.objects.filter(provider_id=line.provider_id).order_by("pk").first()
    base = live_server.url
    sign_in(page, base, "provider.iow")
    walk_accessible(
        page,
        base,
        [
            "/visits/",
            "/visits/?show=exceptions",
            f"/visits/{visit.pk}/",
            "/visits/upload/",
            "/pay-runs/",
            f"/pay-runs/{run.pk}/remittance/{line.provider_id}/",
        ],
    )


def test_the_finance_officer_and_commissioner_pages(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    run = _paid_run()
    line = PayLine.objects.filter(run=run).order_by("pk").first()
    base = live_server.url
    sign_in(page, base, "iow.finance")
    walk_accessible(
        page,
        base,
        [
            "/pay-runs/",
            f"/pay-runs/{run.pk}/",
            "/pay-runs/held/",
            "/pay-runs/days-to-payment/",
            f"/pay-runs/{run.pk}/remittance/{line.provider_id}/",
            f"/pay-lines/{line.pk}/",
            "/delivery/kpis/",
        ],
    )
    page.context.clear_cookies()
    sign_in(page, base, "iow.commissioner")
    walk_accessible(page, base, ["/delivery/extra-time/", "/delivery/subcontracting/"])


def test_payment_sharing_for_the_lead_and_its_subcontractor(live_server, page: Page) -> None:  # type: ignore[no-untyped-def]
    """The lead's sharing page (the demo shares with provider.subcontractor) and the
    subcontractor's read of what its lead was paid, with its visits."""
    base = live_server.url
    sign_in(page, base, "provider.iow")
    walk_accessible(page, base, ["/delivery/payment-sharing/"])
    assert "Stop sharing" in page.content()
    page.context.clear_cookies()
    sign_in(page, base, "provider.subcontractor")
    walk_accessible(page, base, ["/delivery/paid-for-your-visits/", "/visits/"])
