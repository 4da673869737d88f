from pathlib import Path

from celery import shared_task
from django.conf import settings

from ccc.models import User
from reporting import downtime


@shared_task
def write_downtime_copy() -> str:
    """The hourly downtime copy, read as CCC_DOWNTIME_USER, into CCC_DOWNTIME_DIR (docs/DOWNTIME.md)."""
    actor = User.objects.get(username=settings.CCC_DOWNTIME_USER)
    return str(downtime.downtime_copy_write(actor=actor, folder=Path(settings.CCC_DOWNTIME_DIR)))
