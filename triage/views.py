from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_viewed
from ccc.exceptions import Conflict
from ccc.permissions import Action, allowed, can, require
from ccc.web import form_call
from escalations.selectors import with_clock_warning
from referrals import selectors as referral_selectors
from referrals.models import Referral
from referrals.patient_page import patient_summary_parts
from referrals.selectors import with_patient_safety
from triage import selectors, services
from triage.forms import ReassignForm, ReleaseForm, ReturnForm, RotaEntryForm, TriageDecisionForm, UrgencyChangeForm
from triage.models import PRIORITY_MEANING, Priority, QueueItem, RotaEntry, TriageDecision
from triage.services import TRIAGE_CLOCK

# How often the queue page fetches its table again (seconds).
QUEUE_REFRESH_SECONDS = 15
# Rows of the queue shown at once, on the page and in each refresh.
QUEUE_PAGE_SIZE = 50


@allowed(Action.QUEUE_VIEW)
def queue_list(request):
    context = {
        "queues": selectors.queue_list(fetched_by=request.user),
        "can_export_downtime": can(request.user, Action.DOWNTIME_EXPORT),
    }
    return render(request, "triage/queue_list.html", context)


def _queue_context(request, queue) -> dict:
    filters = selectors.queue_filters(request.GET, request.user)
    # The warning flag (75% of the target gone) and the patient's safety alerts come in the same query.
    # One page of the queue's order at a time (read off its index) and one count: the 15-second
    # refresh stays bounded.
    page = Paginator(
        with_patient_safety(
            with_clock_warning(
                selectors.queue_items(queue=queue, **filters),
                kind=TRIAGE_CLOCK, subject_model=Referral, subject_field="referral_id",
            ),
            "referral__patient",
        ),
        QUEUE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for item in items:
        item.held_by_me = item.is_held_by(request.user)
    other_params = request.GET.copy()
    other_params.pop("page", None)
    return {
        "queue": queue,
        "items": items,
        "page": page,
        "page_query": other_params.urlencode(),
        "can_claim": can(request.user, Action.QUEUE_ITEM_CLAIM, queue),
        "can_reassign": can(request.user, Action.QUEUE_ITEM_REASSIGN, queue),
        "can_change_urgency": can(request.user, Action.QUEUE_ITEM_URGENCY, queue),
        "filtered": bool(filters),
        "query": request.GET.urlencode(),
    }


@allowed(Action.QUEUE_VIEW)
def queue_detail(request, code):
    queue = selectors.queue_get(code=code, fetched_by=request.user)
    context = _queue_context(request, queue)
    context.update(
        {
            "on_duty": selectors.rota_now(queue=queue, at=timezone.now()),
            "filters": request.GET,
            "urgencies": Priority.choices,
            "referrer_types": Referral.ReferrerType.choices,
            "statuses": [(QueueItem.Status.WAITING, "Waiting"), (QueueItem.Status.CLAIMED, "Claimed")],
            "refresh_seconds": QUEUE_REFRESH_SECONDS,
            "can_set_rota": can(request.user, Action.ROTA_MANAGE, queue),
            # Offered only when some open item has a locality team; postcode district stays beside it.
            "locality_teams": list(selectors.queue_locality_teams(queue=queue)),
        }
    )
    return render(request, "triage/queue_detail.html", context)


@allowed(Action.QUEUE_VIEW)
def queue_items_fragment(request, code):
    """The queue's table alone: the page fetches it every few seconds, so a claimed item never shows as free."""
    queue = selectors.queue_get(code=code, fetched_by=request.user)
    return render(request, "triage/_queue_items.html", _queue_context(request, queue))  # no-store: ccc.middleware


@require_POST
@allowed(Action.QUEUE_ITEM_CLAIM)
def queue_claim_next(request, code):
    queue = selectors.queue_get(code=code, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_CLAIM, queue)
    try:
        item = services.queue_item_claim_next(queue=queue, actor=request.user)
    except Conflict as error:
        messages.error(request, str(error))
        return redirect("triage:queue_detail", code=queue.code)
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
        services.queue_item_claim(item=item, actor=request.user)
    except Conflict as error:
        messages.error(request, str(error))
        return redirect("triage:queue_detail", code=item.queue.code)
    messages.success(request, f"You have claimed referral {item.referral.reference}")
    return redirect("triage:item_triage", item_id=item.public_id)


@allowed(Action.QUEUE_ITEM_TRIAGE)
def item_triage(request, item_id):
    item = selectors.queue_item_get(public_id=item_id, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_TRIAGE, item)
    # Without JavaScript, "Continue" brings the page back with the chosen outcome's fields, keeping
    # what was typed and checking nothing yet.
    choosing = request.POST.get("step") == "choose"
    form = (TriageDecisionForm(initial=request.POST.dict(), item=item) if choosing
            else TriageDecisionForm(request.POST or None, item=item))
    if request.method == "POST" and not choosing and form.is_valid():
        # On a lost race or a broken rule the note stays on the page as typed, with the reason.
        ok, decision = form_call(
            form, lambda: services.triage_decision_record(item=item, actor=request.user, **form.service_kwargs())
        )
        if ok:
            messages.success(request, f"Triage decision recorded for referral {item.referral.reference}")
            if decision.outcome == TriageDecision.Outcome.ACCEPT:
                return redirect("irr:episode_open", decision_id=decision.public_id)
            return redirect("referrals:referral_detail", referral_id=item.referral.public_id)
    referral = item.referral
    # The whole person beside the decision (issue 13): parts only someone who may open the record sees.
    parts = patient_summary_parts(patient=referral.patient, fetched_by=request.user)
    access_viewed(request, kind=AccessKind.REFERRAL, record_id=referral.public_id, patient_id=referral.patient_id)
    context = {"item": item, "referral": referral, "form": form, "release_form": ReleaseForm(),
               "held_by_me": item.is_held_by(request.user), "summary_parts": parts, "can_open_patient": bool(parts),
               "alerts": referral_selectors.active_alerts(patient=referral.patient)}
    return render(request, "triage/item_triage.html", context)


@allowed(Action.QUEUE_ITEM_RELEASE)
def item_release(request, item_id):
    item = selectors.queue_item_get(public_id=item_id, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_RELEASE, item)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(
            form, lambda: services.queue_item_release(item=item, actor=request.user, reason=form.cleaned_data["reason"])
        )
        if ok:
            messages.success(request, f"Referral {item.referral.reference} is back in {item.queue}")
            return redirect("triage:queue_detail", code=item.queue.code)
    return _form_page(request, form, item, f"Release referral {item.referral.reference}", "Release to the queue",
                      "It goes back to the queue for another clinician of this specialty to claim.")


@allowed(Action.QUEUE_ITEM_TRIAGE)
def item_return(request, item_id):
    """Send a claimed referral back to the referrer, with the reason they read on their tracking page."""
    item = selectors.queue_item_get(public_id=item_id, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_TRIAGE, item)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: services.queue_item_return(item=item, actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, f"Referral {item.referral.reference} returned to {item.referral.referrer_name}")
            return redirect("triage:queue_detail", code=item.queue.code)
    return _form_page(request, form, item, f"Return referral {item.referral.reference} to the referrer",
                      "Return to the referrer", "It leaves the queue; the referrer can send it again, corrected.")


@allowed(Action.QUEUE_ITEM_URGENCY)
def item_urgency(request, item_id):
    item = selectors.queue_item_get(public_id=item_id, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_URGENCY, item)
    form = UrgencyChangeForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        ok, changed = form_call(
            form, lambda: services.queue_item_urgency_change(item=item, actor=request.user, **form.cleaned_data)
        )
        if ok:
            messages.success(
                request, f"Referral {item.referral.reference} is now {changed.get_urgency_display().lower()}"
            )
            return redirect("triage:queue_detail", code=item.queue.code)
    intro = f"Now {item.get_urgency_display().lower()}: {PRIORITY_MEANING[item.urgency]}. The due time and escalation clock move with it."
    return _form_page(request, form, item, f"Change the urgency of referral {item.referral.reference}", "Change urgency", intro)


@allowed(Action.QUEUE_ITEM_REASSIGN)
def item_reassign(request, item_id):
    item = selectors.queue_item_get(public_id=item_id, fetched_by=request.user)
    require(request.user, Action.QUEUE_ITEM_REASSIGN, item)
    form = ReassignForm(request.POST or None, queue=item.queue, initial={"expected_holder": item.claimed_by_id})
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: services.queue_item_reassign(item=item, actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, f"Referral {item.referral.reference} reassigned to {form.cleaned_data['to']}")
            return redirect("triage:queue_detail", code=item.queue.code)
    holder = f"Claimed by {item.claimed_by}" if item.claimed_by else "Waiting: nobody has it yet"
    return _form_page(request, form, item, f"Reassign referral {item.referral.reference}", "Reassign", holder)


def _form_page(request, form, item: QueueItem, title: str, button: str, intro: str = ""):
    context = {
        "form": form,
        "title": title,
        "caption": f"{item.queue} · {item.referral.patient.full_name}",
        "back_url": reverse("triage:queue_detail", args=[item.queue.code]),
        "button": button,
        "intro": intro,
    }
    return render(request, "triage/form_page.html", context)


@allowed(Action.ROTA_MANAGE)
def queue_rota(request, code):
    """The team lead's rota for the queue: this week and next."""
    queue = selectors.queue_get(code=code, fetched_by=request.user)
    require(request.user, Action.ROTA_MANAGE, queue)
    today = timezone.localdate()
    form = RotaEntryForm(request.POST or None, queue=queue, initial={"date": today})
    if request.method == "POST" and "remove" in request.POST:
        entry = RotaEntry.objects.filter(queue=queue, pk=request.POST.get("remove")).first()
        if entry:
            services.rota_entry_remove(entry=entry, actor=request.user)
            messages.success(request, f"{entry.clinician} taken off the {entry.shift.name.lower()} shift on {entry.date:%-d %b}")
        return redirect("triage:queue_rota", code=queue.code)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: services.rota_entry_set(queue=queue, actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, "Rota updated")
            return redirect("triage:queue_rota", code=queue.code)
    dates = [today + timedelta(days=n) for n in range(14)]
    context = {"queue": queue, "form": form, "rota": selectors.rota_for(queue=queue, dates=dates).order_by("date", "shift__starts", "-is_lead")}
    return render(request, "triage/queue_rota.html", context)
