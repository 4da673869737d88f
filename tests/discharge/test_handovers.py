"""What a discharge hands over: an IRR episode for pathway 1, follow-up calls for a high
readmission risk, and the discharge-plan escalation clock. Real services throughout."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ccc.exceptions import Conflict
from ccc.models import User
from discharge import services
from discharge.models import RegisterEntry, TransferOfCareSettings
from escalations import services as escalation_services
from escalations.models import Clock, Escalation, EscalationRung, Notification
from irr.models import Episode
from referrals import selectors as referral_selectors
from referrals.models import FollowUpCall
from tests import factories
from tests.concurrency import at_once


def discharge(entry, actor, *, pathway_used=1, risk="low", on=None):
    return services.entry_discharge(
        entry=entry, actor=actor, discharged_on=on or timezone.localdate(), destination="Home",
        pathway_used=pathway_used, readmission_risk=risk,
    )


# --- Pathway 1: the IRR hand-over ------------------------------------------------------------


def test_a_pathway_1_discharge_opens_one_irr_episode_with_the_configured_team(
    entry, toc_nurse, irr_for_pathway_1, team_lead
):
    discharged_on = timezone.localdate() - timedelta(days=1)

    discharged = discharge(entry, toc_nurse, on=discharged_on)

    episode = Episode.objects.get(patient=entry.patient)
    assert discharged.irr_episode == episode
    assert (episode.team, episode.lead_professional, episode.opened_by) == (irr_for_pathway_1, team_lead, toc_nurse)
    assert episode.status == Episode.Status.OPEN and episode.source_decision is None
    assert episode.planned_end == discharged_on + timedelta(weeks=6)
    assert f"{discharged_on:%-d %B %Y}" in episode.source_discharge_note and "Ward 7" in episode.source_discharge_note


def test_discharging_twice_does_not_open_a_second_episode(entry, toc_nurse, irr_for_pathway_1):
    discharge(entry, toc_nurse)
    with pytest.raises(Conflict, match="already been discharged"):
        discharge(entry, toc_nurse)
    # Retrying the hand-over itself (as after a failure) returns the episode already opened.
    entry.refresh_from_db()
    assert services.hand_over_to_irr(entry=entry, actor=toc_nurse) == entry.irr_episode

    assert Episode.objects.filter(patient=entry.patient).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_discharge_opens_one_episode(toc_nurse, ward, irr_for_pathway_1):
    entry = factories.register_entry(actor=toc_nurse, ward_=ward)

    outcomes = at_once(lambda: discharge(entry, toc_nurse), lambda: discharge(entry, toc_nurse))

    assert sorted(isinstance(outcome, Conflict) for outcome in outcomes) == [False, True], outcomes
    assert Episode.objects.filter(patient=entry.patient).count() == 1


def test_without_an_irr_team_set_a_pathway_1_discharge_is_refused_and_nothing_changes(entry, toc_nurse):
    assert TransferOfCareSettings.current().irr_team is None

    with pytest.raises(ValidationError, match="No IRR team is set"):
        discharge(entry, toc_nurse)

    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.OPEN
    assert not Episode.objects.exists()


def test_other_pathways_open_no_episode(entry, toc_nurse, irr_for_pathway_1):
    discharge(entry, toc_nurse, pathway_used=2)
    assert not Episode.objects.exists()


def test_the_patients_page_shows_the_hand_over_after_a_discharge_from_it(client, entry, toc_nurse, irr_for_pathway_1):
    client.force_login(toc_nurse)
    response = client.post(
        reverse("discharge:entry_discharge", args=[entry.public_id]),
        {"discharged_on": timezone.localdate().strftime("%d %m %Y"), "destination": "Home", "pathway_used": "1",
         "readmission_risk": "low"},
        follow=True,
    )
    assert response.status_code == 200
    assert "handed over to IRR physical health (IRR episode planned to end" in response.content.decode()


def test_the_discharge_form_says_why_when_no_irr_team_is_set(client, entry, toc_nurse):
    client.force_login(toc_nurse)
    response = client.post(
        reverse("discharge:entry_discharge", args=[entry.public_id]),
        {"discharged_on": timezone.localdate().strftime("%d %m %Y"), "destination": "Home", "pathway_used": "1",
         "readmission_risk": "low"},
    )
    assert response.status_code == 400
    assert "No IRR team is set for pathway 1 discharges" in response.content.decode()


# --- High readmission risk: follow-up calls --------------------------------------------------


def test_a_high_risk_discharge_puts_calls_on_the_work_list_for_day_2_and_day_7(entry, toc_nurse):
    discharged_on = timezone.localdate() - timedelta(days=7)

    discharge(entry, toc_nurse, pathway_used=0, risk="high", on=discharged_on)

    calls = FollowUpCall.objects.filter(patient=entry.patient).order_by("day_after_discharge")
    assert [call.day_after_discharge for call in calls] == [2, 7]
    assert [timezone.localtime(call.due_at).date() for call in calls] == [
        discharged_on + timedelta(days=2), discharged_on + timedelta(days=7)
    ]
    call_handler = factories.user(User.Role.CALL_HANDLER)
    assert list(referral_selectors.follow_up_work_list(fetched_by=call_handler)) == list(calls)
    assert "High readmission risk" in calls[0].reason


@pytest.mark.parametrize("risk", ["low", "medium"])
def test_a_lower_risk_discharge_schedules_no_calls(entry, toc_nurse, risk):
    discharge(entry, toc_nurse, pathway_used=0, risk=risk)
    assert not FollowUpCall.objects.exists()


# --- The discharge-plan clock ----------------------------------------------------------------


def plan_clock(entry) -> Clock:
    return Clock.objects.get(subject_id=entry.pk, kind=services.PLAN_CLOCK)


@pytest.fixture
def default_ladder(manager):
    """The default ladder: the service manager is told 30 minutes after the due time."""
    factories.ladder(None, rungs=[("Service manager", 30, EscalationRung.People.NAMED, [manager])])


def test_registering_an_mffd_patient_starts_the_plan_clock_due_at_the_plan_target(entry):
    clock = plan_clock(entry)
    assert clock.state == Clock.State.OPEN
    assert clock.due_at == entry.plan_due_at
    assert str(entry.patient) in clock.label


def test_a_patient_not_yet_fit_has_no_clock_until_declared_fit(toc_nurse, ward):
    entry = factories.register_entry(actor=toc_nurse, ward_=ward, fit_on=None)
    assert not Clock.objects.filter(subject_id=entry.pk, kind=services.PLAN_CLOCK).exists()

    fit_on = timezone.localdate()
    services.entry_update(entry=entry, actor=toc_nurse, owner=None, next_action="", next_action_due=None, fit_on=fit_on)

    assert plan_clock(entry).due_at == services.plan_due_at(fit_on)


def test_a_new_fit_date_moves_the_clock_and_no_longer_fit_stops_it(entry, toc_nurse):
    new_fit = entry.fit_on + timedelta(days=1)
    services.entry_update(entry=entry, actor=toc_nurse, owner=None, next_action="", next_action_due=None, fit_on=new_fit)
    clock = plan_clock(entry)
    assert (clock.state, clock.due_at, clock.cycle) == (Clock.State.OPEN, services.plan_due_at(new_fit), 2)

    services.entry_update(entry=entry, actor=toc_nurse, owner=None, next_action="", next_action_due=None, fit_on=None)
    assert plan_clock(entry).state == Clock.State.ANSWERED


def test_setting_the_pathway_stops_the_plan_clock(entry, toc_nurse):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=0)

    clock = plan_clock(entry)
    assert (clock.state, clock.answered_by) == (Clock.State.ANSWERED, toc_nurse)
    # Changing the plan later does not start it again.
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=2, reason="Needs rehabilitation")
    assert plan_clock(entry).state == Clock.State.ANSWERED


def test_discharging_without_a_plan_stops_the_plan_clock(entry, toc_nurse):
    discharge(entry, toc_nurse, pathway_used=0)
    assert plan_clock(entry).state == Clock.State.ANSWERED


def test_a_patient_overdue_for_a_plan_escalates_on_the_default_ladder(default_ladder, ward, manager, toc_nurse):
    # Declared fit today, so the plan falls due after it is recorded (one recorded already overdue
    # starts at the first rung at once: tests/escalations/test_ladder.py).
    entry = factories.register_entry(actor=toc_nurse, ward_=ward, fit_on=timezone.localdate())
    due = plan_clock(entry).due_at

    assert escalation_services.escalations_fire_due(now=due + timedelta(minutes=29)) == 1  # the warning only
    assert escalation_services.escalations_fire_due(now=due + timedelta(minutes=30)) == 1

    escalation = Escalation.objects.get(clock__subject_id=entry.pk, kind=Escalation.Kind.ESCALATION)
    assert escalation.rung_name == "Service manager"
    assert Notification.objects.get(escalation=escalation).recipient == manager

    services.pathway_set(entry=entry, actor=toc_nurse, pathway=0)
    escalation.refresh_from_db()
    assert escalation.de_escalated_at is not None
