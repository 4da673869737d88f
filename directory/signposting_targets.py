"""What a signposting is recorded against, named in the search page's ``?for=KIND:PUBLIC_ID``.

The search page carries ``for`` along; its "Signpost to this service" button posts it back to
the signpost view, which records the signposting against the target and returns to the
target's page. To signpost from something new (the contact log), add a resolver here: it finds
the object for the person asking (404 when they may not see it) and says what to pass to
``services.signposting_record``.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.urls import reverse


@dataclass(frozen=True)
class Target:
    value: str  # the ``for`` value, e.g. "referral:<public_id>"
    label: str  # e.g. "referral R000012 for Margaret Holloway"
    return_url: str
    need: str  # the need to start from
    record_kwargs: dict[str, Any] = field(default_factory=dict)  # passed to signposting_record


def _referral(public_id: str, user) -> Target:
    from referrals import selectors as referral_selectors

    referral = referral_selectors.referral_get(public_id=public_id, fetched_by=user)
    return Target(
        value=f"referral:{referral.public_id}",
        label=f"referral {referral.reference} for {referral.patient.full_name}",
        return_url=reverse("referrals:referral_detail", args=[referral.public_id]),
        need=referral.need.name,
        record_kwargs={"referral": referral},
    )


# The directory category offered first for a "just to talk" caller, when the directory has it.
JUST_TO_TALK_CATEGORY = "befriending"


def _contact(public_id: str, user) -> Target:
    from referrals import selectors as referral_selectors

    contact = referral_selectors.contact_get(public_id=public_id, fetched_by=user)
    # Signpost the contact as it is now: a correction made since is the version to amend.
    contact = referral_selectors.contact_current(thread_id=contact.thread_id)
    return Target(
        value=f"contact:{contact.public_id}",
        label=f"contact {contact.reference} from {contact.caller_name}",
        return_url=reverse("referrals:contact_detail", args=[contact.public_id]),
        need=contact.reason.strip()[:200] or contact.get_outcome_display(),
        record_kwargs={"contact": contact},
    )


def contact_search_url(contact) -> str:
    """The directory search for a contact: the patient's district; befriending for "just to talk"."""
    from referrals.models import Contact

    return search_url(
        f"contact:{contact.public_id}",
        postcode=contact.patient.postcode if contact.patient_id else "",
        need_code=JUST_TO_TALK_CATEGORY if contact.outcome == Contact.Outcome.JUST_TO_TALK else "",
    )


RESOLVERS: dict[str, Callable[[str, Any], Target]] = {"referral": _referral, "contact": _contact}


def resolve(value: str, user) -> Target | None:
    """The target named by ``value`` (None when empty); 404 when unknown or out of the user's reach."""
    if not value:
        return None
    kind, _, public_id = value.partition(":")
    resolver = RESOLVERS.get(kind)
    try:
        uuid.UUID(public_id)
    except ValueError:
        resolver = None
    if resolver is None:
        raise Http404("Unknown signposting target")
    return resolver(public_id, user)


def search_url(target_value: str, *, postcode: str = "", need_code: str = "") -> str:
    """The directory search for a target, already narrowed to the person's postcode district and,
    when a directory category has the same code as the need, to that category."""
    from urllib.parse import urlencode

    from directory.selectors import outward_code

    params = {"for": target_value}
    district = outward_code(postcode) if postcode else None
    if district:
        params["area"] = district
    if need_code:
        params["need_code"] = need_code  # the search page picks the category with this code, if any
    return f"{reverse('directory:search')}?{urlencode(params)}"
