"""Version 1 of the API. SimpleRouter, not DefaultRouter: no root view outside the permission rules."""

from rest_framework.routers import SimpleRouter

from discharge.api import CapacityViewSet, DelayViewSet, FiguresViewSet, RegisterViewSet
from referrals.api import PatientViewSet, ReferralViewSet
from triage.api import QueueItemViewSet, QueueViewSet

# Path converters (uuid, slug) rather than regexes, so the schema types the path parameters.
router = SimpleRouter(use_regex_path=False)
router.register("patients", PatientViewSet, basename="api-patient")
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("queues", QueueViewSet, basename="api-queue")
router.register("queue-items", QueueItemViewSet, basename="api-queue-item")
router.register("toc/register", RegisterViewSet, basename="api-toc-register")
router.register("toc/delays", DelayViewSet, basename="api-toc-delay")
router.register("toc/capacity", CapacityViewSet, basename="api-toc-capacity")
router.register("toc/figures", FiguresViewSet, basename="api-toc-figures")

urlpatterns = router.urls
