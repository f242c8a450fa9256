import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aphub.settings.production")
application = get_wsgi_application()

# The demand forecasts' library (statsforecast, with pandas and numba) takes about 2 s to import and compile: a worker
# pays it as it boots, before it takes a request, not the user whose dashboard first forecasts (issue 14).
from aphub.insight.forecasting import warm_up  # noqa: E402 (Django is set up first)

warm_up()
