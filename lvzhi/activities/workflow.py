"""Every change to an activity and its invitations, one function per action.

Each function checks who may act and when, locks the row it changes, writes, appends an
event and queues notifications and duty facts — in one transaction; a refusal is a
`Refusal` with a Chinese message and changes nothing. Check-in is a single conditional
UPDATE, so a burst of hundreds of members at a plenary's opening neither loses nor
duplicates a check-in.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.activities import services
from lvzhi.activities.access import activities_for, approves_leave, manages
from lvzhi.activities.models import (
    BASE_KINDS,
    CONSULTATIONS,
    Activity,
    ExpertInvitation,
    Feedback,
    GroupInvitation,
    Invitation,
    Outcome,
    Rating,
    RatingReceipt,
    ResearchBase,
)
from lvzhi.core.errors import Refusal
from lvzhi.core.events import history, record_event
from lvzhi.core.models import Body, Member, User
from lvzhi.core.notifications import Message, notify
from lvzhi.core.throttle import count_failure, failures
from lvzhi.duties.models import Expert
from lvzhi.duties.services import record_fact, record_facts, withdraw_facts
from lvzhi.opinions import workflow as opinions
from lvzhi.opinions.models import Report

A = Activity.State
I = Invitation  # noqa: E741
LATE_AFTER = datetime.timedelta(minutes=15)


def _staff(actor: User, activity: Activity) -> None:
    if not manages(actor, activity):
        raise Refusal("forbidden", _("只有本政协的机关干部可以管理活动。"), status=403)


def _locked(activity: Activity | int) -> Activity:
    pk = activity if isinstance(activity, int) else activity.pk
    return Activity.objects.select_for_update(of=("self",)).select_related("body").get(pk=pk)


def _my_invitation(actor: User, activity: Activity) -> Invitation:
    row = activity.invitations.filter(member__user=actor).select_related("member").first()
    if row is None:
        raise Refusal("not_invited", _("您不在本次活动的参加人员名单中。"), status=403)
    return row


def _visible(actor: User, pk: int) -> Activity:
    activity = activities_for(actor).filter(pk=pk).first()
    if activity is None:
        raise Refusal("not_found", _("找不到该活动，或您无权查看。"), status=404)
    return activity


def _tell(users: list[User], activity: Activity, title: str, text: str = "") -> None:
    notify(users, Message(activity.body_id, title, text, activity.get_absolute_url()))


# --- staff: plan and notice --------------------------------------------------------------------

def create(actor: User, body: Body, fields: dict[str, Any], members: list[Member]) -> Activity:
    probe = Activity(body=body)
    _staff(actor, probe)
    if not fields.get("title") or not fields.get("starts_at") or not fields.get("kind"):
        raise Refusal("missing", _("请填写活动名称、类型和时间。"))
    if fields.get("ends_at") and fields["ends_at"] < fields["starts_at"]:
        raise Refusal("bad_time", _("结束时间不能早于开始时间。"))
    _check_base(body, fields)
    allowed = {body.pk, *body.children.values_list("pk", flat=True)}
    if any(m.body_id not in allowed for m in members):
        raise Refusal("other_body", _("只能邀请本政协（市政协可含所辖区县）的委员。"))
    with transaction.atomic():
        activity = Activity.objects.create(
            body=body, checkin_secret=secrets.token_hex(16),
            ends_at=fields.get("ends_at") or fields["starts_at"] + datetime.timedelta(hours=2),
            **{k: v for k, v in fields.items() if k != "ends_at"})
        registration = I.Registration.OPEN if activity.needs_registration else I.Registration.NONE
        Invitation.objects.bulk_create(
            Invitation(body=body, activity=activity, member=m, registration=registration)
            for m in {m.pk: m for m in members}.values())
        record_event(activity, "created", actor, to_state=activity.state,
                     data={"invited": len(members)})
    return activity


def _check_base(body: Body, fields: dict[str, Any]) -> None:
    base = fields.get("research_base_id")
    if not base:
        return
    if fields.get("kind") not in BASE_KINDS:
        raise Refusal("base_kind", _("只有调研和视察活动可以选择调研基地。"))
    if not ResearchBase.objects.filter(pk=base, body=body, is_active=True).exists():
        raise Refusal("bad_base", _("请选择本政协的调研基地。"))


def invite(actor: User, activity: Activity, members: list[Member],
           groups: Sequence[tuple[str, int, str]] = ()) -> int:
    """Add people to an activity not yet closed; those added after the notice get it now.
    `groups` (code, key, name) are the core.groups the members came from, kept so each
    group's page lists the activity."""
    with transaction.atomic():
        a = _locked(activity)
        _staff(actor, a)
        if a.state in (A.CLOSED, A.CANCELLED):
            raise Refusal("wrong_state", _("活动已结束，不能再邀请。"), status=409)
        allowed = {a.body_id, *Body.objects.filter(parent_id=a.body_id).values_list("pk",
                                                                                    flat=True)}
        if any(m.body_id not in allowed for m in members):
            raise Refusal("other_body", _("只能邀请本政协（市政协可含所辖区县）的委员。"))
        have = set(a.invitations.values_list("member_id", flat=True))
        new = [m for m in {m.pk: m for m in members}.values() if m.pk not in have]
        registration = I.Registration.OPEN if a.needs_registration else I.Registration.NONE
        Invitation.objects.bulk_create(Invitation(body_id=a.body_id, activity=a, member=m,
                                                  registration=registration) for m in new)
        have_groups = set(a.group_invitations.values_list("code", "key"))
        GroupInvitation.objects.bulk_create(
            GroupInvitation(body_id=a.body_id, activity=a, code=code, key=key, name=name[:200])
            for code, key, name in dict.fromkeys(groups) if (code, key) not in have_groups)
        record_event(a, "invite", actor, data={"added": [m.pk for m in new],
                                               "groups": [name for *_k, name in groups]})
        if a.state == A.NOTIFIED:
            _tell([m.user for m in new], a, _("活动通知：%(t)s") % {"t": a.title})
            _invited_facts(a, new)
    return len(new)


