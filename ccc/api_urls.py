"""Version 1 of the API. SimpleRouter, not DefaultRouter: no root view outside the permission rules."""

from rest_framework.routers import SimpleRouter

from irr.api import EpisodeViewSet, VisitViewSet
from referrals.api import PatientViewSet, ReferralViewSet
from triage.api import QueueItemViewSet, QueueViewSet

# Path converters (uuid, slug) rather than regexes, so the schema types the path parameters.
router = SimpleRouter(use_regex_path=False)
router.register("patients", PatientViewSet, basename="api-patient")
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register("queues", QueueViewSet, basename="api-queue")
router.register("queue-items", QueueItemViewSet, basename="api-queue-item")
router.register("irr-episodes", EpisodeViewSet, basename="api-irr-episode")
router.register("irr-visits", VisitViewSet, basename="api-irr-visit")

urlpatterns = router.urls
