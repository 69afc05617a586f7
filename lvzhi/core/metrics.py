"""Metrics for Prometheus at /metrics (a bearer token, METRICS_TOKEN; without one the
address does not exist): requests and their latency by view, database errors, and read at
each scrape the task queue's length and failed jobs, the outbox backlog, the exports
waiting, and each periodic job's last success.

Several gunicorn workers each count their own requests; with PROMETHEUS_MULTIPROC_DIR set
(deploy/systemd/lvzhi-web.service does) prometheus_client adds them up across processes.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter("lvzhi_requests_total", "Requests answered, by view, method and status class",
                   ["view", "method", "status"])
LATENCY = Histogram("lvzhi_request_seconds", "Time to answer a request, by view", ["view"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
DB_ERRORS = Counter("lvzhi_database_errors_total", "Requests that failed on a database error")


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, DatabaseError):
            DB_ERRORS.inc()


class StateCollector:
    """What the platform holds, read from the database and the queue at each scrape."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from lvzhi.core.models import Export, OutboxMessage, PeriodicRun
        from lvzhi.core.outbox import due

        yield _gauge("lvzhi_outbox_backlog", "Messages waiting to be sent",
                     OutboxMessage.objects.filter(due()).count())
        yield _gauge("lvzhi_exports_waiting", "Exports queued or being written",
                     Export.objects.filter(state__in=["queued", "running"]).count())
        last = GaugeMetricFamily("lvzhi_periodic_last_success_timestamp_seconds",
                                 "When each periodic job last succeeded", labels=["job"])
        for job, at in _last_runs(PeriodicRun):
            last.add_metric([job], at)
        yield last
        queued, failed = _queue()
        if queued is not None:
            yield _gauge("lvzhi_task_queue_length", "Tasks waiting in the queue", queued)
            yield _gauge("lvzhi_task_queue_failed", "Tasks that failed and were kept", failed)


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, doc, value=value)


def _last_runs(model: Any) -> list[tuple[str, float]]:
    from django.db.models import Max

    rows = model.objects.filter(state="done", finished_at__isnull=False).values("job")\
        .annotate(at=Max("finished_at")).values_list("job", "at")
    return [(job, at.timestamp()) for job, at in rows]


def _queue() -> tuple[int | None, int]:
    if "RQBackend" not in settings.TASKS["default"]["BACKEND"]:
        return None, 0
    import django_rq

    queue = django_rq.get_queue("default")
    return queue.count, queue.failed_job_registry.count


def metrics_view(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404  # no token configured, or a wrong one: as if there were nothing here
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    data = generate_latest(registry)
    state = CollectorRegistry()
    state.register(StateCollector())
    return HttpResponse(data + generate_latest(state), content_type=CONTENT_TYPE_LATEST)
