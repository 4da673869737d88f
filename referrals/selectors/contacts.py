"""The front desk's contacts as they stand, how often a caller or a patient was in touch, and a contact's versions."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import Organisation, User
from ccc.nhs_number import normalise_nhs_number
from ccc.permissions import Action, can
from ccc.phone import normalise_phone
from referrals.models import Contact, FrequentContactRule


def frequent_contact_rule() -> FrequentContactRule:
    """The rule an administrator set; the issue's 5 in 30 days if they removed it."""
    return FrequentContactRule.objects.order_by("pk").first() or FrequentContactRule(min_contacts=5, within_days=30)


def current_contacts() -> QuerySet[Contact]:
    """Contacts as they stand: the latest version of each, never the ones an amendment replaced
    (``is_current``, which ``contact_amend`` clears on the version it amends)."""
    return Contact.objects.filter(is_current=True)


def contact_current(*, thread_id: int) -> Contact:
    return current_contacts().get(Q(pk=thread_id) | Q(original_id=thread_id))


def _recent_count(rule: FrequentContactRule, field: str) -> Coalesce:
    """How many current contacts share this row's ``field`` (caller phone or patient) in the rule's period."""
    since = timezone.now() - timedelta(days=rule.within_days)
    counted = (
        current_contacts()
        .filter(**{field: OuterRef(field), "started_at__gte": since})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted), 0)


def _recent_counts(rule: FrequentContactRule) -> dict:
    return {
        "caller_recent": Case(When(caller_phone="", then=Value(0)), default=_recent_count(rule, "caller_phone")),
        "patient_recent": Case(When(patient__isnull=True, then=Value(0)), default=_recent_count(rule, "patient")),
    }


def contact_list(*, fetched_by: User, query: str = "", rule: FrequentContactRule | None = None) -> QuerySet[Contact]:
    """Current contacts, newest first, with how often their caller and their patient were in touch lately.

    ``query`` matches the caller's name or phone number, or the patient's name or NHS number.
    """
    if not can(fetched_by, Action.CONTACT_VIEW):
        return Contact.objects.none()
    rule = rule or frequent_contact_rule()
    queryset = current_contacts().select_related("patient", "recorded_by", "referral")
    query = query.strip()
    if query:
        match = Q(caller_name__icontains=query) | Q(patient__family_name__istartswith=query)
        match |= Q(patient__given_name__istartswith=query)
        digits = normalise_nhs_number(query)
        if digits.isdigit() and len(digits) == 10:
            match |= Q(patient__nhs_number=digits)
        try:
            phone = normalise_phone(query)
        except ValidationError:
            phone = ""
        if phone:
            match |= Q(caller_phone=phone)
        queryset = queryset.filter(match)
    return queryset.annotate(**_recent_counts(rule))


def contacts_referral_pending(*, fetched_by: User, limit: int = 50) -> list[Contact]:
    """Contacts still waiting for the referral they are to become, the longest waiting first."""
    if not can(fetched_by, Action.CONTACT_VIEW):
        return []
    pending = current_contacts().filter(outcome=Contact.Outcome.REFERRAL_PENDING)
    return list(pending.select_related("patient", "recorded_by").order_by("started_at", "pk")[:limit])


def contact_recent_counts(*, contact: Contact, rule: FrequentContactRule) -> tuple[int, int]:
    """How often this contact's caller (phone) and patient were in touch in the rule's period."""
    row = (
        Contact.objects.filter(pk=contact.pk)
        .annotate(**_recent_counts(rule))
        .values_list("caller_recent", "patient_recent")
        .get()
    )
    return row


def contact_get(*, public_id, fetched_by: User) -> Contact:
    if not can(fetched_by, Action.CONTACT_VIEW):
        raise Http404
    return get_object_or_404(
        Contact.objects.select_related("patient", "recorded_by", "referral", "amended_by", "amends"),
        public_id=public_id,
    )


def contact_versions(*, contact: Contact) -> list[Contact]:
    """Every version of one contact, first to latest: the corrections and what they replaced."""
    thread = contact.thread_id
    return list(
        Contact.objects.filter(Q(pk=thread) | Q(original_id=thread)).select_related("recorded_by").order_by("pk")
    )


def contact_related(*, contact: Contact, limit: int = 20) -> list[Contact]:
    """Other contacts from the same caller (phone number) or about the same patient, newest first."""
    same = Q()
    if contact.caller_phone:
        same |= Q(caller_phone=contact.caller_phone)
    if contact.patient_id:
        same |= Q(patient_id=contact.patient_id)
    if not same:
        return []
    thread = contact.thread_id
    return list(
        current_contacts()
        .filter(same)
        .exclude(Q(pk=thread) | Q(original_id=thread))
        .select_related("patient", "recorded_by")[:limit]
    )


def contact_practice(*, contact: Contact, fetched_by: User) -> Organisation | None:
    """The GP practice the caller named on the contact (its name or ODS code as typed), so the
    referral raised from it can be tracked by that practice without the handler choosing it again."""
    named = contact.caller_organisation.strip()
    if not named:
        return None
    practices = Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE)
    return practices.filter(Q(name__iexact=named) | Q(ods_code__iexact=named)).order_by("name").first()
