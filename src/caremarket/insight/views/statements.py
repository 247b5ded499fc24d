"""Market Sufficiency Statements: list and create, the statement (page, PDF, JSON), its
narrative and action plan, and publishing. Providers see published statements only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from caremarket.core.errors import CaremarketError, Invalid
from caremarket.core.forms import apply_error
from caremarket.core.pdf import render_pdf
from caremarket.core.permissions import may, permission_required
from caremarket.core.tables import Column, Table
from caremarket.insight import selectors
from caremarket.insight.forms import ActionForm, NarrativeForm, StatementForm
from caremarket.insight.models import Sector
from caremarket.insight.selectors import statement_page
from caremarket.insight.services import statements as service
from caremarket.insight.views import tables


@permission_required("view_statements")
def statement_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.statements_for(request.user)
    form = StatementForm(request.POST or None)
    if request.method == "POST":
        if not may(request.user, "edit_statement"):
            raise PermissionDenied("Only a commissioner can write a statement.")
        commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
        if form.is_valid():
            try:
                made = service.create_statement(commissioner, **form.cleaned_data)
            except CaremarketError as error:
                apply_error(form, error)
            else:
                return redirect("insight:statement", pk=made.pk)
    table = Table.from_request(
        request,
        [
            Column("title", "Statement", link=lambda s: f"/statements/{s.pk}/"),
            Column("commissioner", "Commissioner", get=lambda s: s.commissioner.name),
            Column("as_of", "Figures as of", format="date"),
            Column("status", "Status", get=lambda s: s.get_status_display()),
        ],
        rows,
        default_sort="as_of",
        default_descending=True,
        caption="Statements",
        empty_message="No statements yet.",
    )
    context = {"table": table, "form": form, "may_edit": may(request.user, "edit_statement")}
    return render(request, "insight/statements.html", context)


@permission_required("view_statements")
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_for(request.user, pk)
    try:
        page = statement_page.build(statement)
    except Invalid as error:
        return render(
            request, "insight/statement_error.html", {"statement": statement, "error": error}
        )
    output = request.GET.get("format")
    if output == "json":
        return JsonResponse(page.as_json(), json_dumps_params={"indent": 2})
    context = {
        "statement": statement,
        "page": page,
        "d": page.d,
        "tables": tables.tables(page.d),
        "charts": tables.chart_set(page.d),
        "csv": tables.csv_links(page.d),
        "sectors": Sector.choices,
        "projection": {
            y: (tables.projection_chart(page.p, y), tables.projection_table(page.p, y))
            for y in (5, 10)
        },
        "may_edit": selectors.may_edit(request.user, statement)
        and may(request.user, "edit_statement"),
    }
    if output == "pdf":
        return render_pdf(
            request,
            "insight/statement.html",
            context,
            f"{statement.commissioner.slug}-sufficiency-{statement.as_of}.pdf",
        )
    return render(request, "insight/statement.html", context)


def _editable(request: HttpRequest, pk: int):
    statement = selectors.statement_for(request.user, pk)
    if not selectors.may_edit(request.user, statement):
        raise PermissionDenied("Only the statement's commissioner can change it.")
    return statement


@permission_required("edit_statement")
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _editable(request, pk)
    initial = {
        "introduction": statement.introduction,
        **{n.sector: n.text for n in statement.narratives.all()},
    }
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        intro = data.pop("introduction")
        service.edit_narrative(statement, introduction=intro, sections=data)
        return redirect("insight:statement", pk=statement.pk)
    return render(request, "insight/narrative.html", {"statement": statement, "form": form})


@permission_required("edit_statement")
def action_edit(request: HttpRequest, pk: int, item: int | None = None) -> HttpResponse:
    statement = _editable(request, pk)
    existing = get_object_or_404(statement.actions, pk=item) if item else None
    initial = {f: getattr(existing, f) for f in service.ACTION_FIELDS} if existing else {}
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if existing:
                service.edit_action(existing, **form.cleaned_data)
            else:
                service.add_action(statement, **form.cleaned_data)
        except CaremarketError as error:
            apply_error(form, error)
        else:
            return redirect(f"/statements/{statement.pk}/#action-plan")
    context = {"statement": statement, "form": form, "item": existing}
    return render(request, "insight/action.html", context)


@permission_required("edit_statement")
@require_POST
def statement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _editable(request, pk)
    service.publish(statement, by=request.user)
    return redirect("insight:statement", pk=statement.pk)
