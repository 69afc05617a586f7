"""The proposal ledger (提案台账): which proposals the office's filters select, and the same
as an Excel workbook, written in the background (core.exports) row by row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.access import bodies_with
from lvzhi.core.exports import ExportKind, Progress, first_body
from lvzhi.core.forms import choice_labels
from lvzhi.core.models import Session
from lvzhi.core.paths import object_url
from lvzhi.core.spreadsheets import StreamedSheet
from lvzhi.core.templatetags.lvzhi import cn_date, cn_month_day
from lvzhi.proposals.access import body_proposals_for, office_bodies
from lvzhi.proposals.filters import LedgerFilter
from lvzhi.proposals.models import Assignment, Cosigner, Evaluation, Proposal, Reply
from lvzhi.proposals.services import today
from lvzhi.proposals.templatetags.proposal_tags import state_badges

COLUMNS = [gettext_lazy("编号"), gettext_lazy("会议"), gettext_lazy("类别"), gettext_lazy("案由"),
           gettext_lazy("提案人"), gettext_lazy("联名人"), gettext_lazy("界别"),
           gettext_lazy("分类"), gettext_lazy("状态"), gettext_lazy("承办单位"),
           gettext_lazy("办理期限"), gettext_lazy("答复日期"), gettext_lazy("答复类别"),
           gettext_lazy("评价"), gettext_lazy("重点提案"), gettext_lazy("优秀提案")]
WIDTHS = [10, 16, 10, 44, 10, 20, 14, 10, 12, 30, 14, 14, 10, 10, 10, 10]
CHUNK = 500


def bodies(user: Any) -> set[int]:
    """The bodies whose ledger the person keeps or reads."""
    return office_bodies(user) | bodies_with(user, "proposals.read_all")


def filtered(user: Any, query: QueryDict) -> tuple[LedgerFilter, QuerySet[Proposal]]:
    """The ledger's filter and its rows, for the page, the export and the figures."""
    form = LedgerFilter(query or None, bodies(user))
    rows = body_proposals_for(user)  # already within those bodies: no second IN
    return form, form.apply(rows, today()) if query else rows


