from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ccc.lists import first_rows, list_page
from ccc.permissions import Action, allowed, can, require
from ccc.web import form_call
from escalations import selectors, services
from escalations.forms import AcknowledgeForm


@allowed(Action.NOTIFICATION_VIEW)
def notification_list(request):
    notifications = list_page(request, selectors.notification_list(fetched_by=request.user))
    return render(request, "escalations/notification_list.html", {"notifications": notifications})


@require_POST
@allowed(Action.NOTIFICATION_VIEW)
def notification_open(request, notification_id):
    """Mark it read and go where it points."""
    notification = selectors.notification_get(public_id=notification_id, fetched_by=request.user)
    services.notification_mark_read(notification=notification, actor=request.user)
    return redirect(notification.url or "escalations:notification_list")


@require_POST
@allowed(Action.NOTIFICATION_VIEW)
def notification_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, f"{count} notification{'' if count == 1 else 's'} marked as read")
    return redirect("escalations:notification_list")


@allowed(Action.ESCALATION_VIEW_ALL)
def escalation_list(request):
    escalations = list_page(request, selectors.live_escalations(fetched_by=request.user))
    failing = first_rows(selectors.failing_clocks(fetched_by=request.user))
    return render(request, "escalations/escalation_list.html", {"escalations": escalations, "failing": failing})


@allowed(Action.NOTIFICATION_VIEW)
def escalation_detail(request, escalation_id):
    if request.method == "POST":
        require(request.user, Action.ESCALATION_ACKNOWLEDGE)  # the grant first: a referrer is refused, not told 404
    escalation = selectors.escalation_get(public_id=escalation_id, fetched_by=request.user)
    may_acknowledge = can(request.user, Action.ESCALATION_ACKNOWLEDGE, escalation)
    form = AcknowledgeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # Not sent to you: refused outright, as the API refuses it (the page offers no form).
        require(request.user, Action.ESCALATION_ACKNOWLEDGE, escalation)
        if form.is_valid():
            ok, _ = form_call(form, lambda: services.escalation_acknowledge(
                escalation=escalation, actor=request.user, **form.cleaned_data
            ))
            if ok:
                messages.success(request, "Acknowledged: the next rung waits while you deal with it")
                return redirect("escalations:escalation_detail", escalation_id=escalation.public_id)
            if form.non_field_errors():  # the service's Conflict: someone else has it, or it was answered
                status = 409
    context = {
        "escalation": escalation,
        "clock": escalation.clock,
        "recipients": selectors.escalation_recipients(escalation=escalation),
        "form": form,
        "may_acknowledge": may_acknowledge and not escalation.acknowledged_at and not escalation.de_escalated_at,
    }
    return render(request, "escalations/escalation_detail.html", context, status=status)
