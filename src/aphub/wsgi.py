import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aphub.settings.production")
application = get_wsgi_application()
# Import every page's code now rather than on a worker's first request (PDFs, charts and forecasts import slowly:
# 16 s on a busy 2-core machine, measured by `make load`). Under `gunicorn --preload` the workers fork with it loaded.
get_resolver().url_patterns  # noqa: B018 (evaluated for its imports)

# The demand forecasts' library (statsforecast, with pandas and numba) takes about 2 s to import and compile: a worker
# pays it as it boots, before it takes a request, not the user whose dashboard first forecasts (issue 14).
from aphub.insight.forecasting import warm_up  # noqa: E402 (Django is set up first)

warm_up()

# Everything loaded so far (Django, the app's modules, pandas, numba) lives as long as the worker: moved out of the
# garbage collector's generations, so a collection no longer walks it. Without this a collection in the middle of a
# request walked every imported module's objects: pauses of 100 to 450 ms on a busy 2-core machine, 7 to 40 ms after
# (make load). Under `gunicorn --preload` it also keeps those pages shared between the forked workers.
import gc  # noqa: E402

gc.freeze()
