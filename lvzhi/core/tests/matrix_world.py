"""The objects the authorization matrix is walked against (test_authorization_matrix)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.activities import workflow as activities
from lvzhi.activities.models import AnnualPlan
from lvzhi.activities.tests.conftest import make_activity
from lvzhi.api.models import ApiToken
from lvzhi.core.attachments import attach
from lvzhi.core.models import HandlingUnit, Member, Notification
from lvzhi.opinions.models import Report
from lvzhi.opinions.tests.conftest import REPORT
from lvzhi.opinions.workflow import perform as report_action
from lvzhi.opinions.workflow import publish_issue
from lvzhi.opinions.workflow import save_draft as save_report
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import perform, save_draft

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Objects:
    own: Proposal  # lin's, assigned to ma's unit
    draft: Proposal  # lin's draft, gao invited to co-sign
    same_body: Proposal  # gao's, assigned to another city unit
    other_body: Proposal  # dong's, Daoli
    report: Report  # lin's, gao co-reporting
    report_draft: Report  # lin's draft, gao co-reporting
    other_report: Report  # wu's, Xiangfang
    activity: object  # city research trip, city members invited
    other_activity: object  # Daoli's
    plan: AnnualPlan
    notification: Notification  # lin's
    reply: object  # the reply to `own`
    token: object  # lin's API token on a phone
    issue: object  # the city's bulletin issue with lin's report
    attachment: object  # a file on `own`
    declaration: object  # lin's declared duty, waiting for the office
    correction: object  # lin's correction request, waiting
    year: object  # the city's evaluation year
    base: object  # a city research base
    expert: object  # a city expert-pool entry (an outside expert)
    task: object  # a city ledger task of zhou's and yuan's department
    checklist: object  # a city checklist assigned to Daoli
    appraisal: object  # the city's appraisal of its districts, at self-assessment
    sheet: object  # Daoli's sheet in it
    topic: object  # the city's supervision topic, lin in its group
    problem: object  # lin's finding on it, waiting for the office
    supervisor: object  # lin, democratic supervisor of ma's unit
    export: object = None  # zhou's finished export of the proposal ledger


def build(world) -> Objects:
    lin, gao, dong = (p.memberships.get() for p in (world.lin, world.gao, world.dong))
    other_unit = HandlingUnit.objects.create(body=world.city.body, name="市住房和城乡建设局")

    def proposal(seat: Member, actor, unit=None, office=world.zhou, **extra) -> Proposal:
        p = save_draft(seat, actor, {**DRAFT, **extra})
        p = perform(p, "submit", actor)
        if unit is not None:
            p = perform(p, "file", office)
            p = perform(p, "assign", office, handling="single", units=[unit.pk])
        return p

    own = proposal(lin, world.lin, world.city.unit)
    perform(own, "record_contact", world.ma, way="phone", date="2022-03-01",
            summary="电话沟通。")
    perform(own, "reply", world.ma, category="A", text="已经解决。")
    reply = own.assignments.get().replies.get()
    draft = save_draft(lin, world.lin, {**DRAFT, "kind": Proposal.Kind.JOINT,
                                        "title": "关于冰雪旅游线路联名草稿的建议",
                                        "cosigners": [gao.pk]})
    same_body = proposal(gao, world.gao, other_unit)
    other_body = proposal(dong, world.dong)

    report = save_report(world.lin, world.city.body, {**REPORT, "co_reporters": [gao.pk]})
    report = report_action(report, "submit", world.lin)
    report_draft = save_report(world.lin, world.city.body,
                               {**REPORT, "co_reporters": [gao.pk]})
    other_report = save_report(world.wu, world.xiangfang.body, dict(REPORT))
    other_report = report_action(other_report, "submit", world.wu)

    report = report_action(report, "adopt", world.zhou)
    issue = publish_issue(world.city.body, world.zhou, [report], world.zhou, world.qin)
    attachment = attach(own, SimpleUploadedFile("附件.pdf", PDF), world.lin)

    activity = make_activity(world)
    activities.send_notice(world.zhou, activity)
    daoli = make_activity(world, members=[dong])
    daoli.body = world.daoli.body
    daoli.save()
    plan = AnnualPlan.objects.create(body=world.city.body, year=2026, title="2026年协商计划")
    return Objects(own=own, draft=draft, same_body=same_body, other_body=other_body,
                   report=report, report_draft=report_draft, other_report=other_report,
                   activity=activity, other_activity=daoli, plan=plan,
                   notification=Notification.objects.filter(recipient=world.lin).first(),
                   reply=reply, issue=issue, attachment=attachment,
                   token=ApiToken.issue(world.lin, "华为手机")[0], export=_export(world),
                   **_duties(world, lin))


def _export(world):
    from django.core.files.base import ContentFile

    from lvzhi.core.models import Export

    export = Export(body=world.city.body, kind="proposals.ledger", requested_by=world.zhou,
                    state=Export.State.DONE, filename="提案台账.xlsx")
    export.file.save("x.xlsx", ContentFile(b"PK"), save=False)
    export.save()
    return export


def _duties(world, seat) -> dict:
    import datetime

    from lvzhi.duties.models import Correction, Declaration
    from lvzhi.duties.services import year_state
    declaration = Declaration.objects.create(
        body=seat.body, member=seat, kind="article", title="发表文章",
        occurred_on=datetime.date(2026, 3, 1))
    from lvzhi.activities.models import ResearchBase
    from lvzhi.duties.models import Expert
    from lvzhi.ledgers.models import Ledger, Task
    ledger = Ledger.objects.create(body=seat.body, year=2026, title="2026年工作任务分解")
    checklist = Ledger.objects.create(body=seat.body, year=2026, title="市县联动清单",
                                      kind="assignment")
    from lvzhi.ledgers.models import DistrictAppraisal, DistrictScore
    appraisal = DistrictAppraisal.objects.create(body=seat.body, year=2026, title="区县考核",
                                                 items=[{"code": "i1", "label": "自身建设",
                                                         "points": 100, "figure": "",
                                                         "target": 0}])
    sheet = DistrictScore.objects.create(body=world.daoli.body, appraisal=appraisal)
    DistrictScore.objects.create(body=world.xiangfang.body, appraisal=appraisal)
    from lvzhi.supervision.models import GroupMember, Problem, Topic
    topic = Topic.objects.create(body=seat.body, year=2026, title="老旧小区改造民主监督",
                                 form="专项监督")
    GroupMember.objects.create(body=seat.body, topic=topic, member=seat)
    problem = Problem.objects.create(body=seat.body, topic=topic, description="雨污管网未改造",
                                     reporter=seat, written_by=world.lin)
    import datetime as dt

    from lvzhi.supervision.models import Supervisor
    supervisor = Supervisor.objects.create(body=seat.body, member=seat, unit=world.city.unit,
                                           starts_on=dt.date(2026, 1, 1),
                                           ends_on=dt.date(2027, 12, 31))
    return {"declaration": declaration, "checklist": checklist, "appraisal": appraisal,
            "sheet": sheet, "topic": topic, "problem": problem, "supervisor": supervisor,
            "task": Task.objects.create(body=seat.body, ledger=ledger, number=1,
                                        title="开展冰雪经济专题调研", category="research",
                                        department=world.city.department),
            "expert": Expert.objects.create(body=seat.body, name="王教授", employer="哈工大"),
            "base": ResearchBase.objects.create(body=seat.body, name="哈电集团", kind="enterprise"),
            "correction": Correction.objects.create(body=seat.body, member=seat, year=2026,
                                                    text="漏记一次调研"),
            "year": year_state(seat.body_id, 2026)}
