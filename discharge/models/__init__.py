"""Transfer of Care: the register of medically-fit-for-discharge (MFFD) patients, their
discharge pathways, delays, the capacity of the pathway services, and bed occupancy. One module
per concern; re-exported here so the app label, the migrations and every import stay as they were."""

from discharge.models.delays import SIGN_OFF_NEEDED, Attribution, Delay, DelayReason, DelaySignOff, Partner
from discharge.models.feed import FeedMessage, Inpatient
from discharge.models.places import (
    PATHWAYS_WITH_CAPACITY,
    BedOccupancy,
    Pathway,
    PathwayService,
    TransferOfCareSettings,
    Ward,
)
from discharge.models.readiness import ResidenceReview
from discharge.models.register import CapacityBooking, PathwayChange, RegisterEntry, TrustedAssessment

__all__ = [
    "PATHWAYS_WITH_CAPACITY",
    "SIGN_OFF_NEEDED",
    "Attribution",
    "BedOccupancy",
    "CapacityBooking",
    "Delay",
    "DelayReason",
    "DelaySignOff",
    "FeedMessage",
    "Inpatient",
    "Partner",
    "Pathway",
    "PathwayChange",
    "PathwayService",
    "RegisterEntry",
    "ResidenceReview",
    "TransferOfCareSettings",
    "TrustedAssessment",
    "Ward",
]
