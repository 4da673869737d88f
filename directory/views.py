import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ccc.exceptions import Conflict
from ccc.lists import first_rows, list_page
from ccc.permissions import Action, allowed, can
from ccc.web import form_call
from directory import selectors, services, signposting_targets
from directory.forms import LocationForm, OrganizationForm, SearchForm, ServiceForm, SignpostForm
from directory.models import Location, Organization, Service, TaxonomyTerm

RESULTS_PER_PAGE = 20
# Organisations and locations listed for editing; more than this and the page says so.
DIRECTORY_LIST_LIMIT = 200


def _target(request, value: str):
    target = signposting_targets.resolve(value, request.user)
    if target is not None and not can(request.user, Action.SIGNPOSTING_RECORD):
        raise PermissionDenied
    return target


@allowed(Action.DIRECTORY_SEARCH)
def service_search(request):
    """Find a service; with ``?for=referral:<id>`` each result can be signposted to in one click."""
    target = _target(request, request.GET.get("for", ""))
    data = request.GET.copy()
    data.pop("for", None)
    data.pop("page", None)
    need_code = data.pop("need_code", [""])[-1]
    if need_code and not data.get("term"):
        term = TaxonomyTerm.objects.filter(code=need_code).first()
        if term:
            data["term"] = str(term.pk)
    form = SearchForm(data or None)
    page = None
    need = target.need if target else ""
    if form.is_bound and form.is_valid():
        # The need recorded with a signposting: the category searched, else the words, else the referral's.
        term, text = form.cleaned_data["term"], form.cleaned_data["text"].strip()
        need = term.name if term else (text or need)
        filters = selectors.SearchFilters(**form.cleaned_data)
        queryset = selectors.service_details(selectors.service_search(fetched_by=request.user, filters=filters))
        page = Paginator(queryset, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        now = timezone.now()
        for service in page.object_list:
            service.open_now = selectors.is_open(service, now)
    context = {
        "form": form,
        "page": page,
        "target": target,
        "need": need,
        "submission_key": uuid.uuid4().hex,
        "query": data.urlencode(),
        "can_edit": can(request.user, Action.DIRECTORY_EDIT),
    }
    return render(request, "directory/search.html", context)


@require_POST
@allowed(Action.SIGNPOSTING_RECORD)
def signpost(request):
    target = _target(request, request.GET.get("for", "") or request.POST.get("for", ""))
    if target is None:
        raise Http404("Signpost from a referral or a contact: open the directory from it")
    form = SignpostForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The signposting could not be recorded: search again and choose a service")
        return redirect(f"{reverse('directory:search')}?for={target.value}")
    data = form.cleaned_data
    service = get_object_or_404(Service, pk=data["service"]) if data["service"] else None
    try:
        signposting = services.signposting_record(
            service=service,
            need=data["need"] or target.need,
            unmet_need=data["unmet_need"],
            note=data["note"],
            actor=request.user,
            idempotency_key=data["submission_key"],
            **target.record_kwargs,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('directory:search')}?for={target.value}")
    except Conflict as error:  # someone corrected the contact meanwhile
        messages.error(request, str(error))
        return redirect(target.return_url)
    if signposting.contact_id and not signposting.unmet_need:
        # Signposting a contact corrects it: back to the version that names the service.
        messages.success(request, f"Signposted {target.label} to {signposting.service}")
        return redirect("referrals:contact_detail", contact_id=signposting.contact.public_id)
    if signposting.unmet_need:
        messages.success(request, f"Unmet need recorded for {target.label}: {signposting.need}")
    else:
        messages.success(request, f"Signposted {target.label} to {signposting.service}")
    return redirect(target.return_url)


@allowed(Action.DIRECTORY_SEARCH)
def service_detail(request, service_id):
    service = selectors.service_get(service_id=service_id, fetched_by=request.user)
    context = {
        "service": service,
        "open_now": selectors.is_open(service, timezone.now()),
        "can_edit": can(request.user, Action.DIRECTORY_EDIT),
        "history": service.history.select_related("history_user")[:20],
    }
    return render(request, "directory/service_detail.html", context)


REVIEW_DUE_WITHIN_DAYS = 30


@allowed(Action.DIRECTORY_SEARCH)
def review_list(request):
    """Services whose criteria may be stale: not reviewed for 12 months, or due within a month; where
    a directory editor lands. Paged: the oldest reviews first."""
    services_due = selectors.services_not_reviewed(fetched_by=request.user, due_within_days=REVIEW_DUE_WITHIN_DAYS)
    context = {"services": list_page(request, services_due), "due_within_days": REVIEW_DUE_WITHIN_DAYS,
               "can_edit": can(request.user, Action.DIRECTORY_EDIT)}
    return render(request, "directory/review_list.html", context)


def _edit(request, *, form, template, title, save, done):
    """The shared create/update page: validate, call the service, keep what was typed on error."""
    if request.method == "POST" and form.is_valid():
        saved, instance = form_call(form, lambda: save(form))
        if saved:
            messages.success(request, done(instance))
            return None, instance
    return render(request, template, {"form": form, "title": title}), None


@allowed(Action.DIRECTORY_EDIT)
def service_create(request):
    form = ServiceForm(request.POST or None)
    response, service = _edit(
        request, form=form, template="directory/service_form.html", title="Add a service",
        save=lambda f: services.service_create(actor=request.user, **f.service_kwargs()),
        done=lambda s: f"{s} added to the directory",
    )
    return response or redirect("directory:service_detail", service_id=service.pk)


@allowed(Action.DIRECTORY_EDIT)
def service_update(request, service_id):
    service = selectors.service_get(service_id=service_id, fetched_by=request.user)
    if service.is_retired:
        raise Http404("A retired service cannot be edited")
    form = ServiceForm(request.POST or None, instance=service)

    def save(f):
        kwargs = f.service_kwargs()
        return services.service_update(
            service=service, actor=request.user, seen_last_modified=f.cleaned_data["seen_last_modified"], **kwargs
        )

    response, saved = _edit(
        request, form=form, template="directory/service_form.html", title=f"Change {service}",
        save=save, done=lambda s: f"{s} updated",
    )
    return response or redirect("directory:service_detail", service_id=saved.pk)


@require_POST
@allowed(Action.DIRECTORY_EDIT)
def service_retire(request, service_id):
    service = get_object_or_404(Service, pk=service_id)
    try:
        services.service_retire(service=service, actor=request.user)
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{service} retired: it no longer appears in searches")
    return redirect("directory:service_detail", service_id=service.pk)


@allowed(Action.DIRECTORY_EDIT)
def organization_list(request):
    organizations = first_rows(Organization.objects.all(), limit=DIRECTORY_LIST_LIMIT)
    locations = first_rows(Location.objects.select_related("organization"), limit=DIRECTORY_LIST_LIMIT)
    return render(request, "directory/organization_list.html", {"organizations": organizations, "locations": locations})


def _simple_edit(request, *, model, form_class, create, update, noun, instance_id=None):
    instance = get_object_or_404(model, pk=instance_id) if instance_id else None
    if instance is not None and instance.retired_at:
        raise Http404(f"A retired {noun} cannot be edited")
    form = form_class(request.POST or None, instance=instance)

    def save(f):
        fields = {name: f.cleaned_data[name] for name in f.Meta.fields}
        if instance is None:
            return create(actor=request.user, new_id=f.cleaned_data.get("new_id"), **fields)
        return update(instance, actor=request.user, **fields)

    title = f"Change {instance}" if instance else f"Add {'an' if noun[0] in 'aeiou' else 'a'} {noun}"
    response, _ = _edit(
        request, form=form, template="directory/simple_form.html", title=title, save=save,
        done=lambda saved: f"{saved} saved",
    )
    return response or redirect("directory:organization_list")


@allowed(Action.DIRECTORY_EDIT)
def organization_edit(request, organization_id=None):
    return _simple_edit(
        request, model=Organization, form_class=OrganizationForm, noun="organisation", instance_id=organization_id,
        create=services.organization_create,
        update=lambda o, **kw: services.organization_update(organization=o, **kw),
    )


@allowed(Action.DIRECTORY_EDIT)
def location_edit(request, location_id=None):
    return _simple_edit(
        request, model=Location, form_class=LocationForm, noun="location", instance_id=location_id,
        create=services.location_create,
        update=lambda location, **kw: services.location_update(location=location, **kw),
    )


@require_POST
@allowed(Action.DIRECTORY_EDIT)
def organization_retire(request, organization_id):
    organization = get_object_or_404(Organization, pk=organization_id)
    try:
        services.organization_retire(organization=organization, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{organization} retired")
    return redirect("directory:organization_list")


@require_POST
@allowed(Action.DIRECTORY_EDIT)
def location_retire(request, location_id):
    location = get_object_or_404(Location, pk=location_id)
    services.location_retire(location=location, actor=request.user)
    messages.success(request, f"{location} retired")
    return redirect("directory:organization_list")
