"""Supported living pages: the commissioner's overview (lots, residents by group and band,
properties, rooms) and voids register; the provider's "My rooms", where it keeps each
room's status up to date. Thin: selectors read, services write, presenters shape tables."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from caremarket.core import clock
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Table
from caremarket.supported_living import presenters as p
from caremarket.supported_living import rules, selectors, services
from caremarket.supported_living.forms import ResidentsUploadForm, RoomStatusForm


@permission_required("view_rooms")
def overview(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    tables = {
        "lots": Table.from_request(
            request,
            p.LOT_COLUMNS,
            selectors.lot_summaries(request.user, now),
            caption="Schemes, properties and rooms by lot",
            empty_message="No supported living schemes yet.",
        ),
        "residents": Table.from_request(
            request,
            p.RESIDENT_COLUMNS,
            selectors.residents_by_group(request.user),
            caption="Residents by group and band",
            empty_message="No census of residents recorded yet.",
        ),
    }
    done = p.csv_of(request, tables, "lots")
    if done is not None:
        return done
    return render(request, "supported_living/overview.html", {"tables": tables})


@permission_required("view_rooms")
def room_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    show = request.GET.get("show", "all")
    rooms = selectors.rooms_for(request.user)
    rooms = {"available": rooms.available(now), "stale": rooms.stale(now)}.get(show, rooms)
    table = Table.from_request(
        request,
        p.room_columns(now),
        rooms,
        default_sort="scheme",
        caption="Rooms",
        empty_message="No rooms to show.",
    )
    done = p.csv_of(request, {"rooms": table}, "rooms")
    if done is not None:
        return done
    table.paginate(request, per_page=50)
    return render(request, "supported_living/rooms.html", {"table": table, "show": show})


@permission_required("view_rooms")
def property_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    free = Q(room_set__status=rules.VACANT) | Q(
        room_set__status=rules.HELD, room_set__held_until__lte=now
    )
    rows = selectors.properties_for(request.user).annotate(
        n_rooms=Count("room_set", distinct=True),
        n_available=Count("room_set", filter=free, distinct=True),
    )
    table = Table.from_request(
        request, p.PROPERTY_COLUMNS, rows, default_sort="scheme", caption="Properties"
    )
    done = p.csv_of(request, {"properties": table}, "properties")
    if done is not None:
        return done
    table.paginate(request, per_page=50)
    return render(request, "supported_living/properties.html", {"table": table})


@permission_required("view_rooms")
def voids(request: HttpRequest) -> HttpResponse:
    rows = selectors.voids_register(request.user, clock.now())
    table = Table.from_request(
        request,
        p.VOID_COLUMNS,
        rows,
        default_sort="days",
        default_descending=True,
        caption="Voids register",
        empty_message="No empty rooms: every room is occupied.",
    )
    done = p.csv_of(request, {"voids": table}, "voids")
    if done is not None:
        return done
    table.paginate(request, per_page=50)
    context = {
        "table": table,
        "policy": selectors.void_policy_for(request.user),
        "long_voids": sum(1 for v in rows if v.long),
        "cost": sum((v.cost for v in rows if v.cost is not None), start=Decimal("0")),
    }
    return render(request, "supported_living/voids.html", context)


@permission_required("provider_rooms")
def my_rooms(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    rooms = selectors.rooms_for(request.user)
    if request.method == "POST" and request.POST.get("action") == "confirm_all":
        ids = list(rooms.available(now).values_list("pk", flat=True))
        count = services.confirm_unchanged(ids, by=request.user)
        messages.success(request, f"{count} vacancies confirmed as still vacant.")
        return HttpResponseRedirect(reverse("supported_living:my-rooms"))
    table = Table.from_request(
        request,
        p.room_columns(now, link="supported_living:my-room"),
        rooms,
        default_sort="status",
        caption="My rooms",
        empty_message="You have no supported living rooms recorded.",
    )
    done = p.csv_of(request, {"rooms": table}, "rooms")
    if done is not None:
        return done
    stale = rooms.stale(now).count()
    table.paginate(request, per_page=50)
    return render(request, "supported_living/my_rooms.html", {"table": table, "stale": stale})


@permission_required("provider_rooms")
def my_room(request: HttpRequest, pk: int) -> HttpResponse:
    room = selectors.room_for(request.user, pk)
    form = RoomStatusForm(request.POST or None, initial={"status": room.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_status(room.pk, by=request.user, **form.cleaned_data)
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{room} updated.")
            return HttpResponseRedirect(reverse("supported_living:my-rooms"))
    now = clock.now()
    history = Table.from_request(
        request,
        p.HISTORY_COLUMNS,
        room.changes.order_by("-at", "-pk")[:100],
        default_sort="at",
        default_descending=True,
        caption="History",
    )
    done = p.csv_of(request, {"history": history}, "history")
    if done is not None:
        return done
    context = {
        "room": room,
        "form": form,
        "status": p.status_label(room, now),
        "history": history,
        "held": room.effective_status(now) == rules.HELD,
    }
    return render(request, "supported_living/my_room.html", context)


@permission_required("import_residents")
def residents_import(request: HttpRequest) -> HttpResponse:
    """Upload a census of residents by group and band; the run's page shows every fault."""
    form = ResidentsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_residents(form.cleaned_data["file"], by=request.user)
        except CaremarketError as exc:
            apply_error(form, exc)
        else:
            return HttpResponseRedirect(reverse("core:import-run", args=[run.pk]))
    example = "group,lot,band,residents,counted_on\n1,1,high,4,2026-11-30\n2,,medium,105,2026-11-30"
    return render(
        request, "supported_living/residents_import.html", {"form": form, "example": example}
    )
