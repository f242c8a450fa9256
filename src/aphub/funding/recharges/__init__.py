"""Recharges to schools (issue 13, seed 004 section 7): termly statements of what each school owes the LA for the
placements the LA arranged that the school commissions or must pay, with credits when a placement ends early, and
double funding resolved by deciding the school pays (docs/decisions/0031-recharges.md)."""
