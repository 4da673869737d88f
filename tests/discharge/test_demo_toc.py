"""The Transfer of Care demo: a TOC login can use every screen straight away."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ccc.models import User
from discharge import selectors
from discharge.models import BedOccupancy, PathwayService, RegisterEntry, Ward


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo_data", password="demo-password-for-tests-42", stdout=StringIO(), stderr=StringIO())


def test_wards_beds_and_a_dozen_patients_on_varied_pathways(demo):
    assert Ward.objects.count() == 4
    assert PathwayService.objects.get(name="Intermediate care beds").capacity == 52
    assert RegisterEntry.objects.count() == 12
    in_hospital = RegisterEntry.objects.filter(status="open")
    assert set(in_hospital.values_list("pathway", flat=True)) == {None, 0, 1, 2, 3}
    assert in_hospital.filter(delays__ends_on__isnull=True).count() >= 5
    counts = selectors.stranded_counts()
    assert counts["stranded"] >= 4 and counts["super_stranded"] >= 2


def test_last_month_has_occupancy_and_a_rate(demo):
    today = timezone.localdate()
    last = (today.replace(day=1) - timezone.timedelta(days=1))
    figures = selectors.delayed_transfer_figures(year=last.year, month=last.month)
    assert BedOccupancy.objects.filter(date__year=last.year, date__month=last.month).count() == 4 * last.day
    assert figures.delayed_days > 0 and figures.rate_percent is not None


def test_running_again_adds_nothing_and_the_toc_login_opens_the_board(demo, client, settings):
    before = (RegisterEntry.objects.count(), BedOccupancy.objects.count(), PathwayService.objects.count())
    call_command("demo_data", password="demo-password-for-tests-42", stdout=StringIO(), stderr=StringIO())
    assert (RegisterEntry.objects.count(), BedOccupancy.objects.count(), PathwayService.objects.count()) == before

    client.force_login(User.objects.get(username="toc"))
    response = client.get(reverse("discharge:board"))
    assert response.status_code == 200 and len(response.context["entries"]) == 10


def test_the_pathway_1_discharge_in_the_demo_shows_its_irr_hand_over(demo, client):
    from irr.models import Episode

    entry = RegisterEntry.objects.get(status="discharged", pathway_used=1)
    episode = Episode.objects.get(source_discharge=entry)
    assert episode.team.name == "IRR physical health" and episode.status == Episode.Status.OPEN

    client.force_login(User.objects.get(username="toc"))
    page = client.get(reverse("discharge:entry_detail", args=[entry.public_id])).content.decode()
    assert "handed over to IRR physical health" in page
