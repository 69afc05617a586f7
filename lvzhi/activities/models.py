"""协商议政: the year's plan, activities with notices, registration, leave and check-in,
attendance, outcomes and their feedback, and anonymous ratings.

State changes happen only in `workflow.py`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import Member, SpecialCommittee
from lvzhi.core.models.org import Body, BodyScoped


class Kind(models.TextChoices):
    PLENARY = "plenary", _("全体会议")
    STANDING = "standing", _("常委会议")
    CHAIRS = "chairs", _("主席会议")
    COMMITTEE = "committee", _("专委会会议")
    TOPIC_CONSULTATION = "topic", _("专题协商")
    COUNTERPART = "counterpart", _("对口协商")
    SECTOR_CONSULTATION = "sector", _("界别协商")
    PROPOSAL_CONSULTATION = "proposal", _("提案办理协商")
    RESEARCH = "research", _("调研")
    INSPECTION = "inspection", _("视察")
    SUPERVISION = "supervision", _("民主监督")
    LECTURE = "lecture", _("政协大讲堂")
    TRAINING = "training", _("学习培训")
    SECTOR_ACTIVITY = "sector_activity", _("界别活动")
    PUBLIC = "public", _("联系群众")


# Kinds whose leave the chair approves (DOMAIN.md); the secretary-general approves others.
CHAIR_APPROVES = {Kind.PLENARY, Kind.STANDING}
CONSULTATIONS = {Kind.TOPIC_CONSULTATION, Kind.COUNTERPART, Kind.SECTOR_CONSULTATION,
                 Kind.PROPOSAL_CONSULTATION}


class ActivityRules(models.Model):
    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="activity_rules")
    notice_days_plenary = models.PositiveSmallIntegerField(_("全体会议提前通知（天）"), default=7)
    notice_days_other = models.PositiveSmallIntegerField(_("其他活动提前通知（天）"), default=3)
    leave_days = models.PositiveSmallIntegerField(_("请假须提前（天）"), default=2)
    checkin_window_seconds = models.PositiveSmallIntegerField(_("签到码更新间隔（秒）"),
                                                              default=120)

    class Meta:
        verbose_name = _("活动规则")
        verbose_name_plural = _("活动规则")

    def __str__(self) -> str:
        return f"{self.body.short_name}{_('活动规则')}"

    def notice_days(self, kind: str) -> int:
        return self.notice_days_plenary if kind == Kind.PLENARY else self.notice_days_other


class AnnualPlan(BodyScoped):
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["body", "-year"]
        verbose_name = _("年度工作要点")
        verbose_name_plural = _("年度工作要点")
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="plan_per_year")]

    def __str__(self) -> str:
        return self.title


class PlanItem(BodyScoped):
    class Status(models.TextChoices):
        PLANNED = "planned", _("未开始")
        UNDERWAY = "underway", _("进行中")
        DONE = "done", _("已完成")

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    topic = models.CharField(_("议题"), max_length=120)
    leader = models.CharField(_("牵头领导"), max_length=40, blank=True)
    committee = models.ForeignKey(SpecialCommittee, verbose_name=_("牵头专委会"), null=True,
                                  blank=True, on_delete=models.SET_NULL)
    partners = models.CharField(_("协办单位"), max_length=200, blank=True)
    planned_month = models.PositiveSmallIntegerField(_("计划月份"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)

    class Meta:
        ordering = ["plan", "planned_month", "id"]
        verbose_name = _("工作要点事项")
        verbose_name_plural = _("工作要点事项")

    def __str__(self) -> str:
        return self.topic


class ResearchBase(BodyScoped):
    """调研基地: a place the body goes to for research and inspections."""

    class BaseKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        VILLAGE = "village", _("乡村")
        COMMUNITY = "community", _("社区")
        INSTITUTION = "institution", _("机构")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=12, choices=BaseKind.choices)
    address = models.CharField(_("地址"), max_length=120, blank=True)
    topics = models.CharField(_("调研主题"), max_length=200, blank=True,
                              help_text=_("可开展调研的领域，如：冰雪产业、乡村振兴"))
    contact = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["body", "name"]
        verbose_name = _("调研基地")
        verbose_name_plural = _("调研基地")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("activities:base", args=[self.pk])


BASE_KINDS = {"research", "inspection"}  # the activities that may name a base


class Activity(BodyScoped):
    class State(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        NOTIFIED = "notified", _("已通知")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    plan_item = models.ForeignKey(PlanItem, verbose_name=_("对应工作要点"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="activities")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    online_link = models.CharField(_("线上链接"), max_length=300, blank=True)
    organiser = models.CharField(_("组织单位"), max_length=60, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True,
                                           help_text=_("需报名的活动填写名额；留空表示无需报名"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.PLANNED)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    research_base = models.ForeignKey(ResearchBase, verbose_name=_("调研基地"), null=True,
                                      blank=True, on_delete=models.PROTECT,
                                      related_name="visits")
    checkin_secret = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def needs_registration(self) -> bool:
        return self.capacity is not None

    @property
    def is_online(self) -> bool:
        return bool(self.online_link) and not self.place


class CheckinMethod(models.TextChoices):
    QR = "qr", _("扫码或签到码")
    ONLINE = "online", _("线上参加")
    STAFF = "staff", _("工作人员登记")


class Invitation(BodyScoped):
    """One invited person's part in one activity, from registration to attendance."""

    class Registration(models.TextChoices):
        NONE = "none", _("无需报名")
        OPEN = "open", _("未报名")
        REGISTERED = "registered", _("已报名")
        WAITING = "waiting", _("候补")
        CANCELLED = "cancelled", _("已取消报名")

    class Leave(models.TextChoices):
        NONE = "none", _("未请假")
        PENDING = "pending", _("请假待批")
        APPROVED = "approved", _("准假")
        REFUSED = "refused", _("不准假")

    class Attendance(models.TextChoices):
        PRESENT = "present", _("出席")
        LATE = "late", _("迟到或早退")
        ON_LEAVE = "on_leave", _("请假")
        ABSENT = "absent", _("缺席")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, verbose_name=_("委员"), on_delete=models.PROTECT,
                               related_name="invitations")
    registration = models.CharField(_("报名"), max_length=10, choices=Registration.choices,
                                    default=Registration.NONE)
    registered_at = models.DateTimeField(null=True, blank=True)
    leave = models.CharField(_("请假"), max_length=10, choices=Leave.choices,
                             default=Leave.NONE)
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    leave_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checkin_method = models.CharField(_("签到方式"), max_length=10, blank=True,
                                      choices=CheckinMethod.choices)
    attendance = models.CharField(_("出勤"), max_length=10, choices=Attendance.choices,
                                  blank=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("参加人员")
        verbose_name_plural = _("参加人员")
        constraints = [models.UniqueConstraint(fields=["activity", "member"],
                                               name="invited_once")]

    def __str__(self) -> str:
        return f"{self.activity} {self.member}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.activity_id])


class ExpertInvitation(BodyScoped):
    """An outside expert from the pool (参政议政人才库) asked to an activity. Not a member:
    no account, registration or check-in, and no duty facts; staff record whether they came."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE,
                                 related_name="expert_invitations")
    expert = models.ForeignKey("duties.Expert", verbose_name=_("特邀专家"),
                               on_delete=models.PROTECT, related_name="activity_invitations")
    attended = models.BooleanField(_("到会"), null=True, blank=True)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("特邀专家")
        verbose_name_plural = _("特邀专家")
        constraints = [models.UniqueConstraint(fields=["activity", "expert"],
                                               name="expert_invited_once")]

    def __str__(self) -> str:
        return f"{self.activity} {self.expert}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.activity_id])


class GroupInvitation(BodyScoped):
    """A group another app keeps (core.groups: a supervision group), invited to an activity
    as one; its members are invitations like any other. Kept so the group's page can list
    the visits and meetings it was asked to."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE,
                                 related_name="group_invitations")
    code = models.CharField(_("类别"), max_length=40)
    key = models.PositiveIntegerField(_("编号"))
    name = models.CharField(_("名称"), max_length=200)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    class Meta:
        ordering = ["activity", "id"]
        indexes = [models.Index(fields=["code", "key"], name="activity_group_lookup")]
        verbose_name = _("邀请的小组")
        verbose_name_plural = _("邀请的小组")
        constraints = [models.UniqueConstraint(fields=["activity", "code", "key"],
                                               name="group_invited_once")]

    def __str__(self) -> str:
        return f"{self.activity} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.activity_id])