def invite_experts(actor: User, activity: Activity, experts: list[Expert]) -> int:
    """Ask outside experts of the body's pool to an activity not yet closed; pool members
    are invited as members (`invite`)."""
    with transaction.atomic():
        a = _locked(activity)
        _staff(actor, a)
        if a.state in (A.CLOSED, A.CANCELLED):
            raise Refusal("wrong_state", _("活动已结束，不能再邀请。"), status=409)
        if not experts:
            raise Refusal("missing_experts", _("请选择要邀请的特邀专家。"))
        if any(e.body_id != a.body_id or e.member_id for e in experts):
            raise Refusal("other_body", _("只能邀请本政协人才库中的特邀专家。"))
        have = set(a.expert_invitations.values_list("expert_id", flat=True))
        new = [e for e in {e.pk: e for e in experts}.values() if e.pk not in have]
        ExpertInvitation.objects.bulk_create(
            ExpertInvitation(body_id=a.body_id, activity=a, expert=e) for e in new)
        record_event(a, "invite_experts", actor, data={"added": [e.display_name for e in new]})
    return len(new)


def _expert_row(actor: User, activity: Activity, row_id: int) -> tuple[Activity,
                                                                      ExpertInvitation]:
    a = _locked(activity)
    _staff(actor, a)
    row = a.expert_invitations.select_related("expert__member__user").filter(pk=row_id).first()
    if row is None:
        raise Refusal("not_found", _("该专家不在本次活动的邀请名单中。"), status=404)
    return a, row


def remove_expert(actor: User, activity: Activity, row_id: int) -> None:
    with transaction.atomic():
        a, row = _expert_row(actor, activity, row_id)
        if a.state == A.CLOSED:
            raise Refusal("wrong_state", _("活动已结束，不能再取消邀请。"), status=409)
        row.delete()
        record_event(a, "remove_expert", actor, data={"expert": row.expert.display_name})


def mark_expert(actor: User, activity: Activity, row_id: int, attended: bool) -> None:
    """Record whether an invited expert came — once the activity has begun."""
    with transaction.atomic():
        a, row = _expert_row(actor, activity, row_id)
        if timezone.now() < a.starts_at:
            raise Refusal("not_started", _("活动尚未开始，不能登记专家到会情况。"), status=409)
        row.attended = attended
        row.save(update_fields=["attended"])
        record_event(a, "mark_expert", actor, data={"expert": row.expert.display_name,
                                                    "attended": attended})


def _invited_facts(a: Activity, members: list[Member]) -> None:
    """受邀: a duty fact once the notice reaches them (worth nothing in the ready schemes;
    the record shows it beside the attendance)."""
    record_facts(members, "activity_invited", a, timezone.localdate(a.starts_at),
                 {"title": a.title})


