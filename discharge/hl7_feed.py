"""Reading the hospital's HL7 v2 ADT messages (with the ``hl7`` library) and writing their ACKs.
Only parsing and presenting: what a message does is ``discharge.services.feed``."""

from dataclasses import dataclass
from datetime import date, datetime

import hl7
from django.utils import timezone

HANDLED_EVENTS = {"A01", "A02", "A03", "A08", "A11", "A13"}


class Unreadable(Exception):
    """Not an ADT message we can read: answered AR with the reason."""


@dataclass
class AdtMessage:
    control_id: str
    event: str
    nhs_number: str
    family_name: str
    given_name: str
    date_of_birth: date | None
    ward_code: str
    visit_number: str
    admitted_on: date | None
    discharged_on: date | None


def _date(value: str, what: str) -> date | None:
    value = str(value or "").strip()
    if not value:
        return None
    try:
        return datetime.strptime(value[:8], "%Y%m%d").date()
    except ValueError:
        raise Unreadable(f"{what} “{value}” is not a date (YYYYMMDD)") from None


def _field(message: hl7.Message, key: str) -> str:
    try:
        return str(message[key]).strip()
    except (KeyError, IndexError):
        return ""


def _nhs_number(message: hl7.Message) -> str:
    """PID-3's NHS number, of the repeats (hospital number, NHS number) there may be."""
    try:
        repeats = message.segment("PID")[3]
    except (KeyError, IndexError):
        return ""
    for repeat in repeats:
        parts = [str(part) for part in repeat] if isinstance(repeat, hl7.Repetition) else [str(repeat)]
        # The NHS number: assigning authority NHS (PID-3.4) or identifier type NH (PID-3.5).
        if (len(parts) >= 4 and parts[3] == "NHS") or (len(parts) >= 5 and parts[4] == "NH"):
            return parts[0].replace(" ", "")
    return ""


def adt_read(raw: str) -> AdtMessage:
    """The fields the register needs from an ADT message; Unreadable if it has not got them."""
    try:
        message = hl7.parse(_segments(raw))
    except Exception as error:  # the library raises several kinds for a broken message
        raise Unreadable(f"Not an HL7 v2 message: {error}") from None
    control_id = _field(message, "MSH.F10")
    if not control_id:
        raise Unreadable("MSH-10 (message control id) is missing")
    if _field(message, "MSH.F9.R1.C1") != "ADT":
        raise Unreadable(f"Only ADT messages are taken, not {_field(message, 'MSH.F9.R1.C1') or 'none'}")
    return AdtMessage(
        control_id=control_id[:50],
        event=_field(message, "MSH.F9.R1.C2"),
        nhs_number=_nhs_number(message),
        family_name=_field(message, "PID.F5.R1.C1"),
        given_name=_field(message, "PID.F5.R1.C2"),
        date_of_birth=_date(_field(message, "PID.F7"), "PID-7 (date of birth)"),
        ward_code=_field(message, "PV1.F3.R1.C1"),
        visit_number=_field(message, "PV1.F19"),
        admitted_on=_date(_field(message, "PV1.F44"), "PV1-44 (admission date)"),
        discharged_on=_date(_field(message, "PV1.F45"), "PV1-45 (discharge date)"),
    )


def _segments(raw: str) -> str:
    """Segments end with CR; senders that end them with CRLF or LF are read the same."""
    return raw.replace("\r\n", "\r").replace("\n", "\r").strip()


def _escape(text: str) -> str:
    for char, escaped in (("\\", "\\E\\"), ("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\")):
        text = text.replace(char, escaped)
    return text.replace("\r", " ").replace("\n", " ")


def ack_for(raw: str, code: str, text: str, ack_id: str) -> str:
    """The ACK of a message: MSA-1 the code (AA, AE, AR), MSA-2 its control id, MSA-3 the reason.
    A message too broken to read still gets an ACK, with no control id to echo."""
    try:
        message = hl7.parse(_segments(raw))
        lines = str(message.create_ack(code, message_id=ack_id)).split("\r")
        control_id = _field(message, "MSH.F10")
    except Exception:  # unreadable: build the ACK by hand
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        lines, control_id = [f"MSH|^~\\&|CCC|CCC|||{stamp}||ACK|{ack_id}|P|2.4"], ""
    lines = [line for line in lines if line and not line.startswith("MSA")]
    return "\r".join([*lines, f"MSA|{code}|{_escape(control_id)}|{_escape(text)[:200]}"])
