"""Paper copies for when the system is down: print views of a queue, the board and today's visits, and
the downtime export a manager takes every hour. Each shows patients' records, so each is logged."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ccc.access_log import access_exported
from ccc.permissions import Action, allowed
from reporting import downtime
from triage.selectors import queue_get


def _paper(request, *, title: str, sections: list, back_url: str = "") -> str:
    access_exported(request, what=f"paper: {title}", rows=sum(len(section.rows) for section in sections))
    return downtime.paper_html(title=title, sections=sections, printed_by=request.user, back_url=back_url, request=request)


@require_GET
@allowed(Action.QUEUE_VIEW)
def queue_print(request, code):
    queue = queue_get(code=code, fetched_by=request.user)
    section = downtime.paper_queue(queue=queue, fetched_by=request.user)
    return HttpResponse(_paper(request, title=queue.name, sections=[section], back_url=reverse("triage:queue_detail", args=[queue.code])))


@require_GET
@allowed(Action.TOC_VIEW)
def board_print(request):
    section = downtime.paper_board(fetched_by=request.user)
    return HttpResponse(_paper(request, title=section.title, sections=[section], back_url=reverse("discharge:board")))


@require_GET
@allowed(Action.EPISODE_VIEW)
def visits_print(request):
    section = downtime.paper_visits(fetched_by=request.user)
    return HttpResponse(_paper(request, title=section.title, sections=[section], back_url=reverse("irr:episode_list")))


@require_GET
@allowed(Action.DOWNTIME_EXPORT)
def export(request):
    """One self-contained HTML file (its styles inside it): it opens and prints with the system down."""
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    html = _paper(request, title=downtime.DOWNTIME_TITLE, sections=downtime.downtime_sections(fetched_by=request.user))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ccc-downtime-{stamp}.html"'
    return response
