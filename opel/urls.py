from django.urls import path

from opel import views

app_name = "opel"
urlpatterns = [
    path("", views.system, name="system"),
    path("<int:partner_id>/level/", views.partner_level, name="partner_level"),
    path("summary.csv", views.day_summary_csv, name="day_summary_csv"),
]
