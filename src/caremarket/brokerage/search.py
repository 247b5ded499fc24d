"""Finding a referral or an agreement by what a broker has to hand: a name, a reference, a
postcode or a provider.

Every word typed must match one of the record's searchable fields (so "Ada EX39" finds Ada
in EX39, and "EX39 1AB" finds the postcode however it was spaced). The query only narrows a
queryset the caller has already scoped with a selector, so a provider searching its
agreements can only ever find its own.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db.models import Q

MAX_WORDS = 6  # more is a pasted paragraph, not a search
MAX_LENGTH = 100


def words(text: str) -> list[str]:
    return (text or "")[:MAX_LENGTH].split()[:MAX_WORDS]


def _matching(text: str, fields: tuple[str, ...]) -> Q:
    terms = words(text)
    if not terms:
        return Q()
    return reduce(and_, (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in terms))


PERSON = (
    "reference",
    "person__reference",
    "person__given_name",
    "person__family_name",
    "person__postcode",
)


def referral_q(text: str) -> Q:
    """On a referral: its or its person's reference, the person's name or postcode, or the
    provider it was awarded to (or that delivers it)."""
    return _matching(text, (*PERSON, "award__provider__name", "award__delivering_provider__name"))


def agreement_q(text: str) -> Q:
    """On an agreement: its or its person's reference, the person's name or postcode, or
    the provider that holds or delivers it."""
    return _matching(text, (*PERSON, "provider__name", "delivering_provider__name"))
