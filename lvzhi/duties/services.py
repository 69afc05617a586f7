"""Recording duty facts, the year's rules, and computing and storing results."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import plain
from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.models import Member, Role, RoleKind, User
from lvzhi.core.notifications import Message, notify
from lvzhi.duties import evaluation, schemes
from lvzhi.duties.models import DutyFact, EvaluationYear, Grade, MemberEvaluation, RuleSet

# --- facts -------------------------------------------------------------------------------------


def record_fact(member: Member, kind: str, source: Model, occurred_on: datetime.date,
                data: dict | None = None) -> DutyFact:
    """Record that `member` did `kind` through `source`; idempotent per (member, kind,
    source). A fact withdrawn earlier and recorded again stands again."""
    kind_of_source = ContentType.objects.get_for_model(source)
    key = {"member_id": member.pk, "kind": kind, "source_type_id": kind_of_source.pk,
           "source_id": source.pk}
    # A plain read, then a plain insert (this runs inside most writes' transactions,
    # holding the write lock): the ORM's get_or_create built its read for 0.2 ms more.
    found = plain.rows(DutyFact, order=(), **key)
    if found:
        fact, created = found[0], False
    else:
        try:
            with transaction.atomic():
                fact, created = DutyFact.objects.create(
                    **key, body_id=member.body_id, occurred_on=occurred_on,
                    data=data or {}), True
        except IntegrityError:  # recorded meanwhile by another transaction
            fact, created = DutyFact.objects.get(**key), False
    if not created and fact.withdrawn_at is not None:
        DutyFact.objects.filter(pk=fact.pk).update(withdrawn_at=None, withdrawn_reason="",
                                                   occurred_on=occurred_on)
    standing = created or fact.withdrawn_at is not None  # now counting, on this day alone
    _recompute_later(member.pk, occurred_on if standing else None)
    return fact


def record_facts(members: list[Member], kind: str, source: Model,
                 occurred_on: datetime.date, data: dict | None = None) -> None:
    """`record_fact` for many members at once (everyone invited to a plenary), in two
    statements however many they are."""
    if not members:
        return
    ct = ContentType.objects.get_for_model(source)
    DutyFact.objects.bulk_create(
        [DutyFact(body_id=m.body_id, member=m, kind=kind, source_type=ct, source_id=source.pk,
                  occurred_on=occurred_on, data=data or {}) for m in members],
        ignore_conflicts=True)
    DutyFact.objects.filter(member__in=members, kind=kind, source_type=ct, source_id=source.pk,
                            withdrawn_at__isnull=False).update(
        withdrawn_at=None, withdrawn_reason="", occurred_on=occurred_on)
    for member in members:
        _recompute_later(member.pk)  # a fact recorded again may have moved between years


def withdraw_facts(sources: list[Model], reason: str = "") -> int:
    """Withdraw the facts recorded through `sources` (an attendance reopened, a proposal
    withdrawn): they stop counting but stay in the record, with when and why."""
    if not sources:
        return 0
    rows = DutyFact.objects.filter(
        source_type=ContentType.objects.get_for_model(sources[0]),
        source_id__in=[s.pk for s in sources], withdrawn_at__isnull=True)
    members = set(rows.values_list("member_id", flat=True))
    count = rows.update(withdrawn_at=timezone.now(), withdrawn_reason=reason[:100])
    for member_id in members:
        _recompute_later(member_id)
    return count


# Each feature registers how to record its facts again from its own records (AppConfig
# .ready); `lvzhi duties backfill` runs them all. record_fact is idempotent, so a rerun
# records nothing twice.
BACKFILLS: list = []


def backfill() -> int:
    before = DutyFact.objects.count()
    for fill in BACKFILLS:
        with transaction.atomic():
            fill()
    return DutyFact.objects.count() - before


def _recompute_later(member_id: int, day: datetime.date | None = None) -> None:
    """Recompute the member's result once after the running transaction commits, however
    many of their facts it records; their body's ranks follow. `day`: the one date the
    changed facts fall on, so only its year is worked out again (a new fact is dated
    today: last year's result, open in its correction window, stays as it is); None for
    every open year."""
    item = (member_id, day.isoformat() if day else "")
    pending = _gathered_until_commit("_lvzhi_recompute", _enqueue)
    if pending is None:
        _enqueue({item})
    else:
        pending.add(item)


def _gathered_until_commit(name: str, flush: Callable[[set], None]) -> set | None:
    """A set filled during the running transaction and handed to `flush` once, when it
    commits; None outside a transaction."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        return None
    pending = getattr(conn, name, None)
    # The callback list empties on commit or rollback: a new transaction needs its own.
    if pending is None or not any(cb is pending[0] for _ids, cb, *_r in conn.run_on_commit):
        items: set = set()
        pending = (functools.partial(flush, items), items)
        setattr(conn, name, pending)
        transaction.on_commit(pending[0])
    return pending[1]


# Set while results_held() runs: the members (and days) whose results wait for its end.
_HELD: contextvars.ContextVar[set[tuple[int, str]] | None] = contextvars.ContextVar(
    "lvzhi_duties_held", default=None)


@contextlib.contextmanager
def results_held() -> Iterator[None]:
    """Members' results recomputed once, when the block ends, not after each change: for a
    bulk load (the demo's year of activities) that records facts for the same few hundred
    members again and again."""
    held: set[tuple[int, str]] = set()
    token = _HELD.set(held)
    try:
        yield
    finally:  # what was committed before a failure is worked out too
        _HELD.reset(token)
        if held:
            _enqueue(held)


def _enqueue(items: set[tuple[int, str]]) -> None:
    """(member id, day or "") pairs to one task: the members, and the days whose years
    need working out again (None: every open year, when any change named no day)."""
    from lvzhi.duties.tasks import recompute_members

    held = _HELD.get()
    if held is not None:
        held.update(items)
        return
    days = sorted({day for _m, day in items})
    recompute_members.enqueue(sorted({m for m, _d in items}), None if "" in days else days)


# --- rules -------------------------------------------------------------------------------------

RULE_FIELDS = ["name", "scheme", "points", "caps", "obligations", "bands", "at_risk_on",
               "cutoff", "correction_days"]


# Set while rules_read_once() runs: the rule sets read so far, by (body, year).
_RULES: contextvars.ContextVar[dict[tuple[int, int], RuleSet | None] | None] = \
    contextvars.ContextVar("lvzhi_duties_rules", default=None)


@contextlib.contextmanager
def rules_read_once() -> Iterator[None]:
    """Each year's rule set read once in the block, however often asked: a fact's recompute
    (tasks.recompute_members) asked for the same one four times (which year each day falls
    in, the year's rules, its window). For a block that changes no rules."""
    token = _RULES.set({})
    try:
        yield
    finally:
        _RULES.reset(token)


def rules_for(body_id: int, year: int) -> RuleSet:
    """The rule set in use for the year: its newest version; a new year starts as a copy
    of last year's (dates moved on a year), or of the 100-point scheme. (Ordered by version
    alone: the model's order joins the body, on every recompute.)"""
    current = _newest_rules(body_id, year)
    if current is not None:
        return current
    last = _newest_rules(body_id, year - 1)
    values = ({name: getattr(last, name) for name in RULE_FIELDS} if last
              else schemes.hundred(year))
    for name in ("at_risk_on", "cutoff"):
        values[name] = _same_day(values[name], year)
    with transaction.atomic():
        rules, _new = RuleSet.objects.get_or_create(body_id=body_id, year=year, version=1,
                                                   defaults=values)
    if (read := _RULES.get()) is not None:  # made now: no longer "none yet"
        read[body_id, year] = rules
    return rules


def _newest_rules(body_id: int, year: int) -> RuleSet | None:
    read = _RULES.get()
    if read is not None and (body_id, year) in read:
        return read[body_id, year]
    # A plain read: every recompute after a write asks this (docs/performance.md).
    found = next(iter(plain.rows(RuleSet, body_id=body_id, year=year, order=["-version"])),
                 None)
    if read is not None:
        read[body_id, year] = found
    return found


def _same_day(day: datetime.date, year: int) -> datetime.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def save_rules(actor: User, body_id: int, year: int, values: dict[str, Any]) -> RuleSet:
    """A new version of the year's rules; the year is recomputed unless it is closed."""
    if year_state(body_id, year).frozen:
        raise Refusal("year_closed", _("%(y)s年度考核已审定，考核规则不能再修改。") % {
            "y": year}, status=409)
    with transaction.atomic():
        current = rules_for(body_id, year)
        rules = RuleSet.objects.create(
            body_id=body_id, year=year, version=current.version + 1, created_by=actor,
            **{name: values.get(name, getattr(current, name)) for name in RULE_FIELDS})
        record_event(rules, "rules_saved", actor, body_id=body_id,
                     data={"version": rules.version})
    recompute(body_id, year)
    return rules


# --- results -----------------------------------------------------------------------------------

def year_state(body_id: int, year: int) -> EvaluationYear:
    return plain.get_or_create(EvaluationYear, body_id=body_id, year=year)


def year_of(body_id: int, day: datetime.date) -> int:
    """The evaluation year a day counts in: after the cut-off, the next one."""
    return day.year + (1 if day > rules_for(body_id, day.year).cutoff else 0)


def window(rules: RuleSet) -> tuple[datetime.date, datetime.date]:
    """The days the year's facts fall on: after last year's cut-off, up to this one."""
    last = _newest_rules(rules.body_id, rules.year - 1)
    start = last.cutoff if last else _same_day(rules.cutoff, rules.year - 1)
    return start + datetime.timedelta(days=1), rules.cutoff


def members_of(body_id: int, rules: RuleSet):
    start, end = window(rules)
    return Member.objects.filter(body_id=body_id, is_active=True, term__start_date__lte=end,
                                 term__end_date__gte=start)


def recompute(body_id: int, year: int, *, warn: bool = False) -> int:
    """Compute and store every member's result for an open year. With `warn` (the daily
    run), tell members newly at risk, once per reason; a run after each change only keeps
    the at-risk list current. Returns how many results were stored."""
    state = year_state(body_id, year)
    if state.frozen:
        return 0
    rules = rules_for(body_id, year)
    start, end = window(rules)
    members = list(members_of(body_id, rules).values_list("pk", "sector_id"))
    counts: dict[int, dict[str, int]] = {pk: {} for pk, _s in members}
    corrections: dict[int, list[dict]] = defaultdict(list)
    # Unordered (the model's order joins four tables and sorted 200,000 rows for nothing),
    # counted by member and kind in the database, and only a correction's data decoded.
    standing = DutyFact.objects.filter(body_id=body_id, withdrawn_at__isnull=True,
                                       occurred_on__range=(start, end)).order_by()
    for member_id, kind, n in standing.values_list("member_id", "kind").annotate(
            n=Count("pk")):
        if member_id in counts:
            counts[member_id][kind] = n
    for member_id, data in standing.filter(kind="correction").values_list("member_id",
                                                                          "data"):
        corrections[member_id].append(data)
    past_warning = timezone.localdate() >= rules.at_risk_on
    results = {pk: evaluation.evaluate_counts(by_kind, corrections[pk], rules)
               for pk, by_kind in counts.items()}
    _store(body_id, year, rules, members, results, past_warning, warn)
    EvaluationYear.objects.filter(pk=state.pk).update(ranked_at=timezone.now())
    return len(results)


def _store(body_id, year, rules, members, results, past_warning, warn) -> None:
    by_body = evaluation.ranks([(pk, r.total) for pk, r in results.items()])
    by_sector: dict[int, int] = {}
    for sector in {s for _pk, s in members}:
        by_sector.update(evaluation.ranks(
            [(pk, results[pk].total) for pk, s in members if s == sector]))
    existing = {e.member_id: e for e in MemberEvaluation.objects.filter(body_id=body_id, year=year)}
    new, changed, warnings = [], [], []
    for pk, result in results.items():
        row = existing.get(pk) or MemberEvaluation(body_id=body_id, member_id=pk, year=year,
                                                   warned=[])
        before = _stored(row)
        row.rule_set, row.total, row.categories = rules, result.total, result.categories
        row.missing, row.grade = result.missing, result.grade
        row.rank_body, row.rank_sector = by_body[pk], by_sector[pk]
        row.at_risk = evaluation.at_risk(result, past_warning)
        fresh = [r for r in row.at_risk if r not in row.warned] if warn else []
        if fresh:
            warnings.append((pk, fresh))
            row.warned = [*row.warned, *fresh]
        if not row.pk:
            new.append(row)
        elif _stored(row) != before:  # after one fact most rows are as they were: skip them
            changed.append(row)
    with transaction.atomic():
        MemberEvaluation.objects.bulk_create(new, batch_size=500)
        MemberEvaluation.objects.bulk_update(changed, [
            "rule_set", "total", "categories", "missing", "grade", "rank_body",
            "rank_sector", "at_risk", "warned"], batch_size=500)
        # bulk_update leaves auto_now alone: the rows that changed say when themselves
        MemberEvaluation.objects.filter(pk__in=[r.pk for r in changed]).update(
            computed_at=timezone.now())
        # The members no longer of the year, asked of the database: a list of 4,000 ids
        # cost Django a third of a second to turn into parameters.
        MemberEvaluation.objects.filter(body_id=body_id, year=year).exclude(
            member_id__in=members_of(body_id, rules).values("pk")).delete()
        _warn(body_id, year, warnings)
        figures_changed(body_id, year)


STORED = ["rule_set_id", "total", "categories", "missing", "grade", "rank_body",
          "rank_sector", "at_risk", "warned"]


def _stored(row: MemberEvaluation) -> tuple:
    """A result as compared before and after: a Grade is its code; JSON with its keys in
    order — PostgreSQL's jsonb gives them back in its own (shortest first), so compared as
    read, every one of a body's 4,000 results looked changed and was written again."""
    return tuple(json.dumps(value, sort_keys=True, default=str) if isinstance(
        value := getattr(row, name), dict | list) else str(value) for name in STORED)


def _warn(body_id: int, year: int, warnings: list[tuple[int, list[str]]]) -> None:
    from django.urls import reverse

    if not warnings:
        return
    seats = Member.objects.in_bulk([pk for pk, _r in warnings])
    for pk, reasons in warnings:
        member = seats[pk]
        for reason in reasons:  # one notice per reason, never again for the same one
            notify([member.user], Message(
                body_id, _("履职提醒：%(reason)s") % {"reason": reason},
                _("%(y)s年度履职考核预警，请及时履职；如有异议请联系委员工作机构。")
                % {"y": year}, reverse("duties:mine")))
    notify(staff_of(body_id), Message(body_id, _("有 %(n)s 位委员新列入履职预警名单") % {
        "n": len(warnings)}, "", reverse("duties:office") + "?risk=1"))


def recompute_member(member: Member, year: int, *, amend: bool = False
                     ) -> MemberEvaluation | None:
    """One member's result now, without touching the others: ranks are brought up to date
    by the next whole-body run. A closed year changes only by an amendment."""
    found = fresh_result(member, year, amend=amend)
    if not isinstance(found, Fresh):
        return found
    row = store(found)
    figures_changed(member.body_id, year)
    return row


@dataclass(frozen=True)
class Fresh:
    """A member's result worked out from their facts, not yet stored."""

    member: Member
    year: int
    values: dict[str, Any]


@dataclass(frozen=True)
class YearRules:
    """What every member's result of a body's year is worked out with."""

    rules: RuleSet
    window: tuple[datetime.date, datetime.date]


def year_rules(body_id: int, year: int) -> YearRules:
    rules = rules_for(body_id, year)
    return YearRules(rules, window(rules))


def fresh_result(member: Member, year: int, *, amend: bool = False,
                 known: YearRules | None = None) -> Fresh | MemberEvaluation | None:
    """The member's result from their facts (reads only: the caller stores it, so the
    reading is done before a transaction takes the write lock); for a closed year, unless
    amending, the stored result as it stands. `known`: the open year's rules, from a
    caller working out many members' results (read once, not once a member)."""
    if known is None:
        if year_state(member.body_id, year).frozen and not amend:
            return MemberEvaluation.objects.filter(member=member, year=year).first()
        known = year_rules(member.body_id, year)
    rules, (start, end) = known.rules, known.window
    result = evaluation.evaluate_counts(*_standing(member, start, end), rules)
    past_warning = timezone.localdate() >= rules.at_risk_on
    return Fresh(member, year, {
        "body_id": member.body_id, "rule_set": rules, "total": result.total,
        "categories": result.categories, "missing": result.missing,
        "grade": result.grade, "at_risk": evaluation.at_risk(result, past_warning)})


def _standing(member: Member, start: datetime.date, end: datetime.date
              ) -> tuple[dict[str, int], list[dict]]:
    """How many standing facts of each kind the member has in the window, and their
    corrections' data — counted as `recompute` counts a whole body's."""
    standing = DutyFact.objects.filter(member=member, withdrawn_at__isnull=True,
                                       occurred_on__range=(start, end)).order_by()
    counts = dict(standing.values_list("kind").annotate(n=Count("pk")))
    corrections = list(standing.filter(kind="correction").values_list("data", flat=True)
                       ) if "correction" in counts else []
    return counts, corrections


def store(fresh: Fresh) -> MemberEvaluation:
    """Write a worked-out result (the caller then calls figures_changed for its year)."""
    row, _new = MemberEvaluation.objects.update_or_create(
        member=fresh.member, year=fresh.year, defaults=fresh.values)
    return row


def write(fresh: Fresh) -> None:
    """`store` for a caller that needs no row back (a fact's recompute): one UPDATE when
    the result exists, as it nearly always does — update_or_create read it first and took
    two savepoints, four statements inside the write lock for each result."""
    rows = MemberEvaluation.objects.filter(member=fresh.member, year=fresh.year)
    if rows.update(**fresh.values):
        return
    try:
        with transaction.atomic():
            MemberEvaluation.objects.create(member=fresh.member, year=fresh.year,
                                            **fresh.values)
    except IntegrityError:  # written meanwhile by another recompute: now it exists
        rows.update(**fresh.values)


def figures(body_id: int, year: int) -> dict[str, Any]:
    """The year's members, grade counts and at-risk count of a body: counted over every
    member's result once, then kept until a result changes (a province-sized body counted
    them on every page view)."""
    key = f"duties:figures:{body_id}:{year}"
    found = cache.get(key)
    if found is None:
        counts = MemberEvaluation.objects.filter(body_id=body_id, year=year).aggregate(
            members=Count("id"), risk=Count("id", filter=~Q(at_risk=[])),
            **{code: Count("id", filter=Q(grade=code)) for code in Grade.values})
        found = {"members": counts["members"], "at_risk": counts["risk"],
                 "grades": {code: counts[code] for code in Grade.values}}
        cache.set(key, found, 24 * 3600)
    return found


def figures_changed(body_id: int, year: int) -> None:
    key = f"duties:figures:{body_id}:{year}"
    cache.delete(key)  # now, and again once committed: a page between the two
    # may have counted the old rows. One delete for every year the transaction touched:
    # on the embedded database each is a write of its own.
    keys = _gathered_until_commit("_lvzhi_figures", lambda keys: cache.delete_many(sorted(keys)))
    if keys is not None:
        keys.add(key)


RERANK_MINUTES = 10


def rerank_soon(body_id: int, year: int) -> None:
    """Ranks move with every member's total; re-ranking a body of thousands costs a write
    a tenth of a second, so it runs at most every RERANK_MINUTES (and daily, and on
    重新计算) — the totals and grades themselves are always current."""
    now = timezone.now()
    if EvaluationYear.objects.filter(body_id=body_id, year=year).filter(
            models.Q(ranked_at__isnull=True)
            | models.Q(ranked_at__lt=now - datetime.timedelta(minutes=RERANK_MINUTES))
    ).update(ranked_at=now):
        rerank(body_id, year)


def rerank(body_id: int, year: int) -> int:
    """Ranks in the body and in each sector from the stored totals (after members were
    recomputed one by one); only the rows whose rank moved are written."""
    rows = list(MemberEvaluation.objects.filter(body_id=body_id, year=year).values_list(
        "pk", "total", "rank_body", "rank_sector", "member__sector_id"))
    by_body = evaluation.ranks([(pk, total) for pk, total, *_r in rows])
    by_sector: dict[int, int] = {}
    for sector in {r[4] for r in rows}:
        by_sector.update(evaluation.ranks([(pk, total) for pk, total, _b, _s, sec in rows
                                           if sec == sector]))
    moved = [MemberEvaluation(pk=pk, rank_body=by_body[pk], rank_sector=by_sector[pk])
             for pk, _t, rank_body, rank_sector, _sec in rows
             if (rank_body, rank_sector) != (by_body[pk], by_sector[pk])]
    MemberEvaluation.objects.bulk_update(moved, ["rank_body", "rank_sector"], batch_size=500)
    return len(moved)


def staff_of(body_id: int):
    return User.objects.filter(pk__in=Role.objects.filter(
        body_id=body_id, kind=RoleKind.STAFF).values("user_id"))


def expertise_words(member: Member) -> list[str]:
    """A member's fields of expertise from the expert pool (参政议政人才库), for the
    directory and the search box."""
    try:
        expert = member.expert
    except Member.expert.RelatedObjectDoesNotExist:
        return []
    return [f.name for f in expert.fields.all()]
