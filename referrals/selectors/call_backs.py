"""Call-back requests: a team's list of calls to return, and one request."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccc.models import Team, User
from ccc.permissions import Action, can
from referrals.models import CallBackRequest
from referrals.permissions import scope_call_backs


def call_back_list(
    *, fetched_by: User, team: Team | None = None, status: str = CallBackRequest.Status.OPEN
) -> QuerySet[CallBackRequest]:
    """Call-back requests the asker may see, the one due soonest first (open ones by default)."""
    requests = CallBackRequest.objects.select_related("team", "clinician", "patient", "requested_by", "done_by")
    if status:
        requests = requests.filter(status=status)
    if team is not None:
        requests = requests.filter(team=team)
    return scope_call_backs(fetched_by, requests).order_by("due_at", "pk")


def call_back_get(*, public_id, fetched_by: User) -> CallBackRequest:
    request = get_object_or_404(
        CallBackRequest.objects.select_related("team", "clinician", "patient", "requested_by", "done_by", "contact"),
        public_id=public_id,
    )
    if not can(fetched_by, Action.CALL_BACK_VIEW, request):
        raise Http404("No such call-back request")
    return request