def walked(user: Any, form: LedgerFilter, rows: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """The same rows for a page read in the ledger's order: with a keyword, asked of each
    row as the page is walked (`rows`, every match listed first, is for the count)."""
    if not form.is_bound or not (form.is_valid() and form.cleaned_data.get("q")):
        return rows
    return form.apply(body_proposals_for(user), today(), walk=True)


@dataclass(slots=True)
class Row:
    """One line of the ledger page, its cells worked out: from values, not model objects
    (making 150 of them for 30 lines cost more than the page's queries)."""

    pk: int
    url: str
    number: str
    timing: str
    title: str
    proposer: str
    sector: str
    state: SafeString
    units: list[tuple[str, str, bool]]  # "单位（主办）", its deadline, and whether overdue


ROW_VALUES = ("pk", "number", "timing", "title", "state", "is_key", "is_excellent",
              "proposer__user__full_name", "proposer__sector__name")


def page_rows(ids: list[int]) -> list[Row]:
    """The ledger page's lines for these ids, in their order."""
    found = {r[0]: r for r in Proposal.objects.filter(pk__in=ids).values_list(*ROW_VALUES)}
    units = _current_units(ids)
    timings, states = choice_labels(Proposal.Timing), choice_labels(Proposal.State)
    numbered = _("第%(n)s号")  # translated once, not per line
    rows = []
    for pk in ids:
        if pk not in found:
            continue
        _pk, number, timing, title, state, is_key, excellent, name, sector = found[pk]
        rows.append(Row(
            pk, object_url("proposals:detail", pk), numbered % {"n": number} if number else "",
            timings.get(timing, ""), title, name, sector or "",
            state_badges(state, states.get(state, state), is_key, excellent),
            units.get(pk, [])))
    return rows


def _current_units(ids: list[int]) -> dict[int, list[tuple[str, str, bool]]]:
    roles = choice_labels(Assignment.Role)
    day = today()
    units: dict[int, list[tuple[str, str, bool]]] = {}
    for pid, unit, role, deadline, state in Assignment.objects.filter(proposal_id__in=ids)\
            .exclude(state=Assignment.State.RETURNED).order_by("role", "id").values_list(
            "proposal_id", "unit__name", "role", "deadline", "state"):
        late = deadline is not None and deadline < day and state == Assignment.State.HANDLING
        units.setdefault(pid, []).append((f"{unit}（{roles[role]}）", cn_month_day(deadline),
                                          late))
    return units


def _export_body(user: Any) -> int | None:
    return first_body(office_bodies(user), bodies(user))


def _build(user: Any, query: QueryDict, progress: Progress) -> tuple[bytes, str]:
    _form, rows = filtered(user, query)
    return workbook(rows.order_by("session", "timing", "number", "id"), progress), \
        _("提案台账") + ".xlsx"


EXPORT = ExportKind("proposals.ledger", gettext_lazy("提案台账"), _export_body, _build)


FIELDS = ("pk", "number", "session_id", "timing", "title", "proposer_id",
          "proposer__user__full_name", "proposer__sector__name", "category", "state",
          "is_key", "is_excellent")


def workbook(rows: QuerySet[Proposal], progress: Progress | None = None) -> bytes:
    """Plain values in chunks of 500, with each chunk's units, replies, co-signers and
    evaluations fetched at once (no model objects: the worker's time goes to the file)."""
    total = rows.count()
    sessions = {s.pk: str(s) for s in Session.objects.select_related("term").filter(
        pk__in=rows.values("session_id").distinct())}
    labels = {name: dict(Proposal._meta.get_field(name).flatchoices)
              for name in ("timing", "category", "state")}
    sheet = StreamedSheet(_("提案台账"), COLUMNS, WIDTHS)
    done = 0
    for chunk in _chunks(rows.values_list(*FIELDS).iterator(chunk_size=CHUNK)):
        related = _related([r[0] for r in chunk])
        for r in chunk:
            sheet.append(_row(dict(zip(FIELDS, r, strict=True)), related, sessions, labels))
            done += 1
            if progress:
                progress(done, total)
    return sheet.bytes()


def _chunks(rows: Any) -> Any:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _related(ids: list[int]) -> dict[str, dict[int, list]]:
    out: dict[str, dict[int, list]] = {k: {} for k in ("units", "replies", "cosigners",
                                                       "ratings")}
    roles = dict(Assignment.Role.choices)
    for pid, unit, role, deadline, replied in Assignment.objects.filter(
            proposal_id__in=ids).exclude(state=Assignment.State.RETURNED).order_by("id")\
            .values_list("proposal_id", "unit__name", "role", "deadline", "replied_on"):
        out["units"].setdefault(pid, []).append((f"{unit}（{roles[role]}）", deadline, replied))
    for pid, category in Reply.objects.filter(
            assignment__proposal_id__in=ids, state=Reply.State.ACCEPTED).exclude(
            assignment__state=Assignment.State.RETURNED).order_by("id").values_list(
            "assignment__proposal_id", "category"):
        out["replies"].setdefault(pid, []).append(category)
    for pid, name in Cosigner.objects.filter(
            proposal_id__in=ids, state=Cosigner.State.CONFIRMED).order_by("id").values_list(
            "proposal_id", "member__user__full_name"):
        out["cosigners"].setdefault(pid, []).append(name)
    ratings = dict(Evaluation.Rating.choices)
    for pid, member, rating in Evaluation.objects.filter(proposal_id__in=ids).order_by(
            "id").values_list("proposal_id", "member_id", "rating"):
        out["ratings"].setdefault(pid, []).append((member, str(ratings[rating])))
    return out


def _row(p: dict, related: dict, sessions: dict, labels: dict) -> list:
    pk = p["pk"]
    units = related["units"].get(pk, [])
    lead = [label for member, label in related["ratings"].get(pk, [])
            if member == p["proposer_id"]]
    return [
        _("第%(n)s号") % {"n": p["number"]} if p["number"] else "",
        sessions.get(p["session_id"], ""), str(labels["timing"].get(p["timing"], "")),
        p["title"], p["proposer__user__full_name"],
        "、".join(related["cosigners"].get(pk, [])), p["proposer__sector__name"],
        str(labels["category"].get(p["category"], "")),
        str(labels["state"].get(p["state"], "")),
        "、".join(u for u, _d, _r in units),
        _dates(sorted({d for _u, d, _r in units})),
        _dates([r for _u, _d, r in units if r]),
        "、".join(related["replies"].get(pk, [])),
        lead[-1] if lead else "",
        _("是") if p["is_key"] else "", _("是") if p["is_excellent"] else "",
    ]


def _dates(days: list[datetime.date]) -> datetime.date | str:
    """One date as a date cell; several (one per unit) as Chinese text in one cell."""
    if len(days) == 1:
        return days[0]
    return "、".join(cn_date(d) for d in days)
