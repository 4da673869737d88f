from django.urls import path

from referrals import views, views_call_backs, views_desk, views_send
from referrals import views_patient_details as details

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.patient_find, name="patient_find"),
    path("referrals/new/<uuid:patient_id>/", views.referral_create, name="referral_create"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("patients/new/", views.patient_create, name="patient_create"),
    path("follow-up-calls/", views_desk.follow_up_work_list, name="follow_up_work_list"),
    path("follow-up-calls/<uuid:call_id>/", views_desk.follow_up_call_detail, name="follow_up_call_detail"),
    path("patients/<uuid:patient_id>/follow-up-calls/new/", views_desk.follow_up_call_schedule,
         name="follow_up_call_schedule"),
    path("transport/", views_desk.transport_list, name="transport_list"),
    path("transport/<uuid:booking_id>/", views_desk.transport_detail, name="transport_detail"),
    path("patients/<uuid:patient_id>/transport/new/", views_desk.transport_create, name="transport_create"),
    path("patients/<uuid:patient_id>/", views.patient_detail, name="patient_detail"),
    path("patients/<uuid:patient_id>/details/", details.patient_details, name="patient_details"),
    path("patients/<uuid:patient_id>/phones/new/", details.patient_phone_add, name="patient_phone_add"),
    path("patients/<uuid:patient_id>/phones/<uuid:phone_id>/end/", details.patient_phone_end, name="patient_phone_end"),
    path("patients/<uuid:patient_id>/people/new/", details.patient_support_person_add, name="patient_support_person_add"),
    path("patients/<uuid:patient_id>/people/<uuid:person_id>/end/", details.patient_support_person_end,
         name="patient_support_person_end"),
    path("patients/<uuid:patient_id>/alerts/new/", details.safety_alert_raise, name="safety_alert_raise"),
    path("patients/<uuid:patient_id>/alerts/<uuid:alert_id>/end/", details.safety_alert_end, name="safety_alert_end"),
    path("patients/<uuid:patient_id>/merge/", details.patient_merge, name="patient_merge"),
    path("patient-merges/<uuid:merge_id>/undo/", details.patient_unmerge, name="patient_unmerge"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_log, name="contact_log"),
    path("contacts/<uuid:contact_id>/", views.contact_detail, name="contact_detail"),
    path("contacts/<uuid:contact_id>/amend/", views.contact_amend, name="contact_amend"),
    path("contacts/<uuid:contact_id>/signpost/", views.contact_signpost, name="contact_signpost"),
    path("call-backs/", views_call_backs.call_back_list, name="call_back_list"),
    path("call-backs/<uuid:request_id>/", views_call_backs.call_back_detail, name="call_back_detail"),
    path("track/", views.tracking_list, name="tracking_list"),
    path("track/send/", views_send.referral_send, name="referral_send"),
    path("track/<uuid:referral_id>/", views.tracking_detail, name="tracking_detail"),
    path("track/<uuid:referral_id>/cancel/", views_send.referral_cancel, name="referral_cancel"),
]
