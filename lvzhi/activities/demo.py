"""The city's plans — the term's first year (2022, topics from the magazine) as history and
this year's — and activities around today: past ones with attendance, outcomes and feedback,
upcoming ones with registrations and leave waiting for approval, an online lecture, and one
of Daoli's own."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lvzhi.activities import workflow
from lvzhi.activities.models import (
    Activity,
    AnnualPlan,
    GroupInvitation,
    Invitation,
    Kind,
    PlanItem,
    ResearchBase,
)
from lvzhi.core import groups
from lvzhi.core.models import Body, Member, SpecialCommittee, User
from lvzhi.duties.services import results_held

STANDING = [("抢抓冬奥黄金机遇期，助推我市冰雪运动产业快速发展", 6),
            ("打造先进制造之都", 9)]
TOPICS = ["持续优化营商环境助推我市全面振兴发展", "做好精准防控降低疫情对经济发展和民生保障的冲击",
          "推进立体化信息化社会治安防控体系建设", "完善社会救助体系", "打造世界“音乐之都”城市品牌",
          "城市公共绿地建设和保护", "推动少数民族乡村振兴", "巩固脱贫人口增收措施"]
RESEARCH = ["抢抓核小堆综合应用战略机遇，大力发展核小堆高端装备制造产业",
            "建立健全机关法律顾问和公职律师制度工作", "我市高雅艺术团体及演出场馆的现状和发展前景",
            "提高城市污水再生利用水平", "实施高标准农田建设", "发挥港澳委员“双重积极作用”",
            "我市民营经济高质量发展"]
INSPECTIONS = ["大力发展职业教育，培养高素质产业大军", "居家适老化改造建设情况", "加快城市绿化建设",
               "推动城市路网建设发展", "大力发展森林生态旅游", "助推基层河湖长规范履职",
               "市级储备粮管理情况"]


def load() -> None:
    city = Body.objects.get(code="harbin")
    if AnnualPlan.objects.filter(body=city).exists():
        return
    # Each closed activity records facts for every invited member: their results are
    # worked out once at the end, not after every activity.
    with results_held():
        _load(city)


def _load(city: Body) -> None:
    year = timezone.localdate().year
    _plan(city, 2022)  # the term's first year, with the magazine's topics, as history
    plan = _plan(city, year) if year != 2022 else AnnualPlan.objects.get(body=city, year=year)
    staff = User.objects.get(username="tianban")
    members = list(Member.objects.filter(body=city, term__is_current=True)[:60])
    me = Member.objects.get(body=city, user__username="weiyuan")
    members = [me, *[m for m in members if m.pk != me.pk]]
    now = timezone.now()
    snow = PlanItem.objects.get(plan=plan, topic=STANDING[0][0])
    past = _activity(staff, city, snow, Kind.TOPIC_CONSULTATION, "冰雪运动产业发展专题协商会",
                     now - datetime.timedelta(days=20), members)
    _attend(past, members)
    workflow.close_attendance(staff, past)
    PlanItem.objects.filter(pk=snow.pk).update(status=PlanItem.Status.DONE)
    outcome = workflow.add_outcome(staff, past, {
        "kind": "opinion", "title": "关于助推冰雪运动产业快速发展的协商意见",
        "text": "建议完善冰雪场地布局，培育冰雪装备制造，办好群众性冰雪赛事。",
        "recipients": "市委、市政府"}, members[:3])
    workflow.add_feedback(staff, outcome, {"kind": "instruction", "level": "市级",
                                           "text": "请体育局会同有关部门研究落实。",
                                           "date": timezone.localdate() - datetime.timedelta(5)})
    upcoming = _activity(staff, city, PlanItem.objects.get(plan=plan, topic=RESEARCH[3]),
                         Kind.RESEARCH, "城市污水再生利用专题调研",
                         now + datetime.timedelta(days=6), members[:20], capacity=15)
    workflow.register(members[1].user, upcoming)
    # Leave waiting for the secretary-general (a research trip) and the chair (常委会议).
    workflow.ask_leave(members[2].user, upcoming, "同期参加单位年度考核，无法出行。")
    standing = [m for m in Member.objects.filter(body=city, term__is_current=True)
                if m.position != "member"][:30]
    meeting = _activity(staff, city, None, Kind.STANDING,
                        f"市政协十四届常委会第{year - 2016}次会议",
                        now + datetime.timedelta(days=9), standing)
    asker = next(m for m in standing if m.position == "standing")
    workflow.ask_leave(asker.user, meeting, "赴外地参加行业会议。")
    watched = _activity(staff, city, None, Kind.LECTURE, "政协大讲堂：学习全国两会精神",
                        now - datetime.timedelta(days=10), members,
                        link="https://live.example.gov.cn/dajiangtang")
    online = list(watched.invitations.all())[: len(members) * 2 // 3]
    for row in online:
        row.checked_in_at, row.checkin_method = watched.starts_at, "online"
    Invitation.objects.bulk_update(online, ["checked_in_at", "checkin_method"])
    workflow.close_attendance(staff, watched)
    _activity(staff, city, None, Kind.LECTURE, "政协大讲堂：数字经济与城市治理",
              now + datetime.timedelta(days=4), members,
              link="https://live.example.gov.cn/dajiangtang")
    _year_so_far(staff, city, plan, year, now, members)
    _district(Body.objects.get(code="daoli"), now)


def _year_so_far(staff, city, plan, year, now, members) -> None:
    """This year's plenary session for every member, a standing-committee meeting, a
    research trip and an inspection, all closed: the duty record has a year behind it."""
    everyone = list(Member.objects.filter(body=city, term__is_current=True))
    opening = datetime.datetime(year, 1, 8, 9, tzinfo=timezone.get_current_timezone())
    opening = opening if opening < now - datetime.timedelta(days=30) \
        else now - datetime.timedelta(days=30)
    rng = random.Random(year)
    past = [(Kind.PLENARY, f"政协第十四届哈尔滨市委员会第{year - 2021}次会议", opening,
             everyone),
            (Kind.STANDING, f"市政协十四届常委会第{year - 2017}次会议",
             now - datetime.timedelta(days=120),
             [m for m in everyone if m.position != "member"][:30])]
    # Through the year, each member joins some committee meetings and some of the plan's
    # consultations, research trips and inspections: grades come out spread.
    for i, (kind, title) in enumerate([
            *[(Kind.COMMITTEE, f"专委会全体会议（第{n}次）") for n in (1, 2, 3)],
            *[(Kind.TOPIC_CONSULTATION, f"{t}专题协商会") for t in TOPICS[1:4]],
            *[(Kind.RESEARCH, f"{t}专题调研") for t in RESEARCH[4:7]],
            *[(Kind.INSPECTION, f"{t}视察") for t in INSPECTIONS[1:4]]]):
        starts = opening + datetime.timedelta(days=20 + 21 * i)
        if starts < now - datetime.timedelta(days=25):
            past.append((kind, title, starts, rng.sample(everyone, len(everyone) // 2)))
    bases = ResearchBase.objects.bulk_create([
        ResearchBase(body=city, name="哈尔滨电机厂有限责任公司", kind="enterprise",
                     address="哈尔滨市香坊区三大动力路", topics="先进制造、核电装备",
                     contact="刘工", phone="0451-8000001"),
        ResearchBase(body=city, name="阿城区料甸街道东升村", kind="village",
                     address="哈尔滨市阿城区料甸街道", topics="乡村振兴、高标准农田"),
        ResearchBase(body=city, name="道里区安静街道社区", kind="community",
                     address="哈尔滨市道里区安静街", topics="居家适老化改造、社区治理")])
    visit = {Kind.RESEARCH: bases[0], Kind.INSPECTION: bases[2]}
    for kind, title, starts, invited in past:
        a = _activity(staff, city, None, kind, title, starts, invited)
        if kind in visit:
            Activity.objects.filter(pk=a.pk).update(research_base=visit[kind])
        _attend(a, invited)
        workflow.close_attendance(staff, a)


def _plan(city: Body, year: int) -> AnnualPlan:
    plan = AnnualPlan.objects.create(body=city, year=year, title=f"市政协{year}年工作要点")
    committee = SpecialCommittee.objects.filter(body=city, name="经济委员会").first()
    items = [PlanItem(body=city, plan=plan, kind=Kind.STANDING, topic=t, planned_month=m,
                      committee=committee, leader="主席会议成员") for t, m in STANDING]
    items += [PlanItem(body=city, plan=plan, kind=Kind.TOPIC_CONSULTATION, topic=t,
                       planned_month=3 + i) for i, t in enumerate(TOPICS)]
    items += [PlanItem(body=city, plan=plan, kind=Kind.RESEARCH, topic=t, planned_month=4 + i)
              for i, t in enumerate(RESEARCH)]
    items += [PlanItem(body=city, plan=plan, kind=Kind.INSPECTION, topic=t, planned_month=5 + i)
              for i, t in enumerate(INSPECTIONS)]
    items.append(PlanItem(body=city, plan=plan, kind=Kind.RESEARCH,
                          topic="“七大都市”建设专题调研（分两个阶段）", planned_month=5,
                          leader="主席会议成员"))
    PlanItem.objects.bulk_create(items)
    return plan


def _district(daoli: Body, now: datetime.datetime) -> None:
    """Daoli's own inspection, so its staff and members have an activity of their own."""
    staff = User.objects.get(username="daoli")
    members = list(Member.objects.filter(body=daoli, term__is_current=True))
    _activity(staff, daoli, None, Kind.INSPECTION, "道里区老旧小区改造工作视察",
              now + datetime.timedelta(days=8), members)


