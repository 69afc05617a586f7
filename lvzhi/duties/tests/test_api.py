"""The duty record on a phone: the record, declarations with evidence, refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.duties.models import Declaration

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_my_record_carries_the_standing_and_every_fact(login, world, proposal):
    body = login(world.lin).get("/api/duties/me").json()
    assert body["body"] == "市政协" and body["grade"] in {"incompetent", "competent"}
    assert any(f["kind"] == "proposal_submitted" and f["title"] == proposal.title
               for f in body["facts"])
    assert {o["label"] for o in body["obligations"]} >= {"出席全体会议"}


def test_a_phone_declares_with_evidence_and_withdraws(login, world):
    client = login(world.lin)
    created = client.post("/api/duties/declarations", {
        "kind": "talk", "title": "社区宣讲", "occurred_on": "2026-06-01",
        "files": [SimpleUploadedFile("照片.pdf", PDF)]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "pending" and body["files"][0]["name"] == "照片.pdf"
    listed = client.get("/api/duties/declarations").json()
    assert [d["id"] for d in listed["items"]] == [body["id"]]
    withdrawn = client.post(f"/api/duties/declarations/{body['id']}/withdraw")
    assert withdrawn.json()["state"] == "withdrawn"


def test_a_declaration_without_evidence_or_by_a_non_member_is_refused(login, world):
    bare = login(world.lin).post("/api/duties/declarations", {
        "kind": "award", "title": "获奖", "occurred_on": "2026-06-01"})
    assert bare.status_code == 400
    assert set(bare.json()["fields"]) == {"level", "files"}
    staff = login(world.zhou).post("/api/duties/declarations", {
        "kind": "talk", "title": "宣讲", "occurred_on": "2026-06-01",
        "files": [SimpleUploadedFile("照片.pdf", PDF)]})
    assert staff.status_code == 404
    assert not Declaration.objects.exists()


def test_the_office_table_for_staff_only(login, world, proposal):
    url = f"/api/duties/office?body_id={world.city.body.pk}"
    rows = login(world.zhou).get(url).json()["items"]
    assert {r["name"] for r in rows} >= {"林晓岚", "高振东"}
    assert login(world.pan).get(url).status_code == 404
    assert login(world.lin).get(url).status_code == 404
