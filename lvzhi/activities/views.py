"""Activity pages: the member's (phone), the staff's, the venue screen and the plan."""

from __future__ import annotations

import datetime
import io
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from lvzhi.activities import plans as plans_io
from lvzhi.activities import services, workflow
from lvzhi.activities.access import approves_leave, get_activity_for, manages
from lvzhi.activities.forms import ResearchBaseForm
from lvzhi.activities.models import (
    Activity,
    AnnualPlan,
    Feedback,
    Invitation,
    Kind,
    Outcome,
    Rating,
    ResearchBase,
)
from lvzhi.core import groups
from lvzhi.core.access import bodies_with
from lvzhi.core.attachments import attach, attachments_of, check_upload
from lvzhi.core.errors import Refusal, refill
from lvzhi.core.events import record_event
from lvzhi.core.inputs import to_ids, to_int, to_year
from lvzhi.core.models import Body, Member, Position, Sector, SpecialCommittee
from lvzhi.core.responses import xlsx_response
from lvzhi.core.spreadsheets import append_row, fit_columns, header_row, workbook_bytes
from lvzhi.duties.experts import pool
from lvzhi.duties.models import Expert

I = Invitation  # noqa: E741


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = Invitation.objects.filter(member__user=request.user).select_related("activity")\
        .order_by("-activity__starts_at")
    now = timezone.now()
    outcomes = Outcome.objects.filter(authors__user=request.user).select_related("activity")\
        .prefetch_related("feedback")
    return render(request, "activities/mine.html", {
        "upcoming": [r for r in rows if r.activity.ends_at >= now][::-1],
        "past": [r for r in rows if r.activity.ends_at < now][:50], "outcomes": outcomes})


@login_required
def detail(request: HttpRequest, pk: int, *, error: Refusal | None = None,
           posted: tuple[str, Any] | None = None) -> HttpResponse:
    """`posted`: a refused action's name and what was typed, to fill its form in again."""
    a = get_activity_for(request.user, pk)
    mine = a.invitations.filter(member__user=request.user).first()
    staff = manages(request.user, a)
    ratings = a.ratings.aggregate(topic=Avg("topic"), organisation=Avg("organisation"),
                                  service=Avg("service"), effect=Avg("effect"), n=Count("id"))
    return render(request, "activities/detail.html", {
        **refill(error, posted),
        "a": a, "mine": mine, "staff": staff, "now": timezone.now(),
        "leave_deadline": services.leave_deadline(a), "notice_due": services.notice_due(a),
        "outcomes": [(o, attachments_of(o)) for o in
                     a.outcomes.prefetch_related("feedback", "authors__user")],
        "materials": attachments_of(a),
        "outcome_kinds": Outcome.OutcomeKind.choices,
        "feedback_kinds": Feedback.FeedbackKind.choices,
        "ratings": ratings if staff or request.user.is_superuser else None,
        "counts": a.invitations.aggregate(
            invited=Count("id"), checked=Count("id", filter=Q(checked_in_at__isnull=False))),
        "sectors": Sector.objects.filter(body=a.body) if staff else [],
        "committees": SpecialCommittee.objects.filter(body=a.body) if staff else [],
        # The expert pool's members who can join, by their fields (参政议政人才库).
        "experts": pool({a.body_id}, available=True).filter(member__isnull=False)
        if staff and a.state != Activity.State.CLOSED else [],
        "guests": a.expert_invitations.select_related("expert") if staff else [],
        "groups": groups.choices(a.body_id) if staff and a.state != Activity.State.CLOSED
        else [],
        "invited_groups": a.group_invitations.all() if staff else [],
        "outside_experts": pool({a.body_id}, available=True).filter(member__isnull=True)
        .exclude(activity_invitations__activity=a)
        if staff and a.state != Activity.State.CLOSED else [],
        "can_rate": services.can_rate(a, mine),
    }, status=error.status if error else 200)


