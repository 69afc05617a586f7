"""The whole 提、立、办、督 cycle, end to end, as each role does it."""

import datetime

import pytest

from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.core.models import Notification
from lvzhi.core.workdays import WorkCalendar
from lvzhi.duties.models import DutyFact
from lvzhi.proposals.models import Assignment, Cosigner, Evaluation, Proposal, Reply
from lvzhi.proposals.services import today
from lvzhi.proposals.tests.conftest import reload
from lvzhi.proposals.workflow import perform

pytestmark = pytest.mark.django_db(transaction=True)
S = Proposal.State


def facts(user) -> set[str]:
    return set(DutyFact.objects.filter(member__user=user).values_list("kind", flat=True))


def titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_joint_proposal_from_draft_to_closed(world, joint_draft, other_unit):
    lin, gao, zhou, ma, qin = world.lin, world.gao, world.zhou, world.ma, world.qin
    # given a joint draft; when the lead submits, the co-signer is invited
    p = perform(joint_draft, "submit", lin)
    assert p.state == S.SUBMITTED
    assert p.timing == Proposal.Timing.INTERIM  # outside the session's window
    assert "邀请您联名提案" in titles(gao)
    perform(p, "confirm_cosign", gao)
    assert p.cosigners.get().state == Cosigner.State.CONFIRMED
    assert "高振东已确认联名" in titles(lin)

    # the office files it with the first number and assigns 主办 + 会办
    p = perform(p, "file", zhou)
    assert (p.state, p.number, p.number_label) == (S.FILED, 1, "第1号")
    p = perform(p, "assign", zhou, handling="lead", units=[world.city.unit.pk],
                co_units=[other_unit.pk])
    assert p.state == S.HANDLING
    lead = p.assignments.get(role=Assignment.Role.LEAD)
    co = p.assignments.get(role=Assignment.Role.CO)
    assert lead.deadline == WorkCalendar().add_months(today(), 3)
    assert co.deadline == WorkCalendar().add_months(today(), 1)
    assert any(t.startswith("新交办提案") for t in titles(ma))

    # the co-handling unit signs off, the lead unit contacts the proposer and replies
    co_handler = _handler_of(world, other_unit, "co_handler")
    perform(p, "co_opinion", co_handler, opinion="同意主办单位意见，将在老旧小区改造中统筹。")
    perform(p, "record_contact", ma, way="phone", date=today().isoformat(),
            summary="电话沟通了建设安排。")
    perform(p, "reply", ma, category="B", text="已列入明年城市更新计划。",
            commitment="明年六月底前完成首批十个小区。")
    reply = Reply.objects.get()
    # the office accepts it, changing the category; the proposer is asked to evaluate
    p = perform(p, "review_reply", zhou, reply=reply.pk, decision="accept", category="A")
    assert p.state == S.EVALUATING
    assert Reply.objects.get().category == "A"
    assert "您的提案已答复，请评价" in titles(lin)
    assert "您的提案已答复，请评价" in titles(gao)

    # the co-signer's rating is recorded; the lead proposer's closes the proposal
    perform(p, "evaluate", gao, rating="basic", comment="基本满意")
    assert reload(p).state == S.EVALUATING
    p = perform(p, "evaluate", lin, rating="satisfied", comment="答复具体")
    assert p.state == S.CLOSED

    # key and excellent, with the supervising leader's note
    perform(p, "mark_key", zhou, supervisor=qin.pk)
    perform(p, "supervise", qin, text="请持续跟踪首批小区建设。")
    perform(p, "mark_excellent", zhou)
    assert facts(lin) == {"proposal_submitted", "proposal_filed", "proposal_key",
                          "proposal_excellent"}
    assert facts(gao) == {"proposal_cosigned"}
    actions = [e.action for e in history(p)]
    assert actions == ["created", "submit", "confirm_cosign", "file", "assign", "co_opinion",
                       "record_contact", "reply", "review_reply", "evaluate", "evaluate",
                       "mark_key", "supervise", "mark_excellent"]


def _handler_of(world, unit, username):
    from lvzhi.conftest import make_person
    from lvzhi.core.models import Role, RoleKind

    user = make_person(username, "会办经办人")
    Role.objects.create(user=user, body=world.city.body, kind=RoleKind.UNIT_HANDLER,
                        handling_unit=unit)
    return user


def test_unsatisfied_evaluation_sends_it_back_for_rehandling(world, handling):
    p = _replied_and_accepted(world, handling)
    p = perform(p, "evaluate", world.lin, rating="unsatisfied", comment="未解决实际问题")
    assert (p.state, p.round) == (S.HANDLING, 2)
    a = p.assignments.get()
    assert a.state == Assignment.State.HANDLING
    assert a.deadline == WorkCalendar().add_months(today(), 1)
    assert "提案需重新办理" in titles(world.ma)
    # a second reply and evaluation: unsatisfied again leaves it to the office to close
    p = _replied_and_accepted(world, p, contact=False)
    assert Evaluation.objects.filter(round=1).count() == 1
    with pytest.raises(Refusal, match="请写明不满意的原因"):
        perform(p, "evaluate", world.lin, rating="unsatisfied", comment="  ")
    assert not Evaluation.objects.filter(round=2).exists()
    p = perform(p, "evaluate", world.lin, rating="unsatisfied", comment="仍未落实")
    assert p.state == S.EVALUATING
    p = perform(p, "close", world.zhou)
    assert p.state == S.CLOSED


