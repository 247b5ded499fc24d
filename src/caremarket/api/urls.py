"""The API's one router: every app's viewsets under /api/v1/, the OpenAPI document and its
docs, and the Open Referral UK endpoints. Each app keeps its handlers beside it
(``<app>/api/``); this module only says where they answer."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from caremarket.api import docs
from caremarket.bookings.api import routes as bookings_routes
from caremarket.brokerage.api import (
    agreements,
    competitions,
    offers,
    referrals,
    spot_approvals,
    waiting,
)
from caremarket.care_homes.api import routes as care_homes_routes
from caremarket.delivery.api import routes as delivery_routes
from caremarket.directory.api import oruk
from caremarket.directory.api.views import DirectoryViewSet
from caremarket.frameworks.api.views import AppointmentViewSet, FrameworkViewSet, PriceViewSet
from caremarket.insight.api import routes as insight_routes
from caremarket.market.api.views import ZoneViewSet
from caremarket.pricing.api import routes as pricing_routes
from caremarket.providers.api.capacity import CapacityViewSet
from caremarket.providers.api.views import ProviderViewSet
from caremarket.supported_living.api import routes as supported_living_routes

# No format-suffix routes (`directory.json`): list handlers take no `format`, so each was a 500.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("zones", ZoneViewSet, basename="zone")
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("prices", PriceViewSet, basename="price")
router.register("providers", ProviderViewSet, basename="provider")
router.register("directory", DirectoryViewSet, basename="directory")
router.register("referrals", referrals.ReferralViewSet, basename="referral")
router.register("offers", offers.OfferViewSet, basename="offer")
router.register("competitions", competitions.CompetitionViewSet, basename="competition")
router.register("bids", competitions.BidViewSet, basename="bid")
router.register("awards", agreements.AwardViewSet, basename="award")
router.register("agreements", agreements.AgreementViewSet, basename="agreement")
router.register("awaiting-care", waiting.AwaitingCareViewSet, basename="awaiting-care")
router.register("spot-approvals", spot_approvals.SpotApprovalViewSet, basename="spot-approval")
router.register("capacity", CapacityViewSet, basename="capacity")
# The newer apps register their own viewsets (each app's api/routes.py).
for app_routes in (
    supported_living_routes,
    bookings_routes,
    care_homes_routes,
    delivery_routes,
    pricing_routes,
    insight_routes,
):
    app_routes.register(router)


app_name = "api"
urlpatterns = [
    path("api/v1/", include(router.urls)),
    # The document (readable in a browser too) and an accessible reference page (issue 15).
    path("api/schema/", docs.SchemaView.as_view(), name="schema"),
    path("api/docs/", docs.reference, name="docs"),
    path("api/oruk/", oruk.Meta.as_view(), name="oruk-meta"),
    path("api/oruk/services", oruk.Services.as_view(), name="oruk-services"),
    path("api/oruk/services/<str:service_id>", oruk.Service.as_view(), name="oruk-service"),
    path("api/oruk/taxonomies", oruk.Taxonomies.as_view(), name="oruk-taxonomies"),
    path("api/oruk/taxonomy_terms", oruk.TaxonomyTerms.as_view(), name="oruk-taxonomy-terms"),
    # The rest of ORUK 3.0 (issue 15): each {id}, service_at_locations and organizations.
    path("api/oruk/taxonomies/<str:item_id>", oruk.Taxonomy.as_view(), name="oruk-taxonomy"),
    path(
        "api/oruk/taxonomy_terms/<str:item_id>",
        oruk.TaxonomyTerm.as_view(),
        name="oruk-taxonomy-term",
    ),
    path(
        "api/oruk/service_at_locations",
        oruk.ServicesAtLocations.as_view(),
        name="oruk-service-at-locations",
    ),
    path(
        "api/oruk/service_at_locations/<str:item_id>",
        oruk.ServiceAtLocation.as_view(),
        name="oruk-service-at-location",
    ),
    path("api/oruk/organizations", oruk.Organizations.as_view(), name="oruk-organizations"),
    path(
        "api/oruk/organizations/<str:item_id>",
        oruk.Organization.as_view(),
        name="oruk-organization",
    ),
]
