"""Every form that posts, sent empty by a person allowed to use it, answers as GOV.UK forms do: every error of the
submission at once in an error summary, each summary link going to an input on the page.

Each page of the URL list is opened as each role it declares, with side Y's objects (tests/access/world.py, as the
fuzz walk does); each POST form on it is sent with nothing filled in: no text, no option chosen, but with the
hidden fields the page gave (the CSRF token, a formset's row counts, the ids a page carries), so an empty answer is
tried rather than a broken page. The answer must not be a server error; it must not be a redirect (the empty form
accepted) unless the form is listed in ACCEPTS_EMPTY with its reason; and the page must show an error summary whose
messages include every message shown at a field, each linking (`href="#id"`) to an element of the page.
"""

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve

from aphub.organisations.models import Role
from tests.fuzz.hostile import Form, forms_of
from tests.fuzz.test_pages import NOT_POSTED, PAGES, addresses, roles_to_try, side_y_actors

pytestmark = [pytest.mark.django_db]
# Each page walked with only its own side Y objects (made in the test, rolled back): tests/access/conftest.py.
WORLD_OBJECTS_PER_TEST = True

SUCCESS = (301, 302, 303)

# Forms a person may rightly send with nothing filled in: url name of the form's action -> why.
ACCEPTS_EMPTY = {
    # Buttons: the action asks nothing more than the press (a refusal is a message on the page it returns to).
    **dict.fromkeys(
        [
            "directory:approve",
            "directory:restore",
            "directory:submit",
            "directory:archive",
            "organisations:revoke-api-token",
            "organisations:security-key-remove",
            "organisations:team-remove",
            "organisations:team-two-factor-reset",
            "placements:accept",
            "placements:remove-from-waiting-list",
            "placements:commissioning-school-hand-back",
            "placements:referral-withdraw",
            "placements:referral-submit",
            "commissioning:arrangement-lot-remove",
            "commissioning:arrangement-publish",
            "commissioning:arrangement-close",
            "commissioning:arrangement-open",
            "commissioning:application-send-answers",
            "commissioning:application-submit",
            "commissioning:application-withdraw",
            "commissioning:evidence-delete",
            "commissioning:evaluation-sign-off",
            "duties:delete-term",
            "duties:delete-closure",
            "commissioning:top-up-band-retire",
            "funding:recharge-draft",
            "funding:recharge-issue",
            "funding:recharge-paid",
            "insight:actions-start",
        ],
        "a button (or a confirmation page's button): it asks nothing to fill in",
    ),
    # An application is written in parts and saved as a draft; the check page lists what is missing before it is
    # submitted, so an empty answer or no declaration yet is a saved draft, not an error.
    "commissioning:response": "an answer to a criterion is a draft: the check page names what is missing",
    "commissioning:application-declarations": "declarations are a draft: the check page names what is missing",
}


