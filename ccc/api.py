"""What the API shares: errors as JSON people can act on, and how a capped list says it was cut."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ccc.exceptions import Conflict, SubmissionMismatch
from ccc.lists import FirstRows

# The pages' "Showing the first N ..." for an API list answered whole (not paged): sent only when more
# rows matched than the answer holds, with N. Name it in the operation's schema parameters.
SHOWING_FIRST = OpenApiParameter(
    "X-Showing-First",
    OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    response=[200],
    description="Sent only when more matched than these N rows: narrow the question to see the rest",
)


def first_rows_response(rows: FirstRows, data) -> Response:
    """``data`` (``rows`` serialized) as the answer, saying in ``X-Showing-First`` when rows were left out."""
    response = Response(data)
    if rows.more:
        response[SHOWING_FIRST.name] = str(rows.limit)
    return response


def exception_handler(exc, context):
    """Domain errors to HTTP: a lost race or wrong state is 409, a broken rule is 400, a reused
    Idempotency-Key with a different body is 422."""
    if isinstance(exc, Conflict):
        # A conflict may carry what the caller needs to choose (``extra``), e.g. both people a number names.
        body = {"detail": str(exc), "code": getattr(exc, "code", "conflict"), **getattr(exc, "extra", {})}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, SubmissionMismatch):
        return Response(
            {"detail": str(exc), "code": "idempotency_key_reused"}, status=status.HTTP_422_UNPROCESSABLE_ENTITY
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            # Speak DRF's dialect: errors that belong to no field are "non_field_errors".
            body = {("non_field_errors" if field == "__all__" else field): errors for field, errors in exc.message_dict.items()}
        else:
            body = {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
