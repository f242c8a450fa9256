"""What the fuzz tests send: a fixed set of hostile values, the HTML forms of a page, and the rows a refusal must keep.

A fixed set rather than a random search, so a failure is the same on every run and the suite stays quick. Each value
stands for a class of bad input that has given a server error before (issue 10): numbers too large for the database
(ids, page numbers, counts), negative and non-numeric numbers, NUL characters, very long text, impossible dates.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.db import connection

HUGE = "99999999999999999999"  # past a 64-bit integer: PostgreSQL's bigint refuses it, SQLite's too
HOSTILE_VALUES = {
    "huge": HUGE,
    "negative": "-1",
    "non-numeric": "abc",
    "nul": "a\x00b",
    "long": "x" * 10_000,
    "bad-date": "2026-02-31",
    "not-finite": "NaN",
}
# JSON bodies: the same classes, typed as a client would send them.
HOSTILE_JSON = {
    "huge": 10**20,
    "negative": -1,
    "non-numeric": "abc",
    "nul": "a\x00b",
    "long": "x" * 10_000,
    "bad-date": "2026-02-31",
    "wrong-type": [{"a": 1}],
}

# A refused request writes nothing, but reading a child's record is logged (and a session or a login attempt may
# be kept): those tables are not counted.
NOT_COUNTED_APPS = frozenset({"audit", "sessions", "axes", "admin", "contenttypes"})


@dataclass
class FormField:
    name: str
    kind: str  # text, number, hidden, checkbox, radio, select, select-multiple, textarea, file, submit...
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: list[FormField] = field(default_factory=list)

    @property
    def is_formset(self) -> bool:
        return any(f.name.endswith("-TOTAL_FORMS") for f in self.fields)

    def defaults(self) -> dict[str, list[str]]:
        """What a browser would send if the person pressed the button without changing anything (first choices)."""
        data: dict[str, list[str]] = {}
        radios: dict[str, list[FormField]] = {}
        for f in self.fields:
            if f.name == "csrfmiddlewaretoken" or f.kind in ("submit", "button", "file", "reset", "image"):
                continue
            if f.kind == "radio":
                radios.setdefault(f.name, []).append(f)
            elif f.kind == "checkbox":
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "on")
            elif f.kind in ("select", "select-multiple"):
                chosen = f.value if f.value else next((o for o in f.options if o), "")
                data.setdefault(f.name, []).append(chosen)
            else:
                data.setdefault(f.name, []).append(f.value)
        for name, group in radios.items():
            chosen = next((f for f in group if f.checked), group[0])
            data[name] = [chosen.value]
        return data

    def names(self) -> list[str]:
        seen: list[str] = []
        for f in self.fields:
            sent = f.name and f.name != "csrfmiddlewaretoken" and f.kind not in ("submit", "button", "reset", "image")
            if sent and f.name not in seen:
                seen.append(f.name)
        return seen

    def choice_names(self) -> list[str]:
        """Fields whose value a person picks rather than types: ids, codes, management counts."""
        kinds = ("checkbox", "radio", "select", "select-multiple", "hidden", "number")
        return [name for name in self.names() if any(f.name == name and f.kind in kinds for f in self.fields)]


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text = ""
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(), action=a.get("action") or "")
            self.forms.append(self._form)
        form = self._form
        if form is None or a.get("disabled") is not None:
            return
        if tag == "input" and a.get("name"):
            form.fields.append(
                FormField(
                    name=a["name"],
                    kind=(a.get("type") or "text").lower(),
                    value=a.get("value") or "",
                    checked="checked" in a,
                )
            )
        elif tag == "select" and a.get("name"):
            self._select = FormField(name=a["name"], kind="select-multiple" if "multiple" in a else "select")
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = FormField(name=a["name"], kind="textarea")
            form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._select is not None and self._option_value is None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text.strip()
            self._select.options.append(value)
            if self._option_selected:
                self._select.value = value
            self._option_value = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def row_counts() -> dict[str, int]:
    """Rows in every table a refused request must leave alone, read in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model._meta.app_label not in NOT_COUNTED_APPS and model._meta.managed and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())
