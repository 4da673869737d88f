from django.urls import path

from triage import views

app_name = "triage"
urlpatterns = [
    path("", views.queue_list, name="queue_list"),
    path("<slug:code>/", views.queue_detail, name="queue_detail"),
    path("<slug:code>/claim-next/", views.queue_claim_next, name="queue_claim_next"),
    path("items/<uuid:item_id>/claim/", views.item_claim, name="item_claim"),
    path("items/<uuid:item_id>/triage/", views.item_triage, name="item_triage"),
]
