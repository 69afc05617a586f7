"""Loading the demo organisation and people. Idempotent: every row is found by a natural
key and updated, never duplicated, so `lvzhi demo` may run at every start."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lvzhi.core import demo_data as D
from lvzhi.core.models import (
    AuditRecord,
    Body,
    Department,
    HandlingUnit,
    Member,
    Notification,
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

DEMO_PASSWORD = "lvzhi-demo-2022"
# Apps add their demo loaders here in AppConfig.ready(); each runs after the organisation.
LOADERS: list = []
# Loaders that build on what other apps' loaders made, without importing them (an activity
# to which a supervision group is invited through core.groups): run after all of LOADERS.
AFTER: list = []
DISTRICTS_WITH_MEMBERS = ["daoli", "xiangfang", "nangang"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str


def load(*, with_apps: bool = True) -> list[DemoLogin]:
    with transaction.atomic():
        city = _body(*D.CITY, level=Body.Level.CITY, parent=None, order=0)
        districts = {code: _body(code, f"政协哈尔滨市{name}委员会", f"{name}政协",
                                 level=Body.Level.DISTRICT, parent=city, order=i)
                     for i, (code, name) in enumerate(D.DISTRICTS, start=1)}
        for body in [city, *districts.values()]:
            _organise(body)
        rng = random.Random(2022)
        names = _NameSource(rng)
        _members(city, 300, rng, names, mobile_base=13900450000)
        for i, code in enumerate(DISTRICTS_WITH_MEMBERS):
            _members(districts[code], 30, rng, names, mobile_base=13900460000 + i * 100)
        _share_seats(city, districts["daoli"], rng)
        logins = _demo_people(city, districts)
    for loader in [*LOADERS, *AFTER] if with_apps else []:
        loader()
    _accounts_history(city)
    analyze()
    return logins


def analyze() -> None:
    """After a bulk load: the planner's statistics (SQLite keeps none until asked)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _accounts_history(city: Body) -> None:
    """Something for the security staff: letters issued to the first twenty members not
    yet activated, and a morning of sign-ins, a mistyped password, a probe by an unknown
    name, an export — what the auditor reads. Once only."""
    from lvzhi.core import activation, audit

    if AuditRecord.objects.filter(action="login").exists():
        return
    staff = User.objects.get(username="tianban")
    pending = activation.members_for(staff, "pending").filter(body=city).order_by("pk")
    activation.issue(staff, list(pending.values_list("pk", flat=True)[:20]))
    for username in ("weiyuan", "tianban", "chengban", "guanli", "anquan"):
        audit.record(None, "login", actor=User.objects.get(username=username),
                     tried=username)
    audit.record(None, "login_failed", "failure", tried="weiyuan")
    for _ in range(3):
        audit.record(None, "login_failed", "failure", tried="admin1")
    audit.record(None, "export", actor=staff, target="委员名册.xlsx")
    audit.record(None, "access_refused", "refused",
                 actor=User.objects.get(username="daoliweiyuan"),
                 target="proposals:detail:1", detail="GET /proposals/1/")


def _body(code: str, name: str, short: str, *, level: str, parent: Body | None,
          order: int) -> Body:
    body, _ = Body.objects.update_or_create(
        code=code, defaults={"name": name, "short_name": short, "level": level,
                             "parent": parent, "order": order})
    return body


def _organise(body: Body) -> None:
    term, _ = Term.objects.update_or_create(
        body=body, number=14 if body.level == Body.Level.CITY else 16,
        defaults={"start_date": datetime.date(2022, 1, 5),
                  "end_date": datetime.date(2027, 1, 4), "is_current": True})
    # One plenary session a year, from the term's first (2022) to this year's, so the
    # demo has history behind it and a current session.
    for year in range(2022, timezone.localdate().year + 1):
        Session.objects.update_or_create(
            body=body, term=term, number=year - 2021,
            defaults={"start_date": datetime.date(year, 1, 5),
                      "end_date": datetime.date(year, 1, 9),
                      "proposal_window_start": datetime.date(year - 1, 12, 1),
                      "proposal_window_end": datetime.date(year, 1, 8)})
    for model, names in ((SpecialCommittee, D.COMMITTEES), (Department, D.DEPARTMENTS)):
        for i, name in enumerate(names):
            model.objects.update_or_create(body=body, name=name, defaults={"order": i})
    for i, (name, kind) in enumerate(D.SECTORS):
        Sector.objects.update_or_create(body=body, name=name, defaults={"order": i, "kind": kind})
    if body.level == Body.Level.CITY:
        for i, name in enumerate(D.HANDLING_UNITS):
            HandlingUnit.objects.update_or_create(body=body, name=name, defaults={"order": i})
    else:
        district = body.short_name.removesuffix("政协")
        for i, name in enumerate(["发展和改革局", "教育局", "住房和城乡建设局", "卫生健康局",
                                  "民政局", "城市管理局"]):
            HandlingUnit.objects.update_or_create(body=body, name=f"{district}{name}",
                                                  defaults={"order": i})


