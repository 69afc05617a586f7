"""Every refusal: wrong role, other body, other unit, wrong state, late, bad input —
a clear Chinese message, a 4xx status, and no change to any data."""

import datetime

import pytest

from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.core.models import HandlingUnit, Role, RoleKind
from lvzhi.proposals.models import Assignment, Proposal, Reply, UnitRequest
from lvzhi.proposals.services import today
from lvzhi.proposals.tests.conftest import DRAFT, reload
from lvzhi.proposals.workflow import perform, save_draft

pytestmark = pytest.mark.django_db
S = Proposal.State


def refused(proposal, name, actor, **params) -> Refusal:
    """Perform and expect a refusal; the proposal and its history must be unchanged."""
    before = (reload(proposal).__dict__.copy(), history(proposal).count())
    with pytest.raises(Refusal) as caught:
        perform(proposal, name, actor, **params)
    after = reload(proposal).__dict__.copy()
    for d in (before[0], after):
        d.pop("_state", None)
    assert after == before[0]
    assert history(proposal).count() == before[1]
    assert 400 <= caught.value.status < 500
    return caught.value


@pytest.mark.parametrize("person", ["gao", "ma", "qin", "pan", "dong"])
def test_only_the_office_files(world, submitted, person):
    refusal = refused(submitted, "file", getattr(world, person))
    assert refusal.status in (403, 404)
    assert refusal.message in ("找不到该提案，或您无权查看。", "您无权对该提案执行“立案”。")


def test_a_member_cannot_file_their_own_proposal(world, submitted):
    refusal = refused(submitted, "file", world.lin)
    assert (refusal.status, refusal.message) == (403, "您无权对该提案执行“立案”。")


def test_staff_of_another_district_do_not_even_see_it(world, submitted):
    refusal = refused(submitted, "file", world.pan)
    assert (refusal.code, refusal.status) == ("not_found", 404)


def test_city_oversight_reads_district_proposals_but_cannot_act(world):
    dong = world.dong.memberships.get()
    p = perform(save_draft(dong, world.dong, dict(DRAFT)), "submit", world.dong)
    from lvzhi.proposals.access import proposals_for

    assert proposals_for(world.yuan).filter(pk=p.pk).exists()
    assert refused(p, "file", world.yuan).status == 403


def test_office_narrowed_to_one_department(world, submitted):
    from lvzhi.core.models import Department
    from lvzhi.proposals.services import rules_for

    rules = rules_for(world.city.body)
    rules.office = Department.objects.create(body=world.city.body, name="研究室")
    rules.save()
    assert refused(submitted, "file", world.zhou).status == 403


def test_wrong_state_is_named_in_the_message(world, filed):
    refusal = refused(filed, "file", world.zhou)
    assert (refusal.code, refusal.status) == ("wrong_state", 409)
    assert refusal.message == "该提案目前“已立案待交办”，不能立案。"
    assert refused(filed, "withdraw", world.lin).code == "wrong_state"


def test_draft_is_invisible_to_the_office(world, draft):
    assert refused(draft, "file", world.zhou).status == 404


def test_oversize_title_is_refused_and_nothing_saved(world):
    seat = world.lin.memberships.get()
    with pytest.raises(Refusal) as caught:
        save_draft(seat, world.lin, {**DRAFT, "title": "关" * 51})
    assert caught.value.message == "案由不能超过 50 个字（现有 51 个）。"
    assert not Proposal.objects.exists()


def test_oversize_section_is_refused(world, draft):
    with pytest.raises(Refusal, match="“建议”不能超过 3000 个字"):
        save_draft(draft.proposer, world.lin, {"suggestions": "建" * 3001}, proposal=draft)
    assert reload(draft).suggestions == DRAFT["suggestions"]


@pytest.mark.parametrize(("field", "message"), [
    ("suggestions", "请填写“建议”。"),
    ("situation", "请填写“情况”。"),
    ("title", "请填写“案由”。"),
])
def test_submitting_without_a_required_part(world, draft, field, message):
    save_draft(draft.proposer, world.lin, {field: "  "}, proposal=draft)
    assert refused(draft, "submit", world.lin).message == message
    assert reload(draft).state == S.DRAFT


def test_joint_proposal_needs_a_cosigner(world):
    seat = world.lin.memberships.get()
    p = save_draft(seat, world.lin, {**DRAFT, "kind": Proposal.Kind.JOINT})
    assert refused(p, "submit", world.lin).message == "联名提案须至少邀请一位联名人。"


