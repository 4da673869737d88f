"""Paging bounds for every list in the API, in one place.

A page size, page or offset the database cannot take (``?limit=99999999999999999999`` overflows
PostgreSQL's bigint) is refused with 400 and a message naming the parameter and its range, never
passed on to become a server error. Nothing is clamped silently.
"""

from collections.abc import Mapping

from rest_framework import exceptions
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 200
# Far beyond any list we hold, far below what the database overflows on.
MAX_OFFSET = 10_000_000


def bounded_int(params: Mapping[str, str], name: str, *, default: int, least: int, most: int) -> int:
    """The whole number ``params[name]`` (``default`` when absent), or 400 if it is not one from least to most."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip()
    if not (value.isascii() and value.isdigit()) or not least <= int(value) <= most:
        raise exceptions.ValidationError({name: [f"{name} must be a whole number from {least} to {most}"]})
    return int(value)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """DRF's limit/offset paging with both bounded: out of range is 400, and the schema says the range."""

    max_limit = MAX_LIMIT

    def get_limit(self, request) -> int:
        return bounded_int(request.query_params, self.limit_query_param, default=self.default_limit, least=1, most=MAX_LIMIT)

    def get_offset(self, request) -> int:
        return bounded_int(request.query_params, self.offset_query_param, default=0, least=0, most=MAX_OFFSET)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: (1, MAX_LIMIT), self.offset_query_param: (0, MAX_OFFSET)}
        for parameter in parameters:
            least, most = bounds[parameter["name"]]
            parameter["schema"] = {**parameter["schema"], "minimum": least, "maximum": most}
        return parameters
