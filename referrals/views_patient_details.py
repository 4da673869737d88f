"""Pages recording a patient's phones, next of kin and carers, communication needs and safety
alerts, and an administrator's merge of duplicate records: parse, call the service, present."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccc.exceptions import Conflict
from ccc.permissions import Action, allowed, can
from ccc.web import form_call
from referrals import selectors, services
from referrals.forms_patient_details import (
    CommunicationForm,
    PatientMergeForm,
    PhoneForm,
    SafetyAlertEndForm,
    SafetyAlertForm,
    SupportPersonForm,
)
from referrals.models import Patient, PatientMerge, PatientPhone, PatientSupportPerson, SafetyAlert


def _details_url(patient: Patient) -> str:
    return reverse("referrals:patient_details", args=[patient.public_id])


def _merge_url(patient: Patient) -> str:
    return reverse("referrals:patient_merge", args=[patient.public_id])


def _form_page(request, patient: Patient, form, title: str, button: str, intro: str = ""):
    context = {
        "form": form, "title": title, "button": button, "intro": intro, "caption": f"Patient · {patient.full_name}",
        "back_url": _details_url(patient),
    }
    return render(request, "triage/form_page.html", context)


@allowed(Action.PATIENT_DETAILS_EDIT)
def patient_details(request, patient_id):
    """The patient's details page: communication needs (the form) and phones, people and alerts."""
    patient = selectors.patient_for_details(public_id=patient_id, fetched_by=request.user)
    initial = {field: getattr(patient, field) for field in CommunicationForm.base_fields}
    form = CommunicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: services.patient_details_update(actor=request.user, patient=patient,
                                                                        **form.cleaned_data))
        if ok:
            messages.success(request, f"{patient.full_name}'s communication needs saved")
            return redirect(_details_url(patient))
    context = {
        "patient": patient,
        "details": selectors.patient_details(patient=patient, fetched_by=request.user),
        "form": form,
        "can_view_patient": can(request.user, Action.PATIENT_VIEW),
    }
    return render(request, "referrals/patient_details.html", context)


def _add(request, patient_id, form_class, add, message: str, title: str, button: str, intro: str = ""):
    """A page adding one row to the patient through ``add(patient, **cleaned_data)`` (its service)."""
    patient = selectors.patient_for_details(public_id=patient_id, fetched_by=request.user)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: add(actor=request.user, patient=patient, **form.cleaned_data))
        if ok:
            messages.success(request, message)
            return redirect(_details_url(patient))
    return _form_page(request, patient, form, title, button, intro)


@allowed(Action.PATIENT_DETAILS_EDIT)
def patient_phone_add(request, patient_id):
    return _add(request, patient_id, PhoneForm, services.patient_phone_add, "Phone number added",
                "Add a phone number", "Add number")


def _ended(request, model, patient_id, row_id, end, message):
    """POST only: end one of the patient's rows through its service (kept in the history, never deleted)."""
    patient = selectors.patient_for_details(public_id=patient_id, fetched_by=request.user)
    row = get_object_or_404(model, patient=patient, public_id=row_id)
    try:
        end(row)
    except Conflict as error:  # someone else ended it first: say so, nothing changes
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(_details_url(patient))


@require_POST
@allowed(Action.PATIENT_DETAILS_EDIT)
def patient_phone_end(request, patient_id, phone_id):
    return _ended(request, PatientPhone, patient_id, phone_id,
                  lambda phone: services.patient_phone_end(actor=request.user, phone=phone), "Phone number removed")


@allowed(Action.PATIENT_DETAILS_EDIT)
def patient_support_person_add(request, patient_id):
    return _add(request, patient_id, SupportPersonForm, services.patient_support_person_add, "Next of kin or carer added",
                "Add next of kin or a carer", "Add")


@require_POST
@allowed(Action.PATIENT_DETAILS_EDIT)
def patient_support_person_end(request, patient_id, person_id):
    return _ended(request, PatientSupportPerson, patient_id, person_id,
                  lambda person: services.patient_support_person_end(actor=request.user, person=person), "Removed")


@allowed(Action.PATIENT_DETAILS_EDIT)
def safety_alert_raise(request, patient_id):
    return _add(
        request, patient_id, SafetyAlertForm, services.safety_alert_raise,
        "Safety alert raised: it shows wherever work for this patient happens", "Raise a safety alert", "Raise alert",
        "Shown on the duty queue, triage, IRR episode and visit pages, and the follow-up call list.",
    )


@allowed(Action.PATIENT_DETAILS_EDIT)
def safety_alert_end(request, patient_id, alert_id):
    patient = selectors.patient_for_details(public_id=patient_id, fetched_by=request.user)
    alert = get_object_or_404(SafetyAlert, patient=patient, public_id=alert_id)
    form = SafetyAlertEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = form_call(form, lambda: services.safety_alert_end(actor=request.user, alert=alert, **form.cleaned_data))
        if ok:
            messages.success(request, "Safety alert ended: it stays on record")
            return redirect(_details_url(patient))
    return _form_page(request, patient, form, f"End the alert: {alert.get_category_display()}", "End alert", alert.detail)


@allowed(Action.PATIENT_MERGE)
def patient_merge(request, patient_id):
    """An administrator merges a duplicate record into this one (kept)."""
    kept = selectors.patient_for_details(public_id=patient_id, fetched_by=request.user)
    form = PatientMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = Patient.objects.filter(public_id=form.cleaned_data["duplicate"]).first()
        if duplicate is None:
            form.add_error("duplicate", "No patient record has this number")
        else:
            ok, _ = form_call(form, lambda: services.patient_merge(
                actor=request.user, kept=kept, duplicate=duplicate, reason=form.cleaned_data["reason"]
            ))
            if ok:
                messages.success(request, f"{duplicate.full_name}'s duplicate record merged into this one")
                return redirect(_merge_url(kept))
    merges = selectors.patient_details(patient=kept, fetched_by=request.user).merges
    return render(request, "referrals/patient_merge.html", {"patient": kept, "form": form, "merges": merges})


@require_POST
@allowed(Action.PATIENT_MERGE)
def patient_unmerge(request, merge_id):
    merge = get_object_or_404(PatientMerge.objects.select_related("kept", "duplicate"), public_id=merge_id)
    try:
        services.patient_unmerge(actor=request.user, merge=merge)
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Merge undone: {merge.duplicate.full_name} is a record of their own again")
    return redirect(_merge_url(merge.kept))
