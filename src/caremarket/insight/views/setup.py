"""Getting a council's data in and stating its parameters: the upload page (every kind of
import the platform registers), the parameters behind the dashboard, the prevalence rates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from caremarket.core import imports
from caremarket.core.errors import CaremarketError
from caremarket.core.forms import apply_error
from caremarket.core.permissions import permission_required
from caremarket.insight import selectors
from caremarket.insight.forms import ParametersForm, RateForm, UploadForm
from caremarket.insight.services import statements as service


@permission_required("edit_statement")
def upload(request: HttpRequest) -> HttpResponse:
    commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
    kinds = [(i.kind, i.title or i.kind) for i in imports.kinds()]
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            run = imports.start(
                form.cleaned_data["kind"],
                form.cleaned_data["file"],
                by=request.user,
                owner=imports.owner_key(commissioner_id=commissioner.pk),
                options={"commissioner_id": commissioner.pk},
            )
        except CaremarketError as error:
            apply_error(form, error)
        else:
            return redirect("core:import-run", pk=run.pk)
    context = {"form": form, "commissioner": commissioner, "kinds": imports.kinds()}
    return render(request, "insight/upload.html", context)


@permission_required("edit_statement")
def parameters(request: HttpRequest) -> HttpResponse:
    commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
    current = selectors.parameters_for(commissioner)
    initial = {f: getattr(current, f) for f in ParametersForm.base_fields}
    form = ParametersForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service.set_parameters(commissioner, **form.cleaned_data)
        except CaremarketError as error:
            apply_error(form, error)
        else:
            return redirect("insight:dashboard")
    return render(request, "insight/parameters.html", {"form": form, "commissioner": commissioner})


@permission_required("edit_statement")
def rates(request: HttpRequest) -> HttpResponse:
    commissioner = selectors.commissioner_for(request.user, request.GET.get("commissioner"))
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.set_rate(commissioner, **form.cleaned_data)
        except CaremarketError as error:
            apply_error(form, error)
        else:
            return redirect("insight:projections")
    context = {
        "form": form,
        "commissioner": commissioner,
        "rates": selectors.rates_for(commissioner),
    }
    return render(request, "insight/rates.html", context)
