"""Who the demo's children in AP are: sex, free school meals, SEN status and primary need, ethnicity and whether they
are looked after, drawn to look like the national AP cohort, so the cohort dashboard has the shape a council sees.

The shares follow the DfE's statistics on AP ("Schools, pupils and their characteristics", the AP census, and
"Special educational needs in England"): about seven in ten children in AP are boys; about half are eligible for
free school meals; most have SEN, many at SEN support and about one in five an EHC plan; social, emotional and
mental health is by far the largest primary need; looked-after children are a few in a hundred. Ethnicity follows
the census codes, most White British, with every major group present. The demo's journeys and the benchmark's large
LA (bench/large_la.py) both draw their children here.
"""

import random

from aphub.pupils.models import Pupil

SEN_STATUS_WEIGHTS = {"N": 25, "K": 55, "E": 20}
# For a child with SEN support or an EHC plan; "" is a need not recorded yet.
PRIMARY_NEED_WEIGHTS = {
    "SEMH": 62,
    "ASD": 9,
    "SLCN": 7,
    "MLD": 6,
    "SPLD": 4,
    "OTH": 3,
    "NSA": 2,  # the census allows it only at SEN support: an EHC plan draws again
    "PD": 1,
    "HI": 1,
    "": 5,
}
ETHNICITY_WEIGHTS = {
    "WBRI": 68,
    "WIRI": 1,
    "WIRT": 1,
    "WROM": 2,
    "WOTH": 4,
    "MWBC": 5,
    "MWBA": 1,
    "MWAS": 1,
    "MOTH": 3,
    "AIND": 1,
    "APKN": 3,
    "ABAN": 1,
    "AOTH": 1,
    "BCRB": 2,
    "BAFR": 2,
    "BOTH": 1,
    "CHNE": 0.3,
    "OOTH": 1,
    "REFU": 1,
    "NOBT": 1,
}


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def characteristics(rng: random.Random) -> dict[str, object]:
    """A child's characteristics, as keyword arguments of Pupil."""
    sen_status = _weighted(rng, SEN_STATUS_WEIGHTS)
    need = ""
    if sen_status != Pupil.SenStatus.NONE:
        need = _weighted(rng, PRIMARY_NEED_WEIGHTS)
        while need == Pupil.PrimaryNeed.NSA and sen_status == Pupil.SenStatus.EHC_PLAN:
            need = _weighted(rng, PRIMARY_NEED_WEIGHTS)
    return {
        "sex": "M" if rng.random() < 0.7 else "F",
        "free_school_meals": rng.random() < 0.5,
        "sen_status": sen_status,
        "primary_need": need,
        "ethnicity": _weighted(rng, ETHNICITY_WEIGHTS),
        "looked_after": rng.random() < 0.06,
    }
