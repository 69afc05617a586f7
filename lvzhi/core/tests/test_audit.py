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
