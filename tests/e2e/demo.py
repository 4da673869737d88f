"""The demo data in a browser test: every role, queue, referral, episode, the board and the directory,
loaded once for a test that looks at many pages."""

from io import StringIO

from django.core.management import call_command

from directory.models import Service
from discharge.models import RegisterEntry
from irr.models import Episode, Visit
from referrals.models import Contact, Patient, Referral
from tests.factories import PASSWORD
from tests.seed import reseed


def demo_loaded() -> dict[str, str]:
    """The demo data (all roles, queues, referrals, episodes, the board, the directory) and the paths
    of the rows that the detail pages need."""
    reseed()
    call_command("demo_data", password=PASSWORD, force=True, stdout=StringIO(), stderr=StringIO())
    patient = Patient.objects.order_by("pk").first()
    visit = Visit.objects.filter(status=Visit.Status.SCHEDULED, episode__status=Episode.Status.OPEN).order_by("pk").first()
    episode = visit.episode
    service = Service.objects.filter(status=Service.Status.ACTIVE).order_by("name").first()  # a retired one cannot be edited
    return {
        "patient": f"/patients/{patient.public_id}/",
        "referral_form": f"/referrals/new/{patient.public_id}/",
        "referral": f"/referrals/{Referral.objects.order_by('pk').first().public_id}/",
        "contact": f"/contacts/{Contact.objects.order_by('pk').first().public_id}/",
        "episode": f"/irr/{episode.public_id}/",
        "visit_plan": f"/irr/{episode.public_id}/visits/",
        "visit": f"/irr/visits/{visit.public_id}/record/",
        "entry": f"/toc/patients/{RegisterEntry.objects.order_by('pk').first().public_id}/",
        "service": f"/directory/services/{service.pk}/",
        "service_edit": f"/directory/services/{service.pk}/edit/",
    }
