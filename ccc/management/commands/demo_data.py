"""Demo data: organisations, teams, duty queues, routing, one user per role, patients and referrals.

    python manage.py demo_data [--password PW] [--force]

Safe to run again: configuration is found by its natural key (name, code, username) and
only made when missing, and each demo referral is made once (its idempotency key is
``demo-<n>``). Referrals go through the same services as real ones (intake, routing, claim,
triage decision), so their timelines and history are real.

Every run sets the demo users' password (the one given, or a new random one) and prints it, and
gives the demo managers and administrator an authenticator app's secret key (the one given with
``--second-factor-secret``, or a new random one), printed too: add it to any authenticator app
(or ``oathtool --totp -b SECRET``) for the code asked after their password.
It refuses to run when DEBUG is off unless ``--force`` is given.

This command only orchestrates: organisations, teams and users are made here (the project
shell's own), and each app's demo data lives in that app's ``demo.py`` (``triage``,
``referrals``, ``escalations``, ``irr``, ``discharge``, ``directory``), with what they share in
``ccc.demo``. The order matters and is kept here: ladders before the referrals whose clocks take
them, out-of-hours rules after them so they route as by day.
"""

import base64
import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ccc.accounts import second_factor_set_known
from ccc.audit import save_as
from ccc.demo import DEMO_KEY_PREFIX, get_or_create, test_range_nhs_numbers
from ccc.models import Organisation, Team, User
from ccc.permissions import needs_second_factor
from directory import demo as directory_demo
from discharge import demo as discharge_demo
from escalations import demo as escalations_demo
from irr import demo as irr_demo
from opel import demo as opel_demo
from referrals import demo as referrals_demo
from triage import demo as triage_demo
from triage.models import QueueItem

LOGIN_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/"

ORGANISATIONS = [
    ("Northfield Acute and Community NHS Trust", Organisation.Kind.ACUTE_TRUST),
    ("Northfield Mental Health and Learning Disability NHS Trust", Organisation.Kind.MENTAL_HEALTH_TRUST),
    ("Northfield Council", Organisation.Kind.COUNCIL),
    ("Northfield Commissioning Group", Organisation.Kind.COMMISSIONER),
    ("Northfield Voluntary Action", Organisation.Kind.VOLUNTARY_SECTOR),
]
ACUTE, MENTAL_HEALTH, COUNCIL, COMMISSIONER, VOLUNTARY = (name for name, _ in ORGANISATIONS)

# Team name -> organisation name.
TEAMS = {
    "Care Co-ordination Centre": ACUTE,
    "IRR physical health": ACUTE,
    "IRR mental health": MENTAL_HEALTH,
    "IRR learning disability": MENTAL_HEALTH,
    "Transfer of Care team": ACUTE,
    "Adult social care": COUNCIL,
    "Out-of-hours service": ACUTE,
}

# username, role, first name, last name, team, queue codes.
USERS = [
    ("callhandler", User.Role.CALL_HANDLER, "Sarah", "Whitfield", "Care Co-ordination Centre", []),
    ("clinician.physical", User.Role.DUTY_CLINICIAN, "James", "Okafor", "IRR physical health", ["physical-health"]),
    ("clinician.mental", User.Role.DUTY_CLINICIAN, "Aisha", "Rahman", "IRR mental health", ["mental-health"]),
    ("clinician.ld", User.Role.DUTY_CLINICIAN, "Gareth", "Lloyd", "IRR learning disability", ["learning-disability"]),
    # A clinician who also sets the rota, reassigns, and leads the shift when the rota says so.
    ("teamlead", User.Role.TEAM_LEAD, "Nadia", "Kowalski", "IRR mental health",
     ["mental-health", "learning-disability", "physical-health"]),
    ("toc", User.Role.TOC, "Helen", "McAllister", "Transfer of Care team", []),
    # Hospital social care in the integrated TOC team: signs delays off for the council.
    ("toc.socialcare", User.Role.TOC, "Marcus", "Boateng", "Adult social care", []),
    ("manager", User.Role.MANAGER, "David", "Chen", "Care Co-ordination Centre", []),
    ("directory", User.Role.DIRECTORY_EDITOR, "Tom", "Barker", "Care Co-ordination Centre", []),
    ("manager.oncall", User.Role.MANAGER, "Rachel", "Osei", "Care Co-ordination Centre", []),
    ("admin", User.Role.ADMINISTRATOR, "Fiona", "Marsh", "Care Co-ordination Centre", []),
]