MEMBER_ACTIONS = {
    "register": lambda r, a: workflow.register(r.user, a),
    "cancel": lambda r, a: workflow.cancel_registration(r.user, a),
    "leave": lambda r, a: workflow.ask_leave(r.user, a, r.POST.get("reason", "")),
    "checkin": lambda r, a: workflow.check_in(r.user, a, r.POST.get("code", "")),
    "rate": lambda r, a: workflow.rate(r.user, a, r.POST, r.POST.get("comment", "")),
}
DONE = {"register": _("报名已提交"), "cancel": _("已取消报名"), "leave": _("请假申请已提交"),
        "checkin": _("签到成功"), "rate": _("感谢您的评价")}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    a = get_activity_for(request.user, pk)
    if name not in MEMBER_ACTIONS:
        raise Http404
    try:
        MEMBER_ACTIONS[name](request, a)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return detail(request, pk, error=refusal, posted=(name, request.POST))
    messages.success(request, str(DONE[name]))
    return redirect(a.get_absolute_url())


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the venue's QR code points: scanning it checks the member in."""
    token = request.GET.get("t", "")
    try:
        new = workflow.check_in(request.user, pk, token)
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        return render(request, "activities/checkin.html", {
            "ok": False, "message": refusal.message, "pk": pk}, status=refusal.status)
    return render(request, "activities/checkin.html", {
        "ok": True, "pk": pk,
        "message": _("签到成功。") if new else _("您已签到，无需重复签到。")})


@login_required
def join_online(request: HttpRequest, pk: int) -> HttpResponse:
    """Online lectures: joining through the platform records online attendance."""
    a = get_activity_for(request.user, pk)
    if not a.online_link:
        raise Http404
    try:
        workflow.check_in(request.user, a, "", method="online")
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(a.get_absolute_url())
    return redirect(a.online_link)


def _staff_activity(request: HttpRequest, pk: int) -> Activity:
    a = get_activity_for(request.user, pk)
    if not manages(request.user, a):
        raise Http404
    return a


@login_required
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    a = _staff_activity(request, pk)
    return render(request, "activities/screen.html", {"a": a, **_live(request, a)})


@login_required
def screen_live(request: HttpRequest, pk: int) -> HttpResponse:
    a = _staff_activity(request, pk)
    return render(request, "activities/_screen_live.html", {"a": a, **_live(request, a)})


def _live(request: HttpRequest, a: Activity) -> dict:
    url = request.build_absolute_uri(
        reverse("activities:checkin", args=[a.pk]) + f"?t={services.checkin_token(a)}")
    svg = io.BytesIO()
    # omitsize: a viewBox instead of a fixed width, so CSS can fit it to a phone unclipped
    segno.make(url, error="m").save(svg, kind="svg", scale=8, border=2, omitsize=True)
    counts = a.invitations.aggregate(invited=Count("id"), checked=Count(
        "id", filter=Q(checked_in_at__isnull=False)), leave=Count(
        "id", filter=Q(leave=I.Leave.APPROVED)))
    return {"qr": svg.getvalue().decode(), "code": services.short_code(a), "counts": counts,
            "seconds": services.rules_for(a.body_id).checkin_window_seconds}


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_activity_for(request.user, pk)
    staff, approver = manages(request.user, a), approves_leave(request.user, a)
    if not (staff or approver):
        raise Http404
    rows = a.invitations.select_related("member__user", "member__sector", "member__body")\
        .order_by("member__sector__order", "member__user__full_name")
    return render(request, "activities/attendance.html", {
        "a": a, "rows": rows, "staff": staff, "approver": approver,
        "can_reopen": staff and a.state == Activity.State.CLOSED})


