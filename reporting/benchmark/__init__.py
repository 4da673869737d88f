"""The place benchmark (issue 15, ``manage.py place_benchmark``, docs/PERFORMANCE.md): gunicorn's
settings and URLs for it, its minimal views, its HTTP client and its table of operations.

Nothing here is reached by the production URLs: ``ccc/settings_benchmark.py`` (used only by the
gunicorn the benchmark starts) points ROOT_URLCONF at ``reporting.benchmark.urls``.
"""