def test_cosigner_from_another_body_is_refused(world):
    seat = world.lin.memberships.get()
    with pytest.raises(Refusal, match="联名人须是本届本政协的其他委员"):
        save_draft(seat, world.lin, {**DRAFT, "kind": "joint",
                                     "cosigners": [world.dong.memberships.get().pk]})


def test_someone_else_cannot_edit_or_draft_as_another(world, draft):
    with pytest.raises(Refusal, match="只能以本人的委员身份起草提案"):
        save_draft(draft.proposer, world.gao, {"title": "改"})
    assert reload(draft).title == DRAFT["title"]


def test_late_cosign_confirmation_is_refused(world, joint_draft):
    p = perform(joint_draft, "submit", world.lin)
    Proposal.objects.filter(pk=p.pk).update(cosign_deadline=today() - datetime.timedelta(days=1))
    refusal = refused(p, "confirm_cosign", world.gao)
    assert refusal.code == "cosign_late"
    assert "联名确认已于" in refusal.message


def test_reject_needs_a_listed_ground(world, submitted):
    assert refused(submitted, "reject", world.zhou).message == "请选择不予立案的理由。"
    assert refused(submitted, "reject", world.zhou, ground="dislike").code == "bad_ground"


def test_return_needs_a_reason(world, submitted):
    assert refused(submitted, "return", world.zhou).message == "请写明退回修改的原因。"


def test_merge_only_into_a_filed_proposal_of_the_same_body(world, submitted):
    assert refused(submitted, "merge", world.zhou, into=submitted.pk).code == "bad_merge_target"


@pytest.mark.parametrize(("params", "code"), [
    ({"handling": "single", "units": []}, "bad_handling"),
    ({"handling": "lead", "units": ["U"]}, "bad_handling"),
    ({"handling": "split", "units": ["U"]}, "bad_handling"),
    ({"handling": "single", "units": ["X"]}, "bad_unit"),
])
def test_assignment_must_fit_the_handling_type(world, filed, params, code):
    daoli_unit = world.daoli.unit.pk
    params = {**params, "units": [world.city.unit.pk if u == "U" else daoli_unit
                                  for u in params["units"]]}
    assert refused(filed, "assign", world.zhou, **params).code == code
    assert not Assignment.objects.exists()


def test_unit_of_another_proposal_cannot_reply(world, handling):
    other = HandlingUnit.objects.create(body=world.city.body, name="市体育局")
    handler = _handler(world, other)
    assert refused(handling, "reply", handler, category="A", text="x").status == 404


def test_reply_needs_contact_first_and_a_valid_category(world, handling):
    assert refused(handling, "reply", world.ma, category="Z", text="x").code == "bad_category"
    refusal = refused(handling, "reply", world.ma, category="A", text="已解决")
    assert refusal.message == "答复前须先与提案人沟通并记录。"
    assert not Reply.objects.exists()


