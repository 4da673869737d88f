from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("joint-data-set.csv", views.joint_data_set_csv, name="joint_data_set_csv"),
    path("<slug:slug>.csv", views.figure_csv, name="figure_csv"),
]
