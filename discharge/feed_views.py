"""Pages of the admissions feed: the current inpatients (to register one from), and the messages
held for a person to accept or reject."""

from django.contrib import messages
from django.forms import Form
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ccc.lists import list_page
from ccc.permissions import Action, allowed, can
from ccc.web import form_call
from discharge import selectors, services
from discharge.forms import BoardFilterForm


@allowed(Action.TOC_VIEW)
def inpatients(request):
    form = BoardFilterForm(request.GET or None)
    ward = form.cleaned_data.get("ward") if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "inpatients": list_page(request, selectors.current_inpatients(fetched_by=request.user, ward_id=getattr(ward, "pk", None))),
        "can_work": can(request.user, Action.TOC_WORK),
    }
    return render(request, "discharge/inpatients.html", context)


@allowed(Action.TOC_WORK)
def held(request):
    return render(request, "discharge/held_messages.html", {"held": list_page(request, selectors.held_messages(fetched_by=request.user))})


@require_POST
@allowed(Action.TOC_WORK)
def resolve(request, message_id):
    message = selectors.feed_message_get(public_id=message_id, fetched_by=request.user)
    accept = request.POST.get("decision") == "accept"
    outcome = Form(data={})
    if form_call(outcome, lambda: services.feed_message_resolve(message=message, actor=request.user, accept=accept))[0]:
        messages.success(request, "Message accepted and applied" if accept else "Message rejected: it will not be applied")
    else:
        messages.error(request, " ".join(text for errors in outcome.errors.values() for text in errors))
    return redirect("discharge:feed_held")
