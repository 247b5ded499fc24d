"""How every brokerage page runs a posted action: validate the form, call the service, report.

A page with several forms (a referral, an agreement, an offer, a competition) posts one
``action`` at a time. The service decides; this module only turns its answer into what the
person sees: a success message and a redirect (so a reload cannot post twice), or the
refusal shown where it belongs. Refusals are mapped in one place, ``core.forms.apply_error``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import require

Action = Callable[[dict[str, Any]], str]


def posted_action(request: HttpRequest) -> str | None:
    """The action a POST names (None for a GET or a POST that names none)."""
    return request.POST.get("action") if request.method == "POST" else None


def bound_to(request: HttpRequest, action: str | None) -> Callable[[str], Any]:
    """``data(name)``: the posted data for the form of the posted action, None for the others,
    so only the form that was submitted shows errors."""
    return lambda name: request.POST if action == name else None


def run(
    request: HttpRequest,
    form: forms.Form | None,
    act: Action,
    *,
    then: str,
    on_form: Callable[[], bool] = lambda: True,
) -> HttpResponse | None:
    """Run ``act`` with the form's cleaned data (an empty dict for a button with no form).

    Done: its message and a redirect to ``then``. An invalid form, or a refusal shown on the
    form: None, and the view renders the page again with the errors. A refusal with no form
    to show it on (``form`` None, or ``on_form()`` false): a message on this page.
    """
    if form is not None and not form.is_valid():
        return None
    try:
        done = act(form.cleaned_data if form is not None else {})
    except CaremarketError as exc:
        if form is not None and on_form():
            apply_error(form, exc)
            return None
        messages.error(request, exc.message)
        return HttpResponseRedirect(request.path)
    messages.success(request, done)
    return HttpResponseRedirect(then)


def failed(*forms_: forms.Form | None) -> forms.Form | None:
    """The submitted form that has errors, for the page's error summary (and its title)."""
    return next((f for f in forms_ if f is not None and f.is_bound and f.errors), None)


RecordAction = Callable[[Any, Any, dict[str, Any]], str]


def broker_action(
    request: HttpRequest,
    action: str | None,
    forms_: Mapping[str, forms.Form],
    actions: Mapping[str, RecordAction],
    record: Any,
    *,
    then: str,
) -> HttpResponse | None:
    """A broker's posted action on a record (a referral, an agreement), ``actions[action](user,
    record, data)``; other staff may look at the page but not act (403). None when nothing was
    posted, or the page is to be shown again with the form's errors."""
    if action not in actions:
        return None
    require(request.user, "broker")
    act = actions[action]
    return run(request, forms_[action], lambda data: act(request.user, record, data), then=then)