def _replied_and_accepted(world, p, contact=True):
    if contact:
        perform(p, "record_contact", world.ma, way="meeting", date=today(), summary="面谈")
    perform(p, "reply", world.ma, category="A", text="已经解决。")
    reply = Reply.objects.filter(state=Reply.State.PENDING).get()
    return perform(p, "review_reply", world.zhou, reply=reply.pk, decision="accept")


def test_split_units_each_reply_and_evaluation_waits_for_all(world, filed, other_unit):
    p = perform(filed, "assign", world.zhou, handling="split",
                units=[world.city.unit.pk, other_unit.pk])
    other = _handler_of(world, other_unit, "split_handler")
    p = _replied_and_accepted(world, p)
    assert p.state == S.HANDLING  # the other unit has not replied yet
    perform(p, "record_contact", other, way="email", date=today(), summary="邮件")
    perform(p, "reply", other, category="C", text="受条件限制，留作参考。")
    reply = Reply.objects.get(state=Reply.State.PENDING)
    p = perform(p, "review_reply", world.zhou, reply=reply.pk, decision="accept")
    assert p.state == S.EVALUATING


def test_office_sends_a_reply_back(world, handling):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    perform(handling, "reply", world.ma, category="A", text="已解决")
    reply = Reply.objects.get()
    p = perform(handling, "review_reply", world.zhou, reply=reply.pk, decision="send_back",
                comment="答复过于笼统，请补充具体措施。")
    assert p.state == S.HANDLING
    assert p.assignments.get().state == Assignment.State.HANDLING
    assert Reply.objects.get().state == Reply.State.SENT_BACK
    assert "答复被退回，请重新答复" in titles(world.ma)


def test_return_request_approved_then_reassigned(world, handling, other_unit):
    perform(handling, "request_return", world.ma, reason="该事项不属于本单位职责。")
    request = handling.assignments.get().requests.get()
    perform(handling, "decide_request", world.zhou, request=request.pk, approve=True,
            comment="改由住建局办理")
    assert handling.assignments.get().state == Assignment.State.RETURNED
    perform(handling, "add_unit", world.zhou, unit=other_unit.pk, role="single")
    assert handling.assignments.exclude(state="returned").get().unit == other_unit
    assert "申请退回已同意" in titles(world.ma)


def test_extension_approved_moves_the_deadline(world, handling):
    a = handling.assignments.get()
    wanted = a.deadline + datetime.timedelta(days=30)
    perform(handling, "request_extension", world.ma, new_deadline=wanted.isoformat(),
            reason="需要跨部门协调。")
    request = a.requests.get()
    perform(handling, "decide_request", world.zhou, request=request.pk, approve=True)
    a.refresh_from_db()
    assert a.deadline == wanted


@pytest.mark.parametrize(("action", "params", "state"), [
    ("reject", {"ground": "academic", "comment": "属学术探讨"}, S.REJECTED),
    ("convert", {"to": "opinion"}, S.CONVERTED),
    ("return", {"comment": "请补充具体建议"}, S.RETURNED),
])
def test_review_decisions_notify_the_proposer(world, submitted, action, params, state):
    p = perform(submitted, action, world.zhou, **params)
    assert p.state == state
    assert len(titles(world.lin)) == 1


def test_returned_proposal_is_revised_and_resubmitted(world, submitted):
    from lvzhi.proposals.workflow import save_draft

    perform(submitted, "return", world.zhou, comment="请补充具体建议")
    save_draft(world.lin.memberships.get(), world.lin, {"suggestions": "新的具体建议"},
               proposal=submitted)
    p = perform(submitted, "submit", world.lin)
    assert p.state == S.SUBMITTED
    assert p.suggestions == "新的具体建议"


def test_merge_into_a_filed_proposal(world, filed):
    from lvzhi.proposals.tests.conftest import DRAFT
    from lvzhi.proposals.workflow import save_draft

    second = perform(save_draft(world.gao.memberships.get(), world.gao, dict(DRAFT)),
                     "submit", world.gao)
    second = perform(second, "merge", world.zhou, into=filed.pk)
    assert (second.state, second.merged_into) == (S.MERGED, filed)
    assert "您的提案已并案办理" in titles(world.gao)


def test_withdraw_before_filing(world, submitted):
    assert perform(submitted, "withdraw", world.lin).state == S.WITHDRAWN