@login_required
def attendance_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    a = _staff_activity(request, pk)
    wb = Workbook()
    sheet = wb.active
    sheet.title = _("考勤")
    header_row(sheet, [_("姓名"), _("政协"), _("界别"), _("报名"), _("请假"), _("签到时间"),
                       _("签到方式"), _("出勤")])
    for r in a.invitations.select_related("member__user", "member__sector", "member__body"):
        append_row(sheet, [
            r.member.user.full_name, r.member.body.short_name, r.member.sector.name,
            r.get_registration_display(), r.get_leave_display(), r.checked_in_at,
            r.get_checkin_method_display(), r.get_attendance_display() if r.attendance else ""])
    fit_columns(sheet)
    return xlsx_response(workbook_bytes(wb), _("%(title)s考勤") % {"title": a.title} + ".xlsx")


@login_required
@require_POST
def staff_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    a = get_activity_for(request.user, pk)
    back = request.POST.get("back") == "attendance"
    try:
        message = _staff_action(request, a, name)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        if back:
            return redirect("activities:attendance", pk=a.pk)
        return detail(request, pk, error=refusal, posted=(name, request.POST))
    messages.success(request, message)
    return redirect("activities:attendance", pk=a.pk) if back else redirect(a.get_absolute_url())


EXPERT_ACTIONS = ("experts", "expert_came", "expert_away", "expert_remove")


def _expert_action(request: HttpRequest, a: Activity, name: str) -> str:
    """Outside experts of the pool: invite, record whether they came, take off the list."""
    post = request.POST
    if name == "experts":
        chosen = Expert.objects.filter(pk__in=to_ids(post.getlist("experts")))
        n = workflow.invite_experts(request.user, a, list(chosen))
        return _("已邀请 %(n)s 名特邀专家。") % {"n": n}
    row = to_int(post.get("row")) or 0
    if name == "expert_remove":
        workflow.remove_expert(request.user, a, row)
        return _("已取消对该专家的邀请。")
    workflow.mark_expert(request.user, a, row, name == "expert_came")
    return _("已登记专家到会情况。")


