"""Small things every app's web views share."""

from django.core.exceptions import ValidationError
from django.forms import Form


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's validation error on the form: on its field where the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
