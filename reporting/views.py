"""The dashboard page, each figure's CSV, and the joint data set as CSV."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from ccc.access_log import access_exported
from ccc.csv_export import csv_stream
from ccc.permissions import Action, allowed
from reporting import capacity, joint, selectors
from reporting.figures import FIGURES_BY_SLUG
from reporting.forms import PeriodForm
from reporting.headlines import headlines


def _form(request) -> PeriodForm:
    return PeriodForm(request.GET, scope_choices=selectors.scope_choices(fetched_by=request.user))


def _scope(request, form: PeriodForm):
    return selectors.report_scope(fetched_by=request.user, choice=form.cleaned_data.get("scope") or "")


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
    period, scope = form.period_value, _scope(request, form)
    return csv_stream(
        filename=f"{slug}-{period.first.isoformat()}-to-{period.last.isoformat()}.csv",
        header=[column.label for column in figure.columns],
        rows=([row[column.key] for column in figure.columns] for row in figure.rows(period, scope)),
        on_done=lambda sent: access_exported(request, what=f"dashboard figure {slug}", rows=sent),
    )


@allowed(Action.DASHBOARD_VIEW)
def joint_data_set_csv(request):
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Invalid period or scope: " + form.errors.as_text(), status=400, content_type="text/plain")
    period = form.period_value
    lines = joint.as_lines(joint.joint_data_set(period=period, scope=_scope(request, form)))
    return csv_stream(
        filename=f"joint-data-set-{period.first.isoformat()}-to-{period.last.isoformat()}.csv",
        header=next(lines),
        rows=lines,
        on_done=lambda sent: access_exported(request, what="joint data set CSV", rows=sent),
    )


@allowed(Action.CAPACITY_VIEW)
def live_capacity(request):
    return render(request, "reporting/capacity.html", {"capacity": capacity.live_capacity(fetched_by=request.user)})
