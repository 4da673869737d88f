from ccc.permissions import Action, can
from escalations.selectors import unread_count


def notifications(request) -> dict:
    """The unread count in the page header: one COUNT on a partial index."""
    user = getattr(request, "user", None)
    if not can(user, Action.NOTIFICATION_VIEW):
        return {}
    return {"unread_notifications": unread_count(user=user)}
