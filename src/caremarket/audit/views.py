"""The audit pages: thin views over ``audit.selectors``, each a filter form, a table (sortable,
paged, CSV of every row the filter finds) and nothing that writes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caremarket.audit import selectors
from caremarket.audit.forms import AccessFilterForm, TrailFilterForm
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table, wants_csv

PER_PAGE = 50

TRAIL_COLUMNS = [
    Column("when", "When", get=lambda e: e.when),
    Column("who", "Who"),
    Column("action", "What happened", get=lambda e: e.action_label),
    Column("area", "Area"),
    Column("record", "Record", sortable=False),
    Column("record_id", "Record id", numeric=True),
    Column("changes", "What changed", sortable=False),
    Column("reason", "Reason given", sortable=False),
]

ACCESS_COLUMNS = [
    Column("at", "When"),
    Column("who", "Who", get=lambda a: a.user.username),
    Column(
        "provider",
        "Provider",
        get=lambda a: a.user.provider.display_name if a.user.provider_id else "",
    ),
    Column("person", "Person", get=lambda a: a.person.reference),
    Column("where", "Where (page or API)", sortable=False),
]


@permission_required("view_audit_trail")
def trail(request: HttpRequest) -> HttpResponse:
    kinds = selectors.record_kinds(request.user)
    form = TrailFilterForm(request.GET or None, kinds=kinds)
    entries: list[selectors.Entry] = []
    cut = False
    if not request.GET or form.is_valid():
        criteria = form.criteria() if request.GET else selectors.TrailCriteria()
        entries, cut = selectors.trail(request.user, criteria)
    table = Table.from_request(
        request,
        TRAIL_COLUMNS,
        entries,
        default_sort="when",
        default_descending=True,
        caption="Writes, newest first",
        empty_message="No writes match these filters.",
    )
    if wants_csv(request):
        selectors.describe(table.rows)
        return table.csv_response("audit trail")
    table.paginate(request, per_page=PER_PAGE)
    selectors.describe(list(table.pages.page.object_list))  # type: ignore[union-attr]
    return render(
        request,
        "audit/trail.html",
        {"form": form, "table": table, "cut": cut, "max_rows": selectors.MAX_ROWS},
    )


@permission_required("view_personal_data_log")
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessFilterForm(request.GET or None)
    rows: list[object] = []
    cut = False
    if not request.GET or form.is_valid():
        criteria = form.criteria() if request.GET else selectors.AccessCriteria()
        rows, cut = selectors.accesses(request.user, criteria)
    table = Table.from_request(
        request,
        ACCESS_COLUMNS,
        rows,
        default_sort="at",
        default_descending=True,
        caption="Looks at a person's details, newest first",
        empty_message="No looks at a person's details match these filters.",
    )
    if wants_csv(request):
        return table.csv_response("personal data access log")
    table.paginate(request, per_page=PER_PAGE)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "table": table, "cut": cut, "max_rows": selectors.MAX_ROWS},
    )