def _activity(staff, city, item, kind, title, starts, members, capacity=None, link=""):
    a = workflow.create(staff, city, {
        "kind": kind, "title": title, "starts_at": starts, "plan_item": item,
        "place": "" if link else "市政协机关会议室", "online_link": link,
        "organiser": "市政协经济委员会", "capacity": capacity,
        "agenda": "一、通报有关情况；二、委员发言；三、领导讲话。"}, members)
    workflow.send_notice(staff, a)
    # A past activity had its notice in time: date it then (the notice's text already
    # names the activity's own date).
    notified = min(timezone.now(), starts - datetime.timedelta(days=10))
    Activity.objects.filter(pk=a.pk).update(ends_at=starts + datetime.timedelta(hours=3),
                                            notified_at=notified)
    a.refresh_from_db()
    return a


def _attend(a: Activity, members: list[Member]) -> None:
    rows = list(a.invitations.all())
    for i, row in enumerate(rows):
        if i % 10 == 9:
            row.leave, row.leave_reason = Invitation.Leave.APPROVED, "外出学习"
        elif i % 10 != 8:
            row.checked_in_at = a.starts_at - datetime.timedelta(minutes=10)
            row.checkin_method = "qr"
    Invitation.objects.bulk_update(rows, ["leave", "leave_reason", "checked_in_at",
                                          "checkin_method"])


def group_visit() -> None:
    """A site visit next week to which the city's first supervision group (core.groups)
    is invited as one, so its topic's page lists it. Once only."""
    city = Body.objects.get(code="harbin")
    found = groups.choices(city.pk)
    chosen = groups.parse(city.pk, found[0][0]) if found else None
    if chosen is None or GroupInvitation.objects.filter(body=city).exists():
        return
    kind, key, name = chosen
    staff = User.objects.get(username="tianban")
    members = list(Member.objects.filter(pk__in=kind.members(city.pk, key)))
    starts = timezone.now().replace(hour=1, minute=30) + datetime.timedelta(days=6)
    a = workflow.create(staff, city, {
        "kind": Kind.INSPECTION, "title": f"民主监督小组现场视察（{name.split(' ', 1)[-1]}）",
        "starts_at": starts, "place": "道里区群力街道", "organiser": "市政协社会和法制委员会",
        "agenda": "一、实地查看整改现场；二、听取责任单位情况介绍；三、小组成员座谈。"}, [])
    workflow.invite(staff, a, members, [(kind.code, key, name)])
    workflow.send_notice(staff, a)
