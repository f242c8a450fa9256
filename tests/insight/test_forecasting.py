"""Demand forecasting (insight.forecasting) and `aphub forecast-backtest`: the DfE file's series read as published
(groups summed, suppressed values missing), the backtest scored and its choosing honest, intervals' coverage counted,
and the command's last line on the DfE's real exclusions by LA."""

import re
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from aphub.insight.forecasting import NAIVE, backtest, forecast, read_dfe_series
from tests.standards import shared_data

LAST_LINE = re.compile(
    r"^backtest: (\d+) series, model MAE (\d+\.\d{3}), naive MAE (\d+\.\d{3}), ratio (\d+\.\d{3}), "
    r"80% interval coverage (\d+\.\d)%$"
)
EXCLUSIONS = "dfe_exclusions_by_la_2006-07_to_2016-17.csv"


def csv_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "figures.csv"
    path.write_text("\n".join(["time_period,geographic_level,la_name,school_type,number_of_pupils", *lines]) + "\n")
    return path


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("forecast-backtest", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_reader_sums_a_groups_rows_in_a_period_and_treats_c_x_z_and_blanks_as_missing(tmp_path):
    path = csv_file(
        tmp_path,
        "201516,Local authority,Leeds,Primary,10",
        "201516,Local authority,Leeds,Secondary,25",
        "201617,Local authority,Leeds,Primary,c",  # suppressed: the secondary count stands alone
        "201617,Local authority,Leeds,Secondary,30",
        "201516,Local authority,York,Primary,x",
        "201516,Local authority,York,Secondary,z",  # every value missing: the period is missing
        "201617,Local authority,York,Primary,",
        "201617,Local authority,York,Secondary,4",
        "201617,Regional,Yorkshire,Primary,999",  # filtered out by --where
    )
    found = read_dfe_series(
        path,
        period="time_period",
        group="la_name",
        value="number_of_pupils",
        where={"geographic_level": "Local authority"},
    )
    assert found.periods == ["201516", "201617"]
    assert found.series == {"Leeds": [35.0, 30.0], "York": [None, 4.0]}


def test_the_backtest_of_a_linear_trend_beats_naive_honestly():
    rising = [10.0 + 3 * year for year in range(12)]
    tested = backtest({"rising": rising}, horizon=1, min_train=4)
    assert tested.points == 8  # one year ahead of origins after 4, 5, ... 11 years
    assert tested.mae(NAIVE) == 3.0  # always a year behind
    assert tested.chosen == "drift" and tested.mae("drift") == 0.0
    # Chosen as it went: naive at the first origin (nothing scored before it), drift from then on.
    assert tested.series[0].selected_methods == [NAIVE] + ["drift"] * 7
    assert tested.selected_mae == 3.0 / 8 and tested.ratio == pytest.approx(1 / 8)


def test_coverage_counts_the_held_out_values_inside_the_chosen_forecasts_intervals():
    # Four years, then 15. At the one origin nothing earlier was scored, so naive is chosen: 12, and the spread of
    # its changes (+2, -2, +2) is 2, so the 80% interval is 12 +/- 1.2816 x 2 = 9.4 to 14.6 (15 is outside) and the
    # 95% interval 12 +/- 1.96 x 2 = 8.1 to 15.9 (15 is inside).
    tested = backtest({"one": [10, 12, 10, 12, 15]}, horizon=1, min_train=4)
    assert tested.series[0].selected == [3.0]
    assert tested.coverage(80) == 0 and tested.coverage(95) == 1
    # Five flat years then a jump: the flat history has no spread, so 10 is inside at the first origin, 20 outside.
    flat = backtest({"flat": [10, 10, 10, 10, 10, 20]}, horizon=1, min_train=4)
    assert flat.series[0].hits[80] == [True, False] and flat.coverage(80) == 0.5
    assert flat.selected_mae == flat.naive_mae == 5.0 and flat.ratio == 1.0


def test_the_benchmarks_intervals_are_statsforecasts():
    from statsforecast.models import Naive, RandomWalkWithDrift, SeasonalNaive

    history = [12.0, 15, 11, 18, 20, 17, 25, 23]
    ours = forecast(history, 4, season_length=3)
    for method, model in (("naive", Naive()), ("seasonal-naive", SeasonalNaive(season_length=3))) + (
        ("drift", RandomWalkWithDrift()),
    ):
        theirs = model.forecast(y=np.array(history), h=4, level=[80, 95])
        assert ours[method].mean == pytest.approx(list(theirs["mean"]))
        for level in (80, 95):
            assert ours[method].intervals[level][0] == pytest.approx(list(theirs[f"lo-{level}"]))
            assert ours[method].intervals[level][1] == pytest.approx(list(theirs[f"hi-{level}"]))


def test_a_model_that_cannot_fit_a_short_history_falls_back_to_naive():
    made = forecast([5.0, 7, 6, 8, 9], 2)  # AutoETS needs 7 points
    assert made["ets"].fell_back and made["ets"].mean == made[NAIVE].mean == [9.0, 9.0]
    assert not made[NAIVE].fell_back


def test_the_command_ends_with_the_backtest_line(tmp_path):
    rows = [
        f"20{10 + year}{11 + year},Local authority,{la},Total,{base + step * year}"
        for la, base, step in (("Leeds", 40, 3), ("York", 20, 1), ("Hull", 30, -2))
        for year in range(8)
    ]
    lines = run(
        str(csv_file(tmp_path, *rows)), "--period", "time_period", "--group", "la_name", "--value", "number_of_pupils"
    )
    found = LAST_LINE.match(lines[-1])
    assert found, lines[-1]
    assert found.group(1) == "3"
    assert any(line.strip().startswith("Naive (last value)") for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "Cannot read"),
        (["FILE", "--value", "pupils"], "has no column 'pupils'"),
        (["FILE", "--where", "region=North"], "has no column 'region'"),
        (["FILE", "--where", "geographic_level"], "--where takes column=value"),
        (["FILE", "--where", "geographic_level=Regional"], "has no numeric values in column 'number_of_pupils'"),
        (["FILE", "--holdout", "0"], "--holdout must be 1 or more"),
        (["FILE", "--min-train", "20"], "No series has 20 observed periods"),
    ],
)
def test_bad_input_is_a_clear_command_error(tmp_path, args, message):
    path = csv_file(tmp_path, "201516,Local authority,Leeds,Total,c", "201617,Local authority,Leeds,Total,3")
    args = [str(path) if arg == "FILE" else str(tmp_path / arg) if arg.endswith(".csv") else arg for arg in args]
    defaults = {"--period": "time_period", "--group": "la_name", "--value": "number_of_pupils"}
    for option, value in defaults.items():
        if option not in args:
            args += [option, value]
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)


def test_a_value_that_is_not_a_number_names_its_line(tmp_path):
    path = csv_file(tmp_path, "201516,Local authority,Leeds,Total,12", "201617,Local authority,Leeds,Total,many")
    with pytest.raises(CommandError, match="Line 3: 'many' in column 'number_of_pupils' is not a number"):
        run(str(path), "--period", "time_period", "--group", "la_name", "--value", "number_of_pupils")


def test_the_dfe_permanent_exclusions_by_la_are_forecast_better_than_naive():
    path = shared_data(EXCLUSIONS)
    lines = run(
        str(path),
        *("--period", "year", "--group", "la_name", "--value", "perm_excl"),
        *("--where", "level=Local authority", "--where", "school_type=Total", "--holdout", "1"),
    )
    found = LAST_LINE.match(lines[-1])
    assert found, lines[-1]
    series, model, naive, ratio, coverage = found.groups()
    assert int(series) >= 150
    assert float(ratio) < 1 and float(model) < float(naive)
    assert float(ratio) == pytest.approx(float(model) / float(naive), abs=0.001)
    assert 50 < float(coverage) <= 100
