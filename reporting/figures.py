"""The dashboard's figures: one entry each, pointing at a selector owned by the app whose data it reads.

To add a figure (contacts, escalations, IRR episodes, MFFD and delays...): write a selector
``(period, scope) -> list[dict]`` in that app's ``selectors.py`` and add one ``Figure`` here.
The page, its table, its CSV download and the benchmark pick it up from this list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ccc.reporting import Period, Scope
from referrals import selectors as referral_selectors
from triage import selectors as triage_selectors


class Chart(StrEnum):
    COLUMNS = "columns"  # vertical bars along time (x: a day)
    BARS = "bars"  # horizontal bars, one per category
    HEATMAP = "heatmap"  # weekday by hour


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Figure:
    slug: str
    title: str
    description: str
    chart: Chart
    columns: tuple[Column, ...]
    rows: Callable[[Period, Scope], list[dict]]
    # The column naming each bar (or, for a heatmap, the row then the column) and the column charted.
    label_keys: tuple[str, ...]
    value_key: str
    # "now" figures ignore the period.
    now: bool = False


FIGURES: tuple[Figure, ...] = (
    Figure(
        slug="referrals-per-day",
        title="Referrals per day",
        description="Referrals received on each day of the period (UK local time).",
        chart=Chart.COLUMNS,
        columns=(Column("day", "Day"), Column("referrals", "Referrals", numeric=True)),
        rows=referral_selectors.referrals_per_day,
        label_keys=("day",),
        value_key="referrals",
    ),
    Figure(
        slug="referrals-per-hour-of-week",
        title="Referrals per hour of the week",
        description="Referrals received in each hour of each weekday over the period (UK local time).",
        chart=Chart.HEATMAP,
        columns=(Column("weekday", "Weekday"), Column("hour", "Hour"), Column("referrals", "Referrals", numeric=True)),
        rows=referral_selectors.referrals_per_hour_of_week,
        label_keys=("weekday", "hour"),
        value_key="referrals",
    ),
    Figure(
        slug="referrals-by-source",
        title="Referrals by source",
        description="Who referred: GP, ward, other professional, care home, the person or their carer.",
        chart=Chart.BARS,
        columns=(Column("source", "Source"), Column("referrals", "Referrals", numeric=True)),
        rows=referral_selectors.referrals_by_source,
        label_keys=("source",),
        value_key="referrals",
    ),
    Figure(
        slug="referrals-by-queue",
        title="Referrals by duty queue",
        description="The duty queue each referral was routed to.",
        chart=Chart.BARS,
        columns=(Column("queue", "Duty queue"), Column("referrals", "Referrals", numeric=True)),
        rows=triage_selectors.referrals_by_queue,
        label_keys=("queue",),
        value_key="referrals",
    ),
    Figure(
        slug="triage-waiting-now",
        title="Waiting for triage now",
        description="Referrals in each duty queue not yet triaged, at the moment the page was loaded.",
        chart=Chart.BARS,
        columns=(
            Column("queue", "Duty queue"),
            Column("waiting", "Waiting", numeric=True),
            Column("in_triage", "Being triaged", numeric=True),
            Column("overdue", "Past their triage target", numeric=True),
            Column("longest_wait_minutes", "Longest wait (minutes)", numeric=True),
        ),
        rows=triage_selectors.triage_waiting_now,
        label_keys=("queue",),
        value_key="waiting",
        now=True,
    ),
    Figure(
        slug="time-to-triage",
        title="Time to triage against target",
        description=(
            "For referrals received in the period and triaged: minutes from routing to the triage decision, "
            "by duty queue and priority. The chart shows the share triaged within the queue's target."
        ),
        chart=Chart.BARS,
        columns=(
            Column("queue", "Duty queue"),
            Column("priority", "Priority"),
            Column("target_minutes", "Target (minutes)", numeric=True),
            Column("triaged", "Triaged", numeric=True),
            Column("median_minutes", "Median (minutes)", numeric=True),
            Column("p90_minutes", "90th percentile (minutes)", numeric=True),
            Column("within_target", "Within target", numeric=True),
            Column("within_target_percent", "Within target (%)", numeric=True),
        ),
        rows=triage_selectors.time_to_triage,
        label_keys=("queue", "priority"),
        value_key="within_target_percent",
    ),
)

FIGURES_BY_SLUG = {figure.slug: figure for figure in FIGURES}
