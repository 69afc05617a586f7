"""The city's task breakdowns: the term's first year (2022) done, and this year's with
progress around today — some reported, some behind, one done, one cancelled."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from lvzhi.core.models import Body, Department, User
from lvzhi.ledgers import appraisal, assign, services, workflow
from lvzhi.ledgers.appraisal_flow import APPRAISAL, SCORE
from lvzhi.ledgers.models import Ledger, Milestone, Task

# (task, category, lead department, leader, cooperating)
PLAN = [
    ("围绕打造先进制造之都开展常委会议专题议政", "meeting", "研究室", "秦文远",
     "经济委员会"),
    ("开展冰雪运动产业发展专题协商", "consultation", "研究室", "秦文远", "市体育局"),
    ("组织居家适老化改造情况视察", "inspection", "办公厅", "秦文远", "市住建局"),
    ("开展城市污水再生利用专题调研", "research", "研究室", "秦文远", "市水务局"),
    ("做好重点提案督办和办理情况通报", "supervision", "提案委员会办公室", "庞志远",
     "各承办单位"),
    ("组织委员开展营商环境民主监督", "supervision", "督查考评办公室", "秦文远",
     "市营商环境局"),
    ("编发社情民意信息专报", "other", "办公厅", "秘书长", "研究室"),
    ("举办政协大讲堂", "meeting", "办公厅", "秘书长", "委员工作室"),
]


def load() -> None:
    city = Body.objects.get(code="harbin")
    # The breakdown, not any ledger: the supervision demo, loaded first, has already made
    # the city's 整改台账 for its rectification items.
    if Ledger.objects.filter(body=city, kind=Ledger.LedgerKind.WORK_PLAN).exists():
        return
    depts = {d.name: d for d in Department.objects.filter(body=city)}
    rules = services.rules_for(city.pk)
    rules.office = depts["督查考评办公室"]
    rules.save()
    today = timezone.localdate()
    _ledger(city, 2022, depts, done=True)
    if today.year != 2022:
        _ledger(city, today.year, depts, done=False)
    _checklist(city, today)
    _appraisals(city, today)


def _checklist(city: Body, today: datetime.date) -> None:
    """This year's city checklist to every district: one item past its deadline, two ahead;
    Daoli has reported, the others not all."""
    office = User.objects.get(username="ducha")
    end = datetime.date(today.year, 12, 31)
    past = max(datetime.date(today.year, 1, 31), today - datetime.timedelta(days=30))
    items = [assign.Item("联合开展冰雪经济专题调研", "research", past),
             assign.Item("报送社情民意信息不少于20篇", "other", end),
             assign.Item("围绕养老服务开展一次协商活动", "consultation", end)]
    checklist = assign.assign(office, city, today.year, f"{today.year}年市县政协联动工作清单",
                              items, list(Body.objects.filter(parent=city)))
    clerk = User.objects.get(username="daoli")
    for task in Task.objects.filter(source__ledger=checklist, body__code="daoli"):
        workflow.perform(task, "report", clerk, text="已按清单要求推进，材料已上传。",
                         figures="完成 1 项")


def _ledger(city: Body, year: int, depts: dict, *, done: bool) -> None:
    ledger = Ledger.objects.create(body=city, year=year,
                                   title=f"市政协{year}年工作任务分解")
    office = User.objects.get(username="ducha")
    writers = {"研究室": "yanjiu", "提案委员会办公室": "tianban", "办公厅": "dudao",
               "督查考评办公室": "ducha"}
    for number, (title, category, dept, leader, cooperating) in enumerate(PLAN, start=1):
        task = Task.objects.create(
            body=city, ledger=ledger, number=number, title=title, category=category,
            department=depts[dept], leader=leader, cooperating=cooperating,
            responsible="相关处室负责人")
        quarters = [datetime.date(year, m, d) for m, d in ((3, 31), (6, 30), (9, 30),
                                                          (12, 15))]
        Milestone.objects.bulk_create(Milestone(task=task, due_on=day, what=what) for day, what
                                      in zip(quarters, ("制定方案", "开展调研或活动",
                                                        "形成成果", "总结报告"), strict=True))
        writer = User.objects.filter(username=writers[dept]).first()
        reported = 4 if done else (number % 4)  # some tasks keep up, some fall behind
        for q in range(reported):
            if writer is None:
                break
            workflow.perform(task, "report", writer,
                             text=f"第{q + 1}季度：已按节点推进，相关材料已报送督查室。",
                             figures=f"召开推进会 {q + 1} 次")
        if done or number == 8:
            workflow.perform(task, "complete", office)
        elif number == 6:
            workflow.perform(task, "cancel", office, reason="并入全市营商环境专项监督统一开展")
        elif number == 3:
            workflow.perform(task, "urge", office, comment="请尽快报送视察方案")


def _appraisals(city: Body, today: datetime.date) -> None:
    """Last year's appraisal of the districts scored, approved and published; this year's
    open for self-assessment, Daoli's submitted."""
    office = User.objects.get(username="ducha")
    last = appraisal.create(office, city, today.year - 1, {
        "scheme": appraisal.DEFAULT_SCHEME, "extra_cap": Decimal(20)})
    APPRAISAL.perform(last, "start_scoring", office)
    for n, sheet in enumerate(last.scores.order_by("body_id")):
        SCORE.perform(sheet, "score", office, extra=str(n % 5 * 2), **{
            f"score_{item['code']}": str(item["points"] * (0.95 - n % 7 * 0.04))
            for item in last.items})
    APPRAISAL.perform(last, "approve", office, meeting="市政协主席会议",
                      approved_on=str(datetime.date(today.year, 1, 20)),
                      document=f"哈政协发〔{today.year}〕3号")
    APPRAISAL.perform(last, "publish", office)
    current = appraisal.create(office, city, today.year, {
        "scheme": appraisal.DEFAULT_SCHEME, "extra_cap": Decimal(20),
        "self_until": datetime.date(today.year, 12, 31)})
    daoli = current.scores.get(body__code="daoli")
    SCORE.perform(daoli, "self_assess", User.objects.get(username="daoli"), self_extra="8",
                  self_note="全年完成市政协交办事项，报送信息被省级采用 3 篇。", **{
                      f"self_{item['code']}": str(item["points"] * 0.9)
                      for item in current.items})
