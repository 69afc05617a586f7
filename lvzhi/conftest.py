"""Shared test fixtures: a small world of two levels of bodies and named people.

Each person stands for a role (STYLE.md, habit 7); tests log in by name:
  lin    member of the city body (民盟界别)
  gao    another city member (常委, 经济界)
  qin    city leader (副主席, also a member)
  zhou   city staff, proposal office
  ma     unit handler at the city's 市教育局
  zheng  city body admin
  yuan   city staff with oversight of the district bodies
  pan    Daoli district staff
  dong   Daoli district member
  han    Xiangfang information officer
  wu     Xiangfang district member
  nobody an account with no role anywhere
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache, caches

from lvzhi.core import sms
from lvzhi.core.models import (
    Body,
    Department,
    HandlingUnit,
    Member,
    Party,
    Position,
    Role,
    RoleKind,
    Sector,
    Session,
    SpecialCommittee,
    Term,
    User,
)

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_cache(settings, tmp_path: Path):
    # Argon2 is checked in test_login; elsewhere a cheap hasher keeps the suite fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # The shared database cache is what runs; tests need no sharing between processes.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                       "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                 "LOCATION": "lvzhi-local"}}
    # Tests do not run collectstatic; the manifest storage would refuse every {% static %}.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.SMS_BACKEND = "lvzhi.core.sms.MemoryBackend"  # sms.outbox, as mail.outbox
    sms.outbox.clear()
    cache.clear()
    caches["local"].clear()  # rolled-back tests reuse ids: a stamp must not outlive its test
    yield
    cache.clear()


@dataclass
class BodyKit:
    body: Body
    term: Term
    session: Session
    sector: Sector
    other_sector: Sector
    committee: SpecialCommittee
    department: Department
    unit: HandlingUnit


def make_body(code: str, name: str, short: str, parent: Body | None = None) -> BodyKit:
    body = Body.objects.create(
        code=code, name=name, short_name=short, parent=parent,
        level=Body.Level.DISTRICT if parent else Body.Level.CITY,
    )
    term = Term.objects.create(body=body, number=14, start_date=datetime.date(2022, 1, 5),
                               end_date=datetime.date(2027, 1, 4), is_current=True)
    session = Session.objects.create(
        body=body, term=term, number=1, start_date=datetime.date(2022, 1, 5),
        end_date=datetime.date(2022, 1, 9), proposal_window_start=datetime.date(2021, 12, 1),
        proposal_window_end=datetime.date(2022, 1, 8))
    return BodyKit(
        body=body, term=term, session=session,
        sector=Sector.objects.create(body=body, name="民盟", kind=Sector.Kind.PARTY),
        other_sector=Sector.objects.create(body=body, name="经济界", order=1),
        committee=SpecialCommittee.objects.create(body=body, name="提案委员会"),
        department=Department.objects.create(body=body, name="提案委员会办公室"),
        unit=HandlingUnit.objects.create(body=body, name=f"{short}教育局"),
    )


def make_person(username: str, name: str, mobile: str | None = None) -> User:
    user = User(username=username, full_name=name, mobile=mobile)
    user.set_password(PASSWORD)
    user.save()
    return user


def seat(user: User, kit: BodyKit, position: str = Position.MEMBER,
         sector: Sector | None = None) -> Member:
    member = Member.objects.create(user=user, body=kit.body, term=kit.term, position=position,
                                   sector=sector or kit.sector, party=Party.CDL,
                                   employer="哈尔滨市第三中学", job_title="教师")
    member.committees.add(kit.committee)
    return member


def role(user: User, kit: BodyKit, kind: str, **fields) -> Role:
    return Role.objects.create(user=user, body=kit.body, kind=kind, **fields)


@dataclass
class World:
    city: BodyKit
    daoli: BodyKit
    xiangfang: BodyKit
    lin: User
    gao: User
    qin: User
    zhou: User
    ma: User
    zheng: User
    yuan: User
    pan: User
    dong: User
    han: User
    wu: User
    shen: User
    shi: User
    nobody: User


@pytest.fixture
def world(db) -> World:
    city = make_body("harbin", "中国人民政治协商会议哈尔滨市委员会", "市政协")
    daoli = make_body("daoli", "政协哈尔滨市道里区委员会", "道里区政协", parent=city.body)
    xiangfang = make_body("xiangfang", "政协哈尔滨市香坊区委员会", "香坊区政协",
                          parent=city.body)
    w = World(
        city=city, daoli=daoli, xiangfang=xiangfang,
        lin=make_person("lin", "林晓岚", "13900001001"),
        gao=make_person("gao", "高振东", "13900001002"),
        qin=make_person("qin", "秦文远", "13900001003"),
        zhou=make_person("zhou", "周雅静", "13900002001"),
        ma=make_person("ma", "马晨阳", "13900003001"),
        zheng=make_person("zheng", "郑宏伟", "13900007001"),
        yuan=make_person("yuan", "袁国庆", "13900005001"),
        pan=make_person("pan", "潘玉兰", "13900006001"),
        dong=make_person("dong", "董建国", "13900006002"),
        han=make_person("han", "韩秀英", "13900004001"),
        wu=make_person("wu", "吴思远", "13900004002"),
        shen=make_person("shen", "沈立诚", "13900007002"),
        shi=make_person("shi", "石慧敏", "13900007003"),
        nobody=make_person("nobody", "路人甲", "13900009001"),
    )
    seat(w.lin, city)
    seat(w.gao, city, Position.STANDING, sector=city.other_sector)
    seat(w.qin, city, Position.VICE_CHAIR)
    role(w.qin, city, RoleKind.LEADER)
    role(w.zhou, city, RoleKind.STAFF, department=city.department)
    role(w.ma, city, RoleKind.UNIT_HANDLER, handling_unit=city.unit)
    role(w.zheng, city, RoleKind.BODY_ADMIN)
    w.zheng.is_staff = True
    w.zheng.save()
    role(w.shen, city, RoleKind.SECURITY_ADMIN)  # 三员分立: accounts, roles, unlock
    role(w.shi, city, RoleKind.AUDITOR)  # reads the audit log, nothing else
    for admin in (w.shen, w.shi):
        admin.is_staff = admin is w.shen  # the admin site: the auditor has no business there
        admin.save()
    role(w.yuan, city, RoleKind.STAFF, department=city.department)
    role(w.yuan, city, RoleKind.OVERSIGHT)
    role(w.pan, daoli, RoleKind.STAFF, department=daoli.department)
    seat(w.dong, daoli)
    role(w.han, xiangfang, RoleKind.INFO_OFFICER, affiliation="和平路街道")
    seat(w.wu, xiangfang)
    return w


def sign_in(client, user: User) -> None:
    """force_login, and for those who must use a second factor, a session that has given
    it (as the login page leaves it), so tests of other things need not type codes."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lvzhi.core import two_factor

    client.force_login(user)
    fresh = type(user).objects.get(pk=user.pk)  # no roles cached on the test's copy
    if two_factor.required(fresh):
        device = TOTPDevice.objects.filter(user=fresh, confirmed=True).first() or \
            TOTPDevice.objects.create(user=fresh, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that person and returns the client."""

    def _login(user: User):
        sign_in(client, user)
        return client

    return _login


@pytest.fixture
def export_file(django_capture_on_commit_callbacks):
    """Run a page's background export as a person does: POST the 导出 button (the page's
    filters in the query string), the task runs (immediate backend, on commit), open the
    export's page, download. Returns the download, or the refusal if there was one."""

    def run(client, url: str, params: dict | None = None):
        from urllib.parse import urlencode

        target = f"{url}?{urlencode(params, doseq=True)}" if params else url
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(target)
        if started.status_code != 302:
            return started
        page = client.get(started.url)
        assert page.status_code == 200, page.status_code
        download = client.get(started.url + "download/")
        if not getattr(download, "streaming", False):
            return download
        from django.http import HttpResponse

        whole = HttpResponse(b"".join(download.streaming_content),
                             content_type=download["Content-Type"])
        whole["Content-Disposition"] = download["Content-Disposition"]
        return whole
    return run
