"""Admin classes that scope the back office to the acting user's commissioner.

Commissioner staff edit their own zones, frameworks, appointments and prices in the Django
admin; a Devon commissioner must never list, open or link to an Isle of Wight record. Each
scoped admin names the path from its model to the commissioner; querysets and the choices in
foreign-key and many-to-many fields are filtered along it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from caremarket.core import roles

# Related models whose choices must also be scoped, by the path to their commissioner.
RELATED_SCOPE: dict[str, str] = {
    "market.zone": "commissioner",
    "market.commissioner": "pk",
    "frameworks.framework": "commissioner",
    "frameworks.lot": "framework__commissioner",
    "frameworks.appointment": "lot__framework__commissioner",
}


def _scope(queryset: models.QuerySet[Any], path: str, request: HttpRequest) -> models.QuerySet[Any]:
    if roles.is_platform(request.user):
        return queryset
    commissioner_id = roles.commissioner_id_of(request.user)
    if commissioner_id is None:
        return queryset.none()
    field = "pk" if path == "pk" else f"{path}_id"
    return queryset.filter(**{field: commissioner_id}).distinct()


# A list filter whose choices come from the (scoped) list itself, so a Devon commissioner is
# never offered the Isle of Wight's frameworks to filter by.
RelatedOnly = admin.RelatedOnlyFieldListFilter


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """History to read, never to write through.

    django-simple-history saves a form POSTed to an old version's page for anyone allowed to
    *view* history, whatever ``SIMPLE_HISTORY_REVERT_DISABLED`` says (that only hides the
    button). A correction is a change made on the record itself, where the change
    permissions apply; so a POST to a history page is refused here. Its lookups are also
    unscoped and choke on a malformed id: both are checked first.
    """

    # Websites typed without a scheme are https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _in_scope_or_404(self, request: HttpRequest, object_id: str) -> None:
        try:
            pk = self.model._meta.pk.to_python(object_id)
        except ValidationError:
            raise Http404("No such record in your back office.") from None
        if not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404("No such record in your back office.")

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._in_scope_or_404(request, object_id)  # first: another council's is "not found"
        if request.method != "GET":
            raise PermissionDenied("History is read-only: change the record itself.")

        if not version_id.isdigit():
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class CommissionerScopedAdmin(ReadOnlyHistoryAdmin):
    commissioner_path = "commissioner"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return _scope(super().get_queryset(request), self.commissioner_path, request)

    def _scoped_choices(
        self, db_field: models.Field[Any, Any], request: HttpRequest, kwargs: dict[str, Any]
    ) -> None:
        label = db_field.related_model._meta.label_lower  # type: ignore[union-attr]
        if label in RELATED_SCOPE:
            base = kwargs.get("queryset", db_field.related_model._default_manager.all())  # type: ignore[union-attr]
            kwargs["queryset"] = _scope(base, RELATED_SCOPE[label], request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        CommissionerScopedAdmin._scoped_choices(self, db_field, request, kwargs)  # type: ignore[arg-type]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        CommissionerScopedAdmin._scoped_choices(self, db_field, request, kwargs)  # type: ignore[arg-type]
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PlatformEditsOnlyAdmin(ReadOnlyHistoryAdmin):
    """Records every commissioner shares (reference data, providers): any staff member may
    read them, only platform administrators change them, because one council's edit would
    change what every other council sees and who is eligible for its referrals."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles.is_platform(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return roles.is_platform(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles.is_platform(request.user)
