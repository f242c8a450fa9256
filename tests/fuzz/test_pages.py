"""Every page, walked from the URL list, given hostile input by a person allowed to use it: never a server error, and a
refused form changes nothing.

Each page is opened signed in as each role it declares (LA Y, school B and provider P2 own the objects in its
address: tests/access/world.py). Its search forms are sent back with every parameter (and `page`) set to each
hostile value; each form that posts is sent with every field hostile, with only the fields a person picks from
(choices, ids, counts) hostile, and, for a formset, without or with a broken management form. Any 500 fails the
test; a post that is not a redirect (a refusal) must leave every table's row count as it was.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from aphub.organisations.models import Role
from tests.access.urls_under_test import all_urls, plausible_value
from tests.access.world import OBJECT_MAKERS, World

from .hostile import HOSTILE_VALUES, HUGE, Form, forms_of, row_counts

pytestmark = [pytest.mark.django_db, pytest.mark.no_page_rules]
# Each page walked with only its own side Y objects (made in the test, rolled back): tests/access/conftest.py.
WORLD_OBJECTS_PER_TEST = True

PAGES = [url for url in all_urls() if not url.route.startswith("api/")]
SUCCESS = (301, 302, 303)
# Posting these would end the session the rest of the walk needs.
NOT_POSTED = frozenset({"organisations:sign-out", "organisations:switch-membership"})
# The roles tried on a page that declares none (it decides inside who may use it).
# The values tried in the fields a person picks from (ids, codes, counts), the others left as the page gave them.
PICKED_VALUES = ("huge", "negative", "non-numeric", "not-finite")
UNDECLARED_ROLES = (Role.LA_OFFICER, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF)

# Known server errors being fixed elsewhere: url name -> reason. Each case is marked xfail(strict=False).
KNOWN = {}


def side_y_actors(world: World) -> dict[str, object]:
    """Side Y's people, one per role: they own the objects OBJECT_MAKERS makes, so they reach the forms."""
    return {
        Role.LA_ADMIN: world.la_admin_y,
        Role.LA_OFFICER: world.la_officer_y,
        Role.AUDITOR: world.auditor_y,
        Role.FINANCE_OFFICER: world.finance_officer_y,
        Role.SCHOOL_STAFF: world.school_b_staff,
        Role.PROVIDER_STAFF: world.provider_p2_staff,
    }


def addresses(url, world: World) -> list[str]:
    """The page's address for each object side Y owns (every state a maker gives), or a plausible one."""
    makers = OBJECT_MAKERS.get(url.name or "", {})
    if not url.kwargs:
        return [url.path({})]
    objects = {kwarg: world.objects_of(makers[kwarg]) if kwarg in makers else None for kwarg in url.kwargs}
    count = max((len(found) for found in objects.values() if found), default=1)
    paths = []
    for index in range(count):
        values = {
            kwarg: found[min(index, len(found) - 1)].pk if found else plausible_value(url.kwargs[kwarg])
            for kwarg, found in objects.items()
        }
        paths.append(url.path(values))
    return paths


