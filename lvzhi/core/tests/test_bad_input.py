"""Bad input of any shape is a 4xx with a Chinese message and changes nothing; what is
stored already never breaks an export; no exported text is evaluated as a formula."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lvzhi.core.models import Event
from lvzhi.core.tests.matrix_world import build
from lvzhi.proposals.models import Proposal

pytestmark = pytest.mark.django_db

CHINESE = "格式不正确"


@pytest.fixture
def objects(world):
    return build(world)


def _unchanged(before: int) -> None:
    assert Event.objects.count() == before


@pytest.mark.parametrize("field", ["actor", "name", "obj"])
def test_a_post_field_named_like_an_argument_is_just_an_input(login, world, objects, field):
    before = Event.objects.count()
    response = login(world.zhou).post(f"/proposals/{objects.same_body.pk}/act/mark_key/",
                                     {field: "x", "supervisor": "abc"})
    assert response.status_code == 400
    assert "请选择领衔督办的领导" in response.content.decode()
    _unchanged(before)


@pytest.mark.parametrize(("who", "action", "data"), [
    ("zhou", "mark_key", {"supervisor": "1.5"}),
    ("zhou", "follow_up_done", {"reply": "x"}),
    ("zhou", "review_reply", {"reply": "¹", "decision": "accept"}),
    ("zhou", "decide_request", {"request": "abc"}),
    ("zhou", "add_unit", {"role": "single", "unit": "abc"}),
    ("ma", "record_contact", {"assignment": "abc", "way": "phone", "date": "2022-01-01",
                              "summary": "x"}),
])
def test_malformed_ids_in_actions_are_refused(login, world, objects, who, action, data):
    before = Event.objects.count()
    response = login(getattr(world, who)).post(
        f"/proposals/{objects.own.pk}/act/{action}/", data)
    assert 400 <= response.status_code < 500
    _unchanged(before)


def test_merge_into_a_non_number(login, world):
    from lvzhi.proposals.tests.conftest import DRAFT
    from lvzhi.proposals.workflow import perform, save_draft
    p = perform(save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT)), "submit",
                world.lin)
    response = login(world.zhou).post(f"/proposals/{p.pk}/act/merge/", {"into": "abc"})
    assert response.status_code == 400
    assert "请选择并入的已立案提案" in response.content.decode()
    assert Proposal.objects.get(pk=p.pk).state == Proposal.State.SUBMITTED


def test_assign_with_malformed_units(login, world, objects):
    from lvzhi.proposals.tests.conftest import DRAFT
    from lvzhi.proposals.workflow import perform, save_draft
    p = perform(save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT)), "submit",
                world.lin)
    p = perform(p, "file", world.zhou)
    response = login(world.zhou).post(f"/proposals/{p.pk}/act/assign/",
                                      {"handling": "single", "units": ["x"]})
    assert response.status_code == 400
    assert "所选承办单位不属于本政协或已停用" in response.content.decode()


def test_malformed_ids_in_activity_staff_forms(login, world, objects):
    client = login(world.zhou)
    url = f"/activities/{objects.activity.pk}/staff/"
    for name, data in (("invite", {"sectors": ["x"], "committees": ["²"]}),
                       ("outcome", {"authors": ["abc"], "kind": "report", "title": "t"})):
        assert client.post(url + f"{name}/", data).status_code < 500
    response = client.post("/activities/manage/", {
        "kind": "research", "title": "调研", "starts_at": "2026-12-20T09:00",
        "sectors": ["x"], "committees": ["y"], "invite": "some"})
    assert response.status_code < 500


@pytest.mark.parametrize("url", [
    "/people/?body=²", "/people/?sector=٣",
    "/opinions/bulletin/?year=10000", "/opinions/bulletin/?year=0",
    "/opinions/bulletin.xlsx?year=99999", "/opinions/stats/?year=10000&month=99",
    "/proposals/office/figures/?year=10000", "/activities/plan/?year=10000",
    "/opinions/office/?sector=²",
])
def test_odd_numbers_in_query_strings_are_ignored(login, world, url):
    assert login(world.yuan).get(url).status_code in (200, 404)


def test_odd_numbers_in_an_exports_filters_are_ignored(login, world, export_file):
    response = export_file(login(world.yuan), "/people/export.xlsx", {"body": "²"})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats")


def test_non_ascii_check_in_codes_are_refused(login, world, objects):
    client = login(world.lin)
    a = objects.activity
    assert client.get(f"/activities/{a.pk}/checkin/?t=é").status_code in (400, 409)
    assert client.post(f"/activities/{a.pk}/act/checkin/", {"code": "١٢٣٤٥٦"}).status_code \
        in (400, 409)
    response = client.post(f"/api/activities/{a.pk}/checkin", {"code": "é"},
                           content_type="application/json")
    assert response.status_code in (400, 409)
    assert response.json()["message"]
    assert not a.invitations.filter(checked_in_at__isnull=False).exists()


@pytest.mark.parametrize("url", [
    "/api/notifications?page=9223372036854775808", "/api/proposals/mine?page=99999999999",
    "/api/opinions/mine?page=-1", "/api/people?body=99999999999999999999",
    "/api/proposals/99999999999999999999", "/api/people?page_size=100000",
])
def test_api_numbers_out_of_range_are_422_in_chinese(login, world, url):
    response = login(world.lin).get(url)
    assert response.status_code in (404, 422)
    assert response.json()["message"]


def test_control_characters_are_dropped_at_input(login, world):
    from lvzhi.proposals.tests.conftest import DRAFT
    client = login(world.lin)
    client.post("/proposals/new/", {**DRAFT, "kind": Proposal.Kind.INDIVIDUAL,
                                    "title": "关于\x0b冰雪\x1b旅游的建议"})
    assert Proposal.objects.filter(title="关于冰雪旅游的建议").exists()
    response = client.post("/api/opinions/", {
        "title": "报送\x1b标题", "category": "urban", "situation": "情况\x00",
        "suggestions": "建议", "submit": False}, content_type="application/json")
    assert response.status_code == 201
    from lvzhi.opinions.models import Report
    assert Report.objects.filter(title="报送标题", situation="情况").exists()


def _cells(response) -> list:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [c for row in sheet.iter_rows() for c in row]


def test_stored_control_characters_do_not_break_exports(login, world, objects, export_file):
    # Written past the checks, as rows stored before them were.
    Proposal.objects.filter(pk=objects.own.pk).update(title="旧\x0b标题\x1b")
    from lvzhi.opinions.models import Report
    Report.objects.filter(pk=objects.report.pk).update(title="旧\x0b信息")
    client = login(world.zhou)
    ledger = export_file(client, "/proposals/office/export.xlsx")
    assert ledger.status_code == 200
    assert "旧标题" in [c.value for c in _cells(ledger)]
    assert export_file(client, "/opinions/office/export.xlsx").status_code == 200


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x","点击")', "=1+1", "+1", "-2+3",
                                   "@SUM(A1)"])
def test_exported_text_is_never_a_formula(login, world, objects, title, export_file):
    Proposal.objects.filter(pk=objects.own.pk).update(title=title)
    from lvzhi.opinions.models import Report
    Report.objects.filter(pk=objects.report.pk).update(title=title, edited_title=title)
    client = login(world.zhou)
    for url in ("/proposals/office/export.xlsx", "/opinions/office/export.xlsx"):
        cells = [c for c in _cells(export_file(client, url)) if c.value == title]
        assert cells, url
        assert all(c.data_type == "s" and c.quotePrefix for c in cells), url


def test_exports_write_dates_as_dates_and_freeze_the_header(login, world, objects, export_file):
    import datetime
    client = login(world.zhou)
    ledger = load_workbook(io.BytesIO(export_file(client, "/proposals/office/export.xlsx").content))
    sheet = ledger.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=1).value  # the rows follow the header, no gap
    deadlines = [c for c in sheet["K"][1:] if c.value]  # 办理期限
    assert deadlines and all(isinstance(c.value, datetime.datetime) for c in deadlines)
    assert deadlines[0].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet.column_dimensions["D"].width >= 30  # 案由 is wide enough to read
    queue = load_workbook(io.BytesIO(export_file(client, "/opinions/office/export.xlsx").content))
    submitted = [c for c in queue.worksheets[0]["G"][1:] if c.value]
    assert submitted and all(isinstance(c.value, datetime.datetime) for c in submitted)
    assert queue.worksheets[0].freeze_panes == "A2"
