"""The contract: a client generated from the live schema with openapi-python-client drives
the member's, the information officer's and the handling unit's flows end to end, each
refusal parsed into the declared error model.

What an app vendor does with /api/openapi.json, done here on every run: a schema change that
breaks a generated client (a renamed operation, an undeclared status, a wrong type) fails.
"""

from __future__ import annotations

import datetime
import importlib
import io
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from lvzhi.activities import workflow
from lvzhi.activities.tests.conftest import make_activity
from lvzhi.api.site import api
from lvzhi.conftest import PASSWORD
from lvzhi.core.tests.matrix_world import PDF
from lvzhi.proposals.workflow import perform

PACKAGE = "lvzhi_api_client"


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    """The generated package, imported: `gen.api.proposals.create_proposal` and so on."""
    root = tmp_path_factory.mktemp("generated")
    (root / "openapi.json").write_text(json.dumps(api.get_openapi_schema()), "utf-8")
    (root / "config.yaml").write_text("post_hooks: []\n", "utf-8")  # no formatter run
    done = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", "openapi.json",
         "--output-path", PACKAGE, "--meta", "none", "--config", "config.yaml"],
        cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout  # every operation fully generated
    sys.path.insert(0, str(root))
    try:
        def load(name):
            return importlib.import_module(f"{PACKAGE}.{name}")
        yield SimpleNamespace(
            client=load("client"), models=load("models"), types=load("types"),
            proposals=_operations(load, "proposals"), opinions=_operations(load, "opinions"),
            activities=_operations(load, "activities"), people=_operations(load, "people"),
            auth=_operations(load, "auth"), files=_operations(load, "files"))
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
            del sys.modules[name]


def _operations(load, tag: str) -> SimpleNamespace:
    package = load(f"api.{tag}")
    folder = Path(package.__file__).parent
    return SimpleNamespace(**{f.stem: load(f"api.{tag}.{f.stem}")
                              for f in folder.glob("*.py") if f.stem != "__init__"})


def _transport() -> httpx.WSGITransport:
    # The Django app in this process and this test's transaction: no server, no thread.
    return httpx.WSGITransport(app=WSGIHandler())


def signed_in(gen, login: str):
    anonymous = gen.client.Client(base_url="http://testserver",
                                  httpx_args={"transport": _transport()})
    got = gen.auth.create_token.sync_detailed(client=anonymous, body=gen.models.TokenIn(
        login=login, password=PASSWORD, device="contract test"))
    assert got.status_code == 200, got.content
    assert isinstance(got.parsed.expires_at, datetime.datetime)
    return gen.client.AuthenticatedClient(base_url="http://testserver",
                                          token=got.parsed.token,
                                          httpx_args={"transport": _transport()})


