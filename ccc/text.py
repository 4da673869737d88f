"""Free text a person types: every such field has a limit, checked wherever text comes in.

A Django TextField's ``max_length`` reaches forms and the API's model serializers but not
``full_clean``, so the services (which validate through ``ccc.audit.save_as``) would let a long
text through from a plain serializer. ``note_field`` gives the limit and the validator together.
"""

from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models

# Notes, reasons, outcomes and descriptions: long enough for any real note, short of a pasted file.
NOTE_MAX_LENGTH = 10_000
TOO_LONG = "Enter %(limit_value)s characters or fewer: this has %(show_value)s"


def note_field(*args: Any, max_length: int = NOTE_MAX_LENGTH, **kwargs: Any) -> models.TextField:
    """A TextField people type into, refused past ``max_length`` characters with a clear message."""
    validators = [*kwargs.pop("validators", []), MaxLengthValidator(max_length, message=TOO_LONG)]
    return models.TextField(*args, max_length=max_length, validators=validators, **kwargs)
