from django.urls import path

from caremarket.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("frameworks/", views.framework_list, name="list"),
    path("frameworks/<int:pk>/", views.framework_detail, name="detail"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
]
