"""Who may do what. Every page and API endpoint asks here, and nowhere else.

A role grants actions. Some actions also depend on the object: a duty clinician works only the
queues they belong to, and triages only what they have claimed. ``scope_*`` narrow querysets
the same way, so lists show only what the object checks would allow.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from rest_framework import permissions as drf_permissions

from ccc.models import User

Role = User.Role


class Action(StrEnum):
    # Open a patient's record: any patient with PATIENT_VIEW_ALL, otherwise only someone the
    # person has a legitimate relationship with (an object rule: ``patient_related``).
    PATIENT_VIEW = "patient.view"
    PATIENT_VIEW_ALL = "patient.view_all"
    PATIENT_CREATE = "patient.create"
    # Phones, next of kin and carers, communication needs and safety alerts.
    PATIENT_DETAILS_EDIT = "patient.details_edit"
    PATIENT_MERGE = "patient.merge"
    REFERRAL_CREATE = "referral.create"
    REFERRAL_VIEW = "referral.view"
    QUEUE_VIEW = "queue.view"
    QUEUE_ITEM_CLAIM = "queue_item.claim"
    QUEUE_ITEM_TRIAGE = "queue_item.triage"
    ADMINISTER = "administer"
    QUEUE_ITEM_RELEASE = "queue_item.release"
    QUEUE_ITEM_REASSIGN = "queue_item.reassign"
    # Change how urgent an open queue item is, with a reason (a clinician of its queue).
    QUEUE_ITEM_URGENCY = "queue_item.urgency"
    ROTA_MANAGE = "rota.manage"
    EPISODE_VIEW = "episode.view"
    EPISODE_MANAGE = "episode.manage"
    API_DOCS = "api.docs"
    FOLLOW_UP_CALL_VIEW = "follow_up_call.view"
    FOLLOW_UP_CALL_WORK = "follow_up_call.work"  # schedule by hand and record outcomes
    TRANSPORT_VIEW = "transport.view"
    TRANSPORT_BOOK = "transport.book"  # request, and record status changes
    CONTACT_LOG = "contact.log"
    CONTACT_VIEW = "contact.view"
    REFERRAL_TRACK = "referral.track"
    # A GP practice or ward sends its own referral (a page, the API, or a FHIR message): into the
    # same intake as a call handler's, with the referrer's practice or ward taken from their account.
    REFERRAL_SEND = "referral.send"
    # The referrer cancels their own practice's or ward's referral before triage, with a reason (an
    # object rule: the same as tracking's), on the page, the API or by a FHIR update message.
    REFERRAL_CANCEL = "referral.cancel"
    NOTIFICATION_VIEW = "notification.view"
    ESCALATION_ACKNOWLEDGE = "escalation.acknowledge"
    ESCALATION_VIEW_ALL = "escalation.view_all"
    DASHBOARD_VIEW = "dashboard.view"
    # The dashboard's system-wide figures (front desk contacts, Transfer of Care): not a team lead's.
    DASHBOARD_SYSTEM_WIDE = "dashboard.system_wide"
    DIRECTORY_SEARCH = "directory.search"
    DIRECTORY_EDIT = "directory.edit"
    SIGNPOSTING_RECORD = "signposting.record"
    # Transfer of Care: see the register and figures; work the register; sign delays off;
    # enter bed-occupancy figures.
    TOC_VIEW = "toc.view"
    TOC_WORK = "toc.work"
    TOC_DELAY_SIGN_OFF = "toc.delay_sign_off"
    TOC_OCCUPANCY_RECORD = "toc.occupancy_record"
    # A triage note marked sensitive (safeguarding and the like); each reading is logged.
    SENSITIVE_NOTE_READ = "sensitive_note.read"
    # Live capacity: free beds and slots, IRR teams' load, duty queues' waits. Figures, no patients.
    CAPACITY_VIEW = "capacity.view"
    # System escalation (OPEL): every partner's level and action cards; setting a level by hand.
    SYSTEM_LEVEL_VIEW = "system_level.view"
    SYSTEM_LEVEL_SET = "system_level.set"
    # Information governance: who looked at whose records (the access log), and its CSV.
    ACCESS_LOG_VIEW = "access_log.view"
    # Call-back requests: see the lists, ask a team to call back, record the call back or close it.
    # Clinicians see and answer only their own team's (an object rule).
    CALL_BACK_VIEW = "call_back.view"
    CALL_BACK_REQUEST = "call_back.request"
    CALL_BACK_RECORD = "call_back.record"
    # When the system is down: one download of every queue's open items, the Transfer of Care board,
    # today's visits and the calls to return, with patients' identifiers and phones (each logged).
    DOWNTIME_EXPORT = "downtime.export"
    # Not a door but a duty: after the password, a code from an authenticator app (TOTP) before any page.
    ACCOUNT_SECOND_FACTOR_REQUIRED = "account.second_factor_required"


# Groups of actions that go together, then each role's grant in one table.
_FRONT_DESK = frozenset(
    {
        Action.PATIENT_VIEW,
        Action.PATIENT_VIEW_ALL,
        Action.PATIENT_CREATE,
        Action.PATIENT_DETAILS_EDIT,
        Action.REFERRAL_CREATE,
        Action.REFERRAL_VIEW,
        Action.CONTACT_LOG,
        Action.CONTACT_VIEW,
        Action.FOLLOW_UP_CALL_VIEW,
        Action.FOLLOW_UP_CALL_WORK,
        Action.TRANSPORT_VIEW,
        Action.TRANSPORT_BOOK,
        Action.SIGNPOSTING_RECORD,
        Action.CAPACITY_VIEW,
        Action.CALL_BACK_VIEW,
        Action.CALL_BACK_REQUEST,
        Action.CALL_BACK_RECORD,
    }
)
# A duty clinician may reassign only while the rota makes them duty lead (an object rule).
_DUTY_CLINICAL = frozenset(
    {
        Action.PATIENT_VIEW,  # the patients in their queues and team (patient_related)
        Action.REFERRAL_VIEW,
        Action.QUEUE_VIEW,
        Action.QUEUE_ITEM_CLAIM,
        Action.QUEUE_ITEM_TRIAGE,
        Action.QUEUE_ITEM_RELEASE,
        Action.QUEUE_ITEM_REASSIGN,
        Action.QUEUE_ITEM_URGENCY,
        Action.EPISODE_VIEW,
        Action.EPISODE_MANAGE,
        Action.SIGNPOSTING_RECORD,
        Action.SENSITIVE_NOTE_READ,
        Action.PATIENT_DETAILS_EDIT,
        Action.CALL_BACK_VIEW,
        Action.CALL_BACK_RECORD,
        Action.CAPACITY_VIEW,
    }
)
_TRANSFER_OF_CARE = frozenset(
    {
        Action.PATIENT_VIEW,
        Action.TOC_VIEW,
        Action.TOC_WORK,
        Action.TOC_DELAY_SIGN_OFF,
        Action.TOC_OCCUPANCY_RECORD,
        Action.CAPACITY_VIEW,
    }
)
# Read-only oversight of everything; a team lead's dashboard is scoped to their team (scope_report_queues).
_OVERSIGHT = frozenset(
    {
        Action.PATIENT_VIEW,
        Action.PATIENT_VIEW_ALL,
        Action.REFERRAL_VIEW,
        Action.QUEUE_VIEW,
        Action.CONTACT_VIEW,
        Action.FOLLOW_UP_CALL_VIEW,
        Action.TRANSPORT_VIEW,
        Action.CALL_BACK_VIEW,
        Action.TOC_VIEW,
        Action.EPISODE_VIEW,
        Action.DASHBOARD_VIEW,
        Action.DASHBOARD_SYSTEM_WIDE,
        Action.ESCALATION_VIEW_ALL,
        Action.CAPACITY_VIEW,
        Action.DOWNTIME_EXPORT,
    }
)
# Everyone on the staff side: the directory, the API docs, and their own notifications (anyone may
# be named on an escalation ladder, and acknowledges what was sent to them: an object rule).
_STAFF = frozenset(
    {
        Action.DIRECTORY_SEARCH,
        Action.API_DOCS,
        Action.NOTIFICATION_VIEW,
        Action.ESCALATION_ACKNOWLEDGE,
        Action.SYSTEM_LEVEL_VIEW,
    }
)

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CALL_HANDLER: _STAFF | _FRONT_DESK,
    Role.DUTY_CLINICIAN: _STAFF | _DUTY_CLINICAL,
    Role.TEAM_LEAD: _STAFF | _DUTY_CLINICAL | {Action.ROTA_MANAGE, Action.DASHBOARD_VIEW},
    Role.TOC: _STAFF | _TRANSFER_OF_CARE,
    Role.MANAGER: _STAFF | _OVERSIGHT | {Action.SYSTEM_LEVEL_SET, Action.ACCESS_LOG_VIEW, Action.ACCOUNT_SECOND_FACTOR_REQUIRED},
    Role.DIRECTORY_EDITOR: _STAFF | {Action.DIRECTORY_EDIT},
    Role.ADMINISTRATOR: _STAFF
    | _OVERSIGHT
    | {
        Action.ADMINISTER,
        Action.PATIENT_MERGE,
        Action.SYSTEM_LEVEL_SET,
        Action.ACCESS_LOG_VIEW,
        Action.ACCOUNT_SECOND_FACTOR_REQUIRED,
    },
    # Outside the centre: a GP practice or ward sends referrals, tracks and cancels its own (an object rule), is
    # told of each step of their journey (notifications), and sees the system's live capacity; nothing else.
    Role.REFERRER: frozenset(
        {
            Action.REFERRAL_SEND,
            Action.REFERRAL_TRACK,
            Action.REFERRAL_CANCEL,
            Action.API_DOCS,
            Action.CAPACITY_VIEW,
            Action.NOTIFICATION_VIEW,
        }
    ),
}


CLINICAL_ROLES = frozenset({Role.DUTY_CLINICIAN, Role.TEAM_LEAD})

# Object rules on top of the role's grant; an action not named here needs only the grant. Each
# rule is written beside the models it reads (``<app>/permissions.py``, with the ``scope_*``
# functions that narrow that app's lists the same way) and registered here at start-up, so the
# table below is still the one list of which actions depend on the object.
RULED_ACTIONS = frozenset(
    {
        Action.PATIENT_VIEW,
        Action.REFERRAL_VIEW,
        Action.REFERRAL_TRACK,
        Action.REFERRAL_CANCEL,
        Action.QUEUE_VIEW,
        Action.QUEUE_ITEM_CLAIM,
        Action.QUEUE_ITEM_TRIAGE,
        Action.QUEUE_ITEM_RELEASE,
        Action.QUEUE_ITEM_REASSIGN,
        Action.QUEUE_ITEM_URGENCY,
        Action.ROTA_MANAGE,
        Action.EPISODE_VIEW,
        Action.EPISODE_MANAGE,
        Action.ESCALATION_ACKNOWLEDGE,
        Action.CALL_BACK_VIEW,
        Action.CALL_BACK_RECORD,
    }
)
OBJECT_RULES: dict[Action, Callable[[User, Any], bool]] = {}


def object_rule(*actions: Action) -> Callable:
    """Register the decorated ``rule(user, obj) -> bool`` as the object rule of ``actions``."""

    def register(rule: Callable[[User, Any], bool]) -> Callable[[User, Any], bool]:
        for action in actions:
            if action not in RULED_ACTIONS:
                raise ValueError(f"{action} is not in RULED_ACTIONS: add it there first")
            if OBJECT_RULES.get(action, rule) is not rule:
                raise ValueError(f"{action} already has an object rule")
            OBJECT_RULES[action] = rule
        return rule

    return register


def is_clinical(user: Any) -> bool:
    """A duty clinician or team lead: their lists are narrowed to their own queues and team."""
    return bool(user and user.is_authenticated and user.role in CLINICAL_ROLES)


def can(user: Any, action: Action, obj: Any = None) -> bool:
    # A disabled account or one past its end date loses every action at once, mid-session too.
    if not (user and user.is_authenticated and user.may_sign_in):
        return False
    if action not in ROLE_ACTIONS.get(user.role, frozenset()):
        return False
    if obj is None:
        return True
    if action not in RULED_ACTIONS:
        return True
    # A ruled action whose app registered no rule is refused, never waved through.
    rule = OBJECT_RULES.get(action)
    return bool(rule and rule(user, obj))


def needs_second_factor(user: Any) -> bool:
    """Whether this person must give a code from their authenticator app after the password: those who
    see everyone's records (managers) or change who may do what (administrators)."""
    return can(user, Action.ACCOUNT_SECOND_FACTOR_REQUIRED)