def test_unconfirmed_cosigner_drops_off_at_filing(world, joint_draft):
    p = perform(joint_draft, "submit", world.lin)
    perform(p, "file", world.zhou)
    assert p.cosigners.get().state == Cosigner.State.DROPPED


def test_follow_up_of_b_category_commitment(world, handling):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    perform(handling, "reply", world.ma, category="B", text="列入计划", commitment="年底前完成")
    reply = Reply.objects.get()
    perform(handling, "review_reply", world.zhou, reply=reply.pk, decision="accept")
    perform(handling, "evaluate", world.lin, rating="satisfied")
    perform(handling, "follow_up_done", world.zhou, reply=reply.pk)
    assert Reply.objects.get().followed_up_on == today()


def test_quality_score_grades(world, filed):
    perform(filed, "score", world.zhou, topic=18, grasp=18, analysis=17, suggestions=17,
            effect=16)
    assert filed.quality.grade == "excellent"
    perform(filed, "score", world.zhou, topic=10, grasp=10, analysis=10, suggestions=10,
            effect=10)
    assert reload(filed).quality.grade == "fair"


def test_a_merged_proposals_proposer_reads_the_reply_and_evaluates(world, client):
    """并案: each proposer still gets the reply (DOMAIN.md) — the page, the API, the letter."""
    from lvzhi.proposals.tests.conftest import DRAFT
    from lvzhi.proposals.workflow import save_draft

    lead = perform(perform(save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT)),
                           "submit", world.lin), "file", world.zhou)
    second = perform(save_draft(world.gao.memberships.get(), world.gao, dict(DRAFT)),
                     "submit", world.gao)
    perform(second, "merge", world.zhou, into=lead.pk)
    perform(lead, "assign", world.zhou, handling="single", units=[world.city.unit.pk])
    p = _replied_and_accepted(world, reload(lead))
    assert "您的提案已答复，请评价" in titles(world.gao)
    reply = Reply.objects.get(assignment__proposal=p)
    client.force_login(world.gao)
    page = client.get(f"/proposals/{p.pk}/")
    assert page.status_code == 200 and "已经解决。" in page.content.decode()
    assert client.get(f"/api/proposals/{p.pk}").status_code == 200
    assert client.get(f"/proposals/replies/{reply.pk}/letter.pdf").status_code == 200
    perform(p, "evaluate", world.gao, rating="satisfied")
    assert reload(p).state == S.EVALUATING  # the lead proposer's rating decides
    assert Evaluation.objects.get(member__user=world.gao).rating == "satisfied"
    assert client.get(f"/proposals/{second.pk}/").status_code == 200
    client.force_login(world.dong)
    assert client.get(f"/proposals/{p.pk}/").status_code == 404


def test_converting_to_an_opinion_report_puts_one_in_the_queue_linked_both_ways(
        world, submitted, client):
    from lvzhi.duties.models import DutyFact
    from lvzhi.opinions.models import Report as OpinionReport
    p = perform(submitted, "convert", world.zhou, to="opinion")
    report = OpinionReport.objects.get()
    assert (report.state, report.reporter, report.body) == ("submitted", world.lin,
                                                           world.city.body)
    assert report.title == p.title and report.source == p
    assert reload(p).converted_object == report
    assert DutyFact.objects.filter(kind="opinion_submitted", member__user=world.lin).exists()
    client.force_login(world.zhou)  # the opinion office's queue has it
    assert p.title in client.get("/opinions/office/").content.decode()
    client.force_login(world.lin)
    page = client.get(f"/proposals/{p.pk}/").content.decode()
    assert f"/opinions/{report.pk}/" in page
    assert f"/proposals/{p.pk}/" in client.get(f"/opinions/{report.pk}/").content.decode()


def test_a_letter_conversion_makes_no_report(world, submitted):
    from lvzhi.opinions.models import Report as OpinionReport
    perform(submitted, "convert", world.zhou, to="letter")
    assert not OpinionReport.objects.exists()


def test_office_notices_go_to_the_office_the_rules_name(world, handling):
    from lvzhi.conftest import make_person, role
    from lvzhi.core.models import Department, RoleKind
    from lvzhi.proposals.services import rules_for

    research = Department.objects.create(body=world.city.body, name="研究室")
    role(make_person("qiu", "邱明远"), world.city, RoleKind.STAFF, department=research)
    rules = rules_for(world.city.body)
    rules.office = world.city.department
    rules.save()
    perform(handling, "request_return", world.ma, reason="不属于本单位职责")
    told = Notification.objects.filter(title="承办单位申请退回提案")
    assert set(told.values_list("recipient__username", flat=True)) == {"zhou", "yuan"}
    # No office named: every staff member of the body is told.
    rules.office = None
    rules.save()
    perform(handling, "record_contact", world.ma, way="meeting", date=today(), summary="面谈")
    perform(handling, "reply", world.ma, category="A", text="已经解决。")
    told = Notification.objects.filter(title="承办单位已答复，待审核")
    assert set(told.values_list("recipient__username", flat=True)) == {"zhou", "yuan", "qiu"}
