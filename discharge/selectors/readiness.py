"""Figures by the national discharge definitions (April 2023 on): patients no longer meeting the
criteria to reside, discharges on their discharge ready date, and the days from that date to
discharge, in all, by pathway and by delay reason; day by day for the acute discharge situation
report's CSV. One query for a period, counted in Python (a period's entries are a few hundred)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Q, Subquery

from discharge.models import Delay, DelayReason, Pathway, RegisterEntry
from discharge.selectors.register import _today

# The situation report's bands of days from the discharge ready date to discharge.
DAY_BANDS = [(0, 0, "0 days"), (1, 1, "1 day"), (2, 3, "2-3 days"), (4, 6, "4-6 days"), (7, 13, "7-13 days"),
             (14, 20, "14-20 days"), (21, None, "21 days or more")]
NO_REASON = "No delay recorded"


def week_bounds(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def day_band(days: int) -> str:
    return next(label for low, high, label in DAY_BANDS if days >= low and (high is None or days <= high))


@dataclass
class Group:
    """Discharges of patients with a discharge ready date, in one group (a pathway, a reason, a day)."""

    label: str
    discharges: int = 0
    on_ready_date: int = 0
    total_days: int = 0
    bands: dict[str, int] = field(default_factory=lambda: {label: 0 for _, _, label in DAY_BANDS})

    def add(self, days: int) -> None:
        self.discharges += 1
        self.on_ready_date += days == 0
        self.total_days += days
        self.bands[day_band(days)] += 1

    @property
    def average_days(self) -> float | None:
        return round(self.total_days / self.discharges, 1) if self.discharges else None


@dataclass
class Day:
    day: date
    not_meeting_criteria: int  # in hospital at the end of the day, past their discharge ready date
    all_discharges: int
    ready: Group


@dataclass
class ReadinessFigures:
    first: date
    last: date
    days: list[Day]
    all_discharges: int
    ready: Group
    by_pathway: list[Group]
    by_reason: list[Group]

    @property
    def average_not_meeting_criteria(self) -> float | None:
        return round(sum(d.not_meeting_criteria for d in self.days) / len(self.days), 1) if self.days else None


def _entries_in(first: date, last: date):
    """Entries discharged in the period, or past their discharge ready date in it; each with the
    reason of the delay in force when they left (the one their discharge ended)."""
    reason_at_discharge = Delay.objects.filter(entry=OuterRef("pk"), ends_on=OuterRef("discharged_on")).order_by(
        "-starts_on"
    )
    return (
        RegisterEntry.objects.filter(
            Q(discharged_on__gte=first, discharged_on__lte=last)
            | Q(discharge_ready_on__lte=last)
            & (Q(discharged_on__isnull=True, status=RegisterEntry.Status.OPEN) | Q(discharged_on__gt=first))
        )
        .annotate(
            delay_reason_name=Subquery(reason_at_discharge.values("reason__name")[:1]),
            delay_reason_set=Subquery(reason_at_discharge.values("reason__code_set")[:1]),
        )
        .values("discharge_ready_on", "discharged_on", "pathway_used", "delay_reason_name", "delay_reason_set")
        .order_by()
    )


def discharge_ready_figures(*, first: date, last: date, today: date | None = None) -> ReadinessFigures:
    """The national measures for the days ``first`` to ``last`` (those up to today)."""
    last = min(last, _today(today))
    days = {first + timedelta(n): Day(first + timedelta(n), 0, 0, Group("")) for n in range((last - first).days + 1)}
    ready, pathways, reasons = Group("All"), {}, {}
    set_labels = dict(DelayReason.CodeSet.choices)
    all_discharges = 0
    for row in _entries_in(first, last):
        ready_on, left_on = row["discharge_ready_on"], row["discharged_on"]
        if ready_on:
            # Still in hospital at the end of each day from the ready date to the day before discharge.
            stop = min(left_on - timedelta(1), last) if left_on else last
            for n in range((stop - max(ready_on, first)).days + 1):
                days[max(ready_on, first) + timedelta(n)].not_meeting_criteria += 1
        if not left_on or not first <= left_on <= last:
            continue
        all_discharges += 1
        days[left_on].all_discharges += 1
        if not ready_on:
            continue
        waited = max((left_on - ready_on).days, 0)
        ready.add(waited)
        days[left_on].ready.add(waited)
        pathway = Pathway(row["pathway_used"]).label if row["pathway_used"] is not None else "No pathway recorded"
        pathways.setdefault(pathway, Group(pathway)).add(waited)
        reason = (
            f"{row['delay_reason_name']} ({set_labels[row['delay_reason_set']]})" if row["delay_reason_name"] else NO_REASON
        )
        reasons.setdefault(reason, Group(reason)).add(waited)
    return ReadinessFigures(
        first=first, last=last, days=list(days.values()), all_discharges=all_discharges, ready=ready,
        by_pathway=sorted(pathways.values(), key=lambda g: g.label),
        by_reason=sorted(reasons.values(), key=lambda g: (-g.discharges, g.label)),
    )


SITREP_COLUMNS = [
    "Date", "Patients no longer meeting the criteria to reside", "Discharges",
    "Discharges with a discharge ready date", *(f"Discharged {label} after the ready date" for _, _, label in DAY_BANDS),
    "Average days from ready date to discharge",
]


def sitrep_rows(figures: ReadinessFigures) -> list[list]:
    """The situation report's shape: one line a day, then the period's totals."""
    def line(label, not_meeting, discharges, group: Group):
        return [label, not_meeting, discharges, group.discharges, *group.bands.values(),
                "" if group.average_days is None else group.average_days]

    rows = [line(d.day.isoformat(), d.not_meeting_criteria, d.all_discharges, d.ready) for d in figures.days]
    average = figures.average_not_meeting_criteria
    rows.append(line("Total", "" if average is None else f"{average} a day", figures.all_discharges, figures.ready))
    return rows
