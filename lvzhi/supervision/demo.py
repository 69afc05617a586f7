"""Two of the magazine's kinds of topic — a livelihood "关键小事" topic and a
business-environment topic — with a group, problems in every state, and a member's
micro-supervision report waiting for the office."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lvzhi.core.models import Body, HandlingUnit, Member, User
from lvzhi.supervision import workflow
from lvzhi.supervision.models import Topic


def load() -> None:
    city = Body.objects.get(code="harbin")
    if Topic.objects.filter(body=city).exists():
        return
    office = User.objects.get(username="ducha")
    today = timezone.localdate()
    education = HandlingUnit.objects.get(body=city, name="市教育局")  # the demo's handler
    some = [education, *HandlingUnit.objects.filter(body=city).exclude(pk=education.pk)[:3]]
    livelihood = workflow.create_topic(office, city, {
        "title": "聚焦群众身边“关键小事”开展老旧小区改造民主监督", "form": "专项监督",
        "year": today.year, "units": [u.pk for u in some[:2]],
        "starts_on": datetime.date(today.year, 4, 1), "ends_on": datetime.date(today.year, 11, 30),
        "issuers": "市委办公厅、市政府办公厅"})
    business = workflow.create_topic(office, city, {
        "title": "优化营商环境“办事不求人”民主监督", "form": "联动监督", "year": today.year,
        "units": [u.pk for u in some[2:4]], "issuers": "市纪委监委"})
    members = list(Member.objects.filter(body=city, term__is_current=True)[:6])
    me = Member.objects.get(body=city, user__username="weiyuan")
    workflow.add_to_group(office, livelihood, [members[0]], leader=True)
    workflow.add_to_group(office, livelihood, [me, *members[1:3]])
    workflow.add_to_group(office, business, members[3:6])
    problems = [
        workflow.report_problem(me.user, city, {
            "description": "改造小区周边学校上下学时段交通拥堵，校门口缺少家长接送等候区。",
            "place": "道里区某小学", "unit": some[0].pk}, [], topic=livelihood),
        workflow.report_problem(office, city, {
            "description": "加装电梯审批环节多、周期长，居民意见较大。", "unit": some[1].pk},
            [], topic=livelihood),
        workflow.report_problem(office, city, {
            "description": "企业开办线上线下标准不一，材料重复提交。"}, [], topic=business),
    ]
    due = today + datetime.timedelta(days=45)
    workflow.PROBLEM.perform(problems[0], "accept", office, unit=some[0].pk,
                             due_on=str(due), severity="serious")
    workflow.PROBLEM.perform(problems[0], "mark_party", office, party_ref="市委督办〔2026〕12号",
                             party_on=str(today - datetime.timedelta(days=3)))
    workflow.PROBLEM.perform(problems[1], "accept", office, unit=some[1].pk,
                             due_on=str(due), severity="normal")
    workflow.PROBLEM.perform(problems[2], "decline", office, reason="已由市营商环境局专项整治")
    workflow.report_problem(me.user, city, {
        "description": "公交站台无障碍坡道被占用，轮椅无法通行。", "place": "中央大街附近"}, [])
