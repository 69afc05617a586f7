"""Demo data for the duty record: this year's standing for every body (the facts come from
the other apps' demo), last year closed and published, declarations to confirm."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.core.models import Body, Member, User
from lvzhi.duties import services, workflow
from lvzhi.duties.models import Declaration, EvaluationYear, Expert, ExpertiseField

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load() -> None:
    if Declaration.objects.exists():
        return
    services.backfill()
    today = timezone.localdate()
    city = Body.objects.get(code="harbin")
    staff = User.objects.get(username="tianban")
    member = Member.objects.get(user__username="weiyuan", body=city, term__is_current=True)
    _declarations(member, staff, today)
    _close_last_year(city, staff, today.year - 1)
    _expert_pool(city)
    for body_id in Body.objects.values_list("pk", flat=True):
        services.recompute(body_id, services.year_of(body_id, today))


def _declarations(member: Member, staff: User, today: datetime.date) -> None:
    """One confirmed, one waiting for the office."""
    done = workflow.declare(member.user, member, {
        "kind": "article", "title": "在《哈尔滨政协》发表《冰雪经济的几点思考》",
        "occurred_on": today - datetime.timedelta(days=60),
        "description": "围绕冰雪旅游与装备制造协同发展提出三条建议。"},
        [SimpleUploadedFile("文章.pdf", PDF)])
    workflow.DECLARATION.perform(done, "confirm", staff)
    workflow.declare(member.user, member, {
        "kind": "award", "level": "city", "title": "获评市级优秀志愿服务个人",
        "occurred_on": today - datetime.timedelta(days=10)},
        [SimpleUploadedFile("证书.pdf", PDF)])


def _close_last_year(city: Body, staff: User, year: int) -> None:
    """Last year went through every step: corrections, the chairpersons' meeting, published."""
    services.recompute(city.pk, year)
    state = services.year_state(city.pk, year)
    if state.state != EvaluationYear.State.OPEN:
        return
    workflow.YEAR.perform(state, "open_corrections", staff)
    approved = services.rules_for(city.pk, year).cutoff + datetime.timedelta(days=30)
    workflow.YEAR.perform(state, "approve", staff, approved_by="市政协主席会议",
                          approved_on=approved.isoformat(),
                          document_no=f"哈政协办发〔{year + 1}〕3号")
    workflow.YEAR.perform(state, "publish", staff)


FIELDS = ["先进制造", "冰雪经济", "乡村振兴", "生态环保", "医疗卫生", "法律", "教育",
          "文化旅游", "数字经济", "社会治理"]


def _expert_pool(city: Body) -> None:
    """The city's fields of expertise, thirty members in the pool and two outside experts."""
    fields = ExpertiseField.objects.bulk_create(
        ExpertiseField(body=city, name=name, order=i) for i, name in enumerate(FIELDS))
    members = Member.objects.filter(body=city, term__is_current=True).order_by("pk")[:30]
    for i, member in enumerate(members):
        expert = Expert.objects.create(body=city, member=member, available=i % 7 != 6,
                                       profile=f"长期关注{FIELDS[i % 10]}领域，参与多项课题调研。")
        expert.fields.set([fields[i % 10], fields[(i * 3 + 1) % 10]])
    for name, employer, field in (("贺立文", "哈尔滨工业大学教授", 0),
                                  ("蒋雅琴", "东北农业大学研究员", 2)):
        expert = Expert.objects.create(body=city, name=name, employer=employer,
                                       profile=f"{FIELDS[field]}方向特邀专家。")
        expert.fields.set([fields[field]])
