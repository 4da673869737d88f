from django.urls import reverse

from ccc.permissions import Action, can


def navigation(request) -> dict:
    """The header's links: only the places this person's role lets them go."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_items": []}
    links = [
        (Action.REFERRAL_CREATE, "New referral", "referrals:patient_find"),
        (Action.REFERRAL_VIEW, "Referrals", "referrals:referral_list"),
        (Action.QUEUE_VIEW, "Duty queues", "triage:queue_list"),
        (Action.EPISODE_VIEW, "IRR episodes", "irr:episode_list"),
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
