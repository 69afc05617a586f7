"""Exports off the request path: the button queues, a task writes the file, the page shows
progress then the download, the requester is told; only the requester, still holding the
role, downloads; a failing export says so in Chinese."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lvzhi.core import exports
from lvzhi.core.errors import Refusal
from lvzhi.core.models import Export, Notification
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import perform, save_draft

pytestmark = pytest.mark.django_db
LEDGER = "/proposals/office/export.xlsx"


def _filed(world, n: int) -> None:
    for i in range(n):
        p = save_draft(world.lin.memberships.get(), world.lin, {**DRAFT, "title": f"建议{i}"})
        perform(perform(p, "submit", world.lin), "file", world.zhou)


def test_an_export_is_queued_written_shown_and_downloaded(login, world,
                                                          django_capture_on_commit_callbacks):
    _filed(world, 3)
    office = login(world.zhou)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        started = office.post(LEDGER + "?state=filed")
    export = Export.objects.get()
    assert started.status_code == 302 and started.url == f"/exports/{export.pk}/"
    assert (export.state, export.requested_by, export.body_id) == (
        "queued", world.zhou, world.city.body.pk)
    assert export.params == {"state": ["filed"]}
    page = office.get(started.url).content.decode()  # the request returned before the work
    assert "排队中" in page and 'hx-trigger="every 1s"' in page and "<progress" in page
    fragment = office.get(started.url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="export-status"' in fragment
    for callback in queued:
        callback()  # the task runs (the immediate backend in tests)
    export.refresh_from_db()
    assert export.state == "done" and export.done_rows == export.total_rows == 3
    page = office.get(started.url).content.decode()
    assert "文件已生成" in page and f"/exports/{export.pk}/download/" in page
    assert "hx-trigger" not in page  # finished: no more polling
    download = office.get(f"/exports/{export.pk}/download/")
    assert download["Content-Disposition"].endswith("%E6%8F%90%E6%A1%88%E5%8F%B0%E8%B4%A6.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content)))
                .active.iter_rows(values_only=True))
    assert sorted(r[3] for r in rows[1:]) == ["建议0", "建议1", "建议2"]
    note = Notification.objects.get(recipient=world.zhou, title="导出完成：提案台账")
    assert note.url == f"/exports/{export.pk}/"


def test_only_the_requester_with_the_role_still_downloads(login, world, export_file):
    _filed(world, 1)
    assert export_file(login(world.zhou), LEDGER).status_code == 200
    export = Export.objects.get()
    for who in (world.yuan, world.lin, world.pan):  # a colleague too: it is zhou's file
        client = login(who)
        assert client.get(f"/exports/{export.pk}/").status_code == 404
        assert client.get(f"/exports/{export.pk}/download/").status_code == 404
    world.zhou.roles.all().delete()  # moved to another post
    client = login(world.zhou)
    assert "您已无权下载" in client.get(f"/exports/{export.pk}/").content.decode()
    assert client.get(f"/exports/{export.pk}/download/").status_code == 404


def test_who_may_not_export_starts_nothing(login, world):
    for who in (world.lin, world.ma, world.nobody):
        assert login(who).post(LEDGER).status_code == 404
    assert login(world.zhou).get(LEDGER).status_code == 405  # a GET never starts work
    assert not Export.objects.exists()


@pytest.mark.parametrize("error, shown", [
    (RuntimeError("disk full"), "生成文件时出错"),
    (Refusal("too_many", "筛选结果超过上限，请缩小范围后再导出。"), "筛选结果超过上限"),
])
def test_a_failing_export_says_so(login, world, monkeypatch, export_file, error, shown):
    kind = exports.EXPORTS["proposals.ledger"]

    def broken(user, query, progress):
        progress(1, 2)
        raise error

    monkeypatch.setitem(exports.EXPORTS, "proposals.ledger",
                        exports.ExportKind(kind.code, kind.label, kind.allowed, broken))
    download = export_file(login(world.zhou), LEDGER)
    assert download.status_code == 404
    export = Export.objects.get()
    assert export.state == "failed" and not export.file and shown in export.error
    assert "disk full" not in export.error  # the log has it, not the page
    page = login(world.zhou).get(f"/exports/{export.pk}/").content.decode()
    assert shown in page and 'role="alert"' in page and "hx-trigger" not in page
    assert Notification.objects.filter(recipient=world.zhou, title="导出失败：提案台账").exists()


def test_a_task_queued_twice_runs_once(world, export_file, login):
    export_file(login(world.zhou), LEDGER)
    export = Export.objects.get()
    assert exports.run_export.call(export.pk) == {"export": export.pk, "state": "done"}
