"""The system escalation page: every partner's level, why and since when, its action card, the
changes, setting a level by hand, and a day's summary as CSV."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ccc.csv_export import csv_stream
from ccc.permissions import Action, allowed, can
from ccc.web import form_call
from opel import selectors, services
from opel.forms import DayForm, LevelForm
from opel.models import Partner


def _page(request, *, form: LevelForm | None = None, failed: Partner | None = None, status: int = 200):
    context = {
        "partners": selectors.partners_now(fetched_by=request.user),
        "figures": selectors.live_figures(fetched_by=request.user),
        "changes": list(selectors.changes_recent(fetched_by=request.user)),
        "may_set": can(request.user, Action.SYSTEM_LEVEL_SET),
        "form": form or LevelForm(),
        "failed": failed,
        "today": timezone.localdate(),
    }
    return render(request, "opel/system.html", context, status=status)


@allowed(Action.SYSTEM_LEVEL_VIEW)
def system(request):
    return _page(request)


@require_POST
@allowed(Action.SYSTEM_LEVEL_SET)
def partner_level(request, partner_id):
    partner = get_object_or_404(Partner, pk=partner_id)
    form = LevelForm(request.POST)
    done = form.is_valid() and form_call(form, lambda: services.partner_level_set(
        partner=partner, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"], actor=request.user
    ))[0]
    if not done:
        return _page(request, form=form, failed=partner, status=400)
    messages.success(request, f"{partner.name}: level set by hand")
    return redirect("opel:system")


@allowed(Action.SYSTEM_LEVEL_VIEW)
def day_summary_csv(request):
    form = DayForm(request.GET or {"day": timezone.localdate().isoformat()})
    if not form.is_valid():
        return HttpResponse("Give the day as YYYY-MM-DD.", status=400, content_type="text/plain")
    day = form.cleaned_data["day"]
    return csv_stream(
        filename=f"system-escalation-{day.isoformat()}.csv",
        header=["Day", "Partner", "Kind", "Level at start", "Highest level", "Level at end", "Changes", "Last reason"],
        rows=(
            [day.isoformat(), row.partner, row.kind, row.level_at_start, row.highest, row.level_at_end, row.changes,
             row.last_reason]
            for row in selectors.day_summary(day=day, fetched_by=request.user)
        ),
    )
