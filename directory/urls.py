from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    path("", views.service_search, name="search"),
    path("signpost/", views.signpost, name="signpost"),
    path("review/", views.review_list, name="review_list"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<uuid:service_id>/", views.service_detail, name="service_detail"),
    path("services/<uuid:service_id>/edit/", views.service_update, name="service_update"),
    path("services/<uuid:service_id>/retire/", views.service_retire, name="service_retire"),
    path("organisations/", views.organization_list, name="organization_list"),
    path("organisations/new/", views.organization_edit, name="organization_create"),
    path("organisations/<uuid:organization_id>/edit/", views.organization_edit, name="organization_update"),
    path("organisations/<uuid:organization_id>/retire/", views.organization_retire, name="organization_retire"),
    path("locations/new/", views.location_edit, name="location_create"),
    path("locations/<uuid:location_id>/edit/", views.location_edit, name="location_update"),
    path("locations/<uuid:location_id>/retire/", views.location_retire, name="location_retire"),
]
