"""The security audit log: what is recorded, that it cannot be changed through the app, and
that `lvzhi audit verify` finds an edited, a deleted or a missing newest row."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lvzhi.conftest import PASSWORD
from lvzhi.core import audit
from lvzhi.core.models import AuditRecord
from lvzhi.core.models.records import AppendOnlyError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def since(world):
    """Only what a test does: the world's accounts got their passwords (recorded) first."""
    return AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _actions(since: int) -> list[tuple[str, str, str]]:
    return [(r.action, r.outcome, r.tried)
            for r in AuditRecord.objects.filter(id__gt=since).order_by("id")]


def test_sign_ins_failures_lockouts_and_sign_outs_are_recorded(client, world, settings,
                                                               since):
    client.post("/login/", {"login": "lin", "password": "wrong"},
                HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    client.post("/login/", {"login": "lin", "password": PASSWORD})
    client.post("/logout/")
    assert _actions(since) == [("login_failed", "failure", "lin"), ("login", "success", "lin"),
                          ("logout", "success", "")]
    failed = AuditRecord.objects.filter(id__gt=since).order_by("id").first()
    assert (failed.ip, failed.user_agent, failed.actor) == ("127.0.0.1", "Mozilla/5.0 (iPhone)",
                                                            None)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/login/", {"login": "gao", "password": "wrong"})
    client.post("/login/", {"login": "gao", "password": PASSWORD})
    assert _actions(since)[-1] == ("login_locked", "refused", "gao")


def test_passwords_tokens_and_signing_out_everywhere_are_recorded(client, world, since):
    token = client.post("/api/auth/token", {"login": "lin", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    client.delete("/api/auth/token", HTTP_AUTHORIZATION=f"Bearer {token}")
    world.lin.set_password("Xin-Mima-2026")
    world.lin.save()
    world.lin.refresh_from_db()
    client.force_login(world.lin)
    client.post("/logout/everywhere/")
    actions = [a for a, _o, _t in _actions(since)]
    assert actions == ["token_created", "token_revoked", "password_changed", "login",
                       "logout_everywhere", "logout"]


def test_a_member_sees_their_own_recent_sign_ins(client, world):
    client.post("/login/", {"login": "lin", "password": "wrong"})
    client.post("/login/", {"login": "lin", "password": PASSWORD})
    page = client.get("/profile/").content.decode()
    assert "最近登录" in page and "密码错误" in page and "登录成功" in page
    client.force_login(world.gao)
    assert "密码错误" not in client.get("/profile/").content.decode()  # lin's, not gao's


def test_records_cannot_be_changed_or_deleted_through_the_app(world, client, since):
    client.post("/login/", {"login": "lin", "password": PASSWORD})
    row = AuditRecord.objects.get(id__gt=since)
    row.outcome = "failure"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert not any("audit" in str(m).lower() for m in _admin_models())


def _admin_models():
    from django.contrib import admin
    return admin.site._registry


def _chain(n: int) -> list[AuditRecord]:
    return [audit.record(None, "login", tried=f"u{i}") for i in range(n)]


def test_verify_passes_a_whole_chain(world, capsys):
    _chain(5)
    call_command("audit", "verify")
    assert f"安全审计日志完整：共 {AuditRecord.objects.count()} 条。" in capsys.readouterr().out


@pytest.mark.parametrize("tamper", ["edit", "delete_middle", "delete_newest"])
def test_verify_finds_an_edited_or_deleted_row(world, tamper):
    rows = _chain(5)
    table = AuditRecord._meta.db_table
    with connection.cursor() as cursor:  # as someone with database access would
        if tamper == "edit":
            cursor.execute(f"UPDATE {table} SET outcome = 'failure' WHERE id = %s", [rows[2].pk])
        elif tamper == "delete_middle":
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [rows[2].pk])
        else:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [rows[4].pk])
    with pytest.raises(CommandError) as broken:
        call_command("audit", "verify")
    expected = {"edit": f"第 {rows[2].pk} 条记录的内容被改动",
                "delete_middle": f"第 {rows[3].pk} 条之前的记录被删除或改动",
                "delete_newest": "最新的记录被删除"}[tamper]
    assert expected in str(broken.value)


# --- what else is recorded: roles, admin changes, exports, refused access, the superuser -----

def test_role_grants_and_revocations_are_recorded_with_the_granting_admin(login, world, since):
    client = login(world.shen)
    client.post("/admin/core/role/add/", {"user": world.gao.pk, "body": world.city.body.pk,
                                          "kind": "leader"})
    granted = AuditRecord.objects.get(id__gt=since, action="role_granted")
    assert (granted.actor, granted.target, granted.detail) == (
        world.shen, f"user:{world.gao.pk}", f"leader@{world.city.body.pk}")
    assert granted.roles == f"security_admin@{world.city.body.pk}"
    change = AuditRecord.objects.get(id__gt=since, action="admin_change")
    assert change.actor == world.shen and change.target.startswith("role:")
    role = world.gao.roles.get(kind="leader")
    client.post(f"/admin/core/role/{role.pk}/delete/", {"post": "yes"})
    assert AuditRecord.objects.filter(id__gt=since, action="role_revoked",
                                      actor=world.shen).exists()


def test_exports_and_refused_access_are_recorded(login, world, since, export_file):
    client = login(world.zhou)
    export_file(client, "/people/export.xlsx")
    export = AuditRecord.objects.get(id__gt=since, action="export")
    assert (export.actor, export.target) == (world.zhou, "委员名册.xlsx")
    client = login(world.dong)  # a Daoli member probing a city attachment and a proposal
    client.get("/attachments/999/")
    client.get("/api/proposals/12345")
    refused = list(AuditRecord.objects.filter(id__gt=since, action="access_refused")
                   .order_by("id"))
    assert [(r.actor, r.outcome) for r in refused] == [(world.dong, "refused")] * 2
    assert refused[0].target == "attachment:999" and "/api/proposals/12345" in \
        refused[1].detail


def test_a_superuser_sign_in_says_so(client, world, since):
    from lvzhi.conftest import make_person
    root = make_person("root", "平台管理员")
    root.is_superuser = root.is_staff = True
    root.save()
    client.post("/login/", {"login": "root", "password": PASSWORD})
    row = AuditRecord.objects.get(id__gt=since, action="login")
    assert row.roles == "superuser"


# --- the auditor's page -----------------------------------------------------------------------

def test_the_auditor_filters_the_log_and_sees_the_daily_summary(login, client, world, since):
    client.post("/login/", {"login": "lin", "password": "wrong"})
    client.post("/login/", {"login": "gao", "password": PASSWORD})
    client.post("/login/", {"login": "dong", "password": "wrong"})
    auditor = login(world.shi)
    page = auditor.get("/audit/").content.decode()
    assert "登录失败（密码错误）" in page and "高振东" in page
    assert "近 14 天失败与拒绝" in page
    only = auditor.get("/audit/", {"action": "login_failed", "person": "lin"})
    rows = list(only.context["page"])
    assert [r.tried for r in rows] == ["lin"]
    today = auditor.get("/audit/").context["summary"][0]
    assert today["failed"] >= 2


def test_a_district_auditor_sees_only_their_bodys_people(login, client, world, since):
    from lvzhi.conftest import make_person, role
    from lvzhi.core.models import RoleKind
    district = make_person("dshi", "区审计员")
    role(district, world.daoli, RoleKind.AUDITOR)
    client.post("/login/", {"login": "dong", "password": PASSWORD})
    client.post("/login/", {"login": "gao", "password": PASSWORD})
    client.post("/login/", {"login": "ghost", "password": "x"})
    shown = {(r.actor.username if r.actor else r.tried)
             for r in login(district).get("/audit/").context["page"]}
    assert "dong" in shown and "gao" not in shown and "ghost" not in shown


@pytest.mark.parametrize("query", [{"start": "2026-13-01"}, {"action": "drop_table"},
                                   {"start": "2026-11-29", "end": "2026-11-01"},
                                   {"outcome": "maybe"}])
def test_a_bad_filter_is_refused_and_marked(login, world, query):
    response = login(world.shi).get("/audit/", query)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "处需要修改" in page


def test_the_auditor_exports_the_filtered_log(login, client, world, since, export_file):
    """In the background (the log grows without end), with the page's filters; a wrong
    filter is refused before anything is queued."""
    import io

    from openpyxl import load_workbook

    from lvzhi.core.models import Export
    client.post("/login/", {"login": "lin", "password": "wrong"})
    response = export_file(login(world.shi), "/audit/export.xlsx", {"action": "login_failed"})
    assert Export.objects.get().kind == "core.audit"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and all(r[4] == "登录失败（密码错误）" for r in rows)
    assert AuditRecord.objects.filter(action="export", actor=world.shi).exists()
    refused = login(world.shi).post("/audit/export.xlsx?start=2026-05-02&end=2026-05-01",
                                    follow=True)
    assert "筛选条件有误" in refused.content.decode()
    assert Export.objects.count() == 1  # nothing queued for the wrong filter
    assert login(world.shi).get("/audit/export.xlsx").status_code == 405


def test_the_auditor_cannot_change_anything(login, world):
    client = login(world.shi)
    events = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first()
    for path in ("/admin/core/user/add/", "/people/activation/", "/people/import/confirm/",
                 "/proposals/new/"):
        assert client.post(path, {}).status_code in (302, 403, 404), path
    assert client.get("/admin/").status_code == 302
    # Only what the refusals themselves recorded, nothing changed elsewhere.
    assert set(AuditRecord.objects.filter(id__gt=events).values_list(
        "action", flat=True)) <= {"access_refused"}


# --- keeping and archiving ---------------------------------------------------------------------

def _age(rows, days: int) -> None:
    """Backdate rows as time would (their digests cover the time, so recompute them)."""
    import datetime

    from django.utils import timezone
    previous = None
    for row in AuditRecord.objects.order_by("id"):
        if row.pk in {r.pk for r in rows}:
            row.created_at = timezone.now() - datetime.timedelta(days=days)
        if previous is not None:
            row.previous = previous
        row.digest = audit.row_digest(row)
        AuditRecord.objects.filter(pk=row.pk).update(created_at=row.created_at,
                                                     previous=row.previous, digest=row.digest)
        previous = row.digest
    from lvzhi.core.models import AuditHead
    AuditHead.objects.filter(pk=1).update(digest=previous)


def test_rows_past_their_keeping_time_go_to_a_file_and_the_chain_still_verifies(
        world, settings, tmp_path, capsys):
    from lvzhi.core import audit_archive
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    old = AuditRecord.objects.order_by("id")[:3]
    old = list(old)
    _age(old, 200)
    total = AuditRecord.objects.count()
    count, path = audit_archive.archive()
    assert count == 3 and path.exists()
    assert not AuditRecord.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert [r.pk for r in audit_archive.read_file(path)] == [r.pk for r in old]
    assert AuditRecord.objects.count() == total - 3 + 1  # the archiving itself is recorded
    assert AuditRecord.objects.order_by("-id").first().action == "audit_archived"
    call_command("audit", "verify", "--archives")
    assert "另检查归档文件 1 个" in capsys.readouterr().out
    assert audit_archive.archive() == (0, None)  # nothing older left


def test_rows_within_the_keeping_time_stay(world, settings, tmp_path):
    from lvzhi.core import audit_archive
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    _age(list(AuditRecord.objects.order_by("id")[:2]), 179)
    assert audit_archive.archive() == (0, None)
    assert not list(tmp_path.iterdir())


def test_an_edited_archive_file_is_found(world, settings, tmp_path):
    import gzip

    from lvzhi.core import audit_archive
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    _age(list(AuditRecord.objects.order_by("id")[:3]), 200)
    _count, path = audit_archive.archive()
    with gzip.open(path, "rt") as archived:
        text = archived.read().replace('"outcome": "success"', '"outcome": "failure"', 1)
    with gzip.open(path, "wt") as out:
        out.write(text)
    with pytest.raises(CommandError, match="记录的内容被改动"):
        call_command("audit", "verify", "--archives")


def test_the_keeping_time_cannot_be_set_below_180_days(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from lvzhi.env import env_int
    monkeypatch.setenv("AUDIT_KEEP_DAYS", "30")
    with pytest.raises(ImproperlyConfigured):
        env_int("AUDIT_KEEP_DAYS", 180, minimum=180)


def test_a_pdf_with_peoples_names_is_recorded_too(login, world, since):
    login(world.lin).get(f"/duties/members/{world.lin.memberships.get().pk}/record.pdf")
    row = AuditRecord.objects.get(id__gt=since, action="export")
    assert row.actor == world.lin and row.target.endswith("履职档案.pdf")
