"""GOV.UK page rules checked on every HTML page the Django test client renders (see tests/conftest.py).

- exactly one <h1>;
- the <title> starts with the h1's text, or with "Error: " and the h1's text;
- a title starting "Error: " comes with a GOV.UK error summary;
- no id attribute is used twice;
- every <form method="post"> has an action and a csrfmiddlewaretoken input.
"""

from html.parser import HTMLParser

from django.urls import Resolver404, resolve

# Pages that are not ours to shape: the API's interactive documentation is django-ninja's Swagger UI.
EXEMPT_URL_NAMES = frozenset({"api:openapi-view"})


def _squash(text: str) -> str:
    return " ".join(text.split())


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1_texts: list[str] = []
        self._h1_depth = 0
        self.title = ""
        self._in_title = False
        self.ids: list[str] = []
        self.post_forms: list[dict] = []
        self._form: dict | None = None
        self.has_error_summary = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes and attributes["id"] is not None:
            self.ids.append(attributes["id"])
        if "govuk-error-summary" in (attributes.get("class") or "").split():
            self.has_error_summary = True
        if tag == "h1":
            self.h1_texts.append("")
            self._h1_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "form":
            method = (attributes.get("method") or "get").lower()
            self._form = {"method": method, "action": attributes.get("action"), "csrf": False, "line": self.getpos()[0]}
            if method == "post":
                self.post_forms.append(self._form)
        elif tag == "input" and self._form is not None and attributes.get("name") == "csrfmiddlewaretoken":
            self._form["csrf"] = True

    def handle_endtag(self, tag):
        if tag == "h1" and self._h1_depth:
            self._h1_depth -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._h1_depth:
            self.h1_texts[-1] += data
        if self._in_title:
            self.title += data


def page_rule_problems(html: str) -> list[str]:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    problems = []
    if len(parser.h1_texts) != 1:
        problems.append(f"expected exactly one <h1>, found {len(parser.h1_texts)}: {parser.h1_texts}")
    else:
        h1 = _squash(parser.h1_texts[0])
        title = _squash(parser.title)
        if not h1:
            problems.append("the <h1> is empty")
        elif not (title.startswith(h1) or title.startswith(f"Error: {h1}")):
            problems.append(f"<title> {title!r} does not start with the h1 {h1!r}")
        if title.startswith("Error: ") and not parser.has_error_summary:
            problems.append("the title says Error: but the page has no error summary")
    seen: set[str] = set()
    duplicates = sorted({i for i in parser.ids if i in seen or seen.add(i)})
    if duplicates:
        problems.append(f"duplicate id attributes: {duplicates}")
    for form in parser.post_forms:
        if not form["action"]:
            problems.append(f"the POST form on line {form['line']} has no action attribute")
        if not form["csrf"]:
            problems.append(f"the POST form on line {form['line']} has no csrfmiddlewaretoken input")
    return problems


def is_exempt(path: str) -> bool:
    try:
        return resolve(path).view_name in EXEMPT_URL_NAMES
    except Resolver404:
        return False


def is_checked_page(response, path: str = "") -> bool:
    content_type = response.get("Content-Type", "")
    return (
        not is_exempt(path)
        and content_type.startswith("text/html")
        and not getattr(response, "streaming", False)
        and response.status_code not in (204, 301, 302, 303, 304, 307, 308)
        and bool(response.content.strip())
    )
