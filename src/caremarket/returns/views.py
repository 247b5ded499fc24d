"""The commissioner's Client Level Data page: the return of a quarter, the pre-submission
check's findings by row, field and rule, the file's rows, and both as CSV. Thin: the file is
``returns.selectors.cld_return``'s, scoped to the user's own council."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caremarket.core.errors import Invalid
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required
from caremarket.core.tables import Column, Table
from caremarket.returns import selectors
from caremarket.returns.builder import CldFile
from caremarket.returns.forms import CldForm

FINDING_COLUMNS = [
    Column("row", "Row", numeric=True),
    Column("reference", "Event reference"),
    Column("field", "Field"),
    Column("rule", "Rule"),
    Column("message", "What is wrong"),
]


# The main fields of each row on the page (the file has all 46); a row is a dict of the file's
# fields plus its number, which the check's findings refer to.
ROW_FIELDS = (
    "Event_Reference",
    "Event_Type",
    "Event_Start_Date",
    "Event_End_Date",
    "Event_Outcome",
    "Service_Type",
    "Unit_Cost",
    "Cost_Frequency_Unit_Type",
    "Planned_units_per_week",
)
ROW_COLUMNS = [
    Column("number", "Row", numeric=True),
    *(Column(name, name.replace("_", " ")) for name in ROW_FIELDS),
]


@permission_required("view_cld_return")
def cld(request: HttpRequest) -> HttpResponse:
    councils = list(selectors.commissioners_for(request.user))
    form = CldForm(request.GET or None, quarters=selectors.quarters(), councils=councils)
    context: dict[str, object] = {"form": form, "councils": councils}
    if councils and (not request.GET or form.is_valid()):
        try:
            context["cld"] = cld_file = selectors.cld_return(request.user, *form.choice())
        except Invalid as exc:
            apply_error(form, exc)
        except ImproperlyConfigured as exc:
            context["not_configured"] = str(exc)
        else:
            return _answer(request, cld_file, context)
    return render(request, "returns/cld.html", context)


def _answer(request: HttpRequest, cld_file: CldFile, context: dict[str, object]) -> HttpResponse:
    name = f"{cld_file.commissioner.ons_code}-{cld_file.period.label}-client-level-data"
    download = request.GET.get("download")
    if download == "file":
        response = HttpResponse(cld_file.csv_text(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    findings = Table.fixed(
        FINDING_COLUMNS,
        cld_file.findings,
        caption="What the check found",
        empty_message="The check found no problems: every row has its mandatory fields, "
        "Release 2 values, dates in order and costs consistent with their frequency.",
    )
    if download == "findings":
        return findings.csv_response(f"{name}-findings")
    numbered = [{"number": n, **line.row} for n, line in enumerate(cld_file.lines, start=1)]
    rows = Table.fixed(
        ROW_COLUMNS,
        numbered,
        caption="The file's rows (main fields)",
        empty_message="No request, service or review of this council falls in this period.",
    ).paginate(request, per_page=50)
    context |= {"findings": findings, "rows": rows}
    return render(request, "returns/cld.html", context)
