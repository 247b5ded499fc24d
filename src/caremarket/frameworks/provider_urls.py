from django.urls import path

from caremarket.frameworks import provider_views as views

app_name = "providers"
urlpatterns = [
    path("providers/", views.provider_list, name="list"),
    path("providers/<int:pk>/", views.provider_detail, name="detail"),
    path("my-organisation/", views.my_organisation, name="mine"),
]