class Command(BaseCommand):
    help = "Create demo organisations, queues, users (one per role), patients and referrals. Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password", help="Password for every demo user (default: a new random one each run, printed at the end)."
        )
        parser.add_argument(
            "--second-factor-secret",
            help="Authenticator secret key (base32) for the demo managers and administrator (default: a new random one).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (it resets the demo users' passwords)."
        )

    def handle(
        self, *args: Any, password: str | None = None, second_factor_secret: str | None = None, force: bool = False,
        **options: Any,
    ) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a live system. demo_data adds demo patients and referrals and "
                "resets the demo users' passwords. Use --force if you really mean it."
            )
        password = password or secrets.token_urlsafe(9)
        try:
            validate_password(password)
        except ValidationError as error:
            self.stderr.write(self.style.WARNING("Password is weak: " + " ".join(error.messages)))

        with transaction.atomic():
            organisations = {
                name: get_or_create(Organisation, name=name, defaults={"kind": kind})[0]
                for name, kind in ORGANISATIONS
            }
            teams = {
                name: get_or_create(Team, name=name, organisation=organisations[org])[0]
                for name, org in TEAMS.items()
            }
            queues, needs = triage_demo.queues_and_needs_load(teams)
            # Hashed once for all of them: a hash costs a third of a second by design.
            password_hash = make_password(password)
            users = {spec[0]: self._demo_user(spec, password_hash, teams, queues) for spec in USERS}
            second_factor_secret = second_factor_secret or base64.b32encode(secrets.token_bytes(20)).decode()
            second_factor_users = [user for user in users.values() if needs_second_factor(user)]
            for user in second_factor_users:
                second_factor_set_known(actor=None, user=user, secret=second_factor_secret)
            referrals_demo.community_nursing_load(organisations[ACUTE], queues)
            patients = referrals_demo.patients_load(users["callhandler"])
            escalations_demo.ladders_load(queues, users)  # before the referrals, whose clocks take their queue's ladder
            triage_demo.rota_and_targets_load(users, queues)
            created = triage_demo.referrals_load(users, patients, needs)
            triage_demo.out_of_hours_load(queues)
            referrals_demo.follow_up_calls_and_transport_load(users["callhandler"], patients)
            users.update(referrals_demo.front_desk_load(password_hash, users["callhandler"], patients, needs))
            directory_created = directory_demo.load(users["directory"])
            self._demo_transfer_of_care(users, organisations)
            irr_demo.irr_load(users, teams, organisations)
            irr_demo.patient_page_load(users["callhandler"])
            opel_demo.partners_load(users)  # last: its levels come from everything above

        self._report(users, password, created)
        self.stdout.write(
            f"{', '.join(user.username for user in second_factor_users)} also enter a code from an authenticator app "
            f"after the password: add the secret key {second_factor_secret} to one "
            f"(or run: oathtool --totp -b {second_factor_secret})."
        )
        self.stdout.write(f"Directory of services: {directory_created} services made (the rest were already there).")

    def _demo_user(self, spec, password_hash: str, teams: dict, queues: dict) -> User:
        username, role, first_name, last_name, team_name, queue_codes = spec
        team = teams[team_name]
        wanted = {
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{first_name}.{last_name}@example.nhs.uk".lower(),
            "team": team,
            "organisation": team.organisation,
            "is_active": True,
            # The admin site is gated by our role, not by Django's staff and superuser flags.
            "is_staff": False,
            "is_superuser": False,
        }
        user = User.objects.filter(username=username).first()
        if user is not None and all(getattr(user, field) == value for field, value in wanted.items()):
            # Only the password changes; history leaves passwords out, so write no empty history entry.
            User.objects.filter(pk=user.pk).update(password=password_hash)
            user.password = password_hash
        else:
            user = user or User(username=username)
            for field, value in wanted.items():
                setattr(user, field, value)
            user.password = password_hash
            save_as(user, None)
        for code in queue_codes:
            queues[code].clinicians.add(user)
        return user

    def _demo_transfer_of_care(self, users: dict, organisations: dict) -> None:
        # Test-range NHS numbers after the ones the referral patients use.
        patients = len(referrals_demo.PATIENTS)
        numbers = test_range_nhs_numbers(patients + len(discharge_demo.STAYS))[patients:]
        made = discharge_demo.transfer_of_care_load(users=users, acute=organisations[ACUTE], nhs_numbers=numbers)
        self.stdout.write(f"Made {made} Transfer of Care register entries." if made else "Transfer of Care demo was already there.")

    def _report(self, users: dict, password: str, created: int) -> None:
        out = self.stdout
        if created:
            out.write(f"Made {created} demo referrals.")
        else:
            out.write("Demo referrals were already there: left as they are.")
        counts = {
            status.label: QueueItem.objects.filter(referral__idempotency_key__startswith=DEMO_KEY_PREFIX, status=status)
            .count()
            for status in QueueItem.Status
        }
        out.write("Demo queue items: " + ", ".join(f"{count} {label.lower()}" for label, count in counts.items()))
        out.write("")

        rows = [("Username", "Role", "Queues", "Password")]
        for user in users.values():
            queue_names = ", ".join(user.duty_queues.order_by("name").values_list("name", flat=True)) or "-"
            rows.append((user.username, user.get_role_display(), queue_names, password))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        line = "  ".join("-" * width for width in widths)
        for i, row in enumerate(rows):
            text = "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
            out.write(self.style.MIGRATE_HEADING(text) if i == 0 else text)
            if i == 0:
                out.write(line)
        out.write("")
        out.write(self.style.SUCCESS(f"Log in at {LOGIN_URL}"))
