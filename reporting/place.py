"""The whole-place data generator behind ``manage.py generate_place``: the order of the work.

Each app builds its own rows (``referrals/generate.py``, ``triage/generate.py``,
``irr/generate.py``, ``discharge/generate.py``, ``directory/generate.py``,
``escalations/generate.py``); this module decides how many, links them and writes them with
COPY (``ccc.bulk``), oldest first, 50,000 referrals a transaction, printing its progress.
"""

import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from ccc.bulk import (
    Ids,
    MissingValue,
    Writer,
    demand_moments,
    foreign_keys_check,
    in_parallel,
    indexes_create,
    secondary_indexes_drop,
    sequences_reset,
    vacuum_analyze,
)
from ccc.models import Organisation, User
from directory.generate import DIRECTORY_MODELS, directory_generate, signposting_row
from directory.models import Signposting, TaxonomyTerm
from discharge.generate import DISCHARGE_MODELS, Register
from discharge.models import DelayReason, RegisterEntry, Ward
from discharge.services.register import plan_clock
from escalations.generate import ESCALATION_MODELS, clock_tables
from irr.generate import IRR_MODELS, Episodes
from referrals import generate as front_desk
from referrals.models import Contact, Patient, Referral
from triage.generate import OUTCOME_CYCLE, URGENCY_WEIGHTS, Triage, accepted, first_response
from triage.models import QueueItem, RoutingRule, TriageDecision
from triage.services.decisions import response_clock
from triage.services.routing import triage_clock

BATCH = 50_000
# Scale 1: a large integrated care system's place, as issue 15 measures it.
FULL = {"referrals": 1_000_000, "contacts": 1_000_000, "episodes": 50_000, "visits": 100_000,
        "register": 50_000, "services": 10_000, "open_clocks": 100_000, "open_items": 5_000, "due_now": 1_000}
# Share of contacts that raised a referral (linked to it); the rest are the front desk's other calls.
LINKED_SHARE = 0.4


WRITTEN = [Patient, Referral, QueueItem, TriageDecision, Contact, *DIRECTORY_MODELS, *IRR_MODELS, *DISCHARGE_MODELS,
           *ESCALATION_MODELS]


class PlaceError(Exception):
    """The database cannot take the place data: the message says what is missing."""


def figures(scale: float, due_now: int | None = None) -> dict[str, int]:
    counts = {name: max(1, round(count * scale)) for name, count in FULL.items()}
    counts["visits"] = max(counts["visits"], counts["episodes"])
    if due_now is not None:
        counts["due_now"] = due_now
    return counts


