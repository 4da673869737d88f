"""The hospital's admissions feed: real HL7 v2 messages sent over MLLP to the listener on
127.0.0.1, answered with ACKs, keeping the inpatient list and the register."""

import asyncio
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from hl7.mllp import open_hl7_connection

from discharge import services
from discharge.hl7_listener import serve
from discharge.models import FeedMessage, Inpatient, RegisterEntry
from tests import factories

EDITH = "9990000026"


def adt(event, control_id, *, nhs=EDITH, name="Crawley^Edith", born="19380502", ward="ward-7", visit="V0001",
        admitted="20251001", discharged=""):
    pv1 = ["PV1", "1", "I", f"{ward}^^^TRUST"] + [""] * 15 + [visit] + [""] * 24 + [admitted, discharged]
    return "\r".join([
        f"MSH|^~\\&|PAS|TRUST|CCC|CCC|20251001120000||ADT^{event}^ADT_A01|{control_id}|P|2.4",
        f"EVN|{event}|20251001120000",
        f"PID|1||{nhs}^^^NHS^NH~H123^^^TRUST^MR||{name}||{born}|F",
        "|".join(pv1),
    ])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def listener(transactional_db, toc_nurse):
    """The listener in a thread of its own, on a free port, acting as the TOC nurse."""
    port, loop, started = _free_port(), asyncio.new_event_loop(), threading.Event()

    def run():
        asyncio.set_event_loop(loop)
        ready = asyncio.Event()
        task = loop.create_task(serve("127.0.0.1", port, toc_nurse.pk, ready))
        loop.run_until_complete(ready.wait())
        started.set()
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            pass
        # The listener's database connection lives in asgiref's worker thread: close it there.
        loop.run_until_complete(sync_to_async(connections.close_all, thread_sensitive=True)())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10), "the listener did not start"
    yield port
    loop.call_soon_threadsafe(lambda: [task.cancel() for task in asyncio.all_tasks(loop)])
    thread.join(10)


def send(port, *messages) -> list[tuple[str, str]]:
    """Send each message over one MLLP connection; (MSA-1, MSA-3) of each ACK."""
    async def exchange():
        reader, writer = await open_hl7_connection("127.0.0.1", port)
        answers = []
        for message in messages:
            writer.writeblock(message.encode())
            await writer.drain()
            ack = (await reader.readblock()).decode()
            msa = next(line for line in ack.split("\r") if line.startswith("MSA")).split("|")
            answers.append((msa[1], msa[3] if len(msa) > 3 else ""))
        writer.close()
        return answers

    # In a thread of its own: a browser test's thread already runs Playwright's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, exchange()).result(timeout=60)


@pytest.fixture
def wards(ward):
    return ward, factories.ward(code="ward-12", name="Ward 12", organisation=ward.organisation)


def test_admission_transfer_and_discharge_keep_the_list_and_the_register(listener, wards, toc_nurse):
    [(code, _)] = send(listener, adt("A01", "M1"))
    assert code == "AA"
    stay = Inpatient.objects.get(visit_number="V0001")
    assert (stay.nhs_number, stay.full_name, stay.ward.code, stay.admitted_on) == (
        EDITH, "Edith Crawley", "ward-7", date(2025, 10, 1)
    )

    assert send(listener, adt("A02", "M2", ward="ward-12"))[0][0] == "AA"
    stay.refresh_from_db()
    assert stay.ward.code == "ward-12"

    # The TOC team registers her from the list: NHS number, ward and admission date from the feed.
    entry, _ = services.entry_register(
        actor=toc_nurse, idempotency_key="from-feed", ward=stay.ward, admitted_on=stay.admitted_on,
        consultant="Dr Evans", source="ward", referred_on=stay.admitted_on, nhs_number=stay.nhs_number,
        given_name=stay.given_name, family_name=stay.family_name, date_of_birth=stay.date_of_birth,
    )

    [(code, text)] = send(listener, adt("A03", "M3", ward="ward-12", discharged="20251009"))
    assert (code, text) == ("AA", "Discharged, and recorded on the Transfer of Care register")
    entry.refresh_from_db()
    assert (entry.status, entry.discharged_on) == (RegisterEntry.Status.DISCHARGED, date(2025, 10, 9))
    assert entry.history.latest().history_user == toc_nurse
    stay.refresh_from_db()
    assert (stay.status, stay.discharged_on) == (Inpatient.Status.DISCHARGED, date(2025, 10, 9))


def test_a_message_sent_again_is_answered_but_not_applied_twice(listener, wards):
    answers = send(listener, adt("A01", "M1"), adt("A01", "M1"))

    assert [code for code, _ in answers] == ["AA", "AA"]
    assert answers[1][1].startswith("Already processed")
    assert (Inpatient.objects.count(), FeedMessage.objects.count()) == (1, 1)


def test_a_malformed_message_is_rejected_and_an_impossible_one_is_an_error_with_the_reason(listener, wards):
    answers = send(listener, "this is not HL7", adt("A01", "M1", ward="ward-99"), adt("A02", "M2", visit="V404"),
                   adt("A05", "M3"))

    assert answers[0][0] == "AR"
    assert answers[1] == ("AE", "Unknown ward “ward-99” (PV1-3)")
    assert answers[2] == ("AE", "No inpatient with visit number V404")
    assert answers[3][0] == "AR" and "A05" in answers[3][1]
    assert not Inpatient.objects.exists()
    assert list(FeedMessage.objects.values_list("status", flat=True)) == ["error", "error"]


def test_a_known_nhs_number_with_another_name_is_held_for_a_person_never_applied(listener, wards, toc_nurse):
    factories.patient(nhs_number=EDITH, given_name="Edith", family_name="Crawley", date_of_birth=date(1938, 5, 2))

    [(code, text)] = send(listener, adt("A01", "M1", name="Crowley^Edna", born="19400101"))

    assert code == "AA" and text.startswith("Held: NHS number 9990000026 is Edith Crawley")
    assert not Inpatient.objects.exists()
    held = FeedMessage.objects.get(status=FeedMessage.Status.HELD)

    services.feed_message_resolve(message=held, actor=toc_nurse, accept=True)

    held.refresh_from_db()
    assert (held.status, held.resolved_by) == (FeedMessage.Status.ACCEPTED, toc_nurse)
    assert Inpatient.objects.get().full_name == "Edna Crowley"


def test_the_nhs_number_is_read_by_its_assigning_authority_or_type_whatever_the_line_ends():
    from discharge.hl7_feed import adt_read

    by_type = adt("A01", "M1")
    by_authority = by_type.replace(f"{EDITH}^^^NHS^NH", f"{EDITH}^^^NHS")
    for raw in (by_type, by_authority.replace("\r", "\r\n"), by_authority.replace("\r", "\n")):
        message = adt_read(raw)
        assert (message.nhs_number, message.family_name, message.visit_number) == (EDITH, "Crawley", "V0001")
