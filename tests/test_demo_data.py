import re
from io import StringIO

import nhs_number
import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from ccc.models import Organisation, Team, User
from referrals.models import NeedCategory, Patient, Referral, TimelineEvent
from tests.second_factor import code_for_secret
from triage.models import DutyQueue, QueueItem, RoutingRule, TriageDecision

PASSWORD = "demo-password-for-tests-42"

MODELS = [Organisation, Team, User, DutyQueue, NeedCategory, RoutingRule, Patient, Referral, QueueItem,
          TriageDecision, TimelineEvent]


def run(**kwargs) -> str:
    out = StringIO()
    call_command("demo_data", stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


@pytest.fixture
def demo(db, debug_on):
    return run(password=PASSWORD)


def test_one_user_per_role_who_can_log_in_with_the_given_password(demo):
    for role in User.Role:
        users = User.objects.filter(role=role)
        assert users.exists(), role
        for user in users:
            assert authenticate(RequestFactory().post("/accounts/login/"), username=user.username, password=PASSWORD) == user
            assert not user.is_superuser and not user.is_staff
            assert user.email.endswith("@example.nhs.uk")
            assert user.username in demo
    assert PASSWORD in demo
    assert "http://127.0.0.1:8000/" in demo


def test_duty_clinicians_work_their_queues(demo):
    assert User.objects.get(username="clinician.physical").duty_queues.get().code == "physical-health"
    assert User.objects.get(username="clinician.mental").duty_queues.get().code == "mental-health"
    assert User.objects.get(username="clinician.ld").duty_queues.get().code == "learning-disability"


def test_random_password_is_printed_and_works(db, debug_on):
    out = run()
    user = User.objects.get(username="callhandler")
    password = next(line.split()[-1] for line in out.splitlines() if line.startswith("callhandler "))
    assert authenticate(RequestFactory().post("/accounts/login/"), username="callhandler", password=password) == user
    # A second run makes a new password; the printed one is the one that works.
    out = run()
    new_password = next(line.split()[-1] for line in out.splitlines() if line.startswith("callhandler "))
    assert new_password != password
    assert authenticate(RequestFactory().post("/accounts/login/"), username="callhandler", password=new_password) == user
    assert authenticate(RequestFactory().post("/accounts/login/"), username="callhandler", password=password) is None


def test_queues_with_social_care_and_out_of_hours_switched_off(demo):
    queues = {queue.code: queue for queue in DutyQueue.objects.all()}
    assert set(queues) == {"physical-health", "mental-health", "learning-disability", "social-care", "out-of-hours"}
    assert {code for code, queue in queues.items() if not queue.is_active} == {"social-care", "out-of-hours"}
    assert queues["physical-health"].triage_target_minutes == 120
    assert queues["mental-health"].triage_target_minutes == 240


def test_every_need_is_routed(demo):
    assert NeedCategory.objects.filter(routing_rule__isnull=True).count() == 0
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(Organisation.Kind.values)


def test_patients_have_valid_test_range_nhs_numbers(demo):
    patients = Patient.objects.all()
    assert patients.count() >= 10
    for patient in patients:
        assert nhs_number.is_valid(patient.nhs_number)
        assert patient.nhs_number.startswith("999")
        patient.full_clean()


def test_referrals_in_every_state_and_outcome(demo):
    statuses = set(QueueItem.objects.values_list("status", flat=True))
    assert statuses == set(QueueItem.Status.values)
    assert set(TriageDecision.objects.values_list("outcome", flat=True)) == set(TriageDecision.Outcome.values)
    assert set(TriageDecision.objects.values_list("priority", flat=True)) == set(TriageDecision.Priority.values)
    referrer_types = set(Referral.objects.values_list("referrer_type", flat=True))
    assert referrer_types >= {"gp", "ward", "care_home", "carer", "patient"}
    assert all(key.startswith("demo-") for key in Referral.objects.values_list("idempotency_key", flat=True))


def test_some_waiting_referrals_are_overdue(demo):
    assert QueueItem.objects.filter(status=QueueItem.Status.WAITING, due_at__lt=timezone.now()).exists()


def test_social_care_referral_went_to_the_fallback_queue(demo):
    item = QueueItem.objects.get(referral__need__code="care-package-breakdown")
    assert item.queue.code == "physical-health"
    assert "switched off" in item.referral.timeline.get(kind=TimelineEvent.Kind.ROUTED).summary


def test_claims_and_decisions_are_by_the_queues_clinicians(demo):
    for item in QueueItem.objects.exclude(status=QueueItem.Status.WAITING):
        assert item.claimed_by in item.queue.clinicians.all()
    transfer = TriageDecision.Outcome.TRANSFER
    for decision in TriageDecision.objects.select_related("queue_item").exclude(outcome=transfer):
        assert decision.decided_by == decision.queue_item.claimed_by
    # A transfer hands the item, history and all, to the other queue to claim afresh.
    for decision in TriageDecision.objects.select_related("queue_item").filter(outcome=transfer):
        assert decision.queue_item.queue == decision.transfer_to
        assert decision.queue_item.status == QueueItem.Status.WAITING


def test_every_timeline_starts_received_then_routed(demo):
    for referral in Referral.objects.all():
        kinds = list(referral.timeline.values_list("kind", flat=True))
        assert kinds[:2] == ["received", "routed"], referral
        item = referral.queue_item
        if item.status == QueueItem.Status.CLAIMED:
            assert kinds[2:] == ["claimed"]
        if item.status == QueueItem.Status.TRIAGED:
            assert kinds[2:] == ["claimed", "triaged"]


def test_running_twice_makes_no_duplicates(demo):
    before = {model.__name__: model.objects.count() for model in MODELS}
    out = run(password=PASSWORD)
    assert {model.__name__: model.objects.count() for model in MODELS} == before
    assert "already" in out
    assert authenticate(RequestFactory().post("/accounts/login/"), username="admin", password=PASSWORD) is not None


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        run(password=PASSWORD)
    assert not User.objects.exists()
    assert not Referral.objects.exists()


def test_force_runs_when_debug_is_off(db, settings):
    settings.DEBUG = False
    run(password=PASSWORD, force=True)
    assert authenticate(RequestFactory().post("/accounts/login/"), username="manager", password=PASSWORD) is not None


# Front desk: out of hours, community nursing, follow-up calls, transport ---------------------


def test_out_of_hours_is_set_up_with_the_out_of_hours_queue_switched_off(demo):
    from triage.models import OutOfHoursDate, OutOfHoursPeriod

    ooh = DutyQueue.objects.get(is_out_of_hours_queue=True)
    assert ooh.code == "out-of-hours" and not ooh.is_active
    assert DutyQueue.objects.get(code="mental-health").has_out_of_hours_cover
    assert not DutyQueue.objects.get(code="physical-health").has_out_of_hours_cover
    assert OutOfHoursPeriod.objects.count() == 7
    assert OutOfHoursDate.objects.filter(name="Christmas Day").exists()


def test_seven_locality_teams_with_practices_mapped_and_one_not(demo):
    from referrals.models import CommunityNursingSettings, PracticeLocality

    teams = Team.objects.filter(name__startswith="Community nursing")
    assert teams.count() == 7
    assert set(PracticeLocality.objects.values_list("team", flat=True)) == set(teams.values_list("pk", flat=True))
    assert Organisation.objects.filter(kind="gp_practice", locality__isnull=True).exists()
    assert CommunityNursingSettings.objects.get().default_team in teams
    assert NeedCategory.objects.get(code="community-nursing").allocate_to_locality_team
    # Everyone the CCC referred has a practice (the hospital's register records inpatients without one).
    referred = Patient.objects.filter(referrals__isnull=False).distinct()
    assert referred.exists() and not referred.filter(gp_practice__isnull=True).exists()


def test_follow_up_calls_are_due_today_and_transport_is_booked(demo):
    from referrals.models import FollowUpCall, TransportBooking

    today_calls = [
        call for call in FollowUpCall.objects.all() if timezone.localtime(call.due_at).date() == timezone.localdate()
    ]
    assert len(today_calls) >= 2
    assert FollowUpCall.objects.filter(due_at__lt=timezone.now()).exists()  # yesterday's: overdue
    assert TransportBooking.objects.filter(pickup_at__gt=timezone.now()).count() == 1


def test_running_twice_makes_no_more_front_desk_data(demo):
    from referrals.models import FollowUpCall, PracticeLocality, TransportBooking
    from triage.models import OutOfHoursDate, OutOfHoursPeriod

    models = [FollowUpCall, PracticeLocality, TransportBooking, OutOfHoursDate, OutOfHoursPeriod, Organisation, Team]
    before = [model.objects.count() for model in models]
    run(password=PASSWORD)
    assert [model.objects.count() for model in models] == before


def test_every_queue_has_an_escalation_ladder_and_an_overdue_referral_escalates_at_once(demo):
    from escalations.models import Clock, Escalation, EscalationLadder, Notification
    from escalations.services import escalations_fire_due

    assert EscalationLadder.objects.filter(queue__isnull=True).count() == 1
    assert set(EscalationLadder.objects.exclude(queue=None).values_list("queue__code", flat=True)) == set(
        DutyQueue.objects.values_list("code", flat=True)
    )
    assert Clock.objects.filter(state="open", next_action_at__lte=timezone.now()).exists()

    escalations_fire_due()  # what beat does seconds after scripts/demo starts

    # Items recorded already overdue start at the first rung (the duty clinicians) and climb at the
    # ladder's pace from there: the demo does not open with items at the on-call manager. (Rungs
    # with nobody on them, as for clocks outside a duty queue, are skipped to the next at once.)
    told = set(Notification.objects.filter(escalation__isnull=False).values_list("recipient__username", flat=True))
    assert {"clinician.physical", "clinician.mental"} <= told
    assert "manager.oncall" not in told
    assert not Escalation.objects.filter(rung_name="On-call manager").exists()


def test_the_demo_manager_logs_in_with_the_password_and_a_code_made_from_the_printed_secret(demo, client):
    secret = re.search(r"secret key ([A-Z2-7]+)", demo).group(1)
    assert "manager, manager.oncall, admin also enter a code" in demo
    client.post(reverse("login"), {"username": "manager", "password": PASSWORD})
    assert client.get(reverse("home")).url.startswith(reverse("second_factor"))  # the code first

    response = client.post(reverse("second_factor"), {"code": code_for_secret(secret)})

    assert response.status_code == 302
    assert client.get(reverse("home"), follow=True).status_code == 200
