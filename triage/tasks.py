from celery import shared_task

from triage import services


@shared_task(acks_late=True)
def notify_queue_item(item_id: int) -> bool:
    return services.queue_item_notify(item_id=item_id)


@shared_task
def notify_pending_queue_items() -> int:
    return services.notify_pending_queue_items()
