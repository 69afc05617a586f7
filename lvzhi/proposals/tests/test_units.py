"""Suggested handling units: learned from past assignments where the unit depends on the
topic, measured on held-out proposals; shown to the office at assignment beside the
proposer's own suggestions, to nobody else; retrained after assignments."""

from __future__ import annotations

import datetime
import random

import pytest

from lvzhi.core.models import HandlingUnit
from lvzhi.proposals import units
from lvzhi.proposals.models import Assignment, Proposal
from lvzhi.proposals.workflow import perform
from lvzhi.search import classify, index

pytestmark = pytest.mark.django_db

TOPICS = [  # (matter, what is said of it, the unit that usually handles it)
    ("社区居家养老", "老年人口增加，社区养老服务站和助餐点不足，护理人员短缺。", "市民政局"),
    ("冰雪旅游", "冰雪大世界游客多，冰雪旅游线路和住宿配套不足。", "市文化广电和旅游局"),
    ("老旧小区改造", "老旧小区管网老化，加装电梯和停车位改造滞后。", "市住房和城乡建设局"),
    ("职业教育", "职业院校专业设置与产业脱节，实训基地不足，校企合作浅。", "市教育局"),
    ("黑土地保护", "黑土层变薄，秸秆还田和保护性耕作推广不够。", "市农业农村局"),
    ("医疗资源下沉", "基层医疗机构医生缺乏，医共体和家庭医生签约推进慢。", "市卫生健康委员会"),
]
FILLER = ["群众反映较多。", "各区进展不平衡。", "需要多部门协同。", "资金保障不足。",
          "宣传引导不够。", "相关标准有待完善。"]


def _history(world, n: int, seed: int = 7) -> list[tuple[Proposal, int]]:
    """n handled proposals whose unit follows the topic (one in eight goes elsewhere, as
    in real assignment), each worded a little differently."""
    rng = random.Random(seed)
    body, session = world.city.body, world.city.session
    by_name = {name: HandlingUnit.objects.get_or_create(body=body, name=name)[0]
               for *_t, name in TOPICS}
    made = []
    for i in range(n):
        matter, said, unit_name = TOPICS[i % len(TOPICS)]
        unit = by_name[unit_name] if rng.random() > 0.125 else rng.choice(list(by_name.values()))
        p = Proposal.objects.create(
            body=body, session=session, timing="congress", proposer=world.lin.memberships.get(),
            state=Proposal.State.CLOSED, title=f"关于{matter}的建议",
            situation=said + "".join(rng.sample(FILLER, 3)),
            suggestions=f"建议统筹推进{matter}。" + rng.choice(FILLER),
            category=Proposal.Category.SOCIETY, number=1000 + i)
        Assignment.objects.create(body=body, proposal=p, unit=unit, role="single",
                                  assigned_on=datetime.date(2022, 2, 1),
                                  deadline=datetime.date(2022, 5, 1))
        made.append((p, unit.pk))
    return made


def test_the_unit_is_learned_from_the_topic_with_precision_on_held_out_proposals(world):
    made = _history(world, 180)
    train_ids = {p.pk for p, _u in made[:144]}
    texts, labels = units.examples(world.city.body.pk, train_ids)
    assert len(texts) == 144
    ranker = classify.train(texts, labels)
    held_out = made[144:]
    terms = index.terms_of("proposal", world.city.body.pk, [p.pk for p, _u in held_out])
    hits_at_3 = first = 0
    for p, unit in held_out:
        ranked = [u for u, _s in ranker.rank(terms[p.pk], 3)]
        hits_at_3 += unit in ranked
        first += ranked[0] == unit
    # one in eight went elsewhere at random, so about 7/8 can be right first
    assert first / len(held_out) >= 0.75
    assert hits_at_3 / len(held_out) >= 0.85


def test_the_office_sees_suggestions_at_assignment_and_no_one_else(login, world, filed):
    _history(world, 60)
    assert units.train(world.city.body.pk) == 60
    elderly = _filed_about(world, "社区居家养老")
    page = login(world.zhou).get(f"/proposals/{elderly.pk}/")
    html = page.content.decode()
    assert "据往年交办推荐：市民政局" in html
    learned = page.context["learned"]
    assert learned[0].unit.name == "市民政局" and 0 <= learned[-1].score <= learned[0].score
    # the units list puts them first; nothing is chosen for the office
    assert page.context["units"][0].name == "市民政局"
    assert 'selected>市民政局' not in html
    for who in (world.lin, world.ma):
        other = login(who).get(f"/proposals/{elderly.pk}/")
        assert "据往年交办推荐" not in other.content.decode()


def test_too_little_history_teaches_nothing(login, world, filed):
    _history(world, units.MIN_EXAMPLES - 1)
    assert units.train(world.city.body.pk) == 0
    assert classify.load(units.model_name(world.city.body.pk)) is None
    assert units.suggest(filed) == []
    assert "据往年交办推荐" not in login(world.zhou).get(f"/proposals/{filed.pk}/")\
        .content.decode()


def test_an_assignment_retrains_a_stale_model_once(world, filed,
                                                   django_capture_on_commit_callbacks):
    _history(world, 40)
    name = units.model_name(world.city.body.pk)
    assert classify.trained_at(name) is None
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        perform(filed, "assign", world.zhou, handling="single", units=[world.city.unit.pk])
    assert classify.trained_at(name) is not None  # the task ran (immediate backend in tests)
    assert len([c for c in callbacks if "train" in repr(c)]) <= 1
    assert classify.load(name).examples == 41  # the new assignment taught it too


def _filed_about(world, matter: str) -> Proposal:
    from lvzhi.proposals.workflow import save_draft

    said = next(s for m, s, _u in TOPICS if m == matter)
    p = save_draft(world.gao.memberships.get(), world.gao, {
        "title": f"关于做好{matter}工作的建议", "situation": said,
        "suggestions": f"建议加快{matter}。", "category": Proposal.Category.SOCIETY})
    perform(p, "submit", world.gao)
    return perform(p, "file", world.zhou)
