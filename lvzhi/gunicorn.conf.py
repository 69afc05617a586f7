"""Gunicorn settings for `make run` and production (see docs/deploy.md)."""

import os

# One single-threaded (sync) worker per core: pages are CPU-bound Python, so more workers
# or threads per core only make requests wait inside a worker instead of in the shared
# accept queue, where they are served first come, first served. On two cores this took
# the p95 of every benchmark scenario under 100 ms (docs/performance.md). Sync workers
# expect a buffering reverse proxy in front (nginx in docs/deploy.md) for slow clients.
workers = int(os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 2)))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = 60
accesslog = "-"
# The same key=value lines as the application's (lvzhi/core/logs.py), time with its zone;
# no query string (an activation link carries a code).
access_log_format = ('remote=%(h)s method=%(m)s path=%(U)s status=%(s)s bytes=%(B)s '
                     'ms=%(M)s request_id=%({x-request-id}o)s')
logger_class = "lvzhi.core.gunicorn_logs.KeyValueLogger"
# Only the local reverse proxy may set X-Forwarded-For (the login throttle trusts it).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The control socket (for `gunicornc`) lives with this instance's data, not in the home
# folder, so two instances on one host (a city and a district, or a test copy) never share
# it: one's reload would reach the other.
_var = os.environ.get("LVZHI_VAR_DIR") or os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "var")
os.makedirs(_var, exist_ok=True)
control_socket = os.path.join(os.path.abspath(_var), "gunicorn.ctl")


# Metrics across workers (lvzhi/core/metrics.py): each worker writes its counters under
# PROMETHEUS_MULTIPROC_DIR; the folder starts empty, and a dead worker's files are marked.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
