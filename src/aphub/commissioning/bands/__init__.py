"""The LA's table of top-up bands (issue 13): the annual top-ups an offer chooses from instead of a free amount."""