def roles_granted(action: Action) -> frozenset[str]:
    """The roles whose grant includes ``action``: for a list of the people who may do it (the
    owners a Transfer of Care entry may have), so the list offered and ``can`` agree."""
    return frozenset(role for role, actions in ROLE_ACTIONS.items() if action in actions)


# Each role as the people who hold it, for "Only duty clinicians and team leads can do this".
ROLE_PLURALS: dict[str, str] = {
    Role.CALL_HANDLER: "call handlers",
    Role.DUTY_CLINICIAN: "duty clinicians",
    Role.TEAM_LEAD: "team leads",
    Role.TOC: "the Transfer of Care team",
    Role.MANAGER: "managers",
    Role.DIRECTORY_EDITOR: "directory editors",
    Role.REFERRER: "referrers (GP practices and wards)",
    Role.ADMINISTRATOR: "administrators",
}


class ActionRefused(PermissionDenied):
    """A refusal that knows the action refused, so the 403 page can say who may do it."""

    def __init__(self, action: Action, user: Any = None):
        self.action = action
        self.own_role_holds_it = bool(user and getattr(user, "role", "") in roles_granted(action))
        super().__init__(self.who_may())

    def who_may(self) -> str:
        if self.own_role_holds_it:
            # The grant is there; the object rule said no: it is someone else's queue, team or practice.
            return "Your role can do this only for your own queues, team, practice or ward, or what was sent to you."
        roles = [ROLE_PLURALS[role] for role in Role.values if role in roles_granted(self.action)]
        if not roles:
            return "No role can do this."
        listed = roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " and " + roles[-1]
        return f"Only {listed} can do this."


