"""Proposal fixtures on top of the named people in lvzhi/conftest.py."""

import pytest

from lvzhi.core.models import HandlingUnit
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.workflow import perform, save_draft

DRAFT = {
    "title": "关于推进儿童友好城市建设的建议",
    "situation": "我市儿童公共活动空间分布不均，部分老旧小区缺少适儿化设施。",
    "analysis": "规划标准缺少儿童视角，建设和管理分属多个部门。",
    "suggestions": "一是编制儿童友好空间专项规划；二是在老旧小区改造中同步建设儿童活动场地。",
    "category": Proposal.Category.SOCIETY,
    "keywords": "儿童友好,城市更新",
}


@pytest.fixture
def other_unit(world) -> HandlingUnit:
    return HandlingUnit.objects.create(body=world.city.body, name="市住房和城乡建设局")


@pytest.fixture
def draft(world) -> Proposal:
    return save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT))


@pytest.fixture
def joint_draft(world) -> Proposal:
    gao_seat = world.gao.memberships.get()
    return save_draft(world.lin.memberships.get(), world.lin,
                      {**DRAFT, "kind": Proposal.Kind.JOINT, "cosigners": [gao_seat.pk]})


@pytest.fixture
def submitted(world, draft) -> Proposal:
    return perform(draft, "submit", world.lin)


@pytest.fixture
def filed(world, submitted) -> Proposal:
    return perform(submitted, "file", world.zhou)


@pytest.fixture
def handling(world, filed) -> Proposal:
    return perform(filed, "assign", world.zhou, handling="single", units=[world.city.unit.pk])


def reload(p: Proposal) -> Proposal:
    return Proposal.objects.get(pk=p.pk)
