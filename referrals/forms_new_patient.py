"""What a patient search carries into the new patient's form, so nothing is typed twice."""

from datetime import date
from urllib.parse import urlencode

from django.http import QueryDict


def new_patient_query(searched: dict, contact=None) -> str:
    """The new patient form's query string from a search's cleaned data: NHS number, date of birth
    (ISO), postcode, and the name split as a person says it (the last word is the family name)."""
    words = (searched.get("name") or "").split()
    query = {
        "nhs_number": searched.get("nhs_number") or "",
        "given_name": " ".join(words[:-1]),
        "family_name": words[-1] if words else "",
        "date_of_birth": searched["date_of_birth"].isoformat() if searched.get("date_of_birth") else "",
        "postcode": searched.get("postcode") or "",
    }
    if contact:
        query["contact"] = contact.public_id
    return urlencode({key: value for key, value in query.items() if value})


def new_patient_initial(params: QueryDict) -> dict:
    """The new patient form's first values from that query; a date that does not parse is left out."""
    initial = {name: params[name] for name in ("nhs_number", "given_name", "family_name", "postcode") if params.get(name)}
    try:
        initial["date_of_birth"] = date.fromisoformat(params.get("date_of_birth", ""))
    except ValueError:
        pass
    return initial
