"""How the engine reaches the apps whose items it times, without importing any of them.

The engine knows clocks, not domains. Two things it needs come from the apps that own the
items, each registered at start-up from the app's own ``escalation_subjects`` module (imported
by its ``AppConfig.ready()``):

- ``register_subject(label, timeline_writer=...)``: where a clock's steps on a subject of that
  model ("app_label.model") are written for people to read. The writer takes a list of
  ``TimelineEntry`` so the poller writes a whole sweep's steps at once. Subjects without a writer keep the
  engine's escalation records as their timeline.
- ``register_duty(on_duty=..., duty_lead=...)``: who is on duty for a clock's queue at a moment,
  and who leads that shift, for the rungs that name "the queue's duty clinicians" or "lead".

The ladders' and clocks' foreign key to "triage.DutyQueue" is a model reference by string, not
an import: the engine passes the queue back to the registered duty functions untouched.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models


@dataclass(frozen=True)
class TimelineEntry:
    subject_id: int
    kind: str
    summary: str
    actor: Any
    at: datetime


# writer(entries: list[TimelineEntry]) -> None, in as few queries as it can
TimelineWriter = Callable[[list[TimelineEntry]], None]
# on_duty(queue, at) -> [people]; duty_lead(queue, at) -> person or None
OnDuty = Callable[[Any, datetime], list]
DutyLead = Callable[[Any, datetime], Any]


@dataclass(frozen=True)
class Duty:
    on_duty: OnDuty
    duty_lead: DutyLead


_timelines: dict[str, TimelineWriter] = {}
_duty: list[Duty] = []


def register_subject(label: str, *, timeline_writer: TimelineWriter) -> None:
    """Say where clocks on ``label`` ("app_label.model") write their steps."""
    _timelines[label.lower()] = timeline_writer


def register_duty(*, on_duty: OnDuty, duty_lead: DutyLead) -> None:
    """Say who is on duty for a queue: one app keeps the rota, so the last registration stands."""
    _duty[:] = [Duty(on_duty=on_duty, duty_lead=duty_lead)]


def timeline_for(model: type[models.Model]) -> TimelineWriter | None:
    return _timelines.get(model._meta.label_lower)


def on_duty(queue: Any, at: datetime) -> list:
    """The people on duty for ``queue`` at ``at``; nobody if no app keeps a rota."""
    return list(_duty[0].on_duty(queue, at)) if _duty and queue is not None else []


def duty_lead(queue: Any, at: datetime) -> Any:
    """The lead of the shift running at ``at`` for ``queue``, or None."""
    return _duty[0].duty_lead(queue, at) if _duty and queue is not None else None
