from celery import shared_task

from escalations import services


@shared_task(acks_late=True)
def fire_due_escalations() -> int:
    return services.escalations_fire_due()