def send_notice(actor: User, activity: Activity) -> bool:
    """Notify every invited person; returns whether the notice is late for the kind."""
    with transaction.atomic():
        a = _locked(activity)
        _staff(actor, a)
        if a.state != A.PLANNED:
            raise Refusal("wrong_state", _("活动目前“%(s)s”，不能再发通知。") % {
                "s": a.get_state_display()}, status=409)
        late = timezone.now() > services.notice_due(a)
        a.state, a.notified_at = A.NOTIFIED, timezone.now()
        a.save(update_fields=["state", "notified_at"])
        members = [i.member for i in a.invitations.select_related("member__user")]
        users = [m.user for m in members]
        _invited_facts(a, members)
        when = timezone.localtime(a.starts_at)
        _tell(users, a, _("活动通知：%(t)s") % {"t": a.title},
              _("%(when)s，%(place)s。") % {"when": when.strftime(_("%m月%d日 %H:%M")),
                                            "place": a.place or a.online_link})
        record_event(a, "notify", actor, from_state=A.PLANNED, to_state=a.state,
                     data={"late": late, "invited": len(users)})
    return late


# --- members: registration, leave, check-in, rating ------------------------------------------

def register(actor: User, activity: Activity) -> Invitation:
    with transaction.atomic():
        a = _locked(activity)
        row = _my_invitation(actor, a)
        if not a.needs_registration or a.state != A.NOTIFIED:
            raise Refusal("no_registration", _("本次活动不需要或已停止报名。"), status=409)
        if row.registration in (I.Registration.REGISTERED, I.Registration.WAITING):
            return row
        taken = a.invitations.filter(registration=I.Registration.REGISTERED).count()
        row.registration = I.Registration.REGISTERED if taken < a.capacity \
            else I.Registration.WAITING
        row.registered_at = timezone.now()
        row.save(update_fields=["registration", "registered_at"])
        record_event(a, "register", actor, data={"member": row.member_id,
                                                 "result": row.registration})
    return row


def cancel_registration(actor: User, activity: Activity) -> Invitation:
    with transaction.atomic():
        a = _locked(activity)
        row = _my_invitation(actor, a)
        if row.registration not in (I.Registration.REGISTERED, I.Registration.WAITING):
            raise Refusal("not_registered", _("您尚未报名。"), status=409)
        freed = row.registration == I.Registration.REGISTERED
        row.registration = I.Registration.CANCELLED
        row.save(update_fields=["registration"])
        record_event(a, "cancel_registration", actor, data={"member": row.member_id})
        if freed:
            nxt = a.invitations.filter(registration=I.Registration.WAITING)\
                .order_by("registered_at", "id").select_related("member__user").first()
            if nxt:
                nxt.registration = I.Registration.REGISTERED
                nxt.save(update_fields=["registration"])
                _tell([nxt.member.user], a, _("候补转为正式报名：%(t)s") % {"t": a.title})
    return row


def ask_leave(actor: User, activity: Activity, reason: str) -> Invitation:
    with transaction.atomic():
        a = _locked(activity)
        row = _my_invitation(actor, a)
        if a.state != A.NOTIFIED:
            raise Refusal("wrong_state", _("活动目前“%(s)s”，不能请假。") % {
                "s": a.get_state_display()}, status=409)
        deadline = services.leave_deadline(a)
        if timezone.now() > deadline:
            raise Refusal("leave_late", _("请假须在活动开始 %(n)s 天前（%(t)s 前）提出，现已逾期。")
                          % {"n": services.rules_for(a.body_id).leave_days,
                             "t": timezone.localtime(deadline).strftime(_("%m月%d日 %H:%M"))},
                          status=409)
        if not reason.strip():
            raise Refusal("missing_reason", _("请填写请假事由。"))
        if row.leave in (I.Leave.PENDING, I.Leave.APPROVED):
            raise Refusal("leave_exists", _("您已提出请假。"), status=409)
        row.leave, row.leave_reason = I.Leave.PENDING, reason.strip()[:200]
        row.save(update_fields=["leave", "leave_reason"])
        record_event(a, "ask_leave", actor, comment=row.leave_reason,
                     data={"member": row.member_id})
    return row


def decide_leave(actor: User, invitation: Invitation, approve: bool) -> Invitation:
    with transaction.atomic():
        row = Invitation.objects.select_for_update(of=("self",)).select_related(
            "activity", "member__user").get(pk=invitation.pk)
        a = row.activity
        if not approves_leave(actor, a):
            raise Refusal("forbidden", _("本类活动的请假由%(who)s审批。") % {
                "who": _("主席") if a.kind in ("plenary", "standing") else _("秘书长")},
                status=403)
        if row.leave != I.Leave.PENDING:
            raise Refusal("no_pending_leave", _("没有待审批的请假。"), status=409)
        row.leave = I.Leave.APPROVED if approve else I.Leave.REFUSED
        row.leave_decided_by = actor
        row.save(update_fields=["leave", "leave_decided_by"])
        record_event(a, "decide_leave", actor, data={"member": row.member_id,
                                                     "approved": approve})
        _tell([row.member.user], a, _("请假%(r)s：%(t)s") % {
            "r": _("已批准") if approve else _("未批准"), "t": a.title})
    return row


