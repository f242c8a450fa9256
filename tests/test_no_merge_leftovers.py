"""No file the project ships or tests with holds a merge's conflict markers.

A template with them still renders: the markers and both sides of the conflict reach the user's page (it happened
to the LA admin's team page in a merge, and no page test looked for them).
"""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHECKED = ("src", "tests", "bench", "load", "ops", "docs", "requirements")
MARKER = re.compile(rb"^(<{7} |={7}$|>{7} )", re.MULTILINE)
SUFFIXES = {".py", ".html", ".txt", ".md", ".scss", ".mjs", ".toml", ".lock", ".in", ".json", ".csv", ".sql"}


def files_with_markers(root: pathlib.Path) -> list[str]:
    found = []
    for folder in CHECKED:
        for path in (root / folder).rglob("*"):
            shipped = path.suffix in SUFFIXES and path.is_file() and "static/dist" not in path.as_posix()
            if shipped and MARKER.search(path.read_bytes()):
                found.append(path.relative_to(root).as_posix())
    return found


def test_no_file_holds_conflict_markers():
    assert files_with_markers(ROOT) == []


def test_the_check_finds_a_conflict_left_in_a_template(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "page.html").write_text("<p>\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n</p>\n")
    (tmp_path / "src" / "fine.md").write_text("A heading\n=========\n")  # a Markdown underline is not a marker
    assert files_with_markers(tmp_path) == ["src/page.html"]
