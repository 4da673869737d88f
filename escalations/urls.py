from django.urls import path

from escalations import views

app_name = "escalations"
urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<uuid:notification_id>/open/", views.notification_open, name="notification_open"),
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/<uuid:escalation_id>/", views.escalation_detail, name="escalation_detail"),
]
