"""IRR demo data for ``manage.py demo_data``: team capacity, and an episode opened from the demo
referral whose triage decision found a lone-working risk, with its pair of staff and a visit;
its patient also has a follow-up call due, for the patient page."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from ccc.demo import DEMO_KEY_PREFIX, get_or_create
from ccc.models import User
from referrals import services as referral_services
from triage.models import TriageDecision

# Team, open episodes, visits a day.
IRR_CAPACITY = [("IRR physical health", 40, 30), ("IRR mental health", 15, 12), ("IRR learning disability", 8, 6)]


def irr_load(users: dict, teams: dict, organisations: dict) -> None:
    from irr import services as irr_services
    from irr.models import Discipline, TeamCapacity

    for team, episodes, visits in IRR_CAPACITY:
        get_or_create(TeamCapacity, team=teams[team], defaults={"open_episodes": episodes, "visits_per_day": visits})
    decision = TriageDecision.objects.filter(
        queue_item__referral__idempotency_key__startswith=DEMO_KEY_PREFIX, lone_working_risk=True,
        outcome=TriageDecision.Outcome.ACCEPT,
    ).select_related("queue_item__referral__patient", "queue_item__queue__team").first()
    if decision is None:
        return
    lead = users["teamlead"]
    # Opened as the page opens it: the lead and a support worker are its first members.
    episode = irr_services.episode_open(
        patient=decision.queue_item.referral.patient, lead_professional=lead, actor=lead,
        planned_end=timezone.localdate() + timedelta(weeks=2), source_decision=decision,
        goals="Keep him safe at home with his brother; daily home treatment visits; safety plan reviewed.",
        lead_discipline=Discipline.MENTAL_HEALTH, first_member_name="Tom Barker",
        first_member_discipline=Discipline.SUPPORT_WORKER,
        first_member_organisation=lead.organisation or decision.queue_item.queue.team.organisation,
    )
    irr_services.visit_schedule(
        episode=episode, kind="unplanned", scheduled_for=timezone.now() + timedelta(hours=1),
        staff=list(episode.members.all()),
        actor=lead, submission_key=f"{DEMO_KEY_PREFIX}irr-visit-1",
    )


# --- The one patient page: a patient known to several services -----------------------------


def patient_page_load(call_handler: User) -> None:
    """The IRR demo patient also has a follow-up call due, so a manager sees their open episode and
    the call together on their page, and a call handler sees the call."""
    from irr.models import Episode

    episode = Episode.objects.filter(
        status=Episode.Status.OPEN, source_decision__queue_item__referral__idempotency_key__startswith=DEMO_KEY_PREFIX
    ).select_related("patient").first()
    if episode is None:
        return
    referral_services.follow_up_call_schedule(
        patient=episode.patient,
        due_at=timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(11, 0))),
        reason="Check on him and his brother after the first home treatment visits",
        actor=call_handler,
        idempotency_key=f"{DEMO_KEY_PREFIX}patient-page-call",  # a second run finds this call
    )
