from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from ccc import access_log
from ccc.csv_export import csv_writer
from ccc.forms import NHSUKFormMixin
from ccc.permissions import Action, allowed, landing_for
from referrals.forms import NHSNumberField
from referrals.models import Patient
from referrals.selectors.patients import patient_search


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
# The CSV is bounded like every list: the newest rows, with the limit said in the file's name.
ACCESS_LOG_CSV_LIMIT = 10_000


class AccessLogQueryForm(NHSUKFormMixin, forms.Form):
    nhs_number = NHSNumberField(label="Patient's NHS number", required=False, max_length=20,
                                help_text="Who looked at this patient's records")
    username = forms.CharField(
        label="Or a member of staff's username", required=False, max_length=150, help_text="What this person looked at"
    )

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("nhs_number")) == bool(data.get("username")):
            raise forms.ValidationError("Enter a patient's NHS number or a member of staff's username (one of them)")
        return data


def _access_log_asked(request):
    """The form, and (when it is valid) who or what it asks about with that subject's log rows."""
    form = AccessLogQueryForm(request.GET if request.GET.keys() - {"page"} else None)
    if not (form.is_bound and form.is_valid()):
        return form, None, None
    user, nhs_number = request.user, form.cleaned_data["nhs_number"]
    if nhs_number:
        patient = patient_search(nhs_number=nhs_number, fetched_by=user).first()
        if patient is None:
            form.add_error("nhs_number", "No patient has this NHS number")
            return form, None, None
        return form, patient, access_log.access_log_for_patient(patient_id=patient.pk, fetched_by=user)
    person = access_log.access_log_person(username=form.cleaned_data["username"], fetched_by=user)
    if person is None:
        form.add_error("username", "No member of staff has this username")
        return form, None, None
    return form, person, access_log.access_log_for_actor(actor=person, fetched_by=user)


def _with_patients(rows: list) -> list:
    """Each row with the patient it belongs to (``row.patient``): one query for the page."""
    patients = Patient.objects.in_bulk({row.patient_id for row in rows if row.patient_id})
    for row in rows:
        row.patient = patients.get(row.patient_id)
    return rows


@allowed(Action.ACCESS_LOG_VIEW)
def access_log_page(request):
    form, subject, rows = _access_log_asked(request)
    page = None
    if rows is not None:
        page = Paginator(rows, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
        _with_patients(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "subject": subject,
        "by_patient": isinstance(subject, Patient),
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "ccc/access_log.html", context)


@allowed(Action.ACCESS_LOG_VIEW)
def access_log_csv(request):
    form, subject, rows = _access_log_asked(request)
    if rows is None:
        return HttpResponse("Invalid query: " + form.errors.as_text(), status=400, content_type="text/plain")
    rows = _with_patients(list(rows[:ACCESS_LOG_CSV_LIMIT]))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"nhs-{subject.nhs_number}" if isinstance(subject, Patient) else f"user-{subject.username}"
    response["Content-Disposition"] = f'attachment; filename="access-log-{name}.csv"'
    writer = csv_writer(response)
    writer.writerow(["When (UTC)", "Who", "Username", "Record kind", "Record", "Patient NHS number", "Channel", "Path", "Rows"])
    for row in rows:
        writer.writerow(
            [
                row.at.isoformat(),
                str(row.actor),
                row.actor.username,
                row.get_kind_display(),
                row.record_id,
                row.patient.nhs_number if row.patient else "",
                row.get_channel_display(),
                row.path,
                "" if row.rows is None else row.rows,
            ]
        )
    access_log.access_exported(request, what=f"access log CSV for {name}", rows=len(rows))
    return response
