"""Providers over the API, read through the same selector as the providers pages."""

from __future__ import annotations

from rest_framework import viewsets

from caremarket.providers import selectors as providers
from caremarket.providers.api import serializers as s


class ProviderViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error
    serializer_class = s.ProviderSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return providers.providers_for(self.request.user).prefetch_related(
            "service_types", "locations"
        )