def require(user: Any, action: Action, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise ActionRefused(action, user)


# Where ``/`` sends each person: the first of these their role grants, in this fixed order (so an
# administrator, who also sees the dashboard, lands on the IG page, and a team lead on the
# queues). A condition, when given, must hold too: a clinician on no duty queue works IRR visits.
LANDINGS: tuple[tuple[Action, str, Callable[[Any], bool] | None], ...] = (
    (Action.CONTACT_LOG, "referrals:contact_log", None),
    (Action.QUEUE_ITEM_CLAIM, "triage:queue_list", lambda user: bool(user.duty_queue_ids)),
    (Action.EPISODE_MANAGE, "irr:episode_list", None),
    (Action.TOC_WORK, "discharge:board", None),
    (Action.DIRECTORY_EDIT, "directory:review_list", None),
    # The IG page, inside the site's frame; its header links to the administration pages.
    (Action.ADMINISTER, "access_log", None),
    (Action.DASHBOARD_VIEW, "reporting:dashboard", None),
    (Action.REFERRAL_TRACK, "referrals:tracking_list", None),
)


def landing_for(user: Any) -> str | None:
    """The URL name of the page this person's work starts on; None: the welcome page (no role yet)."""
    for action, url_name, condition in LANDINGS:
        if can(user, action) and (condition is None or condition(user)):
            return url_name
    return None


def allowed(action: Action) -> Callable:
    """Decorate a view: log in first, then the role must grant ``action``."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ActionPermission(drf_permissions.BasePermission):
    """DRF's door to this module: the view names its action in ``required_action``.

    ``required_action`` is one action, or a dict from the view's action (``list``, ``create``,
    ``claim``...) to one.
    """

    def _action(self, view) -> Action | None:
        required = getattr(view, "required_action", None)
        if isinstance(required, dict):
            return required.get(getattr(view, "action", None) or view.request.method.lower())
        return required

    def has_permission(self, request, view) -> bool:
        action = self._action(view)
        return action is not None and can(request.user, action)

    def has_object_permission(self, request, view, obj) -> bool:
        action = self._action(view)
        return action is not None and can(request.user, action, obj)


class ApiDocsPermission(drf_permissions.BasePermission):
    """The OpenAPI schema and its browsable docs, for staff with a role."""

    def has_permission(self, request, view) -> bool:
        return can(request.user, Action.API_DOCS)
