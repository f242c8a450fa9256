import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aphub.settings.production")
application = get_wsgi_application()
# Import every page's code now rather than on a worker's first request (PDFs, charts and forecasts import slowly:
# 16 s on a busy 2-core machine, measured by `make load`). Under `gunicorn --preload` the workers fork with it loaded.
get_resolver().url_patterns  # noqa: B018 (evaluated for its imports)
