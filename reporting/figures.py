"""The dashboard's figures: one entry each, pointing at a selector owned by the app whose data it reads.

To add a figure (contacts, escalations, IRR episodes, MFFD and delays...): write a selector
``(period, scope) -> list[dict]`` in that app's ``selectors.py`` and add one ``Figure`` here.
The page, its table, its CSV download and the benchmark pick it up from this list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ccc.reporting import Period, Scope
from directory import selectors as directory_selectors
from discharge import selectors as discharge_selectors
from escalations import selectors as escalation_selectors
from irr import selectors as irr_selectors
from referrals import selectors as referral_selectors
from triage import selectors as triage_selectors


class Section(StrEnum):
    """The page's sections, in the order the contents list gives them."""

    REFERRALS = "Referrals"
    TRIAGE = "Triage"
    ESCALATIONS = "Escalations"
    IRR = "Intermediate rapid response"
    FRONT_DESK = "Front desk: contacts and signposting"
    TRANSFER_OF_CARE = "Transfer of Care"

    @property
    def anchor(self) -> str:
        return "section-" + self.name.lower().replace("_", "-")


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
    section: Section
    # What the page says instead of a chart when the figure has nothing to draw.
    empty: str
    # The column naming each bar (or, for a heatmap, the row then the column) and the column charted.
    label_keys: tuple[str, ...]
    value_key: str
    # "now" figures ignore the period.
    now: bool = False
    # System-wide figures (the front desk, Transfer of Care) belong to no duty queue: they ignore
    # the scope and only people allowed Action.DASHBOARD_SYSTEM_WIDE (managers, administrators) see them.
    system_wide: bool = False
    # Per-category figures with no natural bound (services, needs): the page shows the largest
    # ``top`` and folds the rest into one "Others" row; the CSV download keeps every row.
    top: int = 0

    def has_data(self, rows: list[dict]) -> bool:
        """Something to draw: a count above 0, or a percentage worked out at all (0% is a result,
        an empty rate, such as a month with no bed occupancy recorded, is not)."""
        values = [row[self.value_key] for row in rows]
        if self.value_key.endswith("percent"):
            return any(value is not None for value in values)
        return any(values)


TOP = 15


