"""A person's notifications: newest first, unread marked, each linking to its record; mark one
or all as read. Works without JavaScript (each "mark as read" is a small form)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.brokerage import notices
from caremarket.brokerage.services import inbox
from caremarket.core.errors import CaremarketError
from caremarket.core.pagination import paginate
from caremarket.core.permissions import permission_required

PER_PAGE = 20


@permission_required("view_notifications")
def notifications(request: HttpRequest) -> HttpResponse:
    here = reverse("brokerage:notifications")
    if request.method == "POST":
        return _mark(request, here)
    mine = notices.inbox_for(request.user)
    show = request.GET.get("show", "")
    listed = mine.filter(read_at__isnull=True) if show == "unread" else mine
    pages = paginate(request, listed.select_related("provider"), per_page=PER_PAGE)
    return render(
        request,
        "brokerage/notifications.html",
        {"pages": pages, "unread": notices.unread_count(request.user), "show": show},
    )


def _mark(request: HttpRequest, here: str) -> HttpResponse:
    """Mark the posted item (or every unread one) as read, then back to the same page."""
    page = request.POST.get("page", "")
    back = f"{here}?page={page}" if page.isdigit() else here
    try:
        if request.POST.get("all"):
            done = inbox.mark_read(request.user)
            messages.success(request, f"Marked {done} notification{'s' * (done != 1)} as read.")
        else:
            item = request.POST.get("item", "")
            inbox.mark_read(request.user, [int(item)] if item.isdigit() else [])
            messages.success(request, "Marked as read.")
    except CaremarketError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(back)
