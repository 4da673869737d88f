from datetime import date, timedelta

from django.contrib import messages
from django.forms import Form
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_viewed
from ccc.csv_export import csv_stream
from ccc.lists import list_page
from ccc.permissions import Action, allowed, can
from ccc.web import form_call
from discharge import selectors, services
from discharge.forms import (
    AssessmentForm,
    BoardFilterForm,
    DelayEndForm,
    DelayForm,
    DischargeDatesForm,
    DischargeForm,
    EntryUpdateForm,
    OccupancyForm,
    OccupancyUploadForm,
    PathwayForm,
    RegisterForm,
    ReserveForm,
    ResidenceReviewForm,
    SignOffForm,
)
from discharge.models import CapacityBooking, PathwayService, TrustedAssessment
from referrals.forms import show_identity_choice
from referrals.services import PatientIdentityMismatch

FORM_CLASSES = {
    "update_form": EntryUpdateForm,
    "review_form": ResidenceReviewForm,
    "dates_form": DischargeDatesForm,
    "pathway_form": PathwayForm,
    "reserve_form": ReserveForm,
    "delay_form": DelayForm,
    "assessment_form": AssessmentForm,
    "discharge_form": DischargeForm,
}


def _auto_id(form_name: str) -> str:
    # Several forms share one page and some field names ("reason"): ids must not collide.
    return form_name.removesuffix("_form") + "-%s"


@allowed(Action.TOC_VIEW)
def board(request):
    form = BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = list_page(
        request,
        selectors.board(
            fetched_by=request.user,
            ward_id=getattr(filters.get("ward"), "pk", None),
            pathway=filters.get("pathway"),
            owner_id=getattr(filters.get("owner"), "pk", None),
            workable=filters.get("workable", ""),
        )
    )
    context = {
        "form": form,
        "entries": entries,
        "today": timezone.localdate(),
        "can_work": can(request.user, Action.TOC_WORK),
        "stranded": selectors.stranded_counts(),
    }
    return render(request, "discharge/board.html", context)


@allowed(Action.TOC_WORK)
def entry_register(request):
    # Picked from the feed's inpatient list: the feed's NHS number, name, ward and admission date.
    picked = request.GET.get("inpatient")
    stay = selectors.inpatient_get(public_id=picked, fetched_by=request.user) if picked else None
    initial = {
        "nhs_number": stay.nhs_number, "given_name": stay.given_name, "family_name": stay.family_name,
        "date_of_birth": stay.date_of_birth, "ward": stay.ward_id, "admitted_on": stay.admitted_on,
    } if stay else None
    form = RegisterForm(request.POST or None, initial=initial)
    mismatches = []

    def register(data, key):
        try:
            return services.entry_register(actor=request.user, idempotency_key=key, **data)
        except PatientIdentityMismatch as error:
            mismatches.append(error)  # both people shown; going on needs the explicit choice
            show_identity_choice(form)
            raise

    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        ok, result = form_call(form, lambda: register(data, key))
        if ok:
            entry, created = result
            if created:
                messages.success(request, f"{entry.patient} added to the register")
            else:
                messages.info(request, f"{entry.patient} was already registered: not added twice")
            return redirect("discharge:entry_detail", entry_id=entry.public_id)
    return render(
        request, "discharge/register_form.html", {"form": form, "mismatch": mismatches[0] if mismatches else None}
    )


def _detail(request, entry, status=200, **bound_forms):
    """The patient's page, with any form that failed kept as typed."""
    entry = selectors.entry_get(public_id=entry.public_id, fetched_by=request.user)
    context = {
        "entry": entry,
        "today": timezone.localdate(),
        "can_work": can(request.user, Action.TOC_WORK) and entry.status == "open",
        "can_sign_off": can(request.user, Action.TOC_DELAY_SIGN_OFF),
        # The one patient page: whoever sees an entry has a relationship with its patient (ccc.patient_access).
        "can_view_patient": can(request.user, Action.PATIENT_VIEW),
        "services": PathwayService.objects.filter(is_active=True, pathway=entry.pathway) if entry.pathway else [],
        "sign_off_form": SignOffForm(),
    }
    initial = {
        "update_form": {
            "owner": entry.owner_id, "next_action": entry.next_action,
            "next_action_due": entry.next_action_due, "fit_on": entry.fit_on,
        },
        "delay_form": {"starts_on": timezone.localdate()},
        "review_form": {"reviewed_on": timezone.localdate()},
        "dates_form": {
            "discharge_ready_on": entry.discharge_ready_on, "expected_discharge_on": entry.expected_discharge_on,
        },
        "discharge_form": {"discharged_on": timezone.localdate(), "pathway_used": entry.pathway},
    }
    for name, form_class in FORM_CLASSES.items():
        context[name] = bound_forms.get(name) or form_class(initial=initial.get(name), auto_id=_auto_id(name))
    context["reserve_form"].fields["service"].queryset = context["services"] or PathwayService.objects.none()
    context["all_forms"] = [context[name] for name in FORM_CLASSES]
    context["failed"] = bool(bound_forms)
    return render(request, "discharge/entry_detail.html", context, status=status)


