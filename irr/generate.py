"""IRR episodes, their lead professionals and visits for the place data generator
(``manage.py generate_place``).

As ``episode_open`` makes them from a triage decision: the team is the triage queue's, the
lone-working risk the decision's, the lead professional one of the team's clinicians and the
episode's first member; the first visit is the decision's first response (``visit_record``
records it so). Episodes whose planned end has passed are closed with an outcome.
"""

from datetime import datetime, timedelta

from irr.models import MAX_PLANNED_LENGTH, Discipline, Episode, EpisodeMember, Visit

OUTCOMES = [Episode.Outcome.STAYED_AT_HOME] * 7 + [Episode.Outcome.ADMITTED] * 2 + [Episode.Outcome.LONG_TERM_SERVICE]


class Episodes:
    """Rows of episodes, members, visits and visit staff, made as decisions are made."""

    def __init__(self, *, ids, now: datetime, visits_per_episode: int) -> None:
        self.ids, self.now, self.visits_per_episode = ids, now, visits_per_episode
        self.tables: dict = {Episode: [], EpisodeMember: [], Visit: [], Visit.staff.through: []}

    def episode(self, *, rng, patient_id: int, team, lead, decision_id: int, responded: datetime,
                lone_working: bool) -> None:
        opened = responded - timedelta(minutes=rng.randint(5, 60))
        days = rng.randint(7, MAX_PLANNED_LENGTH.days)
        planned_end = (opened + timedelta(days=days)).date()
        closed = planned_end < self.now.date()
        episode_id, member_id = self.ids.take(Episode), self.ids.take(EpisodeMember)
        self.tables[Episode].append({
            "id": episode_id, "patient": patient_id, "team": team.pk, "lead_professional": lead.pk,
            "source_decision": decision_id, "goals": "Generated for a benchmark", "lone_working_risk": lone_working,
            "opened_at": opened, "opened_by": lead.pk, "planned_end": planned_end,
            "status": Episode.Status.CLOSED if closed else Episode.Status.OPEN,
            "closed_at": opened + timedelta(days=days) if closed else None, "closed_by": lead.pk if closed else None,
            "outcome": rng.choice(OUTCOMES) if closed else "",
        })
        self.tables[EpisodeMember].append({
            "id": member_id, "episode": episode_id, "name": str(lead), "discipline": Discipline.NURSE,
            "organisation": lead.organisation_id or team.organisation_id, "user": lead.pk,
        })
        for number in range(self.visits_per_episode):
            at = responded if number == 0 else responded + timedelta(days=number * days / self.visits_per_episode)
            done = at < self.now
            visit_id = self.ids.take(Visit)
            self.tables[Visit].append({
                "id": visit_id, "episode": episode_id,
                "kind": Visit.Kind.UNPLANNED if number == 0 else Visit.Kind.PLANNED, "scheduled_for": at,
                "status": Visit.Status.DONE if done else Visit.Status.SCHEDULED,
                "outcome": "Generated visit" if done else "", "recorded_at": at if done else None,
                "recorded_by": lead.pk if done else None, "planned_by": lead.pk,
            })
            self.tables[Visit.staff.through].append(
                {"id": self.ids.take(Visit.staff.through), "visit": visit_id, "episodemember": member_id}
            )

    def take(self) -> dict:
        """The rows made so far, oldest first, and start afresh."""
        tables, self.tables = self.tables, {model: [] for model in self.tables}
        for model, key in ((Episode, "opened_at"), (Visit, "scheduled_for")):
            tables[model].sort(key=lambda row, key=key: row[key])
        return tables


IRR_MODELS = [Episode, EpisodeMember, Visit, Visit.staff.through]