def _staff_action(request: HttpRequest, a: Activity, name: str) -> str:
    post = request.POST
    if name in EXPERT_ACTIONS:
        return _expert_action(request, a, name)
    if name == "notify":
        late = workflow.send_notice(request.user, a)
        return _("通知已发出。") + (_("注意：已晚于规定的提前通知时间。") if late else "")
    if name == "reopen":
        workflow.reopen_attendance(request.user, a)
        return _("考勤已重新打开，可继续签到和登记。")
    if name == "close":
        counts = workflow.close_attendance(request.user, a)
        return _("考勤已结束：出席 %(p)s，迟到早退 %(l)s，请假 %(v)s，缺席 %(x)s。") % {
            "p": counts.get("present", 0), "l": counts.get("late", 0),
            "v": counts.get("on_leave", 0), "x": counts.get("absent", 0)}
    if name in ("present", "leave_yes", "leave_no"):
        row = get_object_or_404(Invitation, pk=to_int(post.get("invitation")) or 0, activity=a)
        if name == "present":
            workflow.mark_present(request.user, row)
            return _("已标记到会。")
        workflow.decide_leave(request.user, row, name == "leave_yes")
        return _("已审批。")
    if name == "outcome":
        authors = Member.objects.filter(pk__in=to_ids(post.getlist("authors")), body=a.body)
        upload = request.FILES.get("file")
        if upload:
            check_upload(upload)
        with transaction.atomic():
            outcome = workflow.add_outcome(request.user, a, {
                "kind": post.get("kind"), "title": post.get("title", "").strip(),
                "text": post.get("text", ""), "recipients": post.get("recipients", "")},
                authors)
            if upload:
                attach(outcome, upload, request.user)
        return _("成果已登记。")
    if name == "feedback":
        outcome = get_object_or_404(Outcome, pk=to_int(post.get("outcome")) or 0, activity=a)
        try:
            on = datetime.date.fromisoformat(post.get("date", ""))
        except ValueError:
            raise Refusal("bad_date", _("日期格式不正确。")) from None
        workflow.add_feedback(request.user, outcome, {
            "kind": post.get("kind"), "level": post.get("level", ""),
            "text": post.get("text", "").strip(), "date": on})
        return _("反馈已登记。")
    if name == "invite":
        parsed = [groups.parse(a.body_id, v) for v in post.getlist("groups")]
        chosen = [g for g in parsed if g is not None]
        if len(chosen) != len(parsed):
            raise Refusal("bad_groups", _("请选择本政协的小组。"))
        in_groups = Q(pk__in=[])
        for kind, key, _name in chosen:
            in_groups |= Q(pk__in=kind.members(a.body_id, key))
        people = Member.objects.filter(is_active=True, term__is_current=True).filter(
            Q(user__full_name__in=post.get("names", "").replace("，", "、").split("、"))
            | Q(sector__in=to_ids(post.getlist("sectors")))
            | Q(committees__in=to_ids(post.getlist("committees")))
            | Q(pk__in=to_ids(post.getlist("members")))  # chosen from the expert pool
            | in_groups
        ).filter(Q(body=a.body) | Q(body__parent=a.body)).distinct()
        n = workflow.invite(request.user, a, list(people),
                            [(kind.code, key, name) for kind, key, name in chosen])
        # A group's outside experts (特邀专家) come as the activity's experts.
        guests = [pk for kind, key, _name in chosen if kind.experts
                  for pk in kind.experts(a.body_id, key).values_list("expert_id", flat=True)]
        if guests:
            n += workflow.invite_experts(request.user, a, list(
                Expert.objects.filter(pk__in=guests, body_id=a.body_id)))
        return _("已增加 %(n)s 名参加人员。") % {"n": n}
    if name == "material":
        if not manages(request.user, a):
            raise Refusal("forbidden", _("只有本政协的机关干部可以管理活动。"), status=403)
        upload = request.FILES.get("file")
        if not upload:
            raise Refusal("missing_file", _("请选择要上传的文件。"))
        attach(a, upload, request.user)
        return _("材料已上传。")
    if name == "to_opinion":
        outcome = get_object_or_404(Outcome, pk=to_int(post.get("outcome")) or 0, activity=a)
        workflow.speech_to_opinion(request.user, outcome)
        return _("已转为社情民意信息，进入信息处理队列。")
    raise Http404


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    bodies = bodies_with(request.user, "activities.manage", write=True)
    if not bodies:
        raise Http404
    body = Body.objects.filter(pk__in=bodies).first()
    if request.method == "POST":
        try:
            a = _create_from_post(request, body)
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("活动已创建，请核对参加人员后发出通知。"))
            return redirect(a.get_absolute_url())
    rows = Activity.objects.filter(body_id__in=bodies).annotate(
        invited=Count("invitations"),
        checked=Count("invitations", filter=Q(invitations__checked_in_at__isnull=False)))[:100]
    return render(request, "activities/manage.html", {
        "rows": rows, "kinds": Kind.choices, "body": body,
        "committees": SpecialCommittee.objects.filter(body=body),
        "sectors": Sector.objects.filter(body=body), "positions": Position.choices,
        # This year's plan and later ones: a new activity does not serve a past plan.
        "plan_items": AnnualPlan.objects.filter(body=body, year__gte=timezone.localdate().year)
        .prefetch_related("items"),
        "bases": ResearchBase.objects.filter(body=body, is_active=True)})


@login_required
def bases(request: HttpRequest) -> HttpResponse:
    """调研基地: the body's places for research, each with its visits; staff add them."""
    readable = bodies_with(request.user, "activities.read_all")
    if not readable:
        raise Http404
    managed = bodies_with(request.user, "activities.manage", write=True)
    form = ResearchBaseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not managed:
            raise Http404
        if form.is_valid():
            base = form.save(commit=False)
            base.body_id = min(managed)
            base.save()
            record_event(base, "created", request.user)
            messages.success(request, _("已添加调研基地。"))
            return redirect(base.get_absolute_url())
        status = 400
    rows = ResearchBase.objects.filter(body_id__in=readable).annotate(
        visit_count=Count("visits"))
    return render(request, "activities/bases.html", {
        "rows": rows, "form": form, "can_add": bool(managed)}, status=status)