def test_b_reply_needs_a_commitment(world, handling):
    perform(handling, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    assert refused(handling, "reply", world.ma, category="B", text="列入计划").code == \
        "missing_commitment"


def test_contact_date_cannot_be_in_the_future(world, handling):
    tomorrow = today() + datetime.timedelta(days=1)
    assert refused(handling, "record_contact", world.ma, way="phone", date=tomorrow,
                   summary="x").code == "future_date"
    assert refused(handling, "record_contact", world.ma, way="phone", date="昨天",
                   summary="x").code == "bad_date"


def test_late_return_request_is_refused(world, handling):
    Assignment.objects.update(assigned_on=today() - datetime.timedelta(days=30))
    refusal = refused(handling, "request_return", world.ma, reason="不属于本单位职责")
    assert refusal.code == "return_late"
    assert "申请退回须在交办后 5 个工作日内" in refusal.message
    assert not UnitRequest.objects.exists()


def test_extension_beyond_the_maximum_is_refused(world, handling):
    a = handling.assignments.get()
    too_late = a.assigned_on + datetime.timedelta(days=200)
    refusal = refused(handling, "request_extension", world.ma, new_deadline=too_late,
                      reason="协调中")
    assert refusal.code == "bad_extension"
    assert "不超过交办后 6 个月" in refusal.message


def test_extension_after_the_deadline_is_refused(world, handling):
    Assignment.objects.update(deadline=today() - datetime.timedelta(days=1))
    assert refused(handling, "request_extension", world.ma,
                   new_deadline=today() + datetime.timedelta(days=20),
                   reason="协调中").code == "extension_late"


def test_evaluation_by_a_non_proposer_is_refused(world, handling):
    p = _ready_for_evaluation(world, handling)
    for person in (world.gao, world.ma, world.zhou):
        assert refused(p, "evaluate", person, rating="satisfied").status in (403, 404)


def test_evaluation_after_the_window_is_refused(world, handling):
    p = _ready_for_evaluation(world, handling)
    Proposal.objects.filter(pk=p.pk).update(evaluation_deadline=today() - datetime.timedelta(1))
    assert refused(p, "evaluate", world.lin, rating="satisfied").code == "evaluation_late"


def test_evaluation_twice_in_one_round_is_refused(world, handling):
    p = _ready_for_evaluation(world, handling, cosigner=True)
    perform(p, "evaluate", world.gao, rating="basic")
    assert refused(p, "evaluate", world.gao, rating="satisfied").code == "already_evaluated"


def test_office_cannot_close_while_the_proposer_may_still_evaluate(world, handling):
    p = _ready_for_evaluation(world, handling)
    assert refused(p, "close", world.zhou).code == "close_early"


def test_key_proposal_supervisor_must_be_a_leader(world, filed):
    assert refused(filed, "mark_key", world.zhou, supervisor=world.gao.pk).code == \
        "bad_supervisor"


def test_only_leaders_supervise_and_only_key_proposals(world, filed):
    assert refused(filed, "supervise", world.qin, text="督办").code == "not_key"
    perform(filed, "mark_key", world.zhou, supervisor=world.qin.pk)
    assert refused(filed, "supervise", world.zhou, text="督办").status == 403


def test_score_out_of_range_is_refused(world, filed):
    assert refused(filed, "score", world.zhou, topic=21, grasp=1, analysis=1, suggestions=1,
                   effect=1).code == "bad_score"


def test_unknown_action(world, filed):
    assert refused(filed, "approve_everything", world.zhou).code == "unknown_action"


def _handler(world, unit):
    from lvzhi.conftest import make_person

    user = make_person(f"h{unit.pk}", "经办人")
    Role.objects.create(user=user, body=world.city.body, kind=RoleKind.UNIT_HANDLER,
                        handling_unit=unit)
    return user


def _ready_for_evaluation(world, p, cosigner=False):
    if cosigner:
        from lvzhi.proposals.models import Cosigner

        Cosigner.objects.create(body=world.city.body, proposal=p,
                                member=world.gao.memberships.get(), state="confirmed")
    perform(p, "record_contact", world.ma, way="phone", date=today(), summary="沟通")
    perform(p, "reply", world.ma, category="A", text="已解决")
    return perform(p, "review_reply", world.zhou, reply=Reply.objects.get().pk,
                   decision="accept")


def test_collective_proposal_only_by_the_authorised_person(world):
    seat = world.lin.memberships.get()
    fields = {**DRAFT, "kind": "collective", "collective_kind": "sector",
              "collective_name": "民盟"}
    p = save_draft(seat, world.lin, fields)
    refusal = refused(p, "submit", world.lin)
    assert (refusal.code, refusal.status) == ("not_authorised", 403)
    assert refusal.message == "只有民盟授权的报送人可以提交其集体提案。"
    Role.objects.create(user=world.lin, body=world.city.body, kind=RoleKind.COLLECTIVE,
                        affiliation="民盟")
    assert perform(p, "submit", world.lin).state == S.SUBMITTED


@pytest.mark.parametrize("written_out", [True, False])
def test_a_unit_reads_what_it_was_assigned_as_a_list_or_a_subquery(world, handling,
                                                                   monkeypatch, written_out):
    """A unit's assigned proposals are written out as ids up to a cap and asked as a
    subquery above it: the same proposals either way, and a returned one is not among them."""
    from lvzhi.proposals import access

    monkeypatch.setattr(access, "UNIT_LIST_MAX", 2000 if written_out else 0)
    assert list(access.proposals_for(world.ma).values_list("pk", flat=True)) == [handling.pk]
    assert not access.proposals_for(world.pan).filter(pk=handling.pk).exists()
    perform(handling, "request_return", world.ma, reason="不属于本单位职责")
    perform(handling, "decide_request", world.zhou,
            request=handling.assignments.get().requests.get().pk, approve=True)
    assert not access.proposals_for(world.ma).exists()
