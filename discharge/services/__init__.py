"""Writes for Transfer of Care, one module per concern: the register, the pathway and its
capacity, trusted assessments, delays, the discharge and bed occupancy. Each write runs in a
transaction and saves through ``save_as``; callers import them from here."""

from discharge.services.assessments import trusted_assessment_accept, trusted_assessment_record
from discharge.services.capacity import booking_occupy, booking_release, booking_reserve, pathway_set
from discharge.services.delays import PARTNER_ORGANISATION_KIND, delay_end, delay_record, delay_sign_off
from discharge.services.discharge import (
    after_discharge,
    entry_discharge,
    hand_over_to_irr,
    schedule_follow_up_calls,
)
from discharge.services.feed import Answer, feed_message_receive, feed_message_resolve
from discharge.services.occupancy import OCCUPANCY_COLUMNS, OccupancyImport, occupancy_import, occupancy_record
from discharge.services.readiness import discharge_dates_set, residence_review_record
from discharge.services.register import (
    PLAN_CLOCK,
    entry_register,
    entry_update,
    patient_for_register,
    plan_clock_start,
    plan_clock_stop,
    plan_due_at,
)

__all__ = [
    "Answer",
    "feed_message_receive",
    "feed_message_resolve",
    "OCCUPANCY_COLUMNS",
    "PARTNER_ORGANISATION_KIND",
    "PLAN_CLOCK",
    "OccupancyImport",
    "after_discharge",
    "booking_occupy",
    "booking_release",
    "booking_reserve",
    "delay_end",
    "delay_record",
    "delay_sign_off",
    "discharge_dates_set",
    "entry_discharge",
    "entry_register",
    "entry_update",
    "hand_over_to_irr",
    "occupancy_import",
    "occupancy_record",
    "pathway_set",
    "patient_for_register",
    "plan_clock_start",
    "plan_clock_stop",
    "plan_due_at",
    "residence_review_record",
    "schedule_follow_up_calls",
    "trusted_assessment_accept",
    "trusted_assessment_record",
]