@login_required
def base(request: HttpRequest, pk: int) -> HttpResponse:
    row = ResearchBase.objects.filter(
        pk=pk, body_id__in=bodies_with(request.user, "activities.read_all")).first()
    if row is None:
        raise Http404
    return render(request, "activities/base.html", {
        "b": row, "visits": row.visits.order_by("-starts_at")})


def _create_from_post(request: HttpRequest, body: Body) -> Activity:
    post = request.POST
    try:
        starts = timezone.make_aware(datetime.datetime.fromisoformat(post.get("starts_at", "")))
        ends = timezone.make_aware(datetime.datetime.fromisoformat(post["ends_at"])) \
            if post.get("ends_at") else None
    except ValueError:
        raise Refusal("bad_time", _("请填写正确的开始和结束时间。")) from None
    if post.get("kind") not in Kind.values:
        raise Refusal("bad_kind", _("请选择活动类型。"))
    scope = [body.pk]
    if post.get("with_districts") and body.level == Body.Level.CITY:
        scope += list(body.children.values_list("pk", flat=True))  # a joint activity
    members = Member.objects.filter(body_id__in=scope, is_active=True, term__is_current=True)
    if post.get("invite") != "all":
        # District seats have their own committees and sectors: match them by name.
        committees = SpecialCommittee.objects.filter(pk__in=to_ids(post.getlist("committees")))\
            .values_list("name", flat=True)
        sectors = Sector.objects.filter(pk__in=to_ids(post.getlist("sectors")))\
            .values_list("name", flat=True)
        who = (Q(committees__name__in=committees) | Q(sector__name__in=sectors)
               | Q(position__in=post.getlist("positions")))
        members = members.filter(who).distinct()
    return workflow.create(request.user, body, {
        "kind": post["kind"], "title": post.get("title", "").strip(), "starts_at": starts,
        "ends_at": ends, "place": post.get("place", ""), "online_link": post.get("online_link",
                                                                                  ""),
        "organiser": post.get("organiser", ""), "agenda": post.get("agenda", ""),
        "capacity": to_int(post.get("capacity")),
        "plan_item_id": to_int(post.get("plan_item")),
        "research_base_id": to_int(post.get("research_base"))}, list(members))


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    bodies = bodies_with(request.user, "activities.read_all")
    if not bodies:
        raise Http404
    year = to_year(request.GET.get("year")) or timezone.localdate().year
    managed = bodies_with(request.user, "activities.manage", write=True)
    status = 200
    if request.method == "POST" and managed and request.FILES.get("file"):
        body = Body.objects.filter(pk__in=managed).first()
        try:
            _plan, n = plans_io.import_items(body, year, request.FILES["file"].read())
        except Refusal as refusal:
            messages.error(request, refusal.message)
            status = 400
        else:
            messages.success(request, _("已导入 %(n)s 项工作要点。") % {"n": n})
            return redirect(f"{reverse('activities:plan')}?year={year}")
    elif request.method == "POST":
        raise Http404
    rows = AnnualPlan.objects.filter(body_id__in=bodies, year=year).prefetch_related(
        "items__activities", "items__outcomes__feedback", "items__committee")
    ratings = dict(Rating.objects.filter(activity__plan_item__plan__in=rows).values_list(
        "activity__plan_item").annotate(avg=Avg((F("topic") + F("organisation") + F("service")
                                                 + F("effect")) / 4.0)))
    return render(request, "activities/plan.html", {
        "plans": rows, "year": year, "today": timezone.localdate(), "can_import": bool(managed),
        "ratings": ratings}, status=status)


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AnnualPlan, pk=pk,
                             body_id__in=bodies_with(request.user, "activities.read_all"))
    return xlsx_response(plans_io.export(item), f"{item.title}.xlsx")



