from django.urls import path

from irr import views

app_name = "irr"
urlpatterns = [
    path("", views.episode_list, name="episode_list"),
    path("open/<uuid:decision_id>/", views.episode_open, name="episode_open"),
    path("<uuid:episode_id>/", views.episode_detail, name="episode_detail"),
    path("<uuid:episode_id>/members/", views.member_add, name="member_add"),
    path("<uuid:episode_id>/visits/", views.visit_plan, name="visit_plan"),
    path("<uuid:episode_id>/close/", views.episode_close, name="episode_close"),
    path("visits/<uuid:visit_id>/record/", views.visit_record, name="visit_record"),
]
