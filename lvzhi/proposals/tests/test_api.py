"""The proposal API for phone clients: same rules and messages as the pages."""

import pytest

from lvzhi.conftest import PASSWORD
from lvzhi.proposals.models import Proposal, ProposalRules
from lvzhi.proposals.services import today
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import perform

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def _as(login):
        token = client.post("/api/auth/token", {"login": login, "password": PASSWORD},
                            content_type="application/json").json()["token"]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

        def call(method, path, data=None):
            return getattr(client, method)(f"/api/proposals{path}", data,
                                           content_type="application/json", **headers)
        return call
    return _as


def test_member_drafts_submits_and_lists(world, as_user):
    lin = as_user("lin")
    response = lin("post", "/", {**DRAFT, "cosigners": []})
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["state"] == "draft"
    patched = lin("patch", f"/{pk}", {"keywords": "儿童"}).json()
    assert (patched["keywords"], patched["title"]) == ("儿童", DRAFT["title"])  # only that one
    wrong = lin("put", f"/{pk}", {"keywords": "x"})
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")
    assert "PATCH" in wrong["Allow"]
    assert wrong.json()["message"].startswith("该地址不支持 PUT 请求")
    nulled = lin("patch", f"/{pk}", {"title": None})
    assert nulled.status_code == 422  # null is not "leave it": send "" to empty a text
    assert Proposal.objects.get(pk=pk).title == DRAFT["title"]
    submitted = lin("post", f"/{pk}/submit").json()
    assert (submitted["state"], submitted["state_label"]) == ("submitted", "待审查")
    listed = lin("get", "/mine").json()
    assert [p["id"] for p in listed["items"]] == [pk]


def test_refusals_come_back_as_json_in_chinese(world, as_user):
    lin = as_user("lin")
    response = lin("post", "/", {**DRAFT, "title": "长" * 51, "category": "社会"})
    assert response.status_code == 422  # the schema's limits, every field at once
    assert response.json()["errors"] == [
        {"field": "title", "message": "不能超过 50 个字"},
        {"field": "category",
         "message": "须为以下之一：economy、politics、culture、society、ecology、other"}]
    assert set(response.json()["fields"]) == {"title", "category"}
    ProposalRules.objects.update_or_create(body=world.city.body, defaults={"title_max": 20})
    response = lin("post", "/", {**DRAFT, "title": "长" * 21})
    assert response.status_code == 400  # the body's own, stricter rule
    assert response.json() == {"code": "title_too_long",
                               "message": "案由不能超过 20 个字（现有 21 个）。"}
    assert not Proposal.objects.exists()
    assert as_user("zhou")("post", "/", dict(DRAFT)).json()["code"] == "not_a_member"


def test_cosigner_confirms_and_proposer_evaluates(world, as_user, joint_draft):
    perform(joint_draft, "submit", world.lin)
    gao = as_user("gao")
    assert gao("post", f"/{joint_draft.pk}/confirm-cosign").status_code == 200
    assert joint_draft.cosigners.get().state == "confirmed"
    assert [p["id"] for p in gao("get", "/mine").json()["items"]] == [joint_draft.pk]
    again = gao("post", f"/{joint_draft.pk}/decline-cosign")
    assert (again.status_code, again.json()["code"]) == (409, "not_invited")


def test_unit_lists_records_contact_and_replies(world, as_user, handling):
    ma = as_user("ma")
    listed = ma("get", "/assigned").json()["items"]
    assert [p["id"] for p in listed] == [handling.pk]
    early = ma("post", f"/{handling.pk}/reply", {"category": "A", "text": "已解决"})
    assert (early.status_code, early.json()["code"]) == (409, "contact_first")
    assert ma("post", f"/{handling.pk}/record-contact", {
        "way": "phone", "date": today().isoformat(), "summary": "电话沟通"}).status_code == 200
    replied = ma("post", f"/{handling.pk}/reply", {"category": "A", "text": "已解决"})
    assert replied.status_code == 200
    assert replied.json()["assignments"][0]["state"] == "replied"


