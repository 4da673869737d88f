"""The dashboard page, each figure's CSV, and the joint data set as CSV."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from ccc.access_log import access_exported
from ccc.csv_export import csv_writer
from ccc.permissions import Action, allowed
from reporting import capacity, joint, selectors
from reporting.figures import FIGURES_BY_SLUG
from reporting.forms import PeriodForm
from reporting.headlines import headlines


def _form(request) -> PeriodForm:
    return PeriodForm(request.GET, scope_choices=selectors.scope_choices(fetched_by=request.user))


def _scope(request, form: PeriodForm):
    return selectors.report_scope(fetched_by=request.user, choice=form.cleaned_data.get("scope") or "")


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@allowed(Action.DASHBOARD_VIEW)
def dashboard(request):
    form = _form(request)
    context = {"form": form, "figures": [], "query": request.GET.urlencode()}
    if form.is_valid():
        period, scope = form.period_value, _scope(request, form)
        figures = selectors.dashboard(period=period, scope=scope, fetched_by=request.user)
        context.update(
            period=period, scope=scope, figures=figures, sections=selectors.by_section(figures),
            headlines=headlines(shown=figures, scope=scope, fetched_by=request.user),
        )
    return render(request, "reporting/dashboard.html", context)


@allowed(Action.DASHBOARD_VIEW)
def figure_csv(request, slug):
    figure = FIGURES_BY_SLUG.get(slug)
    if figure is None or figure not in selectors.figures_for(fetched_by=request.user):
        raise Http404("No such figure")
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Invalid period or scope: " + form.errors.as_text(), status=400, content_type="text/plain")
    period = form.period_value
    response = _csv_response(f"{slug}-{period.first.isoformat()}-to-{period.last.isoformat()}.csv")
    writer = csv_writer(response)
    writer.writerow([column.label for column in figure.columns])
    rows = list(figure.rows(period, _scope(request, form)))
    writer.writerows([row[column.key] for column in figure.columns] for row in rows)
    access_exported(request, what=f"dashboard figure {slug}", rows=len(rows))
    return response


class _Echo:
    """A file that hands back what is written to it, for streaming the CSV writer's lines."""

    def write(self, value: str) -> str:
        return value


def _logged_when_done(request, lines):
    """Stream the joint data set's lines, then log the export with the rows that left (the header not
    counted): also when the download stops part way, since Django closes the stream."""
    sent = 0
    try:
        for line in lines:
            yield line
            sent += 1
    finally:
        access_exported(request, what="joint data set CSV", rows=max(sent - 1, 0))


@allowed(Action.DASHBOARD_VIEW)
def joint_data_set_csv(request):
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Invalid period or scope: " + form.errors.as_text(), status=400, content_type="text/plain")
    period = form.period_value
    writer = csv_writer(_Echo())
    rows = joint.joint_data_set(period=period, scope=_scope(request, form))
    lines = _logged_when_done(request, (writer.writerow(line) for line in joint.as_lines(rows)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"joint-data-set-{period.first.isoformat()}-to-{period.last.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@allowed(Action.CAPACITY_VIEW)
def live_capacity(request):
    return render(request, "reporting/capacity.html", {"capacity": capacity.live_capacity(fetched_by=request.user)})
