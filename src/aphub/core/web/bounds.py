"""The largest numbers a request may carry for ids, page numbers and offsets, written once for every page and API.

A number past what the database can hold (an id above a 64-bit integer, a page whose offset overflows) is a server
error when it reaches the query: PostgreSQL refuses it ("bigint out of range") and SQLite's driver cannot bind it
("datatype mismatch"). Every list endpoint and id parameter takes its bounds from here, so such a number is a 400
naming the parameter instead.
"""

from ninja import Query

MAX_ID = 2**63 - 1  # ids are 64-bit integers in the database (BigAutoField)
MAX_PAGE = 100_000  # no list is near 100,000 pages; a larger page number is a mistake or a probe
MAX_OFFSET = 10_000_000


def page_number_query(description: str = "Page number of paginated result."):
    """A ninja query parameter `page`: 1 or more, at most MAX_PAGE (the default is 1)."""
    return Query(1, ge=1, le=MAX_PAGE, description=f"{description} At most {MAX_PAGE:,}.")


def page_number(value: str | None) -> int:
    """The page a list page's `?page=` asks for, as a whole number from 1 to MAX_PAGE. Page links are made by the
    service, never typed, so anything else (missing, not a number, 0, past MAX_PAGE) opens the nearest real page
    rather than an error: Django's `Paginator.get_page` then turns a page past the end into the last one."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)
