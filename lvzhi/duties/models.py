"""The duty record (履职档案) and the yearly evaluation (履职考核).

Apps report facts through `lvzhi.duties.services.record_fact`; a fact whose source is undone
is withdrawn (kept, with when and why). A body's yearly `RuleSet` (versioned: a change is a
new version) turns facts into an `MemberEvaluation` per member; `EvaluationYear` carries the
year-close steps. What no app records, members declare (`Declaration`), and staff confirm.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import Member
from lvzhi.core.models.org import BodyScoped


class DutyFact(BodyScoped):
    member = models.ForeignKey(Member, verbose_name=_("委员"), on_delete=models.PROTECT,
                               related_name="duty_facts")
    kind = models.CharField(_("事项"), max_length=40)
    occurred_on = models.DateField(_("日期"))
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤销原因"), max_length=100, blank=True)

    class Meta:
        ordering = ["member", "occurred_on", "id"]
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind", "source_type", "source_id"],
                                    name="duty_fact_once_per_source"),
        ]
        indexes = [models.Index(fields=["body", "occurred_on"], name="duty_fact_body_day")]

    def __str__(self) -> str:
        return f"{self.member} {self.kind} {self.occurred_on}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    COMPETENT = "competent", _("称职")
    INCOMPETENT = "incompetent", _("不称职")


class RuleSet(BodyScoped):
    """A body's rules for one year. Every change is saved as a new version; the newest
    version is the one in use, and a closed year keeps the version it was closed with."""

    class Scheme(models.TextChoices):
        HUNDRED = "hundred", _("百分制（总分不超过 100）")
        ADDITIVE = "additive", _("累计积分制（不设上限）")

    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("方案名称"), max_length=60)
    scheme = models.CharField(_("计分方式"), max_length=10, choices=Scheme.choices)
    points = models.JSONField(_("各事项分值"), default=dict)  # kind -> points (negative: penalty)
    caps = models.JSONField(_("各类别上限"), default=dict)  # category -> cap (absent: none)
    obligations = models.JSONField(_("基本履职要求"), default=list)  # [{label, kinds, count}]
    bands = models.JSONField(_("等次分数线"), default=dict)  # grade -> lowest total
    at_risk_on = models.DateField(_("预警日期"))
    cutoff = models.DateField(_("年度截止日期"))
    correction_days = models.PositiveSmallIntegerField(_("更正申请期（工作日）"), default=10)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        ordering = ["body", "-year", "-version"]
        verbose_name = _("考核规则")
        verbose_name_plural = _("考核规则")
        constraints = [models.UniqueConstraint(fields=["body", "year", "version"],
                                               name="ruleset_version_once")]

    def __str__(self) -> str:
        return _("%(year)s年%(name)s（第%(version)s版）") % {
            "year": self.year, "name": self.name, "version": self.version}


class EvaluationYear(BodyScoped):
    """The year-close steps of one body's evaluation."""

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        CORRECTING = "correcting", _("更正申请期")
        APPROVED = "approved", _("已审定")
        PUBLISHED = "published", _("已公布")

    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices,
                             default=State.OPEN)
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("考核规则"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    corrections_until = models.DateField(_("更正申请截止"), null=True, blank=True)
    approved_by = models.CharField(_("审定会议"), max_length=60, blank=True)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    ranked_at = models.DateTimeField(_("排名更新时间"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["body", "-year"]
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        constraints = [models.UniqueConstraint(fields=["body", "year"],
                                               name="evaluation_year_once")]

    def __str__(self) -> str:
        return _("%(body)s%(year)s年度履职考核") % {"body": self.body.short_name,
                                                 "year": self.year}

    @property
    def frozen(self) -> bool:
        return self.state in (self.State.APPROVED, self.State.PUBLISHED)


class MemberEvaluation(BodyScoped):
    """One member's result for one year (recomputed while the year is open)."""

    member = models.ForeignKey(Member, verbose_name=_("委员"), on_delete=models.CASCADE,
                               related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("考核规则"),
                                 on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=1)
    categories = models.JSONField(_("分类得分"), default=dict)  # cat -> {points, cut}
    missing = models.JSONField(_("未完成的基本要求"), default=list)
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices)
    rank_body = models.PositiveIntegerField(_("本政协排名"), default=0)
    rank_sector = models.PositiveIntegerField(_("本界别排名"), default=0)
    at_risk = models.JSONField(_("预警原因"), default=list)
    warned = models.JSONField(_("已提醒的原因"), default=list)
    version = models.PositiveSmallIntegerField(
        _("版本"), default=1, help_text=_("审定后的更正形成新版本，历次结果见办理记录"))
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        ordering = ["body", "year", "rank_body", "id"]
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        constraints = [models.UniqueConstraint(fields=["member", "year"],
                                               name="evaluation_once_a_year")]
        # The table's order, ties by id: PostgreSQL sorted the body's members for each page
        # without it (SQLite's indexes end in the rowid).
        indexes = [models.Index(fields=["body", "year", "rank_body", "id"],
                                name="evaluation_body_rank")]

    def __str__(self) -> str:
        return f"{self.member} {self.year} {self.total}"


class Declaration(BodyScoped):
    """A duty no app records, declared by the member with evidence; counts once confirmed."""

    class State(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REFUSED = "refused", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    member = models.ForeignKey(Member, verbose_name=_("委员"), on_delete=models.PROTECT,
                               related_name="declarations")
    kind = models.CharField(_("类别"), max_length=12)
    level = models.CharField(_("级别"), max_length=12, blank=True)
    occurred_on = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=100)
    description = models.TextField(_("具体情况"), max_length=2000, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    reason = models.CharField(_("未通过理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("履职申报")
        verbose_name_plural = _("履职申报")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse
        return reverse("duties:declaration", args=[self.pk])

    @property
    def fact_kind(self) -> str:
        from lvzhi.duties.kinds import declared_kind
        return declared_kind(self.kind, self.level)


class Correction(BodyScoped):
    """A member's request to correct their result in the correction window; the office
    decides, and an accepted one adjusts the total by `points` in a category."""

    class State(models.TextChoices):
        PENDING = "pending", _("待处理")
        ACCEPTED = "accepted", _("已更正")
        REFUSED = "refused", _("不予更正")

    member = models.ForeignKey(Member, verbose_name=_("委员"), on_delete=models.PROTECT,
                               related_name="corrections")
    year = models.PositiveSmallIntegerField(_("年度"))
    text = models.TextField(_("更正理由"), max_length=2000)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    points = models.DecimalField(_("调整分值"), max_digits=5, decimal_places=1, default=0)
    category = models.CharField(_("调整类别"), max_length=12, blank=True)
    answer = models.CharField(_("处理意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("更正申请")
        verbose_name_plural = _("更正申请")

    def __str__(self) -> str:
        return f"{self.member} {self.year}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse
        return reverse("duties:record", args=[self.member_id]) + f"?year={self.year}"


class ExpertiseField(BodyScoped):
    """A field of expertise on the body's list (the expert pool's tags)."""

    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["body", "order", "name"]
        verbose_name = _("专业领域")
        verbose_name_plural = _("专业领域")
        constraints = [models.UniqueConstraint(fields=["body", "name"],
                                               name="expertise_field_once")]

    def __str__(self) -> str:
        return self.name


class Expert(BodyScoped):
    """参政议政人才库: a member with their fields of expertise, or an invited outside expert
    (who is not a member and so has a name, employer and phone of their own)."""

    member = models.OneToOneField(Member, verbose_name=_("委员"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="expert")
    name = models.CharField(_("姓名（特邀专家）"), max_length=40, blank=True)
    employer = models.CharField(_("工作单位及职称（特邀专家）"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话（特邀专家）"), max_length=20, blank=True)
    fields = models.ManyToManyField(ExpertiseField, verbose_name=_("专业领域"),
                                    related_name="experts")
    profile = models.TextField(_("简介"), max_length=500, blank=True)
    available = models.BooleanField(_("可参加调研协商"), default=True)

    class Meta:
        ordering = ["body", "id"]
        verbose_name = _("人才库成员")
        verbose_name_plural = _("人才库成员")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.member.user.full_name if self.member_id else self.name
