"""A duty clinician returns a referral to the referrer with a reason; the referrer reads it and sends
the referral again, corrected."""

import pytest
from django.urls import reverse
from fhir.resources.R4B.servicerequest import ServiceRequest

from ccc.exceptions import Conflict
from escalations.models import Clock
from referrals.models import Referral, TimelineEvent
from triage import selectors, services
from triage.models import QueueItem

pytestmark = pytest.mark.django_db

NOTE = "Which leg was injured, and is she weight-bearing? Send it again with that."


@pytest.fixture
def claimed(practice_referral, clinician):
    services.queue_item_claim(item=practice_referral.queue_item, actor=clinician)
    return practice_referral


def _return(referral, clinician, **overrides):
    arguments = {"reason": "more_information_needed", "note": NOTE, **overrides}
    return services.queue_item_return(item=referral.queue_item, actor=clinician, **arguments)


def test_a_returned_referral_leaves_the_queue_with_its_clock_stopped_and_the_reason_on_its_timeline(
    claimed, clinician, physical_queue
):
    item = _return(claimed, clinician)

    assert item.status == QueueItem.Status.RETURNED
    assert item.get_return_reason_display() == "More information needed" and item.return_note == NOTE
    assert not Clock.objects.filter(subject_id=claimed.pk, kind="triage", state=Clock.State.OPEN).exists()
    event = claimed.timeline.last()
    assert event.kind == TimelineEvent.Kind.RETURNED and NOTE in event.summary
    assert item not in selectors.queue_items(queue=physical_queue)


def test_only_the_clinician_holding_it_may_return_it(practice_referral, clinician, other_clinician):
    with pytest.raises(Conflict):  # waiting: claim it first
        _return(practice_referral, clinician)
    services.queue_item_claim(item=practice_referral.queue_item, actor=other_clinician)
    with pytest.raises(Conflict, match="not claimed by you"):
        _return(practice_referral, clinician)


def test_a_return_without_a_note_or_reason_is_refused(claimed, clinician):
    from django.core.exceptions import ValidationError

    for bad in ({"note": "  "}, {"reason": "because"}):
        with pytest.raises(ValidationError):
            _return(claimed, clinician, **bad)
    assert QueueItem.objects.get(referral=claimed).status == QueueItem.Status.CLAIMED


def test_the_clinician_returns_it_on_the_page_and_the_referrer_reads_why_and_sends_it_again(
    client, claimed, clinician, referrer
):
    client.force_login(clinician)
    response = client.post(
        reverse("triage:item_return", args=[claimed.queue_item.public_id]),
        {"reason": "more_information_needed", "note": NOTE},
    )
    assert response.status_code == 302

    client.force_login(referrer)
    tracking = client.get(reverse("referrals:tracking_detail", args=[claimed.public_id])).content.decode()
    assert "Returned to you" in tracking and "More information needed" in tracking and "weight-bearing" in tracking
    again = client.get(reverse("referrals:referral_send"), {"again": claimed.public_id})
    assert again.context["form"].initial["reason"] == claimed.reason
    form = {
        **{name: again.context["form"].initial[name] for name in ("given_name", "family_name", "date_of_birth")},
        "nhs_number": "9990000018", "postcode": "", "need": claimed.need_id,
        "reason": claimed.reason + ". Left leg; not weight-bearing.", "submission_key": "again-1",
    }
    # The returned referral's patient has no NHS number in the fixture: give them one, as a GP would.
    claimed.patient.nhs_number = "9990000018"
    claimed.patient.save()
    sent = client.post(reverse("referrals:referral_send"), form)

    assert sent.status_code == 302, sent.context["form"].errors if sent.context else ""
    resent = Referral.objects.exclude(pk=claimed.pk).get()
    assert resent.patient == claimed.patient and resent.queue_item.status == QueueItem.Status.WAITING
    assert "not weight-bearing" in resent.reason


def test_another_practice_cannot_send_someone_elses_returned_referral_again(client, claimed, clinician, other_referrer):
    _return(claimed, clinician)
    client.force_login(other_referrer)

    assert client.get(reverse("referrals:referral_send"), {"again": claimed.public_id}).status_code == 404


def test_the_fhir_read_back_is_revoked_with_the_reason(login, claimed, clinician, referrer):
    _return(claimed, clinician, reason="not_for_this_service", note="Needs the memory clinic, not us")

    body = login(referrer).get(f"/fhir/R4/ServiceRequest/{claimed.public_id}").json()

    ServiceRequest.model_validate(body)
    assert body["status"] == "revoked"
    concept = body["extension"][0]["valueCodeableConcept"]
    assert concept["coding"][0]["code"] == "returned-not_for_this_service" and "memory clinic" in concept["text"]
