"""Where the conformance tests find the published standards they validate against, and what happens without them.

The ORUK and OCDS tests check AP Hub's API answers against the standards' own schemas, kept outside the repository
(they are other projects' files, under their own licences). `APHUB_STANDARDS_DIR` names the folder that holds them;
by default it is `../shared/standards` beside the checkout. Without a standard, its tests skip with a reason that
says where to get it, so a newcomer's `make test` passes; with `CI` set they fail instead, so CI never passes
without having checked conformance.
"""

import os
from pathlib import Path

from tests.ci import skip_unless_ci

REPO_ROOT = Path(__file__).resolve().parents[1]
STANDARDS_DIR_VARIABLE = "APHUB_STANDARDS_DIR"

# Each standard's folder, the file that shows it is there, and where its files come from.
SOURCES = {
    "oruk": (
        "schema/openapi.json",
        "the Open Referral UK profile: schema/ holds the files of schema/compiled/ and schema/openapi.json, and "
        "examples/ the files of examples/, from https://github.com/openreferral/uk-profile",
    ),
    "ocds-1.1.5": (
        "release-schema.json",
        "OCDS 1.1.5: release-package-schema.json and release-schema.json from "
        "https://standard.open-contracting.org/schema/1__1__5/",
    ),
}


def standards_dir() -> Path:
    configured = os.environ.get(STANDARDS_DIR_VARIABLE)
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "standards"


def standard(name: str) -> Path:
    """The folder of one standard; skips the calling test (fails it under CI) when the standard is missing."""
    marker, source = SOURCES[name]
    folder = standards_dir() / name
    if not (folder / marker).is_file():
        skip_unless_ci(
            f"{folder / marker} is missing: the conformance tests read {source}, kept in {name}/ under "
            f"{STANDARDS_DIR_VARIABLE} (default: ../shared/standards beside the checkout)"
        )
    return folder


# The DfE's published statistics the project tests its imports and analysis on (../shared/data/README.md): real
# files under the Open Government Licence, kept beside the checkout, never inside it. APHUB_SHARED_DATA names the
# folder (as for the demo's setting shares, aphub.demo.build.shared_data_dir); by default ../shared/data.
SHARED_DATA_VARIABLE = "APHUB_SHARED_DATA"


def shared_data_dir() -> Path:
    configured = os.environ.get(SHARED_DATA_VARIABLE)
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


def shared_data(name: str) -> Path:
    """One file of the shared data; skips the calling test (fails it under CI) when it is missing."""
    path = shared_data_dir() / name
    if not path.is_file():
        skip_unless_ci(
            f"{path} is missing: this test reads the DfE's published {name}, kept under {SHARED_DATA_VARIABLE} "
            "(default: ../shared/data beside the checkout), from explore-education-statistics.service.gov.uk"
        )
    return path
