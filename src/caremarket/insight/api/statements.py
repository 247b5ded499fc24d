"""Market sufficiency statements over the API: the list a user may see (a provider: the
published ones), and one statement with every figure (the same JSON as ``?format=json``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.core.permissions import allows
from caremarket.insight import selectors
from caremarket.insight.models import Statement
from caremarket.insight.selectors import statement_page


class StatementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    commissioner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "commissioner", "title", "as_of", "compare_with", "status", "published_at"]


class StatementViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    lookup_value_regex = "[0-9]+"
    serializer_class = StatementSerializer
    permission_classes = [allows("view_statements")]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.statements_for(self.request.user).order_by("pk")

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        """The statement with its narrative, action plan, figures and projections."""
        statement = selectors.statement_for(request.user, int(pk or 0))
        return Response(statement_page.build(statement).as_json())
