"""Duty triage and IRR in the browser's pages: forms per outcome, the refreshing queue, rota, episodes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from irr.models import Episode, TeamCapacity, Visit
from tests import factories
from triage import selectors, services
from triage.models import RotaEntry, SensitiveNoteView, TriageDecision

RISK = {"risk_to_self": "none", "risk_to_others": "high", "risk_from_others": "none"}


def triage_url(item):
    return reverse("triage:item_triage", args=[item.public_id])


def test_a_transfer_without_a_queue_asks_for_one_and_keeps_the_note(client, referral, clinician):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    client.force_login(clinician)

    response = client.post(triage_url(referral.queue_item), {
        "priority": "urgent", "outcome": "transfer", "clinical_note": "Needs the mental health team", **RISK,
    })

    page = response.content.decode()
    assert "Select the duty queue to transfer to" in page
    assert "Needs the mental health team" in page
    assert not TriageDecision.objects.exists()


def test_a_signpost_with_a_transfer_queue_is_told_to_leave_it_empty(client, referral, clinician, mental_queue):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    client.force_login(clinician)

    response = client.post(triage_url(referral.queue_item), {
        "priority": "routine", "outcome": "signpost", "signposted_to": "Lunch club", "transfer_to": mental_queue.pk,
        "clinical_note": "Lonely", **RISK,
    })

    assert "leave it empty" in response.content.decode()


def test_a_transfer_from_the_form_moves_the_item(client, referral, clinician, mental_queue):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    client.force_login(clinician)

    response = client.post(triage_url(referral.queue_item), {
        "priority": "urgent", "outcome": "transfer", "transfer_to": mental_queue.pk, "clinical_note": "MH need", **RISK,
    })

    assert response.url == reverse("referrals:referral_detail", args=[referral.public_id])
    referral.queue_item.refresh_from_db()
    assert referral.queue_item.queue == mental_queue


def test_the_refreshed_table_never_shows_a_claimed_item_as_free(client, referral, clinician, other_clinician, physical_queue):
    client.force_login(other_clinician)
    url = reverse("triage:queue_items_fragment", args=[physical_queue.code])
    assert reverse("triage:item_claim", args=[referral.queue_item.public_id]) in client.get(url).content.decode()

    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    response = client.get(url)

    page = response.content.decode()
    assert reverse("triage:item_claim", args=[referral.queue_item.public_id]) not in page
    assert f"by {clinician}" in page
    assert response["Cache-Control"] == "no-store, private"


def test_the_queue_page_shows_who_is_on_duty_now_and_polls_its_table(client, clinician, other_clinician, physical_queue):
    factories.on_duty_now(queue=physical_queue, clinician=other_clinician, is_lead=True)
    factories.on_duty_now(queue=physical_queue, clinician=clinician)
    client.force_login(clinician)

    page = client.get(reverse("triage:queue_detail", args=[physical_queue.code])).content.decode()

    assert f"{other_clinician} <strong class=\"nhsuk-tag nhsuk-tag--blue\">Duty lead</strong>" in page
    assert str(clinician) in page
    assert reverse("triage:queue_items_fragment", args=[physical_queue.code]) in page
    assert "setInterval(refresh" in page


def test_the_queue_page_filters_to_my_claimed_items(client, falls, call_handler, clinician, physical_queue):
    mine, _ = factories.referral(need=falls, actor=call_handler), factories.referral(need=falls, actor=call_handler)
    services.queue_item_claim(item=mine.queue_item, actor=clinician)
    client.force_login(clinician)

    response = client.get(reverse("triage:queue_detail", args=[physical_queue.code]), {"mine": "1"})

    assert [item.referral for item in response.context["items"]] == [mine]


def test_the_queue_table_is_a_fixed_number_of_queries(client, falls, call_handler, clinician, physical_queue, django_assert_num_queries):
    url = reverse("triage:queue_items_fragment", args=[physical_queue.code])
    factories.referral(need=falls, actor=call_handler)
    client.force_login(clinician)
    client.get(url)

    # session, user, queue, the clinician's queues, the count of open items (the table shows 50 at a
    # time), one page of items (urgency stored on each), the rota (may reassign?)
    with django_assert_num_queries(7):
        client.get(url)
    for _ in range(5):
        factories.referral(need=falls, actor=call_handler)
    with django_assert_num_queries(7):
        assert len(client.get(url).context["items"]) == 6


def test_releasing_from_the_page(client, referral, clinician, physical_queue):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    client.force_login(clinician)

    response = client.post(reverse("triage:item_release", args=[referral.queue_item.public_id]), {"reason": "Called away"})

    assert response.url == reverse("triage:queue_detail", args=[physical_queue.code])
    referral.queue_item.refresh_from_db()
    assert referral.queue_item.status == "waiting"


def test_a_reassignment_made_on_a_stale_page_is_refused(client, referral, clinician, other_clinician, team_lead):
    url = reverse("triage:item_reassign", args=[referral.queue_item.public_id])
    client.force_login(team_lead)
    seen_holder = client.get(url).context["form"].initial["expected_holder"]  # waiting: nobody
    services.queue_item_claim(item=referral.queue_item, actor=clinician)  # meanwhile

    response = client.post(url, {"to": other_clinician.pk, "reason": "Cover", "expected_holder": seen_holder or ""})

    assert "changed while you looked" in response.content.decode()
    referral.queue_item.refresh_from_db()
    assert referral.queue_item.claimed_by == clinician


def test_a_team_lead_puts_a_clinician_on_the_rota(client, team_lead, clinician, physical_queue):
    client.force_login(team_lead)
    monday = timezone.localdate() + timedelta(days=(7 - timezone.localdate().weekday()))

    response = client.post(reverse("triage:queue_rota", args=[physical_queue.code]), {
        "date": monday.isoformat(), "shift": factories.shift("day").pk, "clinician": clinician.pk, "is_lead": "on",
    })

    assert response.status_code == 302
    entry = RotaEntry.objects.get()
    assert (entry.clinician, entry.is_lead, entry.set_by) == (clinician, True, team_lead)


def test_the_referral_page_shows_a_sensitive_note_to_clinicians_only_and_logs_each_view(client, referral, clinician, manager):
    factories.triaged(referral_=referral, clinician=clinician, note_is_sensitive=True, clinical_note="Disclosed abuse")
    url = reverse("referrals:referral_detail", args=[referral.public_id])

    client.force_login(manager)
    assert "Disclosed abuse" not in client.get(url).content.decode()
    client.force_login(clinician)
    assert "Disclosed abuse" in client.get(url).content.decode()
    client.get(url)

    assert list(SensitiveNoteView.objects.values_list("viewed_by", flat=True)) == [clinician.pk, clinician.pk]


def test_opening_an_episode_from_the_page_then_planning_a_paired_visit(client, referral, irr_clinician, irr_team):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician, lone_working_risk=True, **RISK)
    client.force_login(irr_clinician)

    response = client.post(reverse("irr:episode_open", args=[decision.public_id]), {
        "lead_professional": irr_clinician.pk, "lead_discipline": "nurse", "goals": "Stay at home",
        "planned_end": (timezone.localdate() + timedelta(weeks=3)).isoformat(),
        "first_member_name": "Tom Barker", "first_member_discipline": "support_worker",
        "first_member_organisation": irr_team.organisation_id,
    })

    episode = Episode.objects.get()
    assert response.url == reverse("irr:visit_plan", args=[episode.public_id])
    lead, support = episode.members.order_by("discipline")
    url = reverse("irr:visit_plan", args=[episode.public_id])
    when = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"kind": "planned", "scheduled_for": when, "staff": [lead.pk], "submission_key": "k1"})
    assert "needs two staff" in refused.content.decode()
    client.post(url, {"kind": "planned", "scheduled_for": when, "staff": [lead.pk, support.pk], "submission_key": "k2"})
    assert Visit.objects.get().staff.count() == 2


def test_the_episode_list_is_a_fixed_number_of_queries(client, falls, call_handler, irr_clinician, irr_team, django_assert_num_queries):
    TeamCapacity.objects.create(team=irr_team, open_episodes=5, visits_per_day=5)
    factories.episode(decision=factories.triaged(referral_=factories.referral(need=falls, actor=call_handler), clinician=irr_clinician), lead=irr_clinician)
    client.force_login(irr_clinician)
    url = reverse("irr:episode_list")
    client.get(url)

    # session, user, episodes with patient, team, lead and visits counted, capacity per team, the header's
    # unread notifications
    with django_assert_num_queries(5):
        client.get(url)
    for _ in range(3):
        decision = factories.triaged(referral_=factories.referral(need=falls, actor=call_handler), clinician=irr_clinician)
        factories.episode(decision=decision, lead=irr_clinician)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["episodes"]) == 4
    assert response.context["capacity"][0].open_episodes == 4


@pytest.mark.parametrize("visits", [1, 4])
def test_the_episode_page_is_a_fixed_number_of_queries(client, referral, irr_clinician, visits, django_assert_num_queries):
    from irr import services as irr_services

    episode = factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)
    staff = [factories.member(episode_=episode), factories.member(episode_=episode)]
    for n in range(visits):
        irr_services.visit_schedule(episode=episode, kind="planned", scheduled_for=timezone.now() + timedelta(days=n),
                                    staff=staff, actor=irr_clinician)
    client.force_login(irr_clinician)
    url = reverse("irr:episode_detail", args=[episode.public_id])

    # session, user, episode with its joins, members with organisations, visits, their staff, the
    # patient's safety alerts, unread notifications, and the access log's insert
    with django_assert_num_queries(9):
        client.get(url)


def test_the_visit_form_offers_the_episodes_members(client, referral, irr_clinician):
    episode = factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)
    factories.member(episode_=episode, name="Tom Barker", discipline="support_worker")
    client.force_login(irr_clinician)

    page = client.get(reverse("irr:visit_plan", args=[episode.public_id])).content.decode()

    assert "Tom Barker (Support worker" in page


def test_the_rota_page_lists_the_fortnight_in_a_fixed_number_of_queries(client, team_lead, clinician, other_clinician, physical_queue, django_assert_num_queries):
    today = timezone.localdate()
    night = factories.shift("night")
    url = reverse("triage:queue_rota", args=[physical_queue.code])
    services.rota_entry_set(queue=physical_queue, shift=night, date=today, clinician=clinician, actor=team_lead)
    client.force_login(team_lead)
    client.get(url)

    # session, user, queue, the lead's queues, shifts and clinicians for the form, the rota with joins,
    # unread notifications
    with django_assert_num_queries(8):
        client.get(url)
    for n in range(1, 5):
        services.rota_entry_set(queue=physical_queue, shift=night, date=today + timedelta(days=n), clinician=other_clinician, actor=team_lead)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["rota"]) == 5


def test_a_team_lead_takes_someone_off_the_rota(client, team_lead, clinician, physical_queue):
    entry = services.rota_entry_set(
        queue=physical_queue, shift=factories.shift("night"), date=timezone.localdate(), clinician=clinician, actor=team_lead
    )
    client.force_login(team_lead)

    client.post(reverse("triage:queue_rota", args=[physical_queue.code]), {"remove": entry.pk})

    assert not RotaEntry.objects.exists()
    assert RotaEntry.history.filter(history_type="-").get().history_user == team_lead


def test_an_administrator_reads_the_sensitive_note_log(client, referral, clinician, administrator):
    decision = factories.triaged(referral_=referral, clinician=clinician, note_is_sensitive=True)
    selectors.sensitive_notes_read(decisions=[decision], fetched_by=clinician)
    client.force_login(administrator)

    response = client.get(reverse("admin:triage_sensitivenoteview_changelist"))

    assert response.status_code == 200
    assert str(clinician) in response.content.decode()