def check_in(actor: User, activity: Activity | int, code: str, method: str = "qr") -> bool:
    """Check in with the QR token or the short code. Returns False if already checked in."""
    a = _visible(actor, activity if isinstance(activity, int) else activity.pk)
    row = a.invitations.filter(member__user=actor).values_list("pk", flat=True).first()
    if row is None:
        raise Refusal("not_invited", _("您不在本次活动的参加人员名单中。"), status=403)
    if a.state != A.NOTIFIED:
        raise Refusal("wrong_state", _("活动目前“%(s)s”，不能签到。") % {
            "s": a.get_state_display()}, status=409)
    now = timezone.now()
    if not a.starts_at - datetime.timedelta(hours=2) <= now <= a.ends_at:
        raise Refusal("not_open", _("签到时间为活动开始前两小时至活动结束。"), status=409)
    if method != "online":
        _check_code(actor, a, code)
    with transaction.atomic():
        done = Invitation.objects.filter(pk=row, checked_in_at__isnull=True).update(
            checked_in_at=now, checkin_method=method)
        if done:
            record_event(a, "check_in", actor, data={"invitation": row, "method": method})
    return bool(done)


def _check_code(actor: User, a: Activity, code: str) -> None:
    """Six digits can be guessed: a person has CHECKIN_FAILURE_LIMIT tries per activity
    within CHECKIN_LOCKOUT_SECONDS, then staff mark them present."""
    key = f"checkin-fail:{a.pk}:{actor.pk}"
    if failures(key) >= settings.CHECKIN_FAILURE_LIMIT:
        raise Refusal("checkin_locked", _(
            "签到码错误次数过多，请稍后再试，或请现场工作人员为您签到。"), status=429,
            retry_after=CHECKIN_LOCKOUT_SECONDS)
    if not services.code_is_current(a, (code or "").strip()):
        count_failure(key, CHECKIN_LOCKOUT_SECONDS)
        raise Refusal("stale_code", _("签到码已过期或不正确，请扫描现场屏幕上的最新二维码。"))


CHECKIN_LOCKOUT_SECONDS = 600


def mark_present(actor: User, invitation: Invitation) -> None:
    a = invitation.activity
    _staff(actor, a)
    with transaction.atomic():
        if Invitation.objects.filter(pk=invitation.pk, checked_in_at__isnull=True).update(
                checked_in_at=timezone.now(), checkin_method="staff"):
            record_event(a, "mark_present", actor, data={"invitation": invitation.pk})


def rate(actor: User, activity: Activity, scores: dict[str, int], comment: str = "") -> None:
    a = _visible(actor, activity.pk)
    row = _my_invitation(actor, a)
    if a.kind not in CONSULTATIONS or a.state != A.CLOSED:
        raise Refusal("not_rateable", _("只有已结束的协商活动可以评价。"), status=409)
    if row.attendance not in (I.Attendance.PRESENT, I.Attendance.LATE):
        raise Refusal("not_present", _("只有出席的委员可以评价。"), status=403)
    values = {}
    for name in ("topic", "organisation", "service", "effect"):
        try:
            values[name] = int(scores.get(name))
        except (TypeError, ValueError):
            raise Refusal("bad_score", _("每项评分为 1 至 5 分。")) from None
        if not 1 <= values[name] <= 5:
            raise Refusal("bad_score", _("每项评分为 1 至 5 分。"))
    with transaction.atomic():
        _receipt, new = RatingReceipt.objects.get_or_create(activity=a, member=row.member)
        if not new:
            raise Refusal("already_rated", _("您已评价过本次活动。"), status=409)
        Rating.objects.create(body_id=a.body_id, activity=a, comment=comment[:500],
                              day=timezone.localdate(), **values)


# --- staff: attendance, outcomes, feedback ------------------------------------------------------

