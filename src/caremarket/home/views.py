from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caremarket.core import clock
from caremarket.home import selectors, todo


def home(request: HttpRequest) -> HttpResponse:
    """A visitor's front door; a signed-in person's list of what needs doing today."""
    summary = selectors.home_summary(request.user)
    today = todo.today_for(request.user, clock.now())
    return render(request, "home/home.html", {"summary": summary, "today": today})


def glossary(request: HttpRequest) -> HttpResponse:
    """The domain's words, public: a newcomer reads it before signing in."""
    return render(request, "home/glossary.html", selectors.glossary())
