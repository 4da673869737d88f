"""The whole-place data generator (``manage.py generate_place``) at a thousandth of the place."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from ccc.models import User
from directory.models import Service, Signposting
from discharge.models import Delay, RegisterEntry
from escalations.models import Clock, Escalation
from irr.models import Episode, Visit
from referrals.models import Contact, Patient, Referral
from reporting.place import figures
from triage.models import QueueItem, TriageDecision

SCALE = 0.001
GENERATED = [Patient, Referral, QueueItem, TriageDecision, Contact, Service, Signposting, Episode, Visit,
             RegisterEntry, Delay, Clock, Escalation]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo_data", password="place-test-password-1", stdout=StringIO(), stderr=StringIO())


def _newer(model, before: dict):
    return model.objects.filter(pk__gt=before[model]) if before[model] is not None else model.objects.all()


def test_the_place_is_generated_in_time_order_with_its_open_work_and_the_pages_still_answer(demo, client, login):
    before = {model: model.objects.aggregate(last=Max("pk"))["last"] for model in GENERATED if model is not Service}
    services_before = Service.objects.count()
    out = StringIO()

    call_command("generate_place", scale=SCALE, days=30, seed=3, stdout=out)

    counts = figures(SCALE)
    report = out.getvalue()
    assert f"{counts['referrals']:,} / {counts['referrals']:,} referrals" in report and "VACUUM ANALYZE" in report
    for model, name in ((Referral, "referrals"), (Patient, "referrals"), (QueueItem, "referrals"),
                        (Contact, "contacts"), (Episode, "episodes"), (Visit, "visits"), (RegisterEntry, "register")):
        assert _newer(model, before).count() == counts[name], model
    assert Service.objects.count() - services_before == counts["services"]
    assert _newer(Signposting, before).exists() and _newer(Delay, before).exists()

    # Oldest first, as a live system appends.
    for model, field in ((Referral, "received_at"), (Contact, "started_at"), (RegisterEntry, "registered_at")):
        times = list(_newer(model, before).order_by("pk").values_list(field, flat=True))
        assert times == sorted(times), model

    # The backlog waits, each with its clock running; the open clocks are open and a few are due now.
    open_items = _newer(QueueItem, before).filter(status__in=["waiting", "claimed"])
    assert open_items.count() == counts["open_items"]
    clocks = _newer(Clock, before)
    assert clocks.count() == counts["open_clocks"] and not clocks.exclude(state="open").exists()
    waiting = {item.referral_id for item in open_items}
    assert waiting == set(clocks.filter(kind="triage").values_list("subject_id", flat=True))
    assert clocks.filter(next_action_at__lte=timezone.now()).count() == counts["due_now"]
    assert clocks.filter(next_action_at__gt=timezone.now()).exists()  # some due in the future

    # Links the services make: a contact names the referral it raised; an episode, its decision's patient.
    for contact in _newer(Contact, before).filter(referral__isnull=False).select_related("referral")[:20]:
        contact.full_clean()
        assert contact.patient_id == contact.referral.patient_id
    for episode in _newer(Episode, before).select_related("source_decision__queue_item__referral")[:20]:
        episode.full_clean()
        assert episode.patient_id == episode.source_decision.queue_item.referral.patient_id
        assert episode.source_decision.first_response_at == episode.visits.order_by("scheduled_for")[0].scheduled_for
    for decision in _newer(TriageDecision, before)[:50]:
        decision.full_clean()
    for entry in _newer(RegisterEntry, before)[:20]:
        entry.full_clean()

    # The pages still work on the result.
    clinician = User.objects.filter(role=User.Role.DUTY_CLINICIAN, team__duty_queues__isnull=False).first()
    queue = clinician.team.duty_queues.first()
    assert login(clinician).get(f"/api/v1/queues/{queue.code}/items/").status_code == 200
    client.force_login(User.objects.filter(role=User.Role.TOC).first())
    assert client.get(reverse("discharge:board")).status_code == 200


def test_a_required_field_the_generator_does_not_fill_stops_it_naming_the_field(demo, monkeypatch):
    from django.db import models

    field = models.CharField(name="new_required_thing", max_length=10)
    field.set_attributes_from_name("new_required_thing")
    field.model = Contact
    monkeypatch.setattr(Contact._meta, "concrete_fields", (*Contact._meta.concrete_fields, field))
    referrals = Referral.objects.count()

    with pytest.raises(CommandError, match="Contact.new_required_thing"):
        call_command("generate_place", scale=SCALE, days=30, stdout=StringIO())
    assert Referral.objects.count() == referrals  # the batch's transaction wrote nothing


def test_the_generator_refuses_a_live_looking_system(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate_place", scale=SCALE, stdout=StringIO())