@allowed(Action.TOC_VIEW)
def entry_detail(request, entry_id):
    entry = selectors.entry_get(public_id=entry_id, fetched_by=request.user)
    access_viewed(request, kind=AccessKind.REGISTER_ENTRY, record_id=entry.public_id, patient_id=entry.patient_id)
    return _detail(request, entry)


def _act(request, entry_id, form_name, call, done):
    """Run one service from one form on the patient's page; on failure show the page again with
    the form as typed and the reason."""
    entry = selectors.entry_get(public_id=entry_id, fetched_by=request.user)
    form = FORM_CLASSES[form_name](request.POST, auto_id=_auto_id(form_name))
    if form_name == "reserve_form":
        form.fields["service"].queryset = PathwayService.objects.filter(is_active=True, pathway=entry.pathway)
    if form.is_valid() and form_call(form, lambda: call(entry, form.cleaned_data))[0]:
        messages.success(request, done(entry))
        return redirect("discharge:entry_detail", entry_id=entry.public_id)
    return _detail(request, entry, status=400, **{form_name: form})


@require_POST
@allowed(Action.TOC_WORK)
def entry_update(request, entry_id):
    return _act(
        request, entry_id, "update_form",
        lambda entry, data: services.entry_update(entry=entry, actor=request.user, **data),
        lambda entry: "Owner and next action saved",
    )


def _entry_form_view(form_name: str, service, done: str):
    """A POST of one form on the patient's page that calls one service with the form's fields."""

    @require_POST
    @allowed(Action.TOC_WORK)
    def view(request, entry_id):
        return _act(
            request, entry_id, form_name,
            lambda entry, data: service(entry=entry, actor=request.user, **data), lambda entry: done,
        )

    return view


entry_review = _entry_form_view("review_form", services.residence_review_record, "Criteria to reside review recorded")
entry_discharge_dates = _entry_form_view("dates_form", services.discharge_dates_set, "Discharge dates saved")


@require_POST
@allowed(Action.TOC_WORK)
def entry_pathway(request, entry_id):
    return _act(
        request, entry_id, "pathway_form",
        lambda entry, data: services.pathway_set(entry=entry, actor=request.user, **data),
        lambda entry: "Pathway saved",
    )


@require_POST
@allowed(Action.TOC_WORK)
def entry_reserve(request, entry_id):
    return _act(
        request, entry_id, "reserve_form",
        lambda entry, data: services.booking_reserve(entry=entry, actor=request.user, **data),
        lambda entry: "Bed or slot reserved",
    )


@require_POST
@allowed(Action.TOC_WORK)
def entry_delay(request, entry_id):
    return _act(
        request, entry_id, "delay_form",
        lambda entry, data: services.delay_record(entry=entry, actor=request.user, **data),
        lambda entry: "Delay recorded",
    )


@require_POST
@allowed(Action.TOC_WORK)
def entry_assessment(request, entry_id):
    return _act(
        request, entry_id, "assessment_form",
        lambda entry, data: services.trusted_assessment_record(entry=entry, actor=request.user, **data),
        lambda entry: "Trusted assessment recorded",
    )


@require_POST
@allowed(Action.TOC_WORK)
def entry_discharge(request, entry_id):
    return _act(
        request, entry_id, "discharge_form",
        lambda entry, data: services.entry_discharge(entry=entry, actor=request.user, **data),
        lambda entry: f"{entry.patient} discharged",
    )


def _one_click(request, entry, call, done):
    """A button with nothing to type: run its one service; the outcome is a message on the page."""
    outcome = Form(data={})
    if form_call(outcome, call)[0]:
        messages.success(request, done)
    else:
        messages.error(request, " ".join(message for errors in outcome.errors.values() for message in errors))
    return redirect("discharge:entry_detail", entry_id=entry.public_id)


@require_POST
@allowed(Action.TOC_WORK)
def assessment_accept(request, entry_id):
    entry = selectors.entry_get(public_id=entry_id, fetched_by=request.user)
    assessment = get_object_or_404(TrustedAssessment, entry=entry)
    service = get_object_or_404(PathwayService, pk=request.POST.get("service") or 0)
    return _one_click(
        request, entry,
        lambda: services.trusted_assessment_accept(assessment=assessment, actor=request.user, service=service),
        f"Assessment accepted by {service}",
    )