class PlaceGenerator:
    def __init__(self, *, counts: dict[str, int], seed: int, days: int, say: Callable[[str], None], writers: int = 2):
        self.counts, self.days, self.say = {name: counts.get(name, 0) for name in FULL}, days, say
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.zone = timezone.get_current_timezone()
        self.ids = Ids()
        self.writer = Writer(writers)
        self.seconds, self.rows = self.writer.seconds, self.writer.rows  # per table: COPY (and VACUUM) time, rows
        self.specs: list[dict] = []  # the open clocks' clock_start arguments

    def run(self) -> dict[str, float]:
        self._configuration()
        counts, phases = self.counts, {}
        self.services: list = []
        started = time.monotonic()
        indexes = secondary_indexes_drop(WRITTEN)
        phases["indexes dropped"] = time.monotonic() - started
        try:
            for name, phase, wanted in (
                ("directory", self._directory, counts["services"]),
                ("referrals, contacts, IRR", self._referrals, counts["referrals"]),
                ("Transfer of Care", self._register, counts["register"]),
                ("clocks", self._clocks, counts["open_clocks"]),
            ):
                if wanted:
                    self._timed(phases, name, phase)
        finally:
            self.writer.close()
            # Put back whatever happens: a run that fails half-way leaves its tables indexed as before.
            self._timed(phases, "indexes built", lambda: indexes_create(indexes, threads=self.writer.threads))
        self._timed(phases, "links checked, VACUUM ANALYZE", self._vacuum)
        return phases

    def _timed(self, phases: dict, name: str, phase: Callable[[], None]) -> None:
        started = time.monotonic()
        phase()
        phases[name] = time.monotonic() - started
        self.say(f"{name}: {phases[name]:.0f} s")

    # Setting ----------------------------------------------------------------------------

    def _configuration(self) -> None:
        rules = list(RoutingRule.objects.select_related("queue__team", "need").filter(queue__is_active=True))
        people = User.objects.filter(is_active=True).select_related("team").order_by("pk")
        self.handler = people.filter(role=User.Role.CALL_HANDLER).first()
        clinicians = list(people.filter(role__in=[User.Role.DUTY_CLINICIAN, User.Role.TEAM_LEAD]))
        self.toc = people.filter(role=User.Role.TOC).first()
        self.terms = list(TaxonomyTerm.objects.order_by("name"))
        wards, reasons = list(Ward.objects.filter(is_active=True)), list(DelayReason.objects.filter(is_active=True))
        register, directory = self.counts["register"], self.counts["services"]
        if not (rules and self.handler and clinicians and (self.toc and wards and reasons or not register)
                and (self.terms or not directory)):
            raise PlaceError("Needs the configuration demo_data makes (routing rules, a call handler, duty "
                             "clinicians, a Transfer of Care member, wards, delay reasons, directory categories): "
                             "run manage.py demo_data first")
        self.needs = [rule.need for rule in rules]
        self.clinicians = clinicians
        # Each queue's own team's clinicians decide and lead its episodes; any clinician where it has none.
        self.team_clinicians = defaultdict(list)
        for user in clinicians:
            self.team_clinicians[user.team_id].append(user)
        self.front = front_desk.Front(list(Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE).order_by("pk")))
        self.triage = Triage()
        self.register = Register(wards=wards, reasons=reasons, owner=self.toc)

    def _clinician(self, queue, number: int):
        people = self.team_clinicians.get(queue.team_id) or self.clinicians
        return people[number % len(people)]

    def _write(self, tables: dict) -> None:
        self.writer.write(tables)

    # Phases -----------------------------------------------------------------------------

    def _directory(self) -> None:
        with transaction.atomic():
            self.services = directory_generate(rng=self.rng, count=self.counts["services"], terms=self.terms,
                                               at=self.now)
        self.rows["directory_service"] += self.counts["services"]
        self.say(f"{self.counts['services']:,} directory services")

    def _referrals(self) -> None:
        counts = self.counts
        total, open_items = counts["referrals"], min(counts["open_items"], counts["referrals"])
        triaged = total - open_items
        self.first_patient = self.ids.take(Patient, 0)
        self.register_plan = self._register_plan()
        plan_clocks = sum(1 for entry in self.register_plan if entry[0]["plan_set_at"] is None and
                          entry[0]["status"] == RegisterEntry.Status.OPEN)
        accepts = [index for index in range(triaged) if accepted(index)]
        awaiting = max(0, min(len(accepts), counts["open_clocks"] - open_items - plan_clocks))
        responded = accepts[: len(accepts) - awaiting]
        self.awaiting = set(accepts[len(accepts) - awaiting:])
        self.with_episode = set(self.rng.sample(responded, min(counts["episodes"], len(responded))))
        self.episodes = Episodes(ids=self.ids, now=self.now,
                                 visits_per_episode=max(1, counts["visits"] // max(1, counts["episodes"])))
        moments = demand_moments(self.rng, total, now=self.now, days=self.days, zone=self.zone, step_minutes=15)
        linked = min(total, round(counts["contacts"] * LINKED_SHARE))
        self.linked = linked / total
        others = demand_moments(self.rng, counts["contacts"] - linked, now=self.now, days=self.days, zone=self.zone)
        started, made, next_other = time.monotonic(), 0, 0
        while made < total:
            size = min(BATCH, total - made)
            until = moments[made + size] if made + size < total else None
            upto = next_other
            while upto < len(others) and (until is None or others[upto] < until):
                upto += 1
            self._write(self._batch(range(made, made + size), moments, triaged, others[next_other:upto]))
            made, next_other = made + size, upto
            elapsed = time.monotonic() - started
            self.say(f"{made:>10,} / {total:,} referrals with their contacts ({elapsed:.0f} s, "
                     f"{made / elapsed:,.0f} a second)")

    def _batch(self, numbers: range, moments: list, triaged: int, others: list) -> dict:
        rng, ids, triage, front = self.rng, self.ids, self.triage, self.front
        urgencies = rng.choices(list(URGENCY_WEIGHTS), list(URGENCY_WEIGHTS.values()), k=len(numbers))
        types = rng.choices(list(front_desk.REFERRER_WEIGHTS), list(front_desk.REFERRER_WEIGHTS.values()),
                            k=len(numbers))
        tables = {Patient: [], Referral: [], QueueItem: [], TriageDecision: []}
        contacts, signpostings = [], []
        for n, number in enumerate(numbers):
            received, need = moments[number], self.needs[number % len(self.needs)]
            practice, urgency = front.practice(number), urgencies[n]
            patient_id, referral_id, item_id = ids.take(Patient), ids.take(Referral), ids.take(QueueItem)
            born = date(1930 + number % 70, 1 + number % 12, 1 + number % 28)
            tables[Patient].append(front_desk.patient_row(pk=patient_id, practice=practice, created=received, born=born))
            referral = front_desk.referral_row(
                front=front, pk=referral_id, patient_id=patient_id, practice=practice, need=need,
                referrer_type=types[n], urgency=urgency, received=received, handler_id=self.handler.pk)
            tables[Referral].append(referral)
            if (number * self.linked) // 1 != ((number + 1) * self.linked) // 1:
                contacts.append(front_desk.contact_row(
                    pk=0, started=received, caller_type=types[n], outcome=Contact.Outcome.REFERRAL_CREATED,
                    handler_id=self.handler.pk, patient_id=patient_id, referral_id=referral_id))
            queue = triage.route(need, received)
            clinician = self._clinician(queue, number)
            if number >= triaged:  # the backlog: waiting, a few claimed
                claimed = number % 10 == 0
                item = triage.item_row(pk=item_id, referral_id=referral_id, queue=queue, urgency=urgency,
                                       received=received, status="claimed" if claimed else "waiting",
                                       claimed_by=clinician.pk if claimed else None,
                                       claimed_at=received + timedelta(minutes=5) if claimed else None)
                tables[QueueItem].append(item)
                stub = QueueItem(referral=front_desk.referral_stub(referral, need), queue=queue,
                                 due_at=item["due_at"], routed_at=received)
                self.specs.append(triage_clock(stub))
                continue
            minutes = rng.lognormvariate(4.0, 0.8)  # median about 55 minutes, a long tail
            decided = min(received + timedelta(minutes=minutes), self.now - timedelta(minutes=1))
            item = triage.item_row(pk=item_id, referral_id=referral_id, queue=queue, urgency=urgency,
                                   received=received, status="triaged", claimed_by=clinician.pk,
                                   claimed_at=decided - timedelta(minutes=minutes / 3))
            tables[QueueItem].append(item)
            decision = self._decision(number, item, queue, urgency, clinician, decided, signpostings, referral)
            tables[TriageDecision].append(decision)
            # As triage_decision_record stores them on the item (QueueItem.triaged): time to triage reads them.
            item["triaged_at"], item["triaged_priority"] = decided, decision["priority"]
            if number in self.awaiting and decision.get("respond_by"):
                stub = QueueItem(referral=front_desk.referral_stub(referral, need), queue=queue)
                waiting = TriageDecision(pk=decision["id"], priority=urgency, decided_at=decided,
                                         respond_by=decision["respond_by"], decided_by=clinician)
                self.specs.append(response_clock(waiting, stub))
        contacts += [self._other_contact(at, signpostings) for at in others]
        contacts.sort(key=lambda row: row["started_at"])
        for row in contacts:
            row["id"] = ids.take(Contact)
            row["idempotency_key"] = f"perf-contact-{row['id']}"
        for row in signpostings:
            if "contact_row" in row:
                row["contact"] = row.pop("contact_row")["id"]
        signpostings.sort(key=lambda row: row["signposted_at"])
        for row in signpostings:
            row["id"] = ids.take(Signposting)
            row["idempotency_key"] = f"perf-signposting-{row['id']}"
        return {**tables, Contact: contacts, Signposting: signpostings, **self.episodes.take()}

    def _decision(self, number, item, queue, urgency, clinician, decided, signpostings, referral) -> dict:
        outcome = OUTCOME_CYCLE[number % len(OUTCOME_CYCLE)]
        service = self.services[number % len(self.services)] if self.services else None
        decision = self.triage.decision_row(
            pk=self.ids.take(TriageDecision), item_id=item["id"], queue=queue, priority=urgency, outcome=outcome,
            clinician_id=clinician.pk, decided=decided, signposted_to=service[1][:200] if service else "")
        if outcome == TriageDecision.Outcome.SIGNPOST and service is not None:
            signpostings.append(signposting_row(pk=0, service=service, need=self.terms[number % len(self.terms)].name,
                                                at=decided, by=clinician.pk, referral_id=referral["id"]))
        if outcome == TriageDecision.Outcome.ACCEPT and number not in self.awaiting:
            # The rapid response team got there, unless it is still on its way.
            responded = decided + timedelta(minutes=self.rng.uniform(20, 240))
            if responded < self.now:
                first_response(decision, at=responded, by=clinician.pk)
                if number in self.with_episode:
                    self.episodes.episode(
                        rng=self.rng, patient_id=referral["patient"], team=queue.team or clinician.team,
                        lead=clinician, decision_id=decision["id"], responded=responded, lone_working=False)
        return decision

    def _other_contact(self, at, signpostings) -> dict:
        """A call that raised no referral: advice, a signposting, someone to talk to."""
        rng = self.rng
        outcome = rng.choices(list(front_desk.CONTACT_OUTCOMES), list(front_desk.CONTACT_OUTCOMES.values()))[0]
        service = rng.choice(self.services) if self.services and outcome == Contact.Outcome.SIGNPOSTED else None
        if outcome == Contact.Outcome.SIGNPOSTED and service is None:
            outcome = Contact.Outcome.ADVICE_GIVEN
        caller = rng.choice(list(front_desk.REFERRER_WEIGHTS))
        row = front_desk.contact_row(pk=0, started=at, caller_type=caller, outcome=outcome,
                                     handler_id=self.handler.pk, signposted_to=service[1][:200] if service else "")
        if service is not None:
            signpostings.append({**signposting_row(pk=0, service=service, need=rng.choice(self.terms).name, at=at,
                                                   by=self.handler.pk), "contact_row": row})
        return row

    def _register_plan(self) -> list[tuple[dict, dict | None]]:
        """The register's entries and delays, before the patients they name are written."""
        total, count = self.counts["referrals"], min(self.counts["register"], self.counts["referrals"])
        patients = sorted(self.rng.sample(range(total), count))
        moments = demand_moments(self.rng, count, now=self.now, days=self.days, zone=self.zone)
        today = timezone.localdate(self.now)
        return [
            self.register.rows(rng=self.rng, ids=self.ids, patient_id=self.first_patient + patient, registered=at,
                               today=today)
            for patient, at in zip(patients, moments, strict=True)
        ]

    def _register(self) -> None:
        entries = [entry for entry, _ in self.register_plan]
        for entry in entries:
            entry["public_id"] = uuid.uuid4()
        self._write({RegisterEntry: entries, DISCHARGE_MODELS[1]: [delay for _, delay in self.register_plan if delay]})
        self.writer.finish()
        wards = {ward.pk: ward for ward in self.register.wards}
        for entry in entries:
            if entry["status"] == RegisterEntry.Status.OPEN and entry["plan_set_at"] is None:
                patient = Patient(pk=entry["patient"], given_name="Generated", family_name=f"Patient{entry['patient']}")
                self.specs.append(plan_clock(RegisterEntry(
                    pk=entry["id"], public_id=entry["public_id"], patient=patient, ward=wards[entry["ward"]],
                    fit_on=entry["fit_on"], plan_due_at=entry["plan_due_at"])))
        self.say(f"{len(entries):,} Transfer of Care entries")

    def _clocks(self) -> None:
        fired = 0
        for tables in clock_tables(specs=self.specs, ids=self.ids, now=self.now, due_now=self.counts["due_now"]):
            self._write(tables)
            fired += len(tables[ESCALATION_MODELS[1]])
        self.writer.finish()
        self.say(f"{len(self.specs):,} open clocks, {fired:,} escalations already fired")

    def _vacuum(self) -> None:
        def check(model):
            def task() -> None:
                started = time.monotonic()
                foreign_keys_check(model, after=self.ids.before.get(model))
                vacuum_analyze(model)
                self.seconds[model._meta.db_table] += time.monotonic() - started
            return task

        in_parallel([check(model) for model in WRITTEN], self.writer.threads)
        sequences_reset(WRITTEN)


def place_generate(*, counts: dict[str, int], seed: int, days: int, force: bool, stdout, writers: int = 0) -> None:
    """Check the database will take it, generate, and print the time each phase and table took."""
    if connection.vendor != "postgresql":
        raise CommandError("The generator writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database")
    if not settings.DEBUG and not force:
        raise CommandError("DEBUG is off: this looks like a live system. Use a database of its own, or --force.")
    generator = PlaceGenerator(counts=counts, seed=seed, days=days, say=stdout.write, writers=writers)
    started = time.monotonic()
    try:
        phases = generator.run()
    except (PlaceError, MissingValue) as error:
        raise CommandError(str(error)) from error
    except ValidationError as error:  # intake would refuse it too: say why
        raise CommandError(f"Intake refuses a generated row: {'; '.join(error.messages)}") from error
    stdout.write("table: rows, COPY and VACUUM seconds")
    for table, rows in sorted(generator.rows.items()):
        stdout.write(f"  {table}: {rows:,} rows, {generator.seconds[table]:.1f} s")
    stdout.write(", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items()))
    stdout.write(f"Made {counts['referrals']:,} referrals and the place around them in "
                 f"{time.monotonic() - started:.0f} s")
