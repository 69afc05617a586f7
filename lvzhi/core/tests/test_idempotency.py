"""A create sent twice with the same key creates one row; huge bodies are refused unread;
error pages are Chinese."""

import pytest

from lvzhi.opinions.models import Report
from lvzhi.opinions.tests.conftest import REPORT
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import DRAFT

pytestmark = pytest.mark.django_db


def test_the_new_proposal_form_carries_a_key_and_a_resubmit_makes_no_second(login, world):
    client = login(world.lin)
    page = client.get("/proposals/new/").content.decode()
    assert 'name="idempotency_key"' in page
    data = {**DRAFT, "kind": Proposal.Kind.INDIVIDUAL, "idempotency_key": "form-123"}
    first = client.post("/proposals/new/", data)
    again = client.post("/proposals/new/", data)  # back, then submit again
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first.url and again["Idempotent-Replayed"] == "true"
    assert Proposal.objects.count() == 1
    client.post("/proposals/new/", {**data, "idempotency_key": "form-456"})
    assert Proposal.objects.count() == 2  # a new form is a new proposal


def test_a_refused_create_frees_its_key(login, world):
    client = login(world.lin)
    data = {**DRAFT, "kind": "nonsense", "idempotency_key": "k1"}
    assert client.post("/proposals/new/", data).status_code == 400
    assert client.post("/proposals/new/", {**data, "kind": Proposal.Kind.INDIVIDUAL})\
        .status_code == 302
    assert Proposal.objects.count() == 1


def test_api_retry_with_the_same_key_answers_the_first_result(login, world):
    client = login(world.lin)
    body = {**REPORT, "submit": False}
    first = client.post("/api/opinions/", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="phone-retry-1")
    again = client.post("/api/opinions/", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="phone-retry-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Report.objects.count() == 1
    other = client.post("/api/proposals/", {}, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="phone-retry-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert not Proposal.objects.exists()


def test_keys_belong_to_their_sender(login, world, client):
    body = {**REPORT, "submit": False}
    login(world.lin).post("/api/opinions/", body, content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY="same")
    client.logout()
    login(world.gao).post("/api/opinions/", body, content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY="same")
    assert set(Report.objects.values_list("reporter__username", flat=True)) == {"lin", "gao"}


def test_a_malformed_key_is_refused_in_chinese(login, world):
    response = login(world.lin).post("/api/opinions/", REPORT, content_type="application/json",
                                     HTTP_IDEMPOTENCY_KEY="x" * 101)
    assert response.status_code == 400 and "格式不正确" in response.json()["message"]
    assert not Report.objects.exists()


def test_a_huge_body_is_refused_by_its_length_before_reading(login, world, settings):
    client = login(world.lin)
    response = client.generic("POST", "/proposals/new/", b"x" * 10,
                              CONTENT_TYPE="application/octet-stream",
                              CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1))
    assert response.status_code == 413
    assert "附件不能超过 20 MB" in response.content.decode()
    api = client.generic("POST", "/api/opinions/", b"{}", CONTENT_TYPE="application/json",
                         CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert api.status_code == 413 and api.json()["code"] == "too_large"


def test_error_pages_are_chinese_in_the_layout(login, world, settings):
    settings.DEBUG = False
    client = login(world.lin)
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "找不到该页面" in html and "政协履职" in html and "返回首页" in html
    api = client.get("/api/no-such-operation")
    assert api.status_code == 404 and api.json()["message"]
