"""A broker merges two records of the same person (a duplicate made before the guard)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import forms as f
from caremarket.brokerage import selectors
from caremarket.brokerage.models import Person
from caremarket.brokerage.services import referrals
from caremarket.core.errors import CaremarketError, Invalid
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required


@permission_required("broker")
def merge_people(request: HttpRequest) -> HttpResponse:
    commissioner = getattr(request.user, "commissioner", None)
    if commissioner is None:  # a platform administrator belongs to no council
        messages.error(request, "Sign in as a council's broker to merge people's records.")
        return HttpResponseRedirect(reverse("home:dashboard"))
    form = f.MergePeopleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            keep = referrals.merge_people(
                by=request.user,
                keep=_known(request.user, commissioner, data["keep"], "keep"),
                duplicate=_known(request.user, commissioner, data["duplicate"], "duplicate"),
                reason=data["reason"],
            )
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Merged {data['duplicate'].upper()} into {keep.reference}.")
            return HttpResponseRedirect(request.path)
    return render(request, "brokerage/merge_people.html", {"form": form})


def _known(user: Any, commissioner: Any, reference: str, field: str) -> Person:
    """The council's person by reference, any refusal named for this form's field."""
    try:
        person = selectors.person_by_reference(user, commissioner, reference)
    except Invalid as exc:
        raise Invalid({field: exc.message}) from exc
    if person is None:
        raise Invalid({field: "Enter the person's reference."})
    return person
