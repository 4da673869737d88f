from django.conf import settings
from django.urls import reverse

from ccc.permissions import Action, can


def navigation(request) -> dict:
    """The header's links: only the places this person's role lets them go."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_items": []}
    links = [
        (Action.CONTACT_LOG, "Log a contact", "referrals:contact_log"),
        (Action.CONTACT_VIEW, "Contacts", "referrals:contact_list"),
        (Action.REFERRAL_CREATE, "New referral", "referrals:patient_find"),
        (Action.REFERRAL_VIEW, "Referrals", "referrals:referral_list"),
        (Action.QUEUE_VIEW, "Duty queues", "triage:queue_list"),
        (Action.REFERRAL_TRACK, "Track referrals", "referrals:tracking_list"),
        (Action.FOLLOW_UP_CALL_VIEW, "Work list", "referrals:follow_up_work_list"),
        (Action.TRANSPORT_VIEW, "Transport", "referrals:transport_list"),
        (Action.CALL_BACK_VIEW, "Call backs", "referrals:call_back_list"),
        (Action.ESCALATION_VIEW_ALL, "Escalations", "escalations:escalation_list"),
        (Action.DASHBOARD_VIEW, "Dashboard", "reporting:dashboard"),
        (Action.DIRECTORY_SEARCH, "Directory", "directory:search"),
        (Action.TOC_VIEW, "Transfer of Care", "discharge:board"),
        (Action.EPISODE_VIEW, "IRR episodes", "irr:episode_list"),
        (Action.CAPACITY_VIEW, "Live capacity", "live_capacity"),
        (Action.SYSTEM_LEVEL_VIEW, "System level", "opel:system"),
        (Action.ACCESS_LOG_VIEW, "Access log", "access_log"),
        (Action.ADMINISTER, "Administration", "admin:index"),
        (Action.API_DOCS, "API", "api-docs"),
    ]
    items = [
        {"label": label, "url": reverse(name)} for action, label, name in links if can(user, action)
    ]
    # One current page: the link whose address matches most of the path (/referrals/new/, not /referrals/).
    matching = [item["url"] for item in items if request.path.startswith(item["url"])]
    current = max(matching, key=len, default=None)
    for item in items:
        item["active"] = item["url"] == current
    return {"nav_items": items}


def idle_timeout(request) -> dict:
    """How long a signed-in page may sit idle, for the warning script (ccc/idle-timeout.js)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"idle_timeout_seconds": settings.IDLE_TIMEOUT_SECONDS}