def close_attendance(actor: User, activity: Activity) -> dict[str, int]:
    """Give every invited person their outcome and record it as a duty fact."""
    with transaction.atomic():
        a = _locked(activity)
        _staff(actor, a)
        if a.state != A.NOTIFIED:
            raise Refusal("wrong_state", _("活动目前“%(s)s”，不能结束考勤。") % {
                "s": a.get_state_display()}, status=409)
        if timezone.now() < a.starts_at:
            # Closing marks everyone who has not checked in absent: never before it begins.
            raise Refusal("not_started", _("活动尚未开始，不能结束考勤。"), status=409)
        rows = list(a.invitations.select_related("member"))
        counts: dict[str, int] = {}
        for row in rows:
            row.attendance = _outcome(a, row)
            counts[row.attendance] = counts.get(row.attendance, 0) + 1
            record_fact(row.member, f"activity_{a.kind}_{row.attendance}", row,
                        timezone.localdate(a.starts_at), {"title": a.title})
        Invitation.objects.bulk_update(rows, ["attendance"])
        a.state = A.CLOSED
        a.save(update_fields=["state"])
        record_event(a, "close_attendance", actor, from_state=A.NOTIFIED, to_state=A.CLOSED,
                     data=counts)
    return counts


REOPEN_HOURS = 24


def reopen_attendance(actor: User, activity: Activity) -> None:
    """Undo a closing made by mistake, within REOPEN_HOURS: outcomes and their duty facts
    are taken back, check-ins kept, and the history says who reopened it."""
    with transaction.atomic():
        a = _locked(activity)
        _staff(actor, a)
        if a.state != A.CLOSED:
            raise Refusal("wrong_state", _("活动目前“%(s)s”，不能重新打开考勤。") % {
                "s": a.get_state_display()}, status=409)
        closed = history(a).filter(action="close_attendance").last()
        if closed is None or timezone.now() - closed.created_at > datetime.timedelta(
                hours=REOPEN_HOURS):
            raise Refusal("too_late", _("考勤结束已超过 %(h)s 小时，不能重新打开。") % {
                "h": REOPEN_HOURS}, status=409)
        rows = list(a.invitations.all())
        withdraw_facts(rows, _("考勤重新打开"))
        for row in rows:
            row.attendance = ""
        Invitation.objects.bulk_update(rows, ["attendance"])
        a.state = A.NOTIFIED
        a.save(update_fields=["state"])
        record_event(a, "reopen_attendance", actor, from_state=A.CLOSED, to_state=A.NOTIFIED)


def _outcome(a: Activity, row: Invitation) -> str:
    if row.checked_in_at:
        return I.Attendance.LATE if row.checked_in_at > a.starts_at + LATE_AFTER \
            else I.Attendance.PRESENT
    if row.leave == I.Leave.APPROVED:
        return I.Attendance.ON_LEAVE
    return I.Attendance.ABSENT


def add_outcome(actor: User, activity: Activity, fields: dict[str, Any],
                authors: list[Member]) -> Outcome:
    _staff(actor, activity)
    if not fields.get("title") or fields.get("kind") not in Outcome.OutcomeKind.values:
        raise Refusal("missing", _("请填写成果的类型和标题。"))
    with transaction.atomic():
        outcome = Outcome.objects.create(body_id=activity.body_id, activity=activity,
                                         plan_item=activity.plan_item, **fields)
        outcome.authors.set(authors)
        record_event(activity, "add_outcome", actor, data={"outcome": outcome.pk})
        for member in authors:
            record_fact(member, f"outcome_{outcome.kind}", outcome, timezone.localdate(),
                        {"title": outcome.title})
    return outcome


def add_feedback(actor: User, outcome: Outcome, fields: dict[str, Any]) -> Feedback:
    activity = outcome.activity
    _staff(actor, activity)
    if fields.get("kind") not in Feedback.FeedbackKind.values or not fields.get("text"):
        raise Refusal("missing", _("请填写反馈的类型和内容。"))
    with transaction.atomic():
        row = Feedback.objects.create(body_id=outcome.body_id, outcome=outcome, **fields)
        record_event(activity, "add_feedback", actor, data={"feedback": row.pk})
    return row




def speech_to_opinion(actor: User, outcome: Outcome) -> Report:
    """A plenary speech (大会发言) turned into an opinion report in the body's queue, in the
    name of its first author, who keeps the credit."""
    _staff(actor, outcome.activity)
    if outcome.kind != Outcome.OutcomeKind.SPEECH:
        raise Refusal("not_speech", _("只有大会发言可以转为社情民意信息。"), status=409)
    author = outcome.authors.select_related("user").first()
    if author is None:
        raise Refusal("no_author", _("请先登记发言人。"))
    with transaction.atomic():
        # Through the opinions workflow: its checks, its event, the author's duty fact.
        report = opinions.receive(
            author=author, actor=actor, source=outcome.activity,
            source_label=_("大会发言《%(t)s》") % {"t": outcome.title}, title=outcome.title,
            situation=outcome.text or outcome.title, suggestions=outcome.text or "")
        record_event(outcome.activity, "speech_to_opinion", actor,
                     data={"outcome": outcome.pk, "report": report.pk})
    return report
