"""/metrics for Prometheus: only with the configured token; requests by view, the outbox
backlog, waiting exports and each periodic job's last success."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lvzhi.core.models import Export, PeriodicRun

pytestmark = pytest.mark.django_db
TOKEN = "scrape-me-please-0123456789"


def test_without_a_token_there_is_no_metrics_address(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


def test_a_wrong_token_is_refused_like_a_missing_page(client, settings):
    settings.METRICS_TOKEN = TOKEN
    for header in ("", "Bearer nope", f"Basic {TOKEN}", f"Bearer {TOKEN}x"):
        assert client.get("/metrics", HTTP_AUTHORIZATION=header).status_code == 404


def test_the_scrape_has_requests_backlog_exports_and_last_runs(login, world, settings):
    settings.METRICS_TOKEN = TOKEN
    login(world.lin).get("/")
    PeriodicRun.objects.create(job="remind", period="2026-11-30", state="done",
                               finished_at=timezone.now())
    Export.objects.create(body=world.city.body, kind="proposals.ledger",
                          requested_by=world.zhou)
    response = login(world.lin).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'lvzhi_requests_total{method="GET",status="2xx",view="home"}' in text
    assert 'lvzhi_request_seconds_bucket{le="0.1",view="home"}' in text
    assert "lvzhi_outbox_backlog 0.0" in text
    assert "lvzhi_exports_waiting 1.0" in text
    assert 'lvzhi_periodic_last_success_timestamp_seconds{job="remind"}' in text
    assert "lvzhi_database_errors_total" in text
