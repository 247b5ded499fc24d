"""The demo's part: the Isle of Wight's fee review, Devon's entry window with applications
at each stage, and Staffordshire's bands repriced (issue 12).

Called by builder.build after the market and brokerage are built; returns counts for the
build report. Deterministic for a seed and date. Every write goes through the services, so
the demo shows what the pages and the ``fee_review`` command compute.

Assumptions (labelled, not published figures): the Isle of Wight's staff pay share of 70 %
(no English council publishes a home care split; Cardiff's is 60 %); the consultation dates.
Facts: £19.28 (seed 001), NLW £12.21 -> £12.71 and CPI 3.8 % for September 2025
(domain-facts.md 4.1, 4.2).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from caremarket.accounts.models import User
from caremarket.core import clock
from caremarket.frameworks.models import Appointment, Framework
from caremarket.pricing.models import FeeReview
from caremarket.pricing.rules import LineInput
from caremarket.pricing.services import reviews

IOW_STAFF_SHARE = Decimal("70")  # assumption


class _Upload:
    name, content_type = "iow-costs-2027.csv", "text/csv"

    def read(self) -> bytes:
        return (
            b"line,2026/27,2027/28\ncare worker pay per hour,12.71,13.10\nfuel per mile,0.45,0.47\n"
        )


def build(*, as_of: date, moment: datetime, seed: int) -> dict[str, int]:
    with clock.frozen_at(moment):
        counts = {"fee reviews": _isle_of_wight(as_of) + _devon(as_of)}
        counts["band reviews"] = _staffordshire_band_review(as_of)
    counts |= _devon_entry(as_of)
    return counts


def _isle_of_wight(as_of: date) -> int:
    framework = Framework.objects.get(commissioner__slug="isle-of-wight", slug="home-care-2021")
    by = User.objects.get(username="iow.commissioner")
    april = date(as_of.year + (as_of.month >= 4), 4, 1)
    review = reviews.propose(
        by,
        framework,
        reviews.Proposal(
            title=f"Home care fee review {april.year}/{str(april.year + 1)[2:]}",
            effective_from=april,
            method=FeeReview.Method.NLW_CPI,
            current_rate=Decimal("19.28"),
            staff_share=IOW_STAFF_SHARE,
            nlw_from=Decimal("12.21"),
            nlw_to=Decimal("12.71"),
            cpi=Decimal("3.8"),
        ),
    )
    reviews.open_consultation(review.pk, by=by, closes=min(as_of + timedelta(days=28), april))
    lead = Appointment.objects.filter(lot__framework=framework).select_related("provider").first()
    author = User.objects.filter(provider=lead.provider).first() if lead else None
    if author is not None:
        reviews.comment(
            review.pk,
            by=author,
            text="Fuel and recruitment costs have risen faster than CPI; our costs attached.",
            evidence=_Upload(),
        )
    return 1


def _devon(as_of: date) -> int:
    """Devon's open framework: each provider's zone prices moved by evidenced lines. The
    staff +6 % and non-staff +4 % elements are Devon's published 2024/25 care home uplift
    (domain-facts.md 4.3); the 60/40 split is an assumption."""
    framework = Framework.objects.get(commissioner__slug="devon", slug="supporting-independence")
    by = User.objects.get(username="devon.commissioner")
    april = date(as_of.year + (as_of.month >= 4), 4, 1)
    review = reviews.propose(
        by,
        framework,
        reviews.Proposal(
            title=f"Supporting Independence uplift {april.year}/{str(april.year + 1)[2:]}",
            effective_from=april,
            method=FeeReview.Method.EVIDENCED,
            lines=[
                LineInput("Staff pay", Decimal("60"), Decimal("6"), "Devon staff element"),
                LineInput("Non-staff costs", Decimal("40"), Decimal("4"), "CPI, Nov/Dec"),
            ],
        ),
    )
    reviews.open_consultation(review.pk, by=by, closes=min(as_of + timedelta(days=21), april))
    author = User.objects.get(username="provider.devon")
    reviews.comment(review.pk, by=author, text="Agency cover costs rose 9%.", evidence=_Upload())
    return 1


# --- Devon's entry window: applications at each stage (seed 000) -----------------------------

QUESTIONS = (  # assumption: the demo's published questions, weights and criteria
    ("How will you recruit and keep care workers in rural zones?", "Named plans, pay, travel.", 40),
    ("How do you make care person-centred and outcome-focused?", "Examples, reviews, voice.", 30),
    ("How do you keep people safe and learn from incidents?", "Safeguarding, audits, CQC.", 30),
)
ITEMS = (  # seed 000 notes gaps such as safeguarding training
    ("All staff have completed safeguarding adults training", False),
    ("Employer's and public liability insurance of at least £5 million", False),
    ("Registered with the CQC for personal care", True),
)
STAGES = ("submitted", "evaluating", "moderated", "successful", "unsuccessful")


def _devon_entry(as_of: date) -> dict[str, int]:
    from caremarket.frameworks.models import EntryTerms, PassFailItem, QualityQuestion
    from caremarket.frameworks.services import entry
    from caremarket.pricing.services import entry as notices

    framework = Framework.objects.get(commissioner__slug="devon", slug="supporting-independence")
    EntryTerms.objects.create(framework=framework, quality_threshold=Decimal("60"))
    for n, (text, criteria, weight) in enumerate(QUESTIONS, start=1):
        QualityQuestion.objects.create(
            framework=framework, number=n, text=text, criteria=criteria, weight=Decimal(weight)
        )
    for n, (text, cqc_only) in enumerate(ITEMS, start=1):
        PassFailItem.objects.create(framework=framework, number=n, text=text, cqc_only=cqc_only)
    window = framework.entry_windows.filter(closes__lt=as_of).order_by("-closes").first()
    lot = framework.lots.get(number=2)  # lot 1's 105 appointments are seed 003's count
    appointed = Appointment.objects.filter(lot=lot).values_list("provider_id", flat=True)
    from caremarket.providers.models import Provider

    applicants = list(
        Provider.objects.exclude(pk__in=appointed).filter(users__isnull=True).order_by("name")[:5]
    )
    evaluators = [
        User.objects.get(username="devon.commissioner"),
        _evaluator(framework.commissioner),
    ]
    zones = list(lot.zones.order_by("number")[:3])
    made = 0
    for stage, provider in zip(STAGES, applicants, strict=False):
        author = User.objects.create_user(
            username=f"demo.applicant.{provider.pk}", role="provider", provider=provider
        )
        author.set_unusable_password()
        author.save()
        with clock.frozen_at(_noon(window.opens + timedelta(days=10 + made))):
            application = entry.apply(
                author,
                window,
                lot,
                entry.ApplicationInput(
                    zone_prices={z.pk: Decimal("24.50") + Decimal(made) / 4 for z in zones},
                    answers={q.pk: _answer_text(q.number) for q in framework.questions.all()},
                    pass_fail={
                        i.pk: not (stage == "unsuccessful" and i.number == 1)
                        for i in entry.questions_for(lot)[1]
                    },
                ),
            )
        made += 1
        answers = list(application.answers.select_related("question"))
        with clock.frozen_at(_noon(window.closes + timedelta(days=7))):
            for a in answers if stage != "submitted" else []:
                for n, who in enumerate(evaluators if stage != "evaluating" else evaluators[:1]):
                    entry.score(a.pk, by=who, value=3 + (n + a.question.number) % 2)
            if stage in ("moderated", "successful", "unsuccessful"):
                for a in answers:
                    entry.moderate(
                        a.pk, by=evaluators[0], value=4, feedback=_feedback(a.question.number)
                    )
            if stage in ("successful", "unsuccessful"):
                notices.decide_outcome(
                    application.pk, by=evaluators[0], feedback="Thank you for applying."
                )
    # A price revision window open now on Living Well at Home, for its appointed providers
    # (assumption: demo dates; Supporting Independence keeps seed 000's March windows).
    from caremarket.frameworks.models import EntryWindow

    EntryWindow.objects.create(
        framework=Framework.objects.get(commissioner__slug="devon", slug="living-well-at-home"),
        purpose=EntryWindow.Purpose.PRICE_REVISION,
        opens=as_of - timedelta(days=7),
        closes=as_of + timedelta(days=21),
        contracts_commence=as_of + timedelta(days=60),
    )
    return {"applications": made}


def _evaluator(commissioner: object) -> User:
    user = User.objects.create_user(
        username="devon.evaluator", role="commissioner", commissioner=commissioner
    )
    user.set_unusable_password()
    user.save()
    return user


def _noon(day: date) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


def _answer_text(number: int) -> str:
    return {
        1: "We pay travel time and mileage, recruit locally in market towns, and pair new staff.",
        2: "Care plans are written with the person and reviewed at six weeks against outcomes.",
        3: "Quarterly safeguarding audits; incidents reviewed monthly; lessons shared with staff.",
    }[number]


def _feedback(number: int) -> str:
    return {
        1: "A credible rural recruitment plan; retention figures would strengthen it.",
        2: "Good examples of outcomes; say more on how people's views change the plan.",
        3: "Clear processes; evidence of learning from incidents was limited.",
    }[number]


# --- Staffordshire: a band review (seed 004) -----------------------------------------------


def _staffordshire_band_review(as_of: date) -> int:
    from caremarket.brokerage.models import ServiceAgreement
    from caremarket.pricing.services import bands

    agreement = (
        ServiceAgreement.objects.filter(
            commissioner__slug="staffordshire", unit="week", award__referral__band__isnull=False
        )
        .order_by("pk")
        .first()
    )
    if agreement is None:
        return 0
    held = agreement.award.referral.band if agreement.award.referral else None
    level = "high" if held is None or held.level != "high" else "very_high"
    bands.review_band(
        agreement,
        by=User.objects.get(username="staffs.practitioner"),
        level=level,
        effective_from=max(as_of, agreement.start_date) + timedelta(days=7),
        reason="Needs have increased since the move: night-time support now needed twice a week.",
        evidence="Practitioner review visit and the provider's daily logs for November.",
    )
    return 1
