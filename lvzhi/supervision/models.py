"""民主监督: the year's supervision topics with their groups, the problems found (by the
group, or reported by a member from a phone — 委员微监督), and for each accepted problem a
rectification item, which is a task of the ledgers' 整改台账 held by the responsible unit.

State changes happen only in `workflow.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import HandlingUnit, Member, SpecialCommittee
from lvzhi.core.models.org import BodyScoped


class Form(models.TextChoices):
    """The forms of supervision DOMAIN.md names: the ready list a body starts from."""
    MEETING = "meeting", _("会议监督")
    INSPECTION = "inspection", _("视察监督")
    PROPOSAL = "proposal", _("提案监督")
    RESEARCH = "research", _("调研监督")
    SPECIAL = "special", _("专项监督")
    OPINION = "opinion", _("社情民意信息监督")
    JOINT = "joint", _("联动监督")
    MICRO = "micro", _("委员微监督")
    INQUIRY = "inquiry", _("询问")


def default_forms() -> str:
    return "\n".join(str(label) for label in Form.labels)


class SupervisionRules(models.Model):
    """A body's own list of supervision forms (监督形式), one per line, in the order its
    plan uses them; a topic names one of them."""

    body = models.OneToOneField("core.Body", on_delete=models.CASCADE,
                                related_name="supervision_rules")
    forms = models.TextField(_("监督形式（每行一种）"), max_length=2000, default=default_forms)

    class Meta:
        verbose_name = _("民主监督规则")
        verbose_name_plural = _("民主监督规则")

    def __str__(self) -> str:
        return f"{self.body}"

    def form_list(self) -> list[str]:
        return list(dict.fromkeys(line.strip()[:40] for line in self.forms.splitlines()
                                  if line.strip()))


class Topic(BodyScoped):
    """A topic of the year's supervision plan (民主监督计划)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("监督议题"), max_length=120)
    form = models.CharField(_("监督形式"), max_length=40)  # a name from the body's list
    units = models.ManyToManyField(HandlingUnit, verbose_name=_("被监督单位"), blank=True,
                                   related_name="supervision_topics")
    committee = models.ForeignKey(SpecialCommittee, verbose_name=_("牵头专委会"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    issuers = models.CharField(_("联合印发单位"), max_length=200, blank=True)
    recommendations = models.TextField(_("意见建议"), max_length=4000, blank=True)
    report_to = models.CharField(_("报送单位"), max_length=100, blank=True)
    report_sent_on = models.DateField(_("报送日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "-year", "id"]
        verbose_name = _("监督议题")
        verbose_name_plural = _("监督议题")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:topic", args=[self.pk])


class GroupMember(BodyScoped):
    """Someone of a topic's supervision group (监督小组): a member from the roster, or an
    outside expert of the body's pool (特邀专家); one or more lead it."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="group")
    member = models.ForeignKey(Member, verbose_name=_("委员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="supervision_groups")
    expert = models.ForeignKey("duties.Expert", verbose_name=_("特邀专家"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    is_leader = models.BooleanField(_("组长"), default=False)

    class Meta:
        ordering = ["topic", "-is_leader", "id"]
        verbose_name = _("监督小组成员")
        verbose_name_plural = _("监督小组成员")
        constraints = [
            models.UniqueConstraint(fields=["topic", "member"], name="in_a_group_once"),
            models.UniqueConstraint(fields=["topic", "expert"], name="expert_in_a_group_once"),
            models.CheckConstraint(condition=models.Q(member__isnull=True)
                                   ^ models.Q(expert__isnull=True), name="member_or_expert"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.name}"

    @property
    def name(self) -> str:
        return self.member.user.full_name if self.member_id else self.expert.name

    def get_absolute_url(self) -> str:
        return self.topic.get_absolute_url()


class Problem(BodyScoped):
    """A problem found (问题清单): written by the group or the office on a topic, or reported
    by a member from a phone with no topic yet (委员微监督), which the office may take into
    a topic. Accepted, it becomes a rectification item (a ledger task of the unit)."""

    class Severity(models.TextChoices):
        NORMAL = "normal", _("一般")
        SERIOUS = "serious", _("较重")
        GRAVE = "grave", _("严重")

    class State(models.TextChoices):
        REPORTED = "reported", _("待处理")
        ACCEPTED = "accepted", _("已列入整改")
        DECLINED = "declined", _("未采纳")

    topic = models.ForeignKey(Topic, verbose_name=_("监督议题"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="problems")
    description = models.TextField(_("问题描述"), max_length=2000)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    unit = models.ForeignKey(HandlingUnit, verbose_name=_("责任单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices,
                                default=Severity.NORMAL)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.REPORTED)
    reporter = models.ForeignKey(Member, verbose_name=_("反映委员"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="problems_reported")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.CharField(_("未采纳理由"), max_length=200, blank=True)
    item = models.OneToOneField("ledgers.Task", verbose_name=_("整改事项"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="problem")
    party_ref = models.CharField(_("党委督办台账编号"), max_length=60, blank=True)
    party_on = models.DateField(_("列入党委督办台账日期"), null=True, blank=True)
    party_due = models.DateField(_("党委督办期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)

    class Meta:
        ordering = ["body", "-created_at", "-id"]
        verbose_name = _("问题")
        verbose_name_plural = _("问题清单")

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("supervision:problem", args=[self.pk])


class Supervisor(BodyScoped):
    """民主监督员: a member appointed to a department (a handling unit) for a term."""

    member = models.ForeignKey(Member, verbose_name=_("委员"), on_delete=models.PROTECT,
                               related_name="supervisor_posts")
    unit = models.ForeignKey(HandlingUnit, verbose_name=_("监督单位"), on_delete=models.PROTECT,
                             related_name="supervisors")
    starts_on = models.DateField(_("聘任开始"))
    ends_on = models.DateField(_("聘任结束"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "unit", "id"]
        verbose_name = _("民主监督员")
        verbose_name_plural = _("民主监督员")

    def __str__(self) -> str:
        return f"{self.member} → {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:supervisor", args=[self.pk])


class SupervisorReport(BodyScoped):
    """A democratic supervisor's report on the department, and the department's feedback."""

    supervisor = models.ForeignKey(Supervisor, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("监督意见"), max_length=2000)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    feedback = models.TextField(_("单位反馈"), max_length=2000, blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["supervisor", "-created_at", "-id"]
        verbose_name = _("民主监督员意见")
        verbose_name_plural = _("民主监督员意见")

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return self.supervisor.get_absolute_url()
