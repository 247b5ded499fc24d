"""Spot purchase requests over the API: the second person's decision on a purchase above the
price band or the buyer's role limit (``services.spot_purchases``), beside the broker's own
``POST /referrals/{id}/spot/`` that makes the request.

Thin, as the web pages are, and open to the same roles: every operation needs
``approve_spot`` (brokers and commissioners, the roles with a spot limit, and platform
administrators), as every spot approval page does, so the council's other staff read no
request here that the web would not show them. Reads go through ``brokerage.spot_approvals``
(a council's approvers see their council's requests, a platform administrator every one,
providers none: the price a council is asked to approve is its own business until it is
bought), writes through the same services, so the rules (not the one who asked, a limit
covering the yearly cost, a reason to refuse) cannot differ between the two. Approving
moves money, so it takes an ``Idempotency-Key``: a client retrying after a timeout gets the
first answer back.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from caremarket.brokerage import spot_approvals
from caremarket.brokerage.api.idempotent import IDEMPOTENCY_KEY, replayed
from caremarket.brokerage.api.serializers import ReasonSerializer, validated
from caremarket.brokerage.models import SpotApproval
from caremarket.brokerage.services import spot_purchases
from caremarket.core import idempotency
from caremarket.core.errors import Invalid
from caremarket.core.permissions import require

STATUSES = [s.value for s in SpotApproval.Status]


def _name(user: Any) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


class SpotApprovalDetailSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A request as the approver decides on it: the figures the broker confirmed (the ones
    approved), the band they were judged by, why it needs a second person, and the outcome."""

    referral = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    provider = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    provider_name = serializers.CharField(source="provider.display_name", read_only=True)
    requested_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    status_label = serializers.CharField(read_only=True)
    overtaken = serializers.BooleanField(
        read_only=True, help_text="Still pending, but the referral was placed another way."
    )
    award = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = SpotApproval
        fields = [
            "id",
            "referral",
            "provider",
            "provider_name",
            "unit",
            "units_per_week",
            "unit_price",
            "weekly_cost",
            "yearly_cost",
            "band_low",
            "band_high",
            "reason",
            "below_band_reason",
            "needs_approval_because",
            "requested_by",
            "requested_at",
            "status",
            "status_label",
            "overtaken",
            "decided_by",
            "decided_at",
            "decision_note",
            "award",
        ]
        read_only_fields = fields

    def get_requested_by(self, obj: SpotApproval) -> str:
        return _name(obj.requested_by) or ""

    def get_decided_by(self, obj: SpotApproval) -> str | None:
        return _name(obj.decided_by)


class SpotApprovalViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Spot purchase requests, for the approvers (brokers and commissioners, ``approve_spot``,
    as on the web): they read their council's and, within their role's yearly limit, approve
    or refuse them."""

    lookup_value_regex = "[0-9]+"  # a non-numeric id is a 404, not an error
    serializer_class = SpotApprovalDetailSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        qs = spot_approvals.requests_for(self.request.user)
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in STATUSES:
                raise Invalid(f"Status must be one of: {', '.join(STATUSES)}.", "status")
            qs = qs.filter(status=wanted)
        return qs.order_by("-requested_at", "-pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=STATUSES, description="Only requests in it.")
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Newest first. Brokers and commissioners only, as on the spot approvals page."""
        require(request.user, "approve_spot")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One request, as its page shows it. Brokers and commissioners only."""
        require(request.user, "approve_spot")
        return Response(self._read(kwargs["pk"]))

    @extend_schema(
        request=None, responses=SpotApprovalDetailSerializer, parameters=[IDEMPOTENCY_KEY]
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """Approve: the award is made now, on the figures the broker confirmed. Not by the one
        who asked; the caller's role limit must cover the yearly cost (400 otherwise); a
        request already decided is a 409 (approving your own approval again answers it)."""
        require(request.user, "approve_spot")
        approval = spot_approvals.request_for(request.user, int(pk))
        done = idempotency.once(
            "brokerage.approve_spot",
            request.headers.get(idempotency.HEADER, ""),
            request.user,
            lambda: spot_purchases.approve(approval.pk, by=request.user),
            remember=lambda award: award.pk,
            recall=lambda award_pk: award_pk,
            request_fingerprint=idempotency.fingerprint({"approval": approval.pk}),
        )
        return replayed(Response(self._read(pk)), done)

    @extend_schema(request=ReasonSerializer, responses=SpotApprovalDetailSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str) -> Response:
        """Refuse, with the ``reason`` the broker who asked is told (required). Nothing is
        bought; the broker may ask again."""
        require(request.user, "approve_spot")
        approval = spot_approvals.request_for(request.user, int(pk))
        body = validated(ReasonSerializer, request)
        spot_purchases.refuse(approval.pk, by=request.user, reason=body["reason"])
        return Response(self._read(pk))

    def _read(self, pk: Any) -> Any:
        """The request as it stands, read again through the selector."""
        found = spot_approvals.request_for(self.request.user, int(pk))
        return self.get_serializer(found).data
