from django.urls import path

from referrals import views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.patient_find, name="patient_find"),
    path("referrals/new/<uuid:patient_id>/", views.referral_create, name="referral_create"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("patients/new/", views.patient_create, name="patient_create"),
]
