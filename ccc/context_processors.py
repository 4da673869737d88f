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
        (Action.ADMINISTER, "Administration", "admin:index"),
        (Action.API_DOCS, "API", "api-docs"),
    ]
    items = []
    for action, label, name in links:
        if can(user, action):
            url = reverse(name)
            items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {"nav_items": items}
