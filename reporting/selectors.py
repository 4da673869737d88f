"""Reads for the dashboard: who may see which queues' figures, and the figures themselves."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from ccc.models import Team, User
from ccc.permissions import Action, can
from ccc.reporting import Period, Scope
from reporting import charts
from reporting.figures import FIGURES, Chart, Figure, Section
from triage.models import DutyQueue
from triage.permissions import scope_report_queues

EVERYWHERE = ""


def scope_choices(*, fetched_by: User) -> list:
    """What a person may narrow the figures to, for a select: everything, an organisation, or a team (one query)."""
    if not can(fetched_by, Action.DASHBOARD_SYSTEM_WIDE):
        return []  # a team lead sees their own team only: nothing to choose
    groups: dict[str, list] = {}
    for team in Team.objects.select_related("organisation").order_by("organisation__name", "name"):
        organisation = team.organisation
        groups.setdefault(
            organisation.name, [(f"organisation-{organisation.pk}", f"All of {organisation.name}")]
        ).append((f"team-{team.pk}", team.name))
    return [(EVERYWHERE, "All organisations"), *groups.items()]


def report_scope(*, fetched_by: User, choice: str = EVERYWHERE) -> Scope:
    """The queues counted for ``fetched_by`` given their choice ("organisation-3", "team-7" or everything)."""
    queues = scope_report_queues(fetched_by, DutyQueue.objects.all())
    if not can(fetched_by, Action.DASHBOARD_SYSTEM_WIDE):
        label = str(fetched_by.team) if fetched_by.team_id else "No team"
        return Scope(frozenset(queues.values_list("pk", flat=True)), label)
    kind, _, pk = choice.partition("-")
    if kind == "organisation":
        queues = queues.filter(team__organisation_id=int(pk))
    elif kind == "team":
        queues = queues.filter(team_id=int(pk))
    else:
        return Scope(None)
    found = list(queues.values_list("pk", "team__name", "team__organisation__name"))
    label = (found[0][2] if kind == "organisation" else found[0][1]) if found else "No duty queues"
    return Scope(frozenset(pk for pk, *_ in found), label)


@dataclass
class Shown:
    figure: Figure
    rows: list[dict]
    # Empty when the figure has nothing to draw: the page says ``figure.empty`` instead.
    chart: SafeString | str

    @property
    def cells(self) -> list[list[tuple]]:
        """The table under the chart: each row's (value, is it a number) in column order."""
        return [[(row[column.key], column.numeric) for column in self.figure.columns] for row in self.rows]


def chart_for(figure: Figure, rows: list[dict]) -> SafeString:
    unit = "%" if figure.value_key.endswith("percent") else ""
    if figure.chart == Chart.BARS:
        labels = [" · ".join(str(row[key]) for key in figure.label_keys) for row in rows]
        # A value that could not be worked out stays None: the chart says "no data", not 0.
        return charts.bars(figure.title, figure.description, labels, [row[figure.value_key] for row in rows], unit)
    values = [row[figure.value_key] or 0 for row in rows]
    if figure.chart == Chart.COLUMNS:
        labels = [row[figure.label_keys[0]].strftime("%-d %b") for row in rows]
        return charts.columns(figure.title, figure.description, labels, values, unit)
    row_key, column_key = figure.label_keys
    row_names = list(dict.fromkeys(row[row_key] for row in rows))
    column_names = list(dict.fromkeys(row[column_key] for row in rows))
    width = len(column_names)
    grid = [values[i * width : (i + 1) * width] for i in range(len(row_names))]
    return charts.heatmap(figure.title, figure.description, row_names, column_names, grid)


def figures_for(*, fetched_by: User) -> tuple[Figure, ...]:
    """The figures ``fetched_by`` may see: system-wide ones only with Action.DASHBOARD_SYSTEM_WIDE (not a team lead)."""
    if can(fetched_by, Action.DASHBOARD_SYSTEM_WIDE):
        return FIGURES
    return tuple(figure for figure in FIGURES if not figure.system_wide)


def top_and_others(figure: Figure, rows: list[dict]) -> list[dict]:
    """The figure's ``top`` largest rows, then one "Others" row summing the rest, so the page and
    its chart stay small however many services the directory holds."""
    if not figure.top or len(rows) <= figure.top + 1:
        return rows
    ranked = sorted(rows, key=lambda row: row[figure.value_key] or 0, reverse=True)
    kept, rest = ranked[: figure.top], ranked[figure.top :]
    others = {column.key: sum(row[column.key] or 0 for row in rest) for column in figure.columns if column.numeric}
    others[figure.label_keys[0]] = f"Others ({len(rest)} more)"
    return [*kept, others]


def dashboard(*, period: Period, scope: Scope, fetched_by: User) -> list[Shown]:
    """Every figure ``fetched_by`` may see for the period and scope: a fixed number of queries each, however much data."""
    shown = []
    for figure in figures_for(fetched_by=fetched_by):
        rows = top_and_others(figure, figure.rows(period, scope))
        shown.append(Shown(figure, rows, chart_for(figure, rows) if figure.has_data(rows) else ""))
    return shown


def by_section(shown: list[Shown]) -> list[tuple[Section, list[Shown]]]:
    """The figures shown, grouped in the page's sections (in the contents list's order); empty sections left out."""
    groups = {section: [item for item in shown if item.figure.section == section] for section in Section}
    return [(section, items) for section, items in groups.items() if items]
