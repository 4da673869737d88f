"""Settings for the gunicorn that ``manage.py place_benchmark`` starts, and for nothing else.

The project's settings with DEBUG off as in production, plus what a benchmark over plain HTTP on
127.0.0.1 needs: no redirect to HTTPS and cookies sent without TLS, the collected-files manifest
not required (no static file is fetched), the query count and slowest query of each response in
headers, and the benchmark's minimal views under ``/_bench/`` beside the real URLs.
"""

from ccc.settings import *  # noqa: F403
from ccc.settings import MIDDLEWARE, STORAGES

ROOT_URLCONF = "reporting.benchmark.urls"
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
_COUNT = "ccc.middleware.QueryCountMiddleware"
MIDDLEWARE = [_COUNT, "reporting.benchmark.views.SlowestQueryMiddleware", *(m for m in MIDDLEWARE if m != _COUNT)]