def refused(gen, response, status: int, code: str):
    """The refusal as the app sees it: the declared status, parsed into the error model,
    with a Chinese message to show as it is."""
    assert response.status_code == status, response.content
    error = response.parsed
    assert isinstance(error, gen.models.Error), type(error)
    assert error.code == code, error.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message), error.message
    return error


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a request's start and end must not close the
    connection that holds this test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_a_member_drafts_attaches_submits_and_is_refused_in_the_error_model(gen, world):
    m, p = gen.models, gen.proposals
    lin = signed_in(gen, "lin")
    me = gen.people.get_me.sync(client=lin)
    body_id = next(r.body_id for r in me.roles if r.kind == m.RoleKind.MEMBER)
    lookups = gen.people.get_body_lookups.sync(body_id, client=lin)
    unit = lookups.handling_units[0]
    rules = p.get_proposal_rules.sync(body_id, client=lin)
    assert rules.title_max == 50 and [c.code for c in rules.reply_categories] == ["A", "B", "C"]

    created = p.create_proposal.sync_detailed(client=lin, body=m.DraftIn(
        title="关于社区养老服务站点布局的建议", situation="老城区站点少。",
        suggestions="增设站点。", category=m.ProposalCategory.SOCIETY, suggested_units=[unit.id]))
    assert created.status_code == 201
    draft = created.parsed
    assert (draft.state, draft.category) == (m.ProposalState.DRAFT, m.ProposalCategory.SOCIETY)
    patched = p.update_proposal.sync(draft.id, client=lin, body=m.DraftPatch(keywords="养老"))
    assert (patched.keywords, patched.title) == ("养老", draft.title)
    too_long = p.update_proposal.sync_detailed(draft.id, client=lin,
                                               body=m.DraftPatch(title="长" * 51))
    error = refused(gen, too_long, 422, "invalid")
    assert [(e.field, e.message) for e in error.errors] == [("title", "不能超过 50 个字")]

    upload = p.upload_proposal_attachment.sync_detailed(
        draft.id, client=lin, body=m.UploadProposalAttachmentFileParams(file=gen.types.File(
            payload=io.BytesIO(PDF), file_name="调研附表.pdf", mime_type="application/pdf")))
    assert upload.status_code == 201
    fake = p.upload_proposal_attachment.sync_detailed(
        draft.id, client=lin, body=m.UploadProposalAttachmentFileParams(file=gen.types.File(
            payload=io.BytesIO(b"MZ\x90\x00" * 40), file_name="病毒.pdf")))
    refused(gen, fake, 400, "file_content")
    (listed,) = p.list_proposal_attachments.sync(draft.id, client=lin)
    assert listed.name == "调研附表.pdf"
    downloaded = gen.files.download_attachment.sync_detailed(listed.id, client=lin)
    assert downloaded.status_code == 200 and downloaded.content == PDF

    submitted = p.submit_proposal.sync(draft.id, client=lin)
    assert submitted.state == m.ProposalState.SUBMITTED
    assert "withdraw" in submitted.allowed_actions
    refused(gen, p.submit_proposal.sync_detailed(draft.id, client=lin), 409, "wrong_state")
    refused(gen, p.get_proposal.sync_detailed(draft.id + 1000, client=lin), 404, "not_found")
    page = p.list_my_proposals.sync(client=lin)
    assert (page.count, page.items[0].id) == (1, draft.id)
    gao = signed_in(gen, "gao")
    refused(gen, p.withdraw_proposal.sync_detailed(draft.id, client=gao), 404, "not_found")
    assert p.withdraw_proposal.sync(draft.id, client=lin).state == m.ProposalState.WITHDRAWN


def test_a_handling_unit_contacts_replies_and_attaches_its_letter(gen, world):
    m, p = gen.models, gen.proposals
    lin = signed_in(gen, "lin")
    draft = p.create_proposal.sync(client=lin, body=m.DraftIn(
        title="关于中小学课后服务的建议", situation="课后服务内容单一。",
        suggestions="引入社会资源。", category=m.ProposalCategory.SOCIETY))
    p.submit_proposal.sync(draft.id, client=lin)
    perform(draft.id, "file", world.zhou)
    perform(draft.id, "assign", world.zhou, handling="single", units=[world.city.unit.pk])

    ma = signed_in(gen, "ma")
    assigned = p.list_assigned_proposals.sync(client=ma)
    assert [x.id for x in assigned.items] == [draft.id]
    early = p.reply_to_proposal.sync_detailed(draft.id, client=ma, body=m.ReplyIn(
        category="A", text="已落实。"))
    refused(gen, early, 409, "contact_first")
    far = p.request_extension.sync_detailed(draft.id, client=ma, body=m.ExtensionRequestIn(
        new_deadline=datetime.date(2099, 1, 1), reason="需要调研"))
    refused(gen, far, 400, "bad_extension")
    contact = p.reveal_proposer_contact.sync(draft.id, client=ma)
    assert contact.mobile == world.lin.mobile
    today = timezone.localdate()
    recorded = p.record_contact.sync(draft.id, client=ma, body=m.ContactIn(
        way=m.ContactWay.PHONE, date=today, summary="电话沟通了办理思路。"))
    assert recorded.contacts[0].way == m.ContactWay.PHONE
    bad = p.reply_to_proposal.sync_detailed(draft.id, client=ma, body=m.ReplyIn(
        category="Z", text=""))
    error = refused(gen, bad, 400, "bad_category")
    assert set(error.fields.additional_properties) == {"category", "text"}  # all at once
    replied = p.reply_to_proposal.sync(draft.id, client=ma, body=m.ReplyIn(
        category="A", text="已在三所学校试点。"))
    assert replied.assignments[0].state == m.AssignmentState.REPLIED
    (reply,) = replied.replies
    assert reply.state == m.ReplyState.PENDING
    letter = p.upload_reply_file.sync_detailed(
        reply.id, client=ma, body=m.UploadReplyFileFileParams(
            file=gen.types.File(payload=io.BytesIO(PDF), file_name="答复函.pdf")))
    assert letter.status_code == 201
    assert p.get_proposal.sync(draft.id, client=lin).replies == []  # not yet accepted
    refused(gen, p.upload_reply_file.sync_detailed(reply.id, client=lin,
            body=m.UploadReplyFileFileParams(file=gen.types.File(
                payload=io.BytesIO(PDF), file_name="x.pdf"))), 404, "not_found")


