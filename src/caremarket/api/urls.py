from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from caremarket.api import brokerage_views, oruk_views, views

router = DefaultRouter()
router.register("zones", views.ZoneViewSet, basename="zone")
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("appointments", views.AppointmentViewSet, basename="appointment")
router.register("prices", views.PriceViewSet, basename="price")
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("directory", views.DirectoryViewSet, basename="directory")
router.register("referrals", brokerage_views.ReferralViewSet, basename="referral")
router.register("offers", brokerage_views.OfferViewSet, basename="offer")
router.register("competitions", brokerage_views.CompetitionViewSet, basename="competition")
router.register("bids", brokerage_views.BidViewSet, basename="bid")
router.register("awards", brokerage_views.AwardViewSet, basename="award")
router.register("agreements", brokerage_views.AgreementViewSet, basename="agreement")
router.register("awaiting-care", brokerage_views.AwaitingCareViewSet, basename="awaiting-care")
router.register("capacity", brokerage_views.CapacityViewSet, basename="capacity")


app_name = "api"
urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("api/oruk/", oruk_views.Meta.as_view(), name="oruk-meta"),
    path("api/oruk/services", oruk_views.Services.as_view(), name="oruk-services"),
    path("api/oruk/services/<str:service_id>", oruk_views.Service.as_view(), name="oruk-service"),
    path("api/oruk/taxonomies", oruk_views.Taxonomies.as_view(), name="oruk-taxonomies"),
    path("api/oruk/taxonomy_terms", oruk_views.TaxonomyTerms.as_view(), name="oruk-taxonomy-terms"),
]
