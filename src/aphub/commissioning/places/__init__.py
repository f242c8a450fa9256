"""Commissioned places: the places an LA commissions at each provision for each academic year, their place funding
split across financial years with who pays it, and how full they are (decision 0029)."""
