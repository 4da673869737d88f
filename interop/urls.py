from django.urls import path

from interop import views

urlpatterns = [
    path("$process-message", views.ProcessMessageView.as_view(), name="fhir-process-message"),
    path("ServiceRequest/<uuid:public_id>", views.ServiceRequestReadView.as_view(), name="fhir-servicerequest-read"),
    path("Patient/<uuid:public_id>", views.PatientReadView.as_view(), name="fhir-patient-read"),
]
