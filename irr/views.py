from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_viewed
from ccc.lists import list_page
from ccc.permissions import Action, allowed, can, require
from ccc.phone import format_phone
from ccc.web import form_call
from irr import selectors, services
from irr.forms import EpisodeCloseForm, EpisodeOpenForm, MemberForm, VisitForm, VisitRecordForm
from irr.models import Episode
from irr.pairs import pairs_reasons, pairs_summary
from triage.models import TriageDecision


@require_GET
@allowed(Action.EPISODE_VIEW)
def episode_list(request):
    episodes = list_page(request, selectors.episode_list(fetched_by=request.user))
    for episode in episodes:
        episode.in_pairs = bool(pairs_reasons(episode))
    context = {
        "episodes": episodes,
        "capacity": selectors.team_capacity(),
    }
    return render(request, "irr/episode_list.html", context)


@allowed(Action.EPISODE_MANAGE)
def episode_open(request, decision_id):
    decision = get_object_or_404(
        TriageDecision.objects.select_related("queue_item__queue__team", "queue_item__referral__patient"),
        public_id=decision_id,
    )
    if not can(request.user, Action.QUEUE_VIEW, decision.queue_item):
        raise Http404("No such decision")
    require(request.user, Action.EPISODE_MANAGE, decision)
    existing = Episode.objects.filter(source_decision=decision).first()
    if existing:
        return redirect("irr:episode_detail", episode_id=existing.public_id)
    team = decision.queue_item.queue.team
    form = EpisodeOpenForm(request.POST or None, team=team, initial={"lead_professional": request.user.pk})
    if request.method == "POST" and form.is_valid():
        ok, episode = form_call(
            form,
            lambda: services.episode_open(
                patient=decision.queue_item.referral.patient, actor=request.user, source_decision=decision,
                **form.cleaned_data,
            ),
        )
        if ok:
            messages.success(request, "IRR episode opened: plan the first visit")
            return redirect("irr:visit_plan", episode_id=episode.public_id)
    context = {"form": form, "decision": decision, "referral": decision.queue_item.referral, "team": team,
               "capacity": selectors.team_capacity(teams=type(team).objects.filter(pk=team.pk)) if team else []}
    return render(request, "irr/episode_open.html", context)


@require_GET
@allowed(Action.EPISODE_VIEW)
def episode_detail(request, episode_id):
    episode = selectors.episode_get(public_id=episode_id, fetched_by=request.user)
    access_viewed(request, kind=AccessKind.EPISODE, record_id=episode.public_id, patient_id=episode.patient_id)
    context = {
        **_patient_panel(episode),
        "episode": episode,
        "can_manage": can(request.user, Action.EPISODE_MANAGE, episode),
        "pairs": pairs_summary(episode),
        # The one patient page: whoever sees an episode has a relationship with its patient (ccc.patient_access).
        "can_view_patient": can(request.user, Action.PATIENT_VIEW),
    }
    return render(request, "irr/episode_detail.html", context)


def _managed_episode(request, episode_id):
    episode = selectors.episode_get(public_id=episode_id, fetched_by=request.user)
    require(request.user, Action.EPISODE_MANAGE, episode)
    return episode


def _patient_panel(episode, annotated=None) -> dict:
    """What anyone working the episode must see: the patient's address, number, alerts, risk and respond-by.
    ``annotated`` is the row the selector annotated with them (the episode, or the visit being recorded)."""
    annotated = annotated or episode
    return {
        "panel_patient": episode.patient,
        "decision": episode.source_decision,
        "phone_first": format_phone(annotated.patient_phone_first or ""),
        "alerts": annotated.patient_alerts,
    }


def _page(request, form, episode, title, button, intro="", annotated=None):
    context = {
        **_patient_panel(episode, annotated),
        "patient_panel": "irr/_patient_panel.html",
        "form": form, "title": title, "button": button, "intro": intro, "caption": f"IRR episode · {episode.patient.full_name}",
        "back_url": reverse("irr:episode_detail", args=[episode.public_id]),
    }
    return render(request, "triage/form_page.html", context)


@allowed(Action.EPISODE_MANAGE)
def member_add(request, episode_id):
    episode = _managed_episode(request, episode_id)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: services.episode_member_add(episode=episode, actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, f"{form.cleaned_data['name']} added to the episode")
            return redirect("irr:episode_detail", episode_id=episode.public_id)
    return _page(request, form, episode, "Add a team member", "Add member")


@allowed(Action.EPISODE_MANAGE)
def visit_plan(request, episode_id):
    episode = _managed_episode(request, episode_id)
    form = VisitForm(request.POST or None, episode=episode, initial={"kind": "planned"})
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: services.visit_schedule(episode=episode, actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, "Visit planned")
            return redirect("irr:episode_detail", episode_id=episode.public_id)
    return _page(request, form, episode, "Plan a visit", "Plan visit", pairs_summary(episode))


@allowed(Action.EPISODE_MANAGE)
def visit_record(request, visit_id):
    visit = selectors.visit_get(public_id=visit_id, fetched_by=request.user)
    require(request.user, Action.EPISODE_MANAGE, visit)
    form = VisitRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(
            form, lambda: services.visit_record(visit=visit, actor=request.user, outcome=form.cleaned_data["outcome"])
        )
        if ok:
            messages.success(request, "Visit recorded")
            return redirect("irr:episode_detail", episode_id=visit.episode.public_id)
    when = timezone.localtime(visit.scheduled_for).strftime("%-d %b %H:%M")
    return _page(request, form, visit.episode, f"Record the visit of {when}", "Record visit", annotated=visit)


@allowed(Action.EPISODE_MANAGE)
def episode_close(request, episode_id):
    episode = _managed_episode(request, episode_id)
    form = EpisodeCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: services.episode_close(episode=episode, actor=request.user, **form.cleaned_data))
        if ok:
            messages.success(request, "Episode closed")
            return redirect("irr:episode_detail", episode_id=episode.public_id)
    return _page(request, form, episode, "Close the episode", "Close episode")
