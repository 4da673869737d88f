"""Version 1 of the API. SimpleRouter, not DefaultRouter: no root view outside the permission rules."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from discharge.api import CapacityViewSet, DelayViewSet, FiguresViewSet, OccupancyViewSet, RegisterViewSet
from escalations.api import EscalationViewSet, NotificationViewSet
from irr.api import EpisodeViewSet, VisitViewSet
from referrals.api import (
    FollowUpCallViewSet,
    PatientViewSet,
    ReferralViewSet,
    TrackedReferralViewSet,
    TransportBookingViewSet,
)
from referrals.api_call_backs import CallBackRequestViewSet
from reporting.api import JointDataSetViewSet, LiveCapacityView
from reporting.fhir_api import PatientViewSet as FHIRPatientViewSet
from reporting.fhir_api import ServiceRequestViewSet
from triage.api import QueueItemViewSet, QueueViewSet, RedFlagQuestionViewSet

# Path converters (uuid, slug) rather than regexes, so the schema types the path parameters.
router = SimpleRouter(use_regex_path=False)
router.register("patients", PatientViewSet, basename="api-patient")
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("queues", QueueViewSet, basename="api-queue")
router.register("queue-items", QueueItemViewSet, basename="api-queue-item")
router.register("red-flag-questions", RedFlagQuestionViewSet, basename="api-red-flag-question")
router.register("follow-up-calls", FollowUpCallViewSet, basename="api-follow-up-call")
router.register("transport-bookings", TransportBookingViewSet, basename="api-transport-booking")
router.register("call-backs", CallBackRequestViewSet, basename="api-call-back")
router.register("tracked-referrals", TrackedReferralViewSet, basename="api-tracked-referral")
router.register("notifications", NotificationViewSet, basename="api-notification")
router.register("escalations", EscalationViewSet, basename="api-escalation")
router.register("fhir/ServiceRequest", ServiceRequestViewSet, basename="api-fhir-servicerequest")
router.register("fhir/Patient", FHIRPatientViewSet, basename="api-fhir-patient")
router.register("joint-data-set", JointDataSetViewSet, basename="api-joint-data-set")
router.register("toc/register", RegisterViewSet, basename="api-toc-register")
router.register("toc/delays", DelayViewSet, basename="api-toc-delay")
router.register("toc/capacity", CapacityViewSet, basename="api-toc-capacity")
router.register("toc/figures", FiguresViewSet, basename="api-toc-figures")
router.register("toc/occupancy", OccupancyViewSet, basename="api-toc-occupancy")
router.register("irr-episodes", EpisodeViewSet, basename="api-irr-episode")
router.register("irr-visits", VisitViewSet, basename="api-irr-visit")

urlpatterns = router.urls + [
    path("capacity/", LiveCapacityView.as_view(), name="api-live-capacity"),
    path("oruk/", include("directory.api_urls")),
]
