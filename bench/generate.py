"""Make a body at realistic scale for the benchmark (not for tests).

A city body and 18 district bodies (from the demo), about 4,000 members, 200 handling
units, 20,000 proposals over five sessions in every state (times BENCH_SCALE), and for the
load run a pool of proposals in each state owned by the bench users. Rows are
bulk-inserted: the point is the shape and volume the pages must handle, not the history of
each row.

    python -m bench.generate        (with DJANGO_SETTINGS_MODULE and a fresh database)
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from lvzhi.core import demo  # noqa: E402
from lvzhi.core.models import (  # noqa: E402
    Body,
    HandlingUnit,
    Member,
    Sector,
    Session,
    SpecialCommittee,
    Term,
    User,
)
from lvzhi.proposals.models import (  # noqa: E402
    Assignment,
    Contact,
    Evaluation,
    NumberCounter,
    Proposal,
    Reply,
)
from lvzhi.proposals.services import handling_deadline, rules_for, today  # noqa: E402

RNG = random.Random(7)
# BENCH_SCALE=5 or 10: a province with its cities (10×: 40,000 members, 220,000 proposals,
# 400,000 reports), to show which pages' cost grows with the data (bench/pages.py).
SCALE = int(os.environ.get("BENCH_SCALE", "1"))
MEMBERS = 4000 * SCALE
UNITS = 200
PROPOSALS = 20000 * SCALE
POOL = 400  # proposals per state kept for the load run's writes
S = Proposal.State


def main() -> None:
    started = time.time()
    demo.load(with_apps=False)
    city = Body.objects.get(code="harbin")
    if Proposal.objects.filter(body=city).count() > 1000:
        print("bench data already present")
        return
    with transaction.atomic():
        sessions = _sessions(city)
        units = _units(city)
        members = _members(city)
        _proposals(city, sessions, units, members)
        _pool(city, sessions[-1], units)
        _opinions(city)
    # What PostgreSQL's autovacuum does minutes after a bulk load, and what lvzhi does
    # after its own (core.demo.analyze; `PRAGMA optimize` as SQLite connections close):
    # measuring before it would time plans made without statistics.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sessions_for_clients()
    print(f"generated in {time.time() - started:.0f} s: "
          f"{Member.objects.count()} members, {HandlingUnit.objects.count()} units, "
          f"{Proposal.objects.count()} proposals, {Assignment.objects.count()} assignments")


def _sessions(city: Body) -> list[Session]:
    term = Term.objects.get(body=city, is_current=True)
    for n in range(1, 6):
        year = 2021 + n
        Session.objects.update_or_create(body=city, term=term, number=n, defaults={
            "start_date": datetime.date(year, 1, 8), "end_date": datetime.date(year, 1, 12),
            "proposal_window_start": datetime.date(year - 1, 12, 1),
            "proposal_window_end": datetime.date(year, 1, 11)})
    return list(Session.objects.filter(body=city, term=term).order_by("number"))


def _units(city: Body) -> list[HandlingUnit]:
    have = HandlingUnit.objects.filter(body=city).count()
    HandlingUnit.objects.bulk_create(HandlingUnit(body=city, name=f"市直单位{i:03d}", order=i)
                                     for i in range(have, UNITS))
    return list(HandlingUnit.objects.filter(body=city))


def _members(city: Body) -> list[Member]:
    term = Term.objects.get(body=city, is_current=True)
    have = Member.objects.filter(body=city).count()
    sectors = list(Sector.objects.filter(body=city))
    users = User.objects.bulk_create(
        User(username=f"bench{i}", full_name=f"委员{i:04d}", mobile=f"138{i:08d}",
             password="!unusable") for i in range(MEMBERS - have))
    seats = [Member(body=city, term=term, user=u, sector=RNG.choice(sectors), party="none",
                    employer="某单位") for u in users]
    for seat in seats:  # bulk_create skips save(), which keeps the directory's order
        seat.directory_key = seat.sort_key()
    Member.objects.bulk_create(seats)
    committees = list(SpecialCommittee.objects.filter(body=city))
    through = Member.committees.through
    through.objects.bulk_create(
        through(member_id=m.pk, specialcommittee_id=RNG.choice(committees).pk)
        for m in Member.objects.filter(body=city, user__in=users))
    return list(Member.objects.filter(body=city))


STATES = [S.SUBMITTED, S.RETURNED, S.WITHDRAWN, S.REJECTED, S.MERGED, S.CONVERTED, S.FILED,
          S.HANDLING, S.EVALUATING, S.CLOSED, S.CLOSED, S.CLOSED, S.CLOSED, S.HANDLING]


# What proposals and reports are about, so search and similar texts have something real to
# tell apart: a topic's words appear in its texts, filler makes up the usual length.
TOPICS = [
    ("社区居家养老服务", "老年人口比重上升，社区养老服务站和助餐点不足，护理人员短缺。"),
    ("冰雪经济发展", "冰雪资源丰富但产业链短，冰雪装备制造和冰雪旅游有待培育。"),
    ("老旧小区改造", "老旧小区管网老化，缺少电梯和停车位，雨污分流改造滞后。"),
    ("优化营商环境", "审批环节多、办事周期长，企业反映涉企检查频繁。"),
    ("职业教育", "职业院校专业设置与产业需求脱节，实训基地不足。"),
    ("城市绿化", "城市公共绿地分布不均，口袋公园少，绿地养护投入不足。"),
    ("中小学课后服务", "课后服务时段短、内容单一，家长接送困难。"),
    ("黑土地保护", "黑土层变薄，秸秆还田和保护性耕作推广不够。"),
    ("数字政府建设", "政务数据共享不畅，一网通办覆盖面不够。"),
    ("食品安全监管", "小餐饮和网络订餐监管薄弱，抽检覆盖率偏低。"),
    ("公共交通", "公交线网与地铁衔接不畅，早晚高峰拥挤。"),
    ("医疗资源下沉", "基层医疗机构人才缺乏，医共体建设推进慢。"),
    ("文化旅游融合", "历史建筑活化利用不足，中央大街等街区业态单一。"),
    ("托育服务", "普惠托育机构少，收费偏高，婴幼儿照护人员不足。"),
    ("垃圾分类", "居民分类意识不强，分类运输和处理设施不配套。"),
    ("民营经济", "民营企业融资难融资贵，账款拖欠问题突出。"),
    ("乡村振兴", "农村人居环境整治不平衡，特色产业带动能力弱。"),
    ("无障碍环境建设", "盲道被占用，公共建筑无障碍设施不完善。"),
    ("科技成果转化", "高校科研成果本地转化率低，中试平台缺乏。"),
    ("防汛排涝", "城市内涝点多，排水管网标准偏低。"),
]


def _topic(i: int) -> tuple[str, str]:
    return TOPICS[i % len(TOPICS)]


def _unit_for(i: int, units: list[HandlingUnit]) -> HandlingUnit:
    """Who handles a proposal depends on its topic, as in life: each topic has three usual
    units (60 / 25 / 15 %), and one proposal in ten goes to any unit at all."""
    if RNG.random() < 0.1:
        return RNG.choice(units)
    start = (i % len(TOPICS)) * 7
    return RNG.choices([units[(start + k) % len(units)] for k in range(3)], [60, 25, 15])[0]


def _proposals(city, sessions, units, members) -> None:
    rules = rules_for(city)
    rows = []
    for i in range(PROPOSALS):
        session = sessions[i % len(sessions)]
        state = RNG.choice(STATES)
        submitted = datetime.datetime.combine(session.start_date, datetime.time(9),
                                              tzinfo=datetime.UTC)
        rows.append(Proposal(
            body=city, session=session, timing=RNG.choice(["congress", "interim"]),
            proposer=RNG.choice(members), state=state, title=f"关于{_topic(i)[0]}的建议（{i}）",
            situation=_topic(i)[1] + RNG.choice(TOPICS)[1] + "情况说明。" * 25,
            suggestions=f"建议加强{_topic(i)[0]}工作。" + "具体建议。" * 25,
            category=RNG.choice(Proposal.Category.values), submitted_at=submitted,
            is_key=RNG.random() < 0.02, is_excellent=RNG.random() < 0.03))
    Proposal.objects.bulk_create(rows, batch_size=2000)
    _number(Proposal.objects.filter(
        body=city, state__in=[S.FILED, S.HANDLING, S.EVALUATING, S.CLOSED]).order_by("id"))
    _handled(city, units, rules)


def _number(numbered) -> None:
    batch, seen = [], {}
    for p in numbered.only("pk", "session_id", "timing"):
        key = (p.session_id, p.timing)
        seen[key] = seen.get(key, 0) + 1
        p.number = seen[key]
        batch.append(p)
    Proposal.objects.bulk_update(batch, ["number"], batch_size=2000)
    NumberCounter.objects.bulk_create(NumberCounter(session_id=s, timing=t, last=n)
                                      for (s, t), n in seen.items())


def _handled(city, units, rules) -> None:
    assignments, replies, evaluations = [], [], []
    handled = Proposal.objects.filter(body=city, state__in=[S.HANDLING, S.EVALUATING, S.CLOSED])
    topic_of = {topic: i for i, (topic, _text) in enumerate(TOPICS)}
    for p in handled.select_related("session"):
        on = p.session.start_date + datetime.timedelta(days=20)
        state = Assignment.State.HANDLING if p.state == S.HANDLING else Assignment.State.ACCEPTED
        topic = topic_of[p.title.removeprefix("关于").split("的建议")[0]]
        assignments.append(Assignment(
            body=city, proposal=p, unit=_unit_for(topic, units), role="single", state=state,
            assigned_on=on, deadline=handling_deadline(rules, on, "single"),
            replied_on=None if state == "handling" else on + datetime.timedelta(days=60)))
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    owner = User.objects.get(username="tianban")
    for a in Assignment.objects.filter(body=city, state=Assignment.State.ACCEPTED):
        replies.append(Reply(body=city, assignment=a, round=1, category=RNG.choice("AABC"),
                             text="答复内容。" * 20, state=Reply.State.ACCEPTED,
                             submitted_by=owner))
    Reply.objects.bulk_create(replies, batch_size=2000)
    for p in Proposal.objects.filter(body=city, state=S.CLOSED).only("pk", "proposer_id"):
        evaluations.append(Evaluation(body=city, proposal=p, member_id=p.proposer_id, round=1,
                                      rating=RNG.choice(["satisfied", "basic", "satisfied",
                                                         "unsatisfied"])))
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)


def _pool(city: Body, session: Session, units: list[HandlingUnit]) -> None:
    """Proposals for the load run: drafts and evaluations owned by the bench member,
    submitted and filed ones for the office, handling ones at the bench handler's unit."""
    member = Member.objects.get(user__username="weiyuan", body=city)
    unit = HandlingUnit.objects.get(body=city, name="市教育局")
    rules = rules_for(city)
    on = today()
    handler = User.objects.get(username="chengban")
    for state in (S.DRAFT, S.SUBMITTED, S.FILED, S.HANDLING, S.EVALUATING):
        rows = Proposal.objects.bulk_create(Proposal(
            body=city, session=session, timing="interim", proposer=member, state=state,
            title=f"压测提案{state}{i}", situation="情况。" * 50, suggestions="建议。" * 50,
            category="society") for i in range(POOL))
        if state in (S.HANDLING, S.EVALUATING):
            assigned = Assignment.objects.bulk_create(Assignment(
                body=city, proposal=p, unit=unit, role="single", assigned_on=on,
                deadline=handling_deadline(rules, on, "single"),
                state="handling" if state == S.HANDLING else "accepted") for p in rows)
            Contact.objects.bulk_create(Contact(body=city, assignment=a, way="phone", date=on,
                                                summary="沟通", recorded_by=handler)
                                        for a in assigned)
        if state == S.EVALUATING:
            Proposal.objects.filter(pk__in=[p.pk for p in rows]).update(
                evaluation_deadline=on + datetime.timedelta(days=30))


