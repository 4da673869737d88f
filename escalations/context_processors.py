from django.utils.functional import SimpleLazyObject

from ccc.permissions import Action, can
from escalations.selectors import unread_count


def notifications(request) -> dict:
    """The unread count in the page header: one COUNT on a partial index, run only when a page
    with the header shows it (a refreshed fragment does not)."""
    user = getattr(request, "user", None)
    if not can(user, Action.NOTIFICATION_VIEW):
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(fetched_by=user))}
