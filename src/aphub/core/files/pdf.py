"""HTML to PDF with WeasyPrint, never reaching the network: the placement agreement and the subject access export.

The URL fetcher serves our own static files and refuses everything else (a remote image in a page would tell a third
party that a child's document was opened); fonts are the machine's own, named in each template, never downloaded.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in a template ({% static %} gives /static/...) resolve against this, then reach the fetcher.
BASE_URL = "file:///"


class StaticFilesOnly(URLFetcher):
    """Fetches /static/<name> from our static files (app and STATICFILES_DIRS); refuses every other URL."""

    def __init__(self) -> None:
        # Errors are warnings, not fatal: a refused URL leaves a blank where the resource would be.
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        path = unquote(parts.path)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if parts.scheme != "file" or parts.netloc or not path.startswith(static_prefix):
            raise ValueError(f"A PDF fetches only our own static files, not {url}")
        name = path.removeprefix(static_prefix)
        if not name or ".." in name.split("/"):
            raise ValueError(f"A PDF fetches only our own static files, not {url}")
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:
            found = None
        if not found:
            raise ValueError(f"No static file {name}")
        with open(found, "rb") as handle:
            return URLFetcherResponse(url, handle.read())


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
