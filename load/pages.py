"""Reading AP Hub's HTML forms as a browser would submit them, for the load journeys (load/locustfile.py).

No locust here: the test suite imports this module (tests/test_load_pages.py) against the real pages, and importing
locust would monkey-patch the test process with gevent.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

CSRF_FIELD = "csrfmiddlewaretoken"


@dataclass
class Form:
    """One <form>: where it goes, and what a browser would send if nothing were changed (`values`), with the
    choices each select, radio group and checkbox group offers (`choices`)."""

    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)
    buttons: dict[str, str] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)

    def field_names(self) -> set[str]:
        return set(self.values) | set(self.choices) | set(self.buttons) | self.files

    def data(self, **changed: str | list[str]) -> list[tuple[str, str]]:
        """The pairs to post: the form's own values with `changed` put in their place (a list for several values)."""
        merged = {**self.values}
        for name, value in changed.items():
            merged[name] = value if isinstance(value, list) else [value]
        return [(name, value) for name, values in merged.items() for value in values]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(action=found.get("action", ""), method=found.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in found:
            return
        name = found.get("name", "")
        if tag == "input" and name:
            kind = found.get("type", "text").lower()
            if kind in {"radio", "checkbox"}:
                form.choices.setdefault(name, []).append(found.get("value", "on"))
                if "checked" in found:
                    form.values.setdefault(name, []).append(found.get("value", "on"))
            elif kind in {"submit", "button", "image", "reset"}:
                form.buttons[name] = found.get("value", "")
            elif kind == "file":
                form.files.add(name)
            else:
                form.values.setdefault(name, []).append(found.get("value", ""))
        elif tag == "button" and name:
            form.buttons[name] = found.get("value", "")
        elif tag == "select" and name:
            self._select, self._select_chosen = name, False
            form.choices.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._option = found
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._option is not None or self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None and form is not None and self._select is not None:
            self._end_option(form, self._select)
        elif tag == "select" and form is not None and self._select is not None:
            if self._option is not None:
                self._end_option(form, self._select)
            if not self._select_chosen and form.choices[self._select]:
                form.values[self._select] = [form.choices[self._select][0]]  # a browser sends the first option
            self._select = None
        elif tag == "textarea" and form is not None and self._textarea is not None:
            form.values.setdefault(self._textarea, []).append("".join(self._text).removeprefix("\n"))
            self._textarea = None

    def _end_option(self, form: Form, select: str) -> None:
        option = self._option or {}
        value = option.get("value", "".join(self._text).strip())
        form.choices[select].append(value)
        if "selected" in option and not self._select_chosen:
            form.values[select] = [value]
            self._select_chosen = True
        self._option = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def post_form(html: str, *, having: str) -> Form:
    """The page's first POST form with a field or button named `having` (every page's header has a sign-out form
    too, so a field of the form itself tells them apart)."""
    for form in forms_of(html):
        if form.method == "post" and having in form.field_names():
            return form
    raise LookupError(f"No POST form with a field {having!r} on the page")


def linked_paths(html: str, pattern: str) -> list[str]:
    """The page's links that match `pattern` (a regular expression whose first group is the path), in order, each
    once: e.g. linked_paths(page, r'href="(/provisions/\\d+/)"') for the provisions a search found."""
    return list(dict.fromkeys(found.group(1) for found in re.finditer(pattern, html)))


def register_marks(form: Form, rng: random.Random, *, present: str = "/") -> dict[str, str]:
    """A register as a provider takes it: each child's mark (mark_<placement id>) chosen from the codes the form
    offers, mostly present (`present`, "/" in the morning), sometimes one of the others."""
    marks = {}
    for name, options in form.choices.items():
        if name.startswith("mark_"):
            codes = [code for code in options if code]
            marks[name] = present if present in codes and rng.random() < 0.85 else rng.choice(codes)
    return marks


def attendance_file(day: str, marks: list[tuple[str, str]], *, session: str = "PM") -> bytes:
    """An attendance file as a provider's MIS exports it (placements.attendance.imports): a header, then each
    (UPN, code) of `day`'s `session`, with no note."""
    rows = "".join(f"{upn},{day},{session},{code},\n" for upn, code in marks)
    return f"upn,date,session,code,note\n{rows}".encode()