FIGURES: tuple[Figure, ...] = (
    Figure(
        slug="referrals-per-day",
        title="Referrals per day",
        description="Referrals received on each day of the period (UK local time).",
        chart=Chart.COLUMNS,
        columns=(Column("day", "Day"), Column("referrals", "Referrals", numeric=True)),
        rows=referral_selectors.referrals_per_day,
        section=Section.REFERRALS,
        empty="No referrals received in this period.",
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
        section=Section.REFERRALS,
        empty="No referrals received in this period.",
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
        section=Section.REFERRALS,
        empty="No referrals received in this period.",
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
        section=Section.REFERRALS,
        empty="No referrals received in this period.",
        label_keys=("queue",),
        value_key="referrals",
        top=TOP,
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
        section=Section.TRIAGE,
        empty="Nobody is waiting for triage now.",
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
        section=Section.TRIAGE,
        empty="No referral received in this period has been triaged yet.",
        label_keys=("queue", "priority"),
        value_key="within_target_percent",
    ),
    Figure(
        slug="contacts-per-day",
        title="Contacts per day",
        description="Contacts with the front desk started on each day of the period (UK local time), as last amended.",
        chart=Chart.COLUMNS,
        columns=(Column("day", "Day"), Column("contacts", "Contacts", numeric=True)),
        rows=referral_selectors.contacts_per_day,
        section=Section.FRONT_DESK,
        empty="No contacts in this period.",
        label_keys=("day",),
        value_key="contacts",
        system_wide=True,
    ),
    Figure(
        slug="contacts-per-hour-of-week",
        title="Contacts per hour of the week",
        description="Contacts started in each hour of each weekday over the period (UK local time).",
        chart=Chart.HEATMAP,
        columns=(Column("weekday", "Weekday"), Column("hour", "Hour"), Column("contacts", "Contacts", numeric=True)),
        rows=referral_selectors.contacts_per_hour_of_week,
        section=Section.FRONT_DESK,
        empty="No contacts in this period.",
        label_keys=("weekday", "hour"),
        value_key="contacts",
        system_wide=True,
    ),
    Figure(
        slug="contacts-by-source",
        title="Contacts by source",
        description="Who called: GP, ward, other professional, care home, the person or their carer.",
        chart=Chart.BARS,
        columns=(Column("source", "Source"), Column("contacts", "Contacts", numeric=True)),
        rows=referral_selectors.contacts_by_source,
        section=Section.FRONT_DESK,
        empty="No contacts in this period.",
        label_keys=("source",),
        value_key="contacts",
        system_wide=True,
    ),
    Figure(
        slug="contacts-by-outcome",
        title="Contacts by outcome, including just to talk",
        description="How each contact of the period ended: a referral, advice, signposting, just to talk...",
        chart=Chart.BARS,
        columns=(Column("outcome", "Outcome"), Column("contacts", "Contacts", numeric=True)),
        rows=referral_selectors.contacts_by_outcome,
        section=Section.FRONT_DESK,
        empty="No contacts in this period.",
        label_keys=("outcome",),
        value_key="contacts",
        system_wide=True,
    ),
    Figure(
        slug="signposting-by-service",
        title="Signposting by service",
        description="How often each service in the directory was signposted to in the period.",
        chart=Chart.BARS,
        columns=(Column("service", "Service"), Column("signposted", "Times signposted", numeric=True)),
        rows=directory_selectors.signposting_by_service,
        section=Section.FRONT_DESK,
        empty="No signposting recorded in this period.",
        label_keys=("service",),
        value_key="signposted",
        system_wide=True,
        top=TOP,
    ),
    Figure(
        slug="unmet-needs",
        title="Unmet needs",
        description="Needs for which no service could be found, recorded in the period.",
        chart=Chart.BARS,
        columns=(Column("need", "Need"), Column("unmet", "Times unmet", numeric=True)),
        rows=directory_selectors.unmet_needs,
        section=Section.FRONT_DESK,
        empty="No unmet needs recorded in this period.",
        label_keys=("need",),
        value_key="unmet",
        system_wide=True,
        top=TOP,
    ),
    Figure(
        slug="escalations-live-now",
        title="Escalations live now",
        description="Items still waiting for an answer after escalating, by duty queue and the highest rung reached.",
        chart=Chart.BARS,
        columns=(Column("queue", "Duty queue"), Column("rung", "Rung"), Column("live", "Live", numeric=True)),
        rows=escalation_selectors.escalations_live_now,
        section=Section.ESCALATIONS,
        empty="No escalations are live now.",
        label_keys=("queue", "rung"),
        value_key="live",
        now=True,
    ),
    Figure(
        slug="escalations-per-week",
        title="Escalations per week",
        description="Escalations fired in the period, by week (from Monday, UK local time), duty queue and rung.",
        chart=Chart.BARS,
        columns=(
            Column("week", "Week from"),
            Column("queue", "Duty queue"),
            Column("rung", "Rung"),
            Column("escalations", "Escalations", numeric=True),
        ),
        rows=escalation_selectors.escalations_per_week,
        section=Section.ESCALATIONS,
        empty="No escalations fired in this period.",
        label_keys=("week", "queue", "rung"),
        value_key="escalations",
    ),
    Figure(
        slug="irr-capacity-now",
        title="IRR open episodes and capacity",
        description="Each IRR team's open episodes and today's visits against the capacity it set.",
        chart=Chart.BARS,
        columns=(
            Column("team", "Team"),
            Column("open_episodes", "Open episodes", numeric=True),
            Column("open_episodes_limit", "Episode capacity", numeric=True),
            Column("visits_today", "Visits today", numeric=True),
            Column("visits_per_day_limit", "Visits a day capacity", numeric=True),
            Column("full", "At capacity"),
        ),
        rows=irr_selectors.irr_capacity_now,
        section=Section.IRR,
        empty="No open IRR episodes now.",
        label_keys=("team",),
        value_key="open_episodes",
        now=True,
    ),
    Figure(
        slug="mffd-today",
        title="MFFD patients today by pathway",
        description="Patients medically fit for discharge and still in hospital, by discharge pathway, "
        "with the pathway's free places today.",
        chart=Chart.BARS,
        columns=(
            Column("pathway", "Pathway"),
            Column("patients", "MFFD patients", numeric=True),
            Column("free_places", "Free places today", numeric=True),
        ),
        rows=discharge_selectors.mffd_today,
        section=Section.TRANSFER_OF_CARE,
        empty="No MFFD patients in hospital today.",
        label_keys=("pathway",),
        value_key="patients",
        now=True,
        system_wide=True,
    ),
    Figure(
        slug="delayed-transfer-rate",
        title="Delayed days and the delayed-transfer rate",
        description="Delayed bed days over occupied bed days in each month of the period, in all and by "
        "attribution, against the target (3.5% unless set otherwise).",
        chart=Chart.BARS,
        columns=(
            Column("month", "Month"),
            Column("attribution", "Attribution"),
            Column("delayed_days", "Delayed days", numeric=True),
            Column("occupied_bed_days", "Occupied bed days", numeric=True),
            Column("rate_percent", "Rate (%)", numeric=True),
            Column("target_percent", "Target (%)", numeric=True),
            Column("within_target", "Within target"),
        ),
        rows=discharge_selectors.delayed_transfer_rate,
        section=Section.TRANSFER_OF_CARE,
        empty="No occupancy recorded for this period, so no delayed-transfer rate can be worked out.",
        label_keys=("month", "attribution"),
        value_key="rate_percent",
        system_wide=True,
    ),
    Figure(
        slug="stranded-now",
        title="Stranded and super-stranded patients",
        description="Patients on the Transfer of Care register in hospital 7 days or more, and 21 days or more.",
        chart=Chart.BARS,
        columns=(Column("measure", "Measure"), Column("patients", "Patients", numeric=True)),
        rows=discharge_selectors.stranded_now,
        section=Section.TRANSFER_OF_CARE,
        empty="No stranded patients now.",
        label_keys=("measure",),
        value_key="patients",
        now=True,
        system_wide=True,
    ),
    Figure(
        slug="bed-occupancy",
        title="Bed occupancy",
        description="Occupied bed days per ward in each month of the period, as the wards recorded them.",
        chart=Chart.BARS,
        columns=(
            Column("month", "Month"),
            Column("ward", "Ward"),
            Column("occupied_bed_days", "Occupied bed days", numeric=True),
            Column("days_recorded", "Days recorded", numeric=True),
        ),
        rows=discharge_selectors.bed_occupancy,
        section=Section.TRANSFER_OF_CARE,
        empty="No bed occupancy recorded for this period.",
        label_keys=("month", "ward"),
        value_key="occupied_bed_days",
        system_wide=True,
    ),
)

FIGURES_BY_SLUG = {figure.slug: figure for figure in FIGURES}
