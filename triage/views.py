from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ccc.exceptions import Conflict
from ccc.permissions import Action, allowed, can, require
from escalations.selectors import with_clock_warning
from referrals.models import Referral
from triage import selectors, services
from triage.forms import TriageDecisionForm
from triage.services import TRIAGE_CLOCK


@allowed(Action.QUEUE_VIEW)
def queue_list(request):
    return render(request, "triage/queue_list.html", {"queues": selectors.queue_list(fetched_by=request.user)})


@allowed(Action.QUEUE_VIEW)
def queue_detail(request, code):
    queue = selectors.queue_get(code=code, fetched_by=request.user)
    context = {
        "queue": queue,
        "items": list(with_clock_warning(
            selectors.queue_items(queue=queue), kind=TRIAGE_CLOCK, subject_model=Referral, subject_field="referral_id"
        )),
        "can_claim": can(request.user, Action.QUEUE_ITEM_CLAIM, queue),
    }
    return render(request, "triage/queue_detail.html", context)


@require_POST
@allowed(Action.QUEUE_ITEM_CLAIM)
def queue_claim_next(request, code):
    queue = selectors.queue_get(code=code, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_CLAIM, queue)
    item = services.queue_item_claim_next(queue=queue, user=request.user)
    if item is None:
        messages.info(request, f"Nothing is waiting in {queue}")
        return redirect("triage:queue_detail", code=queue.code)
    messages.success(request, f"You have claimed referral {item.referral.reference}")
    return redirect("triage:item_triage", item_id=item.public_id)


@require_POST
@allowed(Action.QUEUE_ITEM_CLAIM)
def item_claim(request, item_id):
    item = selectors.queue_item_get(public_id=item_id, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_CLAIM, item)
    try:
        services.queue_item_claim(item=item, user=request.user)
    except Conflict as error:
        messages.error(request, str(error))
        return redirect("triage:queue_detail", code=item.queue.code)
    messages.success(request, f"You have claimed referral {item.referral.reference}")
    return redirect("triage:item_triage", item_id=item.public_id)


@allowed(Action.QUEUE_ITEM_TRIAGE)
def item_triage(request, item_id):
    item = selectors.queue_item_get(public_id=item_id, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_TRIAGE, item)
    form = TriageDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.triage_decision_record(item=item, user=request.user, **form.cleaned_data)
        except Conflict as error:
            # Keep what was typed: the note is on the page with the reason it was not saved.
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Triage decision recorded for referral {item.referral.reference}")
            return redirect("referrals:referral_detail", referral_id=item.referral.public_id)
    return render(request, "triage/item_triage.html", {"item": item, "referral": item.referral, "form": form})