class _NameSource:
    """Invented names, unique across the demo, the same on every run (seeded)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def next(self) -> str:
        while True:
            given = "".join(self.rng.sample(D.GIVEN, self.rng.choice([1, 2, 2])))
            name = self.rng.choice(D.SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name


def _members(body: Body, count: int, rng: random.Random, names: _NameSource,
             mobile_base: int) -> None:
    term = Term.objects.get(body=body, is_current=True)
    sectors = list(Sector.objects.filter(body=body))
    committees = list(SpecialCommittee.objects.filter(body=body))
    positions = [Position.STANDING] * 2 + [Position.MEMBER] * 10
    for i in range(count):
        name = names.next()
        mobile = str(mobile_base + i)
        user = _person(mobile, name, mobile, rng)
        sector = sectors[i % len(sectors)]
        party = D.SECTOR_PARTY.get(sector.name) or rng.choice(
            [Party.CPC, Party.NONE, Party.MASSES, Party.CPC])
        member, _ = Member.objects.update_or_create(
            user=user, term=term,
            defaults={"body": body, "sector": sector, "party": party,
                      "position": rng.choice(positions), "employer": rng.choice(D.EMPLOYERS),
                      "job_title": rng.choice(D.JOB_TITLES)})
        member.committees.set(rng.sample(committees, rng.choice([0, 1, 1, 2])))


def _person(username: str, name: str, mobile: str | None, rng: random.Random | None = None,
            password: str | None = None) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.full_name = name
    user.mobile = mobile
    if rng is not None:
        user.gender = rng.choice(["male", "female"])
        user.ethnicity = rng.choice(D.ETHNICITIES)
    if password and not user.check_password(password):
        user.set_password(password)
    elif not password and not user.password:
        user.set_unusable_password()
    user.save()
    return user


def _share_seats(city: Body, district: Body, rng: random.Random) -> None:
    """A few city members also sit on the Daoli district body, as real members do."""
    term = Term.objects.get(body=district, is_current=True)
    sectors = list(Sector.objects.filter(body=district))
    for member in Member.objects.filter(body=city).order_by("id")[:5]:
        Member.objects.get_or_create(
            user=member.user, term=term,
            defaults={"body": district, "sector": rng.choice(sectors), "party": member.party,
                      "employer": member.employer, "job_title": member.job_title})


def _demo_people(city: Body, districts: dict[str, Body]) -> list[DemoLogin]:
    """One login per role; all share DEMO_PASSWORD."""
    daoli, xiangfang = districts["daoli"], districts["xiangfang"]
    dept = {d.name: d for d in Department.objects.filter(body=city)}
    logins = []

    def person(username: str, name: str, mobile: str, role: str) -> User:
        logins.append(DemoLogin(username, role, name))
        return _person(username, name, mobile, password=DEMO_PASSWORD)

    member = person("weiyuan", "林晓岚", "13900001001", "委员（市政协，民盟界别）")
    _seat(member, city, "民盟", Position.MEMBER, Party.CDL, ["教科卫体委员会"],
          "哈尔滨市第三中学", "高级教师")
    cosigner = person("weiyuan2", "高振东", "13900001002", "委员（市政协，经济界）")
    _seat(cosigner, city, "经济界", Position.STANDING, Party.NONE, ["经济委员会"],
          "哈尔滨电机厂有限责任公司", "高级工程师")
    _role(cosigner, city, RoleKind.COLLECTIVE, affiliation="经济界")  # the sector's convener
    leader = person("lingdao", "秦文远", "13900001003", "领导（市政协副主席）")
    _seat(leader, city, "中国共产党", Position.VICE_CHAIR, Party.CPC, ["提案委员会"],
          "市政协", "副主席")
    _role(leader, city, RoleKind.LEADER, title="副主席")
    for username, name, mobile, department in (
            ("tianban", "周雅静", "13900002001", "提案委员会办公室"),
            ("yanjiu", "孙立新", "13900002002", "研究室"),
            ("ducha", "何春雨", "13900002003", "督查考评办公室")):
        staff = person(username, name, mobile, f"机关干部（市政协{department}）")
        _role(staff, city, RoleKind.STAFF, department=dept[department])
    handler = person("chengban", "马晨阳", "13900003001", "承办单位经办人（市教育局）")
    _role(handler, city, RoleKind.UNIT_HANDLER,
          handling_unit=HandlingUnit.objects.get(body=city, name="市教育局"))
    officer = person("xinxiyuan", "韩秀英", "13900004001", "信息员（香坊区政协）")
    _role(officer, xiangfang, RoleKind.INFO_OFFICER, affiliation="香坊区和平路街道")
    overseer = person("dudao", "袁国庆", "13900005001", "市政协督导区县（办公厅）")
    _role(overseer, city, RoleKind.STAFF, department=dept["办公厅"])
    _role(overseer, city, RoleKind.OVERSIGHT)
    district_staff = person("daoli", "潘玉兰", "13900006001", "机关干部（道里区政协）")
    _role(district_staff, daoli, RoleKind.STAFF,
          department=Department.objects.get(body=daoli, name="办公厅"))
    admin = person("guanli", "郑宏伟", "13900007001", "系统管理员（市政协）")
    _role(admin, city, RoleKind.BODY_ADMIN)
    if not admin.is_staff:
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
    # 三员分立: accounts and the audit log each have their own administrator.
    security = person("anquan", "沈立诚", "13900007002", "安全管理员（市政协，账号与角色）")
    _role(security, city, RoleKind.SECURITY_ADMIN)
    if not security.is_staff:
        security.is_staff = True
        security.save(update_fields=["is_staff"])
    auditor = person("shenji", "石慧敏", "13900007003", "安全审计员（市政协，只读审计日志）")
    _role(auditor, city, RoleKind.AUDITOR)
    if settings.DEBUG:  # a superuser with a published password: a developer's machine only
        root = person("admin", "平台管理员", "13900009999", "超级管理员（仅开发环境）")
        if not root.is_superuser:
            root.is_superuser = root.is_staff = True
            root.save(update_fields=["is_superuser", "is_staff"])
    # Leave is approved by the chair (plenary, standing committee) or the secretary-general.
    for username, name, mobile, position, title in (
            ("zhuxi", "庞志远", "13900001010", Position.CHAIR, "主席"),
            ("mishuzhang", "邵立华", "13900001011", Position.SECRETARY_GENERAL, "秘书长")):
        user = person(username, name, mobile, f"领导（市政协{title}，审批请假）")
        _seat(user, city, "中国共产党", position, Party.CPC, [], "市政协", title)
        _role(user, city, RoleKind.LEADER, title=title)
    district_member = person("daoliweiyuan", "董建国", "13900006002", "委员（道里区政协）")
    _seat(district_member, daoli, "民盟", Position.MEMBER, Party.CDL, [],
          "道里区实验小学", "校长")
    _more_people(city, xiangfang)
    _welcome(city, [member, cosigner, leader, handler, admin])
    _welcome(xiangfang, [officer])
    return logins


def _more_people(city: Body, xiangfang: Body) -> None:
    """The rest of the cast, without demo logins: more handlers, officers and leaders."""
    units = ["市发展和改革委员会", "市住房和城乡建设局", "市卫生健康委员会", "市交通运输局",
             "市生态环境局", "市城市管理局"]
    for i, unit in enumerate(units):
        user = _person(f"unit{i + 1}", D.HANDLER_NAMES[i], f"1390000310{i}")
        _role(user, city, RoleKind.UNIT_HANDLER,
              handling_unit=HandlingUnit.objects.get(body=city, name=unit))
    for i, street in enumerate(D.XIANGFANG_STREETS):
        user = _person(f"xfxx{i + 1}", D.OFFICER_NAMES[i], f"1390000410{i}")
        _role(user, xiangfang, RoleKind.INFO_OFFICER, affiliation=street)


def _seat(user: User, body: Body, sector: str, position: str, party: str,
          committees: list[str], employer: str, job_title: str) -> Member:
    member, _ = Member.objects.update_or_create(
        user=user, term=Term.objects.get(body=body, is_current=True),
        defaults={"body": body, "sector": Sector.objects.get(body=body, name=sector),
                  "position": position, "party": party, "employer": employer,
                  "job_title": job_title})
    member.committees.set(SpecialCommittee.objects.filter(body=body, name__in=committees))
    return member


def _role(user: User, body: Body, kind: str, **fields) -> Role:
    role, _ = Role.objects.update_or_create(user=user, body=body, kind=kind, defaults=fields)
    return role


def _welcome(body: Body, users: list[User]) -> None:
    for user in users:
        Notification.objects.get_or_create(
            recipient=user, title="欢迎使用政协履职平台",
            defaults={"body": body, "text": "请先在“个人信息”中核对您的身份和联系方式，"
                      "如有错误请联系机关干部更正。", "url": "/profile/"})