OPINIONS = 40000 * SCALE


def _opinions(city: Body) -> None:
    """40,000 reports over five years from the city's members, in every state, plus a pool
    of drafts (for submit) and submitted reports (for adopt) owned by the bench users."""
    from lvzhi.opinions.models import Report

    members = list(Member.objects.filter(body=city).select_related("user")[:3000])
    states = [Report.State.SUBMITTED, Report.State.NOT_ADOPTED, Report.State.KEPT,
              Report.State.ADOPTED, Report.State.PUBLISHED, Report.State.ADOPTED]
    rows = []
    for i in range(OPINIONS):
        member = RNG.choice(members)
        when = datetime.datetime(2022 + i % 5, 1 + i % 12, 1 + i % 28, 9, tzinfo=datetime.UTC)
        state = RNG.choice(states)
        rows.append(Report(
            body=city, reporter=member.user, member=member, affiliation=member.employer,
            state=state, title=f"关于{_topic(i)[0]}问题的反映（{i}）",
            situation=_topic(i)[1] + "情况。" * 90,
            suggestions="建议。" * 60, category=RNG.choice(Report.Category.values),
            submitted_at=when, adopted_as="single" if state in ("adopted", "published") else ""))
    Report.objects.bulk_create(rows, batch_size=2000)
    lin = Member.objects.get(user__username="weiyuan", body=city)
    for state in (Report.State.DRAFT, Report.State.SUBMITTED):
        Report.objects.bulk_create(Report(
            body=city, reporter=lin.user, member=lin, affiliation=lin.employer, state=state,
            title=f"压测信息{state}{i}", situation="情况。" * 100, suggestions="建议。" * 60,
            category="urban", submitted_at=None if state == "draft" else
            datetime.datetime.now(datetime.UTC)) for i in range(POOL))


def sessions_for_clients() -> None:
    """Log the bench users in once; the load run sends these session cookies."""
    path = os.environ.get("BENCH_SESSIONS", str(settings.VAR_DIR / "sessions.txt"))
    with open(path, "w") as out:
        for username in ("weiyuan", "tianban", "chengban", "yanjiu", "ducha"):
            user = User.objects.get(username=username)
            store = SessionStore()
            store["_auth_user_id"] = str(user.pk)
            store["_auth_user_backend"] = "lvzhi.core.auth.UsernameOrMobileBackend"
            store["_auth_user_hash"] = user.get_session_auth_hash()
            store.set_expiry(24 * 3600)
            store.save()
            out.write(f"{username} {store.session_key}\n")


if __name__ == "__main__":
    sys.exit(main())
