"""Whole numbers from outside, bounded before they reach the database.

A query parameter or a ticked box is text; ``int()`` turns "99999999999999999999" into a
number no database column holds, and the driver fails with a 500 (SQLite: OverflowError;
PostgreSQL: a DataError). Every id or count taken from a request goes through here first:
out of range is the same refusal as not a number, a 400 (API) or a form error (web) that
names the field. Used by the API's paging, its filters (``BoundedFilterBackend``) and the
forms' id fields (``BoundedModelChoiceField``, ``BoundedModelMultipleChoiceField``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import fields as dff
from django_filters import filters as df
from django_filters.rest_framework import DjangoFilterBackend, FilterSet
from rest_framework.exceptions import ValidationError

MAX_ID = 2**63 - 1  # BigAutoField's largest; also SQLite's INTEGER
MAX_OFFSET = 10**9


def bounded_int(raw: object, name: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """``raw`` as a whole number in [minimum, maximum], or a 400 naming ``name``."""
    text = str(raw).strip()
    if not text.lstrip("-").isdigit() or len(text) > 20:
        raise ValidationError({name: [f"{name} must be a whole number."]})
    number = int(text)
    if number < minimum or number > maximum:
        raise ValidationError({name: [f"{name} must be between {minimum} and {maximum}."]})
    return number


def _in_range(value: Any) -> bool:
    try:
        return 0 < int(str(value)) <= MAX_ID
    except (TypeError, ValueError):
        return False


class _BoundedChoice:
    """Refuses an id out of range as "not one of the choices", before any query."""

    error_messages: dict[str, Any]
    to_field_name: str | None
    empty_values: Any

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _in_range(value) and self.to_field_name is None:
            raise DjangoValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)  # type: ignore[misc]


class _BoundedChoices:
    """Refuses any ticked id out of range before the ``__in`` query (Django's own field lets
    it through to the driver)."""

    error_messages: dict[str, Any]
    to_field_name: str | None

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None:
            for pk in value if isinstance(value, list | tuple | set) else [value]:
                if not _in_range(pk):
                    raise DjangoValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:30]},
                    )
        return super()._check_values(value)  # type: ignore[misc]


class BoundedModelChoiceField(_BoundedChoice, forms.ModelChoiceField):  # type: ignore[type-arg]
    """A record chosen by id (use instead of ``forms.ModelChoiceField``)."""


class BoundedModelMultipleChoiceField(_BoundedChoices, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Records ticked by id (use instead of ``forms.ModelMultipleChoiceField``)."""


class _FilterChoiceField(_BoundedChoice, dff.ModelChoiceField):  # type: ignore[misc]
    pass


class _FilterChoicesField(_BoundedChoices, dff.ModelMultipleChoiceField):  # type: ignore[misc]
    pass


class BoundedModelChoiceFilter(df.ModelChoiceFilter):
    field_class = _FilterChoiceField


class BoundedModelMultipleChoiceFilter(df.ModelMultipleChoiceFilter):
    field_class = _FilterChoicesField


class BoundedNumberField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", -MAX_ID)
        kwargs.pop("step_size", None)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class BoundedNumberFilter(df.NumberFilter):
    field_class = BoundedNumberField


class BoundedFilterSet(FilterSet):
    """django-filter's FilterSet, with every id and number filter bounded."""

    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        # A record by id: an id that names nothing (or nothing of yours) is an empty list,
        # as any filter that matches nothing; only a value that is no id at all is a 400.
        **{
            k: {"filter_class": BoundedNumberFilter}
            for k, v in FilterSet.FILTER_DEFAULTS.items()
            if v.get("filter_class") is df.ModelChoiceFilter
        },
        **{
            k: {**v, "filter_class": BoundedModelMultipleChoiceFilter}
            for k, v in FilterSet.FILTER_DEFAULTS.items()
            if v.get("filter_class") is df.ModelMultipleChoiceFilter
        },
        **{
            k: {**v, "filter_class": BoundedNumberFilter}
            for k, v in FilterSet.FILTER_DEFAULTS.items()
            if v.get("filter_class") is df.NumberFilter and "Integer" in k.__name__
        },
    }


class BoundedFilterBackend(DjangoFilterBackend):
    """The API's filter backend (settings ``DEFAULT_FILTER_BACKENDS``): a viewset's
    ``filterset_fields`` get bounded filters."""

    filterset_base = BoundedFilterSet
