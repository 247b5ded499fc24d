from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caremarket.home import selectors


def home(request: HttpRequest) -> HttpResponse:
    summary = selectors.home_summary(request.user)
    return render(request, "home/home.html", {"summary": summary})
