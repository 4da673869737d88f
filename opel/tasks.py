from celery import shared_task

from opel.services import levels_evaluate


@shared_task
def evaluate_levels() -> int:
    """Beat's system escalation sweep: each partner's level from the live figures."""
    return len(levels_evaluate())
