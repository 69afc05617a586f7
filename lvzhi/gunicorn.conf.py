"""Gunicorn settings for `make run` and production (see docs/deploy.md)."""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = 60
accesslog = "-"
# Only the local reverse proxy may set X-Forwarded-For (the login throttle trusts it).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
