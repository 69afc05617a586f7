"""lvzhi init: the first body, term, session and its two administrators, unattended or by
questions; every refusal in Chinese and nothing half-made."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lvzhi.core.models import AuditRecord, Body, Role, RoleKind, Session, Term, User

pytestmark = pytest.mark.django_db

ARGS = ["--no-input", "--code", "suihua", "--name", "中国人民政治协商会议绥化市委员会",
        "--short-name", "市政协", "--term-number", "5", "--term-start", "2022-01-05",
        "--session-number", "5", "--session-start", "2026-01-10",
        "--session-end", "2026-01-14", "--admin-name", "赵明远",
        "--admin-mobile", "13800000001", "--security-name", "钱若兰",
        "--security-mobile", "13800000002"]


def _counts():
    return tuple(m.objects.count() for m in (Body, Term, Session, User, Role))


def test_unattended_first_run_makes_a_working_body(monkeypatch):
    monkeypatch.setenv("LVZHI_INIT_ADMIN_PASSWORD", "Suihua-2026-admin")
    out = io.StringIO()
    call_command("init", *ARGS, stdout=out)
    body = Body.objects.get(code="suihua")
    term = Term.objects.get(body=body)
    assert term.is_current and term.number == 5
    session = Session.objects.get(body=body)
    assert (session.number, str(session.start_date)) == (5, "2026-01-10")
    assert session.proposal_window_start < session.start_date
    admin = User.objects.get(mobile="13800000001")
    security = User.objects.get(mobile="13800000002")
    assert admin.check_password("Suihua-2026-admin") and not security.has_usable_password()
    assert {(r.user, r.kind) for r in Role.objects.filter(body=body)} == {
        (admin, RoleKind.BODY_ADMIN), (security, RoleKind.SECURITY_ADMIN)}
    text = out.getvalue()
    assert "已建立" in text and "/password/code/" in text
    assert AuditRecord.objects.filter(action="init", target="suihua").exists()


def test_the_environment_answers_for_options(monkeypatch):
    names = ARGS[1::2]
    values = ARGS[2::2]
    for name, value in zip(names, values, strict=True):
        monkeypatch.setenv("LVZHI_INIT_" + name.lstrip("-").replace("-", "_").upper(), value)
    call_command("init", "--no-input", stdout=io.StringIO())
    assert Body.objects.filter(code="suihua").exists()


@pytest.mark.parametrize("change, message", [
    ({"--security-mobile": "13800000001"}, "两个人"),
    ({"--session-end": "2026-01-01"}, "闭幕日期不能早于"),
    ({"--term-start": "明年"}, "2026-01-10 这样的日期"),
    ({"--term-number": "十五"}, "1 到 99 的数字"),
    ({"--admin-mobile": "12345"}, "11 位数字"),
    ({"--code": "绥化"}, "政协代码"),
])
def test_bad_answers_are_refused_and_nothing_is_made(change, message):
    args = list(ARGS)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    with pytest.raises(CommandError, match=message):
        call_command("init", *args, stdout=io.StringIO())
    assert _counts() == (0, 0, 0, 0, 0)


def test_a_weak_password_is_refused_and_nothing_is_made(monkeypatch):
    monkeypatch.setenv("LVZHI_INIT_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="密码不合要求"):
        call_command("init", *ARGS, stdout=io.StringIO())
    assert _counts() == (0, 0, 0, 0, 0)


def test_missing_answers_without_questions_and_a_second_run_are_refused():
    with pytest.raises(CommandError, match="缺少 --code"):
        call_command("init", "--no-input", stdout=io.StringIO())
    call_command("init", *ARGS, stdout=io.StringIO())
    before = _counts()
    with pytest.raises(CommandError, match="已经初始化过"):
        call_command("init", *ARGS, stdout=io.StringIO())
    assert _counts() == before


def test_questions_are_asked_for_what_is_missing(monkeypatch):
    answers = iter(ARGS[2::2])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: "")
    call_command("init", stdout=io.StringIO())
    assert User.objects.get(mobile="13800000002").full_name == "钱若兰"
