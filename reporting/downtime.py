"""Paper for when the system is down: what each team needs in front of it, read for the person asking.

Each list is one query (the patient's call-first phone and safety alerts come as subqueries) and
bounded at ``PAPER_LIMIT`` rows; a list cut short says so. The print views show one list; the
downtime export, for a manager to take every hour, holds them all (docs/DOWNTIME.md).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from ccc.access_log import Channel, Kind, access_log_record
from ccc.models import User
from ccc.permissions import Action, can, require
from discharge import selectors as discharge_selectors
from irr.models import Episode, Visit
from irr.permissions import scope_episodes
from referrals.selectors import call_back_list, with_patient_safety
from triage.models import DutyQueue
from triage.selectors import queue_items, queue_list

PAPER_LIMIT = 500


@dataclass
class Section:
    """One printed list: its heading, its rows (at most ``PAPER_LIMIT``) and whether more were left off."""

    kind: str
    title: str
    rows: list
    cut_short: bool = False


def _bounded(kind: str, title: str, queryset) -> Section:
    rows = list(queryset[: PAPER_LIMIT + 1])
    return Section(kind, title, rows[:PAPER_LIMIT], cut_short=len(rows) > PAPER_LIMIT)


def paper_queue(*, queue: DutyQueue, fetched_by: User) -> Section:
    """A duty queue's open items in the queue's order (the caller has checked ``queue`` is theirs)."""
    require(fetched_by, Action.QUEUE_VIEW, queue)
    items = with_patient_safety(queue_items(queue=queue), "referral__patient")
    return _bounded("queue", queue.name, items)


def paper_queues(*, fetched_by: User) -> list[Section]:
    return [paper_queue(queue=queue, fetched_by=fetched_by) for queue in queue_list(fetched_by=fetched_by)]


def paper_board(*, fetched_by: User) -> Section:
    return _bounded("board", "Transfer of Care board", discharge_selectors.board(fetched_by=fetched_by))


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def paper_visits(*, fetched_by: User, day: date | None = None) -> Section:
    """The day's IRR visits (UK local), team by team then by time: a clinician's own team's."""
    start, end = _day_bounds(day or timezone.localdate())
    episodes = scope_episodes(fetched_by, Episode.objects.all())
    visits = (
        Visit.objects.filter(Q(scheduled_for__gte=start) & Q(scheduled_for__lt=end), episode__in=episodes.values("pk"))
        .select_related("episode__patient", "episode__team")
        .order_by("episode__team__name", "scheduled_for", "pk")
    )
    return _bounded("visits", "Today's IRR visits", with_patient_safety(visits, "episode__patient"))


def paper_call_backs(*, fetched_by: User) -> Section:
    return _bounded("call_backs", "Calls to return", call_back_list(fetched_by=fetched_by))


def downtime_sections(*, fetched_by: User) -> list[Section]:
    """Everything the downtime export holds: each queue's open items, the board, today's visits and
    the open call backs."""
    require(fetched_by, Action.DOWNTIME_EXPORT)
    sections = paper_queues(fetched_by=fetched_by)
    if can(fetched_by, Action.TOC_VIEW):
        sections.append(paper_board(fetched_by=fetched_by))
    sections.append(paper_visits(fetched_by=fetched_by))
    sections.append(paper_call_backs(fetched_by=fetched_by))
    return sections


def paper_html(*, title: str, sections: list[Section], printed_by: User, back_url: str = "", request=None) -> str:
    """The paper page: a print view, or the downtime copy (with no request: written by the scheduled task)."""
    context = {
        "title": title, "sections": sections, "printed_at": timezone.localtime(), "printed_by": printed_by,
        "back_url": back_url,
    }
    return render_to_string("downtime/paper.html", context, request)


DOWNTIME_TITLE = "Downtime copy"


def downtime_copy_write(*, actor: User, folder: Path) -> Path:
    """Write the downtime copy, as ``actor`` reads it, to ``folder`` (the scheduled hourly copy), and log it.

    Written beside its final name and then renamed, so the folder never holds half a copy; the newest
    is also ``ccc-downtime-latest.html``, for the bookmark on the centre's standby laptop.
    """
    with transaction.atomic():
        sections = downtime_sections(fetched_by=actor)
        html = paper_html(title=DOWNTIME_TITLE, sections=sections, printed_by=actor)
        target = folder / f"ccc-downtime-{timezone.localtime():%Y-%m-%d-%H%M}.html"
        access_log_record(
            actor=actor, kind=Kind.EXPORT, record_id=f"paper: {DOWNTIME_TITLE}", patient_id=None,
            channel=Channel.PAGE, path=f"file:{target}", rows=sum(len(section.rows) for section in sections),
            detail="the scheduled downtime copy",
        )
        folder.mkdir(parents=True, exist_ok=True)
        for path in (target, folder / "ccc-downtime-latest.html"):
            partial = path.with_suffix(".partial")
            partial.write_text(html, encoding="utf-8")
            partial.replace(path)
    return target
