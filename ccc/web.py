"""Small things every app's web views share."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form

from ccc.exceptions import Conflict


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's validation error on the form: on its field where the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_call(form: Form, call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run one service for a submitted form: ``(True, result)``, or ``(False, None)`` with the
    broken rule or the lost race on the form, so the page shows again with everything as typed."""
    try:
        return True, call()
    except ValidationError as error:
        add_service_errors(form, error)
    except Conflict as error:
        form.add_error(None, str(error))
    return False, None
