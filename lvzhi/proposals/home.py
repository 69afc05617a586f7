"""The proposals app's menu entries and home-page to-do section."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lvzhi.core.access import Actor, actor_for, bodies_with
from lvzhi.core.home import Item, Section
from lvzhi.core.paths import page_url
from lvzhi.proposals.access import invitations_for, my_assignments, office_bodies
from lvzhi.proposals.models import Assignment, Proposal, Reply, UnitRequest
from lvzhi.proposals.services import today


def nav(user: Any) -> list[tuple[str, str]]:
    items = []
    if bodies_with(user, "proposals.submit"):
        items.append((_("我的提案"), page_url("proposals:mine")))
    if bodies_with(user, "proposals.read_all") or office_bodies(user):  # cheap test first
        items.append((_("提案办理"), page_url("proposals:office")))
    if actor_for(user).handling_units and my_assignments(user).exists():
        items.append((_("承办提案"), page_url("proposals:unit")))
    if bodies_with(user, "proposals.supervise", write=True):
        items.append((_("重点提案"), page_url("proposals:leader")))
    return items


def section(actor: Actor) -> Section | None:
    items = (_member_items(actor) + _office_items(actor) + _unit_items(actor)
             + _leader_items(actor))
    return Section(_("提案"), items) if items else None


def _member_items(actor: Actor) -> list[Item]:
    user, url = actor.user, reverse("proposals:mine")
    counts = [
        (_("待确认的联名邀请"), invitations_for(user).count()),
        (_("草稿和退回修改的提案"), Proposal.objects.filter(
            proposer__user=user, state__in=[Proposal.State.DRAFT, Proposal.State.RETURNED])
         .count()),
        (_("待评价的答复"), Proposal.objects.filter(
            proposer__user=user, state=Proposal.State.EVALUATING).count()),
    ]
    return [Item(text, url, n) for text, n in counts if n]


def _office_items(actor: Actor) -> list[Item]:
    bodies = office_bodies(actor.user)
    if not bodies:
        return []
    rows = Proposal.objects.filter(body_id__in=bodies)
    base = reverse("proposals:office")
    counts = [
        (_("待审查"), "review", rows.filter(state=Proposal.State.SUBMITTED).count()),
        (_("待交办"), "assign", rows.filter(state=Proposal.State.FILED).count()),
        (_("单位申请待处理"), "requests", UnitRequest.objects.filter(
            body_id__in=bodies, state=UnitRequest.State.PENDING).count()),
        (_("答复待审核"), "replies", Reply.objects.filter(
            body_id__in=bodies, state=Reply.State.PENDING).count()),
        (_("逾期未答复"), "overdue", Assignment.objects.filter(
            body_id__in=bodies, state=Assignment.State.HANDLING, deadline__lt=today(),
            proposal__state=Proposal.State.HANDLING).count()),
    ]
    return [Item(text, f"{base}?tab={tab}", n) for text, tab, n in counts if n]


def _unit_items(actor: Actor) -> list[Item]:
    if not actor.handling_units:
        return []
    active = my_assignments(actor.user).filter(state=Assignment.State.HANDLING,
                                               proposal__state=Proposal.State.HANDLING)
    url = reverse("proposals:unit")
    counts = [(_("办理中的提案"), active.count()),
              (_("已逾期"), active.filter(deadline__lt=today()).count())]
    return [Item(text, url, n) for text, n in counts if n]


def _leader_items(actor: Actor) -> list[Item]:
    n = Proposal.objects.filter(supervisor=actor.user, is_key=True).exclude(
        state=Proposal.State.CLOSED).count()
    return [Item(_("我领衔督办的重点提案"), reverse("proposals:leader"), n)] if n else []
