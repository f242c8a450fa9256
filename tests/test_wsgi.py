"""A web worker (aphub.wsgi, what gunicorn loads) boots with everything it imported moved out of the garbage
collector's generations (gc.freeze), so no collection during a request walks them: pauses of hundreds of milliseconds
on a busy machine otherwise (make load)."""

from tests.test_settings_production import run_with_production_settings


def test_a_booted_worker_keeps_its_loaded_modules_out_of_the_garbage_collectors_walk(tmp_path):
    result = run_with_production_settings(
        """
        import gc
        import aphub.wsgi
        print(gc.get_freeze_count())
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    # Django, the app and the forecasting libraries: hundreds of thousands of objects (none without gc.freeze).
    assert int(result.stdout) > 100_000, result.stdout