def test_an_information_officer_drafts_revises_and_submits(gen, world):
    m, o = gen.models, gen.opinions
    han = signed_in(gen, "han")
    body_id = world.xiangfang.body.pk
    assert o.get_report_rules.sync(body_id, client=han).text_max == 1500
    created = o.create_report.sync_detailed(client=han, body=m.ReportIn(
        body_id=body_id, title="关于农村客运班线停运的反映", category=m.ReportCategory.URBAN,
        situation="部分村屯班线停运。", suggestions="恢复班线或开通预约公交。", submit=False))
    assert created.status_code == 201 and created.parsed.state == m.ReportState.DRAFT
    pk = created.parsed.id
    revised = o.update_report.sync(pk, client=han, body=m.ReportPatch(
        title="关于部分村屯客运班线停运的反映"))
    assert revised.title == "关于部分村屯客运班线停运的反映"
    refused(gen, o.update_report.sync_detailed(pk, client=han, body=m.ReportPatch(
        situation="情" * 800, suggestions="建" * 800)), 400, "too_long")
    submitted = o.submit_report.sync(pk, client=han)
    assert (submitted.state, submitted.category) == (m.ReportState.SUBMITTED,
                                                     m.ReportCategory.URBAN)
    refused(gen, o.submit_report.sync_detailed(pk, client=han), 409, "wrong_state")
    assert [r.id for r in o.list_my_reports.sync(client=han).items] == [pk]
    wu = signed_in(gen, "wu")
    refused(gen, o.get_report.sync_detailed(pk, client=wu), 404, "not_found")


def test_a_member_answers_an_activity_from_the_phone(gen, world):
    m, a = gen.models, gen.activities
    activity = make_activity(world, capacity=10)
    workflow.send_notice(world.zhou, activity)
    lin = signed_in(gen, "lin")
    (mine,) = a.list_my_activities.sync(client=lin).items
    assert (mine.id, mine.kind) == (activity.pk, m.ActivityKind.RESEARCH)
    registered = a.register_for_activity.sync(activity.pk, client=lin)
    assert registered.registration == m.InvitationRegistration.REGISTERED
    refused(gen, a.ask_leave.sync_detailed(activity.pk, client=lin, body=m.LeaveIn(reason="")),
            400, "missing_reason")
    on_leave = a.ask_leave.sync(activity.pk, client=lin, body=m.LeaveIn(reason="出差"))
    assert on_leave.leave == m.InvitationLeave.PENDING
    cancelled = a.cancel_registration.sync(activity.pk, client=lin)
    assert cancelled.registration == m.InvitationRegistration.CANCELLED
    refused(gen, a.cancel_registration.sync_detailed(activity.pk, client=lin), 409,
            "not_registered")
    refused(gen, a.rate_activity.sync_detailed(activity.pk, client=lin, body=m.RatingIn(
        topic=5, organisation=5, service=5, effect=5)), 409, "not_rateable")
    refused(gen, a.check_in.sync_detailed(activity.pk, client=lin, body=m.CheckInIn(
        code="000000")), 409, "not_open")
    assert a.list_my_outcomes.sync(client=lin).count == 0


def test_a_query_parameter_given_twice_is_refused(client, world):
    from lvzhi.api.models import ApiToken
    _, raw = ApiToken.issue(world.lin, "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    seat = world.lin.memberships.get().pk
    for path in (f"/api/proposals/similar?seat_id=abc&seat_id={seat}",
                 f"/api/duties/me?seat_id={seat}&seat_id={seat}", "/api/search?q=a&q=b"):
        response = client.get(path, **auth)
        assert response.status_code == 422, path
        assert "只能出现一次" in response.json()["message"]
    assert client.get(f"/api/duties/me?seat_id={seat}", **auth).status_code == 200