@require_POST
@allowed(Action.TOC_WORK)
def booking_release(request, entry_id):
    entry = selectors.entry_get(public_id=entry_id, fetched_by=request.user)
    booking = get_object_or_404(entry.bookings.filter(status__in=CapacityBooking.HOLDING))
    return _one_click(
        request, entry, lambda: services.booking_release(booking=booking, actor=request.user), "Bed or slot released"
    )


@require_POST
@allowed(Action.TOC_DELAY_SIGN_OFF)
def delay_sign_off(request, delay_id):
    delay = selectors.delay_get(public_id=delay_id, fetched_by=request.user)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select the partner you are signing for")
        return redirect("discharge:entry_detail", entry_id=delay.entry.public_id)
    partner = form.cleaned_data["partner"]
    return _one_click(
        request, delay.entry,
        lambda: services.delay_sign_off(delay=delay, actor=request.user, partner=partner),
        "Delay signed off",
    )


@require_POST
@allowed(Action.TOC_WORK)
def delay_end(request, delay_id):
    delay = selectors.delay_get(public_id=delay_id, fetched_by=request.user)
    form = DelayEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["ends_on"][0])
        return redirect("discharge:entry_detail", entry_id=delay.entry.public_id)
    ends_on = form.cleaned_data["ends_on"]
    return _one_click(
        request, delay.entry,
        lambda: services.delay_end(delay=delay, actor=request.user, ends_on=ends_on),
        f"Delay ended on {ends_on:%-d %B %Y}: the patient is workable again",
    )


@allowed(Action.TOC_VIEW)
def capacity(request):
    context = {"services": list(selectors.capacity_today()), "demand": selectors.unmet_demand()}
    return render(request, "discharge/capacity.html", context)


@allowed(Action.TOC_VIEW)
def stranded(request):
    context = {
        "entries": list_page(request, selectors.stranded(fetched_by=request.user)),
        "today": timezone.localdate(),
        "counts": selectors.stranded_counts(),
    }
    return render(request, "discharge/stranded.html", context)


def _month(value: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in value.split("-"))
        date(year, month, 1)
        return year, month
    except (ValueError, TypeError):
        today = timezone.localdate()
        return (today.year - (today.month == 1), (today.month - 2) % 12 + 1)  # last month


@allowed(Action.TOC_VIEW)
def figures(request):
    year, month = _month(request.GET.get("month", ""))
    first, end = selectors.month_bounds(year, month)
    week = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7)  # last week's Monday
    ready = selectors.discharge_ready_figures(first=first, last=end - timedelta(days=1))
    context = {
        "ready": ready,
        # All, then by pathway, then by the delay reason in force at discharge: one table.
        "ready_groups": [ready.ready, *ready.by_pathway, *ready.by_reason],
        "last_week": week,
        "figures": selectors.delayed_transfer_figures(year=year, month=month),
        "wards": list(selectors.bed_occupancy_by_ward(year=year, month=month)),
        "month_value": f"{year:04d}-{month:02d}",
    }
    return render(request, "discharge/figures.html", context)


@allowed(Action.TOC_OCCUPANCY_RECORD)
def occupancy(request):
    form = OccupancyForm(request.POST if "enter" in request.POST else None)
    upload = OccupancyUploadForm(request.POST if "upload" in request.POST else None, request.FILES or None)
    if form.is_bound and form.is_valid() and form_call(
        form, lambda: services.occupancy_record(actor=request.user, **form.cleaned_data)
    )[0]:
        messages.success(request, "Occupied beds saved")
        return redirect("discharge:occupancy")
    if upload.is_bound and upload.is_valid():
        ok, result = form_call(
            upload, lambda: services.occupancy_import(text=upload.cleaned_data["file"], actor=request.user)
        )
        if ok:
            messages.success(request, f"Loaded {result.created} new and {result.updated} corrected figures")
            return redirect("discharge:occupancy")
    return render(request, "discharge/occupancy.html", {"form": form, "upload": upload})


def _period(query) -> tuple[date, date, str]:
    """A week (``week``: any day of it, from its Monday) or a calendar month (``month``)."""
    try:
        monday, sunday = selectors.week_bounds(date.fromisoformat(query.get("week", "")))
        return monday, sunday, f"week-{monday:%Y-%m-%d}"
    except ValueError:
        year, month = _month(query.get("month", ""))
        first, end = selectors.month_bounds(year, month)
        return first, end - timedelta(days=1), f"{year:04d}-{month:02d}"


@allowed(Action.TOC_VIEW)
def sitrep_export(request):
    """The discharge ready date figures of a week or a month, a line a day, in the shape of the
    acute discharge situation report."""
    first, last, name = _period(request.GET)
    figures = selectors.discharge_ready_figures(first=first, last=last)
    return csv_stream(
        filename=f"discharge-ready-{name}.csv", header=selectors.SITREP_COLUMNS, rows=selectors.sitrep_rows(figures)
    )