class Outcome(BodyScoped):
    class OutcomeKind(models.TextChoices):
        REPORT = "report", _("调研报告")
        RECOMMENDATION = "recommendation", _("建议案")
        OPINION = "opinion", _("协商意见")
        SPEECH = "speech", _("大会发言")

    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="outcomes")
    plan_item = models.ForeignKey(PlanItem, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="outcomes")
    kind = models.CharField(_("类型"), max_length=16, choices=OutcomeKind.choices)
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("内容"), blank=True)
    authors = models.ManyToManyField(Member, verbose_name=_("作者"), blank=True,
                                     related_name="activity_outcomes")
    recipients = models.CharField(_("报送对象"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("协商成果")
        verbose_name_plural = _("协商成果")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.activity_id]) if self.activity_id \
            else ""


class Feedback(BodyScoped):
    class FeedbackKind(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        INSTRUCTION = "instruction", _("领导批示")
        EFFECT = "effect", _("落实见效")

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("类型"), max_length=12, choices=FeedbackKind.choices)
    level = models.CharField(_("层级"), max_length=20, blank=True)
    text = models.TextField(_("内容"))
    date = models.DateField(_("日期"))

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("成果反馈")
        verbose_name_plural = _("成果反馈")

    def __str__(self) -> str:
        return self.get_kind_display()


class Rating(BodyScoped):
    """An anonymous rating: no person, no time of day — only the day — so staff cannot tell
    who gave it. RatingReceipt records that someone rated, separately."""

    # A random key: rows cannot be put in the order they were given, or matched to receipts.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ratings")
    topic = models.PositiveSmallIntegerField(_("选题"))
    organisation = models.PositiveSmallIntegerField(_("组织"))
    service = models.PositiveSmallIntegerField(_("服务"))
    effect = models.PositiveSmallIntegerField(_("成效"))
    comment = models.TextField(_("意见"), blank=True)
    day = models.DateField()

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("活动评价")
        verbose_name_plural = _("活动评价")

    def __str__(self) -> str:
        return str(self.activity)


class RatingReceipt(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["activity"]
        constraints = [models.UniqueConstraint(fields=["activity", "member"],
                                               name="rated_once")]

    def __str__(self) -> str:
        return f"{self.activity} {self.member_id}"
