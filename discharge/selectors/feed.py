"""Reads of the admissions feed: the current inpatients by ward, the messages held for a person."""

import uuid

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccc.models import User
from ccc.permissions import Action, require
from discharge.models import FeedMessage, Inpatient


def current_inpatients(*, fetched_by: User, ward_id: int | None = None) -> QuerySet[Inpatient]:
    """Patients the feed says are in hospital now, by ward: one query."""
    require(fetched_by, Action.TOC_VIEW)
    queryset = Inpatient.objects.select_related("ward").filter(status=Inpatient.Status.IN_HOSPITAL)
    if ward_id:
        queryset = queryset.filter(ward_id=ward_id)
    return queryset.order_by("ward__name", "family_name", "pk")


def inpatient_get(*, public_id, fetched_by: User) -> Inpatient:
    require(fetched_by, Action.TOC_VIEW)
    try:
        uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such inpatient") from None
    return get_object_or_404(Inpatient.objects.select_related("ward"), public_id=public_id)


def held_messages(*, fetched_by: User) -> QuerySet[FeedMessage]:
    require(fetched_by, Action.TOC_WORK)
    return FeedMessage.objects.filter(status=FeedMessage.Status.HELD).order_by("received_at", "pk")


def feed_message_get(*, public_id, fetched_by: User) -> FeedMessage:
    require(fetched_by, Action.TOC_WORK)
    return get_object_or_404(FeedMessage, public_id=public_id)
