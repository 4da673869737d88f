"""Reads for IRR episodes and team capacity, scoped to the person asking."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import Team, User
from ccc.permissions import Action, can
from irr.models import Episode, EpisodeMember, TeamCapacity, Visit
from irr.permissions import scope_episodes
from referrals.selectors import with_patient_safety
from referrals.selectors.alerts import with_risk_to_staff_alert


def episode_list(*, fetched_by: User, status: str = Episode.Status.OPEN) -> QuerySet[Episode]:
    episodes = Episode.objects.select_related("patient", "team", "lead_professional", "source_decision").annotate(
        visits_done=Count("visits", filter=Q(visits__status=Visit.Status.DONE))
    )
    if status:
        episodes = episodes.filter(status=status)
    # The pairs rule's risk-to-staff alert in the same query: the list tags each episode.
    return scope_episodes(fetched_by, with_risk_to_staff_alert(episodes)).order_by("planned_end", "pk")


def patient_open_episodes(*, patient, fetched_by: User) -> QuerySet[Episode]:
    """The patient's open episodes the person asking may see, each with its next planned visit, in one query."""
    episodes = (
        Episode.objects.filter(patient=patient, status=Episode.Status.OPEN)
        .select_related("team", "lead_professional")
        .annotate(next_visit_at=Min("visits__scheduled_for", filter=Q(visits__status=Visit.Status.SCHEDULED)))
    )
    return scope_episodes(fetched_by, episodes).order_by("planned_end", "pk")


def patient_episode_summary(*, patient, fetched_by: User, limit: int = 10) -> list[Episode]:
    """The patient's open episodes, whichever team runs them, for the triage page's summary: one query.

    Shown to whoever may open the patient's record (referrals.patient_page.patient_summary_parts
    asks first), so a duty clinician sees the episode another team has open.
    """
    return list(
        Episode.objects.filter(patient=patient, status=Episode.Status.OPEN)
        .select_related("team", "lead_professional")
        .order_by("planned_end", "pk")[:limit]
    )


def episode_get(*, public_id, fetched_by: User) -> Episode:
    episode = get_object_or_404(
        # The patient's alerts and number to call first come in the same query (with_patient_safety).
        with_patient_safety(Episode.objects, "patient").select_related(
            "patient", "team", "lead_professional", "source_decision__queue_item__referral", "closed_by",
            "source_decision__first_response_by",
        ).prefetch_related(
            Prefetch("members", queryset=EpisodeMember.objects.select_related("organisation")),
            Prefetch("visits", queryset=Visit.objects.prefetch_related("staff").select_related("recorded_by")),
        ),
        public_id=public_id,
    )
    if not can(fetched_by, Action.EPISODE_VIEW, episode):
        raise Http404("No such episode")
    return episode


def visit_get(*, public_id, fetched_by: User) -> Visit:
    visit = get_object_or_404(
        with_patient_safety(Visit.objects, "episode__patient").select_related("episode__patient", "episode__source_decision"),
        public_id=public_id,
    )
    if not can(fetched_by, Action.EPISODE_VIEW, visit):
        raise Http404("No such visit")
    return visit


@dataclass(frozen=True)
class Capacity:
    team: Team
    open_episodes: int
    open_episodes_limit: int | None
    visits_today: int
    visits_per_day_limit: int | None

    @property
    def episodes_full(self) -> bool:
        return self.open_episodes_limit is not None and self.open_episodes >= self.open_episodes_limit

    @property
    def visits_full(self) -> bool:
        return self.visits_per_day_limit is not None and self.visits_today >= self.visits_per_day_limit

    @property
    def is_full(self) -> bool:
        return self.episodes_full or self.visits_full


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def team_capacity(*, day: date | None = None, teams: QuerySet[Team] | None = None) -> list[Capacity]:
    """Each IRR team's open episodes and visits on ``day`` (UK local) against its capacity, in one query."""
    start, end = _local_day_bounds(day or timezone.localdate())
    teams = (teams if teams is not None else Team.objects.filter(irr_capacity__isnull=False)).select_related(
        "irr_capacity"
    )
    # Two correlated counts, not a join: joining every episode ever to every visit to count
    # today's made the figure grow with history. Each reads its own index (team and status;
    # the day's visits).
    open_episodes = (
        Episode.objects.filter(team=OuterRef("pk"), status=Episode.Status.OPEN)
        .order_by().values("team").annotate(count=Count("*")).values("count")
    )
    visits = (
        Visit.objects.filter(episode__team=OuterRef("pk"), scheduled_for__gte=start, scheduled_for__lt=end)
        .order_by().values("episode__team").annotate(count=Count("*")).values("count")
    )
    rows = teams.annotate(
        open_count=Coalesce(Subquery(open_episodes), 0),
        visits_count=Coalesce(Subquery(visits), 0),
    ).order_by("name")
    result = []
    for row in rows:
        limits = row.irr_capacity if _has_capacity(row) else None
        result.append(
            Capacity(
                team=row,
                open_episodes=row.open_count,
                open_episodes_limit=limits.open_episodes if limits else None,
                visits_today=row.visits_count,
                visits_per_day_limit=limits.visits_per_day if limits else None,
            )
        )
    return result


def _has_capacity(team: Team) -> bool:
    try:
        return team.irr_capacity is not None
    except TeamCapacity.DoesNotExist:
        return False


# Figures for the dashboard: (period, scope) -> rows. IRR teams are the teams of the scope's
# duty queues (a team lead sees their own team); system-wide, every team with a capacity set.


def irr_capacity_now(period, scope) -> list[dict]:
    """Each IRR team's open episodes and today's visits against its capacity, now (one query)."""
    teams = Team.objects.filter(irr_capacity__isnull=False)
    if scope.queue_ids is not None:
        teams = teams.filter(pk__in=Team.objects.filter(duty_queues__in=scope.queue_ids).values("pk"))
    return [
        {
            "team": row.team.name,
            "open_episodes": row.open_episodes,
            "open_episodes_limit": row.open_episodes_limit,
            "visits_today": row.visits_today,
            "visits_per_day_limit": row.visits_per_day_limit,
            "full": "Yes" if row.is_full else "No",
        }
        for row in team_capacity(teams=teams)
    ]