class _ErrorsParser(HTMLParser):
    """The page's ids, the messages shown at its fields, and its error summary's links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.field_messages: list[str] = []
        self.summary_links: list[tuple[str, str]] = []
        self.has_summary = False
        self._message_depth = 0  # inside a govuk-error-message element: its depth of nested tags
        self._message = ""
        self._summary_depth = 0
        self._link: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if self._message_depth:
            self._message_depth += 1
        elif "govuk-error-message" in classes:
            self._message_depth, self._message = 1, ""
        if self._summary_depth:
            self._summary_depth += 1
        elif "govuk-error-summary" in classes:
            self.has_summary, self._summary_depth = True, 1
        if tag == "a" and self._summary_depth:
            self._link = [attributes.get("href") or "", ""]

    def handle_startendtag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.summary_links.append((self._link[0], _squash(self._link[1])))
            self._link = None
        if self._summary_depth:
            self._summary_depth -= 1
        if self._message_depth:
            self._message_depth -= 1
            if not self._message_depth:
                self.field_messages.append(_squash(self._message).removeprefix("Error:").strip())

    def handle_data(self, data):
        if self._message_depth:
            self._message += data
        if self._link is not None:
            self._link[1] += data


def _squash(text: str) -> str:
    return " ".join(html.unescape(text).split())


def empty_answer(form: Form) -> dict[str, list[str]]:
    """What a browser sends when the person presses the button without answering: the hidden fields only."""
    data: dict[str, list[str]] = {}
    for field in form.fields:
        if field.kind == "hidden" and field.name != "csrfmiddlewaretoken":
            data.setdefault(field.name, []).append(field.value)
        elif field.kind in ("text", "textarea", "number", "email", "tel", "url", "search", "date", "select"):
            data.setdefault(field.name, []).append("")
    return data


def summary_problems(body: str) -> list[str]:
    """What is wrong with the error summary of a page that refused a form (empty when it is right)."""
    page = _ErrorsParser()
    page.feed(body)
    page.close()
    problems = []
    if not page.has_summary:
        return ["no error summary"]
    if not page.summary_links:
        problems.append("an error summary with no messages")
    summary_texts = [text for _, text in page.summary_links]
    for message in page.field_messages:
        if message not in summary_texts:
            problems.append(f"{message!r} is shown at a field but not in the error summary {summary_texts}")
    for href, text in page.summary_links:
        if not href.startswith("#") or href[1:] not in page.ids:
            problems.append(f"the summary link {text!r} goes to {href!r}, which is no element of the page")
    return problems


def _action_name(action: str) -> str | None:
    try:
        match = resolve(urlsplit(action).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def walk_empty_forms(client, world, url, roles) -> tuple[list[str], int]:
    client.raise_request_exception = False
    actors = side_y_actors(world)
    failures: list[str] = []
    posted: set[tuple] = set()
    for role in roles:
        client.logout()
        if role is not None:
            client.force_login(actors[role])
        for path in addresses(url, world):
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for form in forms_of(response.content.decode()):
                if form.method != "post":
                    continue
                action = form.action or path
                name = _action_name(action)
                key = (name, tuple(form.names()))
                if name is None or name in NOT_POSTED or key in posted:
                    continue
                posted.add(key)
                # Each form is tried on the page as it was shown: what an accepted button changed is undone.
                with transaction.atomic():
                    answer = client.post(action, empty_answer(form))
                    transaction.set_rollback(True)
                what = f"POST {action} empty (form on {path}, as {role})"
                if answer.status_code >= 500:
                    failures.append(f"{what}: a server error {answer.status_code}")
                elif answer.status_code in SUCCESS:
                    if name not in ACCEPTS_EMPTY:
                        failures.append(f"{what}: accepted with nothing filled in (to {answer.get('Location')})")
                elif "text/html" in answer.get("Content-Type", ""):
                    failures += [f"{what}: {problem}" for problem in summary_problems(answer.content.decode())]
                else:
                    failures.append(f"{what}: answered {answer.status_code} {answer.get('Content-Type')}")
    return failures, len(posted)


@pytest.mark.parametrize(("url", "roles"), [pytest.param(url, roles_to_try(url), id=url.label) for url in PAGES])
def test_an_empty_form_shows_every_error_at_once_linked_to_its_input(client, world, url, roles):
    failures, _ = walk_empty_forms(client, world, url, roles)
    assert failures == [], "\n".join(failures)


def test_the_empty_walk_posts_the_provision_form_and_its_rows(client, world):
    """The walk is not empty-handed: the new provision page's form (with its cost rows) is posted and refused."""
    create = next(url for url in PAGES if url.name == "directory:create")
    failures, posted = walk_empty_forms(client, world, create, (Role.PROVIDER_STAFF,))
    assert posted >= 1
    assert failures == []


def test_a_summary_link_to_no_element_is_a_problem():
    body = (
        '<div class="govuk-error-summary"><ul><li><a href="#id_name">Enter the name</a></li></ul></div>'
        '<span class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter the name</span>'
        '<span class="govuk-error-message">Enter the date</span><input id="id_other">'
    )
    problems = summary_problems(body)
    assert any("'Enter the date' is shown at a field but not in the error summary" in p for p in problems)
    assert any("goes to '#id_name', which is no element of the page" in p for p in problems)


def test_every_form_listed_as_accepting_an_empty_post_is_a_page():
    names = {url.name for url in PAGES}
    assert set(ACCEPTS_EMPTY) <= names, set(ACCEPTS_EMPTY) - names
