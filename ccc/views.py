from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from ccc.permissions import Action, can
from referrals.selectors import referral_list
from triage.selectors import queue_list


@login_required
def home(request):
    """Each role's starting point: the work in front of them."""
    user = request.user
    context = {
        "can_refer": can(user, Action.REFERRAL_CREATE),
        "queues": list(queue_list(fetched_by=user)) if can(user, Action.QUEUE_VIEW) else [],
        "recent_referrals": (
            list(referral_list(fetched_by=user).filter(received_by=user)[:10])
            if can(user, Action.REFERRAL_CREATE)
            else []
        ),
        "can_administer": can(user, Action.ADMINISTER),
        "can_log_contact": can(user, Action.CONTACT_LOG),
        "can_track": can(user, Action.REFERRAL_TRACK),
    }
    return render(request, "home.html", context)


@login_required
def session_keepalive(request):
    """"Stay signed in" on the idle warning: the request itself counts as activity."""
    return JsonResponse({"idle_timeout_seconds": settings.IDLE_TIMEOUT_SECONDS})