def test_evaluation_by_api(world, as_user, handling):
    from lvzhi.proposals.models import Reply

    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    perform(handling, "reply", world.ma, category="A", text="已解决")
    perform(handling, "review_reply", world.zhou, reply=Reply.objects.get().pk,
            decision="accept")
    assert as_user("gao")("post", f"/{handling.pk}/evaluate",
                          {"rating": "satisfied"}).status_code == 404
    done = as_user("lin")("post", f"/{handling.pk}/evaluate", {"rating": "satisfied"})
    assert done.json()["state"] == "closed"


def test_other_bodies_and_units_see_nothing(world, as_user, handling):
    assert as_user("pan")("get", f"/{handling.pk}").status_code == 404
    assert as_user("pan")("get", "/assigned").json()["items"] == []


def test_schema_lists_the_proposal_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/proposals/mine", "/api/proposals/assigned",
                 "/api/proposals/{proposal_id}/evaluate", "/api/proposals/{proposal_id}/reply"):
        assert path in paths


def test_the_detail_carries_replies_contacts_evaluations_and_history(client, world,
                                                                     handling):
    from lvzhi.proposals.models import Reply
    from lvzhi.proposals.services import today
    from lvzhi.proposals.workflow import perform
    client.force_login(world.ma)
    contact = client.post(f"/api/proposals/{handling.pk}/record-contact", {
        "way": "phone", "date": today().isoformat(), "summary": "电话沟通了办理思路。"},
        content_type="application/json").json()
    assert contact["contacts"][0]["summary"] == "电话沟通了办理思路。"  # what was recorded
    client.post(f"/api/proposals/{handling.pk}/reply", {
        "category": "B", "text": "列入明年计划。", "commitment": "明年六月前完成"},
        content_type="application/json")
    assert client.get(f"/api/proposals/{handling.pk}").json()["replies"][0]["state"] == \
        "pending"  # the unit sees its own reply at once
    client.force_login(world.lin)
    assert client.get(f"/api/proposals/{handling.pk}").json()["replies"] == []  # not yet
    perform(handling, "review_reply", world.zhou, reply=Reply.objects.get().pk,
            decision="accept")
    detail = client.get(f"/api/proposals/{handling.pk}").json()
    (reply,) = detail["replies"]
    assert (reply["category"], reply["commitment"]) == ("B", "明年六月前完成")
    assert reply["letter_url"].endswith("/letter.pdf")
    assert client.get(reply["letter_url"]).status_code == 200
    assert [e["label"] for e in detail["history"]][-1] == "审核答复"
    evaluated = client.post(f"/api/proposals/{handling.pk}/evaluate", {
        "rating": "satisfied", "comment": "答复具体。"}, content_type="application/json").json()
    assert evaluated["evaluations"] == [{"by": "林晓岚", "round": 1, "rating": "satisfied",
                                         "rating_label": "满意", "comment": "答复具体。"}]


def test_the_detail_asks_as_often_for_three_units_as_for_one(client, world, filed,
                                                             other_unit):
    """Units, replies and contacts come from the assignments read once: a split proposal's
    detail asks no more than a single unit's (the units were read one by one before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lvzhi.core.models import HandlingUnit

    third = HandlingUnit.objects.create(body=world.city.body, name="市民政局")
    client.force_login(world.zhou)

    def queries(p) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/proposals/{p.pk}").status_code == 200
        return len(captured)

    single = perform(filed, "assign", world.zhou, handling="single", units=[world.city.unit.pk])
    queries(single)
    one = queries(single)
    again = perform(save_draft_for(world), "submit", world.lin)
    split = perform(perform(again, "file", world.zhou), "assign", world.zhou,
                    handling="split", units=[world.city.unit.pk, other_unit.pk, third.pk])
    body = client.get(f"/api/proposals/{split.pk}").json()
    assert sorted(a["unit"] for a in body["assignments"]) == sorted(
        [world.city.unit.name, other_unit.name, "市民政局"])
    assert queries(split) == one


def save_draft_for(world) -> Proposal:
    from lvzhi.proposals.workflow import save_draft
    return save_draft(world.lin.memberships.get(), world.lin,
                      {**DRAFT, "title": "关于加快老旧小区改造的建议"})
