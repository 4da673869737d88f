"""Every page and API route, as anonymous, as a user with no role and as each role: the role's
grant in ``ccc.permissions.ROLE_ACTIONS`` decides, as ``tests/permission_matrix.py`` says."""

import inspect
from urllib.parse import unquote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from ccc.models import User
from ccc.permissions import Action, ApiDocsPermission
from tests.permission_matrix import (
    ANYONE,
    NOT_WALKED,
    NOT_WALKED_PREFIXES,
    OBJECT_REFUSALS,
    OUTSIDERS,
    PERSONAS,
    ROUTES,
    ROUTES_BY_ID,
    World,
    grants,
)
from tests.second_factor import Client

pytestmark = pytest.mark.django_db


def _persona_id(role: str | None) -> str:
    return "anonymous" if role is None else role or "no role"


def _client(route, actor: User | None):
    client = APIClient() if route.api else Client()
    if actor is not None:
        if route.api:
            client.force_authenticate(user=actor)
        else:
            client.force_login(actor)
    return client


def _refusal_code(data: dict) -> str:
    """DRF's error code, or a FHIR OperationOutcome's in DRF's words."""
    if data.get("resourceType") == "OperationOutcome":
        return {"login": "not_authenticated", "forbidden": "permission_denied"}.get(data["issue"][0]["code"], "?")
    return data["detail"].code


def _assert_refused(route, role: str | None, response) -> None:
    if route.api:
        # Anonymous callers are asked to authenticate (401 naming the scheme); people are refused.
        assert response.status_code == (401 if role is None else 403), response.content[:300]
        assert _refusal_code(response.data) == ("not_authenticated" if role is None else "permission_denied")
        if role is None:
            assert response["WWW-Authenticate"] == "Token", response.headers
    elif role is None:
        assert response.status_code == 302
        login = reverse("admin:login") if route.name.startswith("admin:") else reverse("login")
        # They come back here after logging in.
        assert response.url.startswith(login) and response.wsgi_request.path in unquote(response.url), response.url
    else:
        if route.name.startswith("admin:") and response.status_code == 302:
            response = _client(route, response.wsgi_request.user).get(response.url)  # the admin's own login hop
        assert response.status_code == route.refused_with(role), response.status_code


@pytest.mark.parametrize("role", PERSONAS, ids=_persona_id)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_each_route_answers_the_roles_whose_grant_holds_its_action_and_refuses_the_rest(route, role):
    world = World()
    actor = world.person(role)
    if route.prepare:
        route.prepare(world, actor)
    before = route.effect(world) if route.effect else None

    response = route.call(_client(route, actor), world)

    allowed = grants(role, route.needs)
    if allowed:
        expected = route.ok if isinstance(route.ok, tuple) else (route.ok,)
        assert response.status_code in expected, getattr(response, "data", response.status_code)
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login")), response.url
    else:
        _assert_refused(route, role, response)
    if route.effect:
        after = route.effect(world)
        assert (after != before) is allowed, f"{before} -> {after}"


@pytest.mark.parametrize("route_id, outsider, status", OBJECT_REFUSALS, ids=lambda value: str(value))
def test_an_outsider_whose_role_may_is_refused_this_object(route_id, outsider, status):
    route = ROUTES_BY_ID[route_id]
    world = World()
    actor = OUTSIDERS[outsider](world)
    assert grants(actor.role, route.needs)  # the role may: only the object refuses them
    if route.prepare:
        route.prepare(world, actor)
    before = route.effect(world) if route.effect else None

    response = route.call(_client(route, actor), world)

    assert response.status_code == status
    if route.effect:
        assert route.effect(world) == before


def _names(patterns, namespace: str = "") -> set[tuple[str, str]]:
    """Every (URL name, method) the resolver answers: each DRF route's methods, one "any" for a page."""
    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            found |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            actions = getattr(pattern.callback, "actions", None)
            for method in actions or ["any"]:
                if method not in ("head", "options"):  # DRF answers these for every GET
                    found.add((name, method))
    return found


def test_every_route_the_resolver_knows_has_a_row_in_the_matrix():
    rows = {(route.name, route.method) for route in ROUTES} | {(route.name, "any") for route in ROUTES}
    known = {
        (name, method) for name, method in _names(get_resolver().url_patterns)
        if name not in NOT_WALKED and not name.startswith(NOT_WALKED_PREFIXES)
    }

    assert sorted(known - rows) == []


def test_every_row_names_a_route_the_resolver_knows():
    known = {name for name, _ in _names(get_resolver().url_patterns)}

    assert sorted({route.name for route in ROUTES} - known) == []


def test_no_two_rows_ask_the_same_question():
    ids = [route.id for route in ROUTES]

    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def _callbacks(patterns, namespace: str = "") -> dict:
    found = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found |= _callbacks(pattern.url_patterns, ":".join(part for part in (namespace, pattern.namespace) if part))
        elif pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern.callback
    return found


@pytest.mark.parametrize("route", [route for route in ROUTES if route.api], ids=lambda route: route.id)
def test_each_api_row_needs_the_action_its_view_asks_for(route):
    callback = _callbacks(get_resolver().url_patterns)[route.name]
    view = callback.cls
    required = getattr(view, "required_action", None)
    if isinstance(required, dict):
        required = required[callback.actions[route.method]]
    if required is None:  # the schema and its docs ask ApiDocsPermission
        assert ApiDocsPermission in view.permission_classes
        required = Action.API_DOCS

    assert route.needs == (required,)


def _decorated_action(view) -> str | None:
    """The action ``ccc.permissions.allowed`` was given for ``view`` (ANYONE for a bare login_required)."""
    while view is not None:
        action = inspect.getclosurevars(view).nonlocals.get("action")
        if action is not None:
            return action
        view = getattr(view, "__wrapped__", None)
    return ANYONE


@pytest.mark.parametrize(
    "route", [route for route in ROUTES if not route.api and not route.name.startswith("admin:")], ids=lambda r: r.id
)
def test_each_page_row_first_needs_the_action_its_view_is_decorated_with(route):
    view = _callbacks(get_resolver().url_patterns)[route.name]

    assert route.needs[0] == _decorated_action(view)
