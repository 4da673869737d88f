"""Pages for call-back requests: a team's list of calls to return, and recording one."""

from django.contrib import messages
from django.shortcuts import redirect, render

from ccc.lists import list_page
from ccc.permissions import Action, allowed, can, require
from ccc.web import form_call
from referrals import selectors, services
from referrals.choices import move_choices
from referrals.forms_call_backs import CallBackRecordForm, CallBackTeamForm
from referrals.models import CallBackRequest


@allowed(Action.CALL_BACK_VIEW)
def call_back_list(request):
    form = CallBackTeamForm(request.GET or None)
    team = form.cleaned_data["team"] if form.is_bound and form.is_valid() else None
    requests = list_page(request, selectors.call_back_list(fetched_by=request.user, team=team))
    return render(request, "referrals/call_back_list.html", {"form": form, "requests": requests, "team": team})


@allowed(Action.CALL_BACK_VIEW)
def call_back_detail(request, request_id):
    call_back = selectors.call_back_get(public_id=request_id, fetched_by=request.user)
    form = CallBackRecordForm(request.POST or None)
    may_record = can(request.user, Action.CALL_BACK_RECORD, call_back)
    if request.method == "POST":
        require(request.user, Action.CALL_BACK_RECORD, call_back)
        if form.is_valid():
            ok, recorded = form_call(form, lambda: services.call_back_request_record(
                request=call_back, actor=request.user, **form.cleaned_data
            ))
            if ok:
                messages.success(request, f"Call back to {recorded.caller_name}: {recorded.get_status_display().lower()}")
                return redirect("referrals:call_back_list")
    context = {
        "call_back": call_back,
        "form": form,
        "can_record": may_record and bool(move_choices(CallBackRequest, call_back.status)),
    }
    return render(request, "referrals/call_back_detail.html", context)
