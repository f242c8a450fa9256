"""`make bench`: the large LA's loader and the benchmark harness. Kept out of `src/`, so out of the wheel a council
installs: it creates and measures data, it is not part of AP Hub."""
