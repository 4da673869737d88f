from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from ccc import access_log
from ccc.csv_export import STREAM_CHUNK, csv_stream
from ccc.dates import UKDateField
from ccc.forms import NHSUKFormMixin
from ccc.lists import FirstRows
from ccc.permissions import Action, allowed, landing_for
from referrals.forms import NHSNumberField
from referrals.models import Patient
from referrals.selectors.patients import patient_search, patients_visible


@login_required
def home(request):
    """Each person lands on their work (``landing_for`` decides); without a role, a welcome page."""
    landing = landing_for(request.user)
    if landing:
        return redirect(landing)
    return render(request, "home.html")


@login_required
def session_keepalive(request):
    """"Stay signed in" on the idle warning: the request itself counts as activity."""
    return JsonResponse({"idle_timeout_seconds": settings.IDLE_TIMEOUT_SECONDS})


# Information governance: who looked at whose records (docs/INFORMATION_GOVERNANCE.md).

ACCESS_LOG_PAGE_SIZE = 50


class NotSentBack(forms.HiddenInput):
    """A value a link carries but the form does not repeat, so the next search starts afresh."""

    def format_value(self, value):
        return None


class AccessLogQueryForm(NHSUKFormMixin, forms.Form):
    """Whose log: a patient (by NHS number, or name and date of birth) or a member of staff.

    ``patient`` is the public id a link from a list of several matching people carries (hidden): it
    reaches a patient with no NHS number on record too.
    """

    nhs_number = NHSNumberField(label="Patient's NHS number", required=False, max_length=20,
                                help_text="Who looked at this patient's records")
    name = forms.CharField(label="Or the patient's name", required=False, min_length=2, max_length=200,
                           help_text="First name, last name or both; with the date of birth to narrow it")
    date_of_birth = UKDateField(label="Patient's date of birth", required=False, example="birth", past=True)
    username = forms.CharField(
        label="Or a member of staff's username", required=False, max_length=150, help_text="What this person looked at"
    )
    patient = forms.UUIDField(required=False, widget=NotSentBack)

    def clean(self):
        data = super().clean()
        ways = [data.get("nhs_number"), data.get("name") or data.get("date_of_birth"), data.get("username"),
                data.get("patient")]
        if not self.errors and sum(bool(way) for way in ways) != 1:
            raise forms.ValidationError(
                "Enter a patient's NHS number, or their name and date of birth, or a member of staff's username"
                " (one of them)"
            )
        return data


@dataclass
class AccessLogAsked:
    """What the IG page was asked and its answer: one subject (a patient or a person) with their log
    rows, or the people a name and date of birth match when they match more than one."""

    form: AccessLogQueryForm
    subject: object = None
    rows: QuerySet | None = None
    matches: FirstRows | None = None


def _patient_asked(data: dict, user) -> tuple[object, FirstRows | None]:
    """The one patient the form names, or (when a name and date of birth match several) the matches."""
    if data["patient"]:
        return patients_visible(fetched_by=user).filter(public_id=data["patient"]).first(), None
    found = patient_search(
        nhs_number=data["nhs_number"], name=data["name"], date_of_birth=data["date_of_birth"], fetched_by=user
    )
    return (found[0] if len(found) == 1 else None), (found if len(found) > 1 else None)


def _no_patient(data: dict) -> tuple[str | None, str]:
    if data["nhs_number"]:
        return "nhs_number", "No patient has this NHS number"
    if data["patient"]:
        return None, "No such patient"
    return None, "No patient matches the name and date of birth given"


def _access_log_asked(request) -> AccessLogAsked:
    """The form, and (when it is valid) who or what it asks about with that subject's log rows."""
    form = AccessLogQueryForm(request.GET if request.GET.keys() - {"page"} else None)
    asked = AccessLogAsked(form=form)
    if not (form.is_bound and form.is_valid()):
        return asked
    user, data = request.user, form.cleaned_data
    if data["username"]:
        person = access_log.access_log_person(username=data["username"], fetched_by=user)
        if person is None:
            form.add_error("username", "No member of staff has this username")
        else:
            asked.subject, asked.rows = person, access_log.access_log_for_actor(actor=person, fetched_by=user)
        return asked
    patient, asked.matches = _patient_asked(data, user)
    if patient is not None:
        asked.subject, asked.rows = patient, access_log.access_log_for_patient(patient_id=patient.pk, fetched_by=user)
    elif asked.matches is None:
        form.add_error(*_no_patient(data))
    return asked


def _with_patients(rows: list) -> list:
    """Each row with the patient it belongs to (``row.patient``): one query for the page."""
    patients = Patient.objects.in_bulk({row.patient_id for row in rows if row.patient_id})
    for row in rows:
        row.patient = patients.get(row.patient_id)
    return rows


@allowed(Action.ACCESS_LOG_VIEW)
def access_log_page(request):
    asked = _access_log_asked(request)
    page = None
    if asked.rows is not None:
        page = Paginator(asked.rows, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
        _with_patients(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": asked.form,
        "subject": asked.subject,
        "by_patient": isinstance(asked.subject, Patient),
        "matches": asked.matches,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "ccc/access_log.html", context)


def _export_name(subject) -> str:
    if isinstance(subject, Patient):
        return f"nhs-{subject.nhs_number}" if subject.nhs_number else f"patient-{subject.public_id}"
    return f"user-{subject.username}"


@allowed(Action.ACCESS_LOG_VIEW)
def access_log_csv(request):
    asked = _access_log_asked(request)
    if asked.rows is None:
        problem = asked.form.errors.as_text() or "several patients match: choose one on the page"
        return HttpResponse("Invalid query: " + problem, status=400, content_type="text/plain")
    name = _export_name(asked.subject)
    # Streamed in one query however long the log: the patient's NHS number comes with each row.
    rows = asked.rows.annotate(
        patient_nhs_number=Subquery(Patient.objects.filter(pk=OuterRef("patient_id")).values("nhs_number")[:1])
    )
    return csv_stream(
        filename=f"access-log-{name}.csv",
        header=["When (UTC)", "Who", "Username", "Record kind", "Record", "Patient NHS number", "Channel", "Path", "Rows"],
        rows=(
            [row.at.isoformat(), str(row.actor), row.actor.username, row.get_kind_display(), row.record_id,
             row.patient_nhs_number or "", row.get_channel_display(), row.path, "" if row.rows is None else row.rows]
            for row in rows.iterator(chunk_size=STREAM_CHUNK)
        ),
        on_done=lambda sent: access_log.access_exported(request, what=f"access log CSV for {name}", rows=sent),
    )