class Walk:
    def __init__(self, client) -> None:
        self.client = client
        self.client.raise_request_exception = False
        self.failures: list[str] = []
        self.posted: set[tuple] = set()
        self.requests = 0  # posts sent

    def check(self, response, what: str) -> None:
        if response.status_code >= 500:
            error = response.exc_info[1] if getattr(response, "exc_info", None) else None
            self.failures.append(
                f"{what}: {response.status_code} {type(error).__name__ if error else ''} {error!s:.200}"
            )

    def get(self, path: str, data: dict | None = None, what: str = ""):
        response = self.client.get(path, data or {})
        self.check(response, what or f"GET {path}")
        return response

    def post(self, action: str, data: dict, what: str) -> None:
        self.requests += 1
        before = row_counts()
        response = self.client.post(action, data)
        self.check(response, what)
        if response.status_code not in SUCCESS and response.status_code < 500:
            after = row_counts()
            changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
            if changed:
                self.failures.append(f"{what}: refused with {response.status_code} but changed rows {changed}")

    def search_forms(self, path: str, forms: list[Form]) -> None:
        names = {"page"}
        for form in forms:
            if form.method == "get":
                names.update(form.names())
        for label, value in HOSTILE_VALUES.items():
            self.get(path, dict.fromkeys(sorted(names), value), f"GET {path} with every parameter {label}")
        # Then each parameter alone, so that one refused value does not stop the others reaching the query.
        for name in sorted(names):
            for label in PICKED_VALUES + ("bad-date",):
                self.get(path, {name: HOSTILE_VALUES[label]}, f"GET {path} with {name} {label}")

    def post_form(self, path: str, form: Form) -> None:
        action = form.action or path
        target = urlsplit(action).path
        try:
            name = resolve(target).url_name and f"{resolve(target).namespace}:{resolve(target).url_name}"
        except Resolver404:
            return
        if name in NOT_POSTED:
            return
        # Once per form: the same edit form on four objects' pages is one form.
        key = (name, tuple(form.names()))
        if key in self.posted:
            return
        self.posted.add(key)
        defaults = form.defaults()
        variants: list[tuple[str, dict]] = [("as shown", defaults)]
        multiple = {f.name for f in form.fields if f.kind in ("checkbox", "select-multiple")}
        for label, value in HOSTILE_VALUES.items():
            every = {n: [value, value] if n in multiple else [value] for n in form.names()}
            variants.append((f"every field {label}", every))
            if label not in PICKED_VALUES:
                continue
            picked = dict(defaults)
            for n in form.choice_names():
                if n.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")):
                    continue
                picked[n] = [*defaults.get(n, [])[:1], value] if n in multiple else [value]
            variants.append((f"chosen fields {label}", picked))
        if form.is_formset:
            management = [n for n in form.names() if n.endswith("_FORMS")]
            variants.append(("no management form", {k: v for k, v in defaults.items() if k not in management}))
            variants.append(("management form not numbers", {**defaults, **dict.fromkeys(management, ["abc"])}))
            total = [n for n in management if n.endswith("-TOTAL_FORMS")]
            variants.append(("a huge form count", {**defaults, **dict.fromkeys(total, [HUGE])}))
            variants.append(("a negative form count", {**defaults, **dict.fromkeys(total, ["-1"])}))
        for label, data in variants:
            self.post(action, data, f"POST {action} (form on {path}) {label}")


def roles_to_try(url) -> tuple:
    """The roles a page is walked as: those it declares, none for a public page, else UNDECLARED_ROLES."""
    if url.is_public and not url.roles:
        return (None,)
    return tuple(sorted(url.roles)) if url.roles else UNDECLARED_ROLES


def _cases():
    cases = []
    for url in PAGES:
        marks = []
        if url.name in KNOWN:
            marks.append(pytest.mark.xfail(reason=KNOWN[url.name], strict=False))
        cases.append(pytest.param(url, roles_to_try(url), id=url.label, marks=marks))
    return cases


def walk_page(client, world: World, url, roles) -> Walk:
    actors = side_y_actors(world)
    walk = Walk(client)
    paths = addresses(url, world)
    searched = False
    for role in roles:
        client.logout()
        if role is not None:
            client.force_login(actors[role])
        for path in paths:
            response = walk.get(path, what=f"GET {path} as {role}")
            if response.status_code == 200 and "text/html" not in response.get("Content-Type", ""):
                break  # a download (PDF, CSV, JSON): no forms, and one is enough
            if response.status_code != 200:
                continue
            forms = forms_of(response.content.decode())
            if not searched:
                walk.search_forms(path, forms)
                searched = True
            for form in forms:
                if form.method == "post":
                    walk.post_form(path, form)
    return walk


@pytest.mark.parametrize(("url", "roles"), _cases())
def test_hostile_input_gives_no_server_error_and_a_refusal_writes_nothing(client, world, url, roles):
    walk = walk_page(client, world, url, roles)
    assert walk.failures == [], "\n".join(walk.failures)


def test_the_walk_reaches_the_forms_of_a_page_and_their_rows(client, world):
    """The walk is not empty-handed: on the new provision page it posts the provision form, formset and all."""
    create = next(url for url in PAGES if url.name == "directory:create")
    walk = walk_page(client, world, create, (Role.PROVIDER_STAFF,))
    assert walk.requests >= len(HOSTILE_VALUES) + 4
    assert any(name == "directory:create" and "costs-TOTAL_FORMS" in names for name, names in walk.posted)
