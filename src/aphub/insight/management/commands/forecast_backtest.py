"""`aphub forecast-backtest PATH --period ... --group ... --value ...`: the demand forecasts' rolling-origin backtest
(insight.forecasting) on any DfE-shaped CSV file, one series per group, to see whether the chosen method beats naive."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aphub.insight.forecasting import METHODS, SeriesFileError, backtest, read_dfe_series


def _condition(text: str) -> tuple[str, str]:
    column, equals, wanted = text.partition("=")
    if not equals or not column.strip():
        raise CommandError(f"--where takes column=value, not '{text}'")
    return column.strip(), wanted.strip()


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Backtest the demand forecasts on a DfE-shaped CSV file: one series per group (rows of the same group and "
        "period summed; c, x, z and blanks missing). At each origin every method forecasts the next HOLDOUT periods "
        "from the history before it; the method is chosen, at each origin, by the lowest MAE of the earlier origins. "
        "Prints each method's MAE and, last, 'backtest: N series, model MAE X, naive MAE Y, ratio R, 80% interval "
        "coverage C', where X is the MAE of the forecasts so chosen, R is X / Y and C is the percentage of held-out "
        "values inside the chosen forecasts' 80% intervals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV file, e.g. dfe_exclusions_by_la_2006-07_to_2016-17.csv")
        parser.add_argument("--period", required=True, help="the column of periods, e.g. time_period or year")
        parser.add_argument("--group", required=True, help="the column naming each series, e.g. la_name")
        parser.add_argument("--value", required=True, help="the column of counts, e.g. number_of_pupils or perm_excl")
        parser.add_argument(
            "--where",
            action="append",
            default=[],
            metavar="COLUMN=VALUE",
            help="keep only rows with this value in this column; repeat for several (all must hold)",
        )
        parser.add_argument(
            "--holdout", type=int, default=1, help="periods forecast and held out at each origin (default 1)"
        )
        parser.add_argument(
            "--min-train", type=int, default=4, help="observed periods a series needs before its first origin"
        )
        parser.add_argument(
            "--season-length", type=int, default=1, help="periods in a season: 1 for yearly series, 3 for terms"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("holdout", "min_train", "season_length"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be 1 or more")
        where = dict(_condition(text) for text in options["where"])
        started = time.perf_counter()
        try:
            found = read_dfe_series(
                options["path"], period=options["period"], group=options["group"], value=options["value"], where=where
            )
        except SeriesFileError as error:
            raise CommandError(error.message) from None
        read = time.perf_counter() - started
        tested = backtest(
            found.series,
            horizon=options["holdout"],
            season_length=options["season_length"],
            min_train=options["min_train"],
        )
        took = time.perf_counter() - started
        if not tested.series:
            raise CommandError(
                f"No series has {options['min_train']} observed periods before a held-out one "
                f"({len(found.series)} series over {len(found.periods)} periods): lower --min-train or --holdout"
            )
        write = self.stdout.write
        write(
            f"{len(found.series)} series over {len(found.periods)} periods ({found.periods[0]} to {found.periods[-1]})"
        )
        if tested.skipped:
            write(f"{len(tested.skipped)} series too short to backtest: {', '.join(tested.skipped[:10])}")
        write(f"{tested.points} held-out values, {options['holdout']} period(s) ahead of each origin")
        write("MAE by method over every held-out value (chosen after the fact, so the chosen one flatters itself):")
        for method in tested.methods:
            fell_back = sum(one.fallbacks.get(method, 0) for one in tested.series)
            note = f" (naive stood in at {fell_back} origin(s) where it could not fit)" if fell_back else ""
            write(f"  {METHODS[method]:<48} {_number(tested.mae(method))}{note}")
        write(f"Chosen on the whole backtest: {METHODS[tested.chosen]}")
        used: dict[str, int] = {}
        for one in tested.series:
            for method in one.selected_methods:
                used[method] = used.get(method, 0) + 1
        write(
            "Chosen at each origin from earlier origins only: "
            + ", ".join(f"{METHODS[m]} {count}" for m, count in sorted(used.items(), key=lambda item: -item[1]))
        )
        coverage80, coverage95 = tested.coverage(80), tested.coverage(95)
        write(f"95% interval coverage {_percent(coverage95)}")
        per_series = (took - read) / len(tested.series) * 1000
        write(f"Read in {read:.2f} s; backtest in {took - read:.2f} s ({per_series:.0f} ms a series)")
        write(
            f"backtest: {len(tested.series)} series, model MAE {_number(tested.selected_mae)}, naive MAE "
            f"{_number(tested.naive_mae)}, ratio {_number(tested.ratio)}, 80% interval coverage {_percent(coverage80)}"
        )


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.1f}%"
