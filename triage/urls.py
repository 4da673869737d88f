from django.urls import path

from triage import views

app_name = "triage"
urlpatterns = [
    path("", views.queue_list, name="queue_list"),
    path("<slug:code>/", views.queue_detail, name="queue_detail"),
    path("<slug:code>/items/", views.queue_items_fragment, name="queue_items_fragment"),
    path("<slug:code>/rota/", views.queue_rota, name="queue_rota"),
    path("<slug:code>/claim-next/", views.queue_claim_next, name="queue_claim_next"),
    path("items/<uuid:item_id>/claim/", views.item_claim, name="item_claim"),
    path("items/<uuid:item_id>/triage/", views.item_triage, name="item_triage"),
    path("items/<uuid:item_id>/release/", views.item_release, name="item_release"),
    path("items/<uuid:item_id>/return/", views.item_return, name="item_return"),
    path("items/<uuid:item_id>/reassign/", views.item_reassign, name="item_reassign"),
    path("items/<uuid:item_id>/urgency/", views.item_urgency, name="item_urgency"),
]
