"""The supported living pages. Included once from caremarket.urls."""

from django.urls import path

from caremarket.supported_living import views

app_name = "supported_living"
urlpatterns = [
    path("supported-living/", views.overview, name="overview"),
    path("supported-living/rooms/", views.room_list, name="rooms"),
    path("supported-living/properties/", views.property_list, name="properties"),
    path("supported-living/voids/", views.voids, name="voids"),
    path("supported-living/residents/import/", views.residents_import, name="residents-import"),
    path("supported-living/my-rooms/", views.my_rooms, name="my-rooms"),
    path("supported-living/my-rooms/<int:pk>/", views.my_room, name="my-room"),
]
