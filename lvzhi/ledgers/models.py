"""工作台账: one mechanism for tasks with an owner, milestones (时间节点), progress reports
and a review — the body's own work plan (督查考评) first; city-to-district checklists and
rectification items are to use the same tasks.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import Department
from lvzhi.core.models.org import BodyScoped


class LedgerRules(models.Model):
    """Per body: which department reviews the tasks (督查室), and when reminders go out."""

    body = models.OneToOneField("core.Body", on_delete=models.CASCADE,
                                related_name="ledger_rules")
    office = models.ForeignKey(Department, verbose_name=_("督查考评部门"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text=_("留空则本政协机关干部均可审核"))
    remind_days = models.PositiveSmallIntegerField(_("时间节点前提醒（工作日）"), default=5)
    close_needs_evidence = models.BooleanField(
        _("整改销号须有佐证材料"), default=True,
        help_text=_("勾选后，整改事项须有附文件的进展报告才能销号"))
    # Year-end scoring of departments (部门考评): completion, the office's quality score,
    # bonuses for leaders' instructions and commendations, deductions for tasks behind.
    points_done = models.PositiveSmallIntegerField(_("任务完成分值"), default=60)
    points_quality = models.PositiveSmallIntegerField(_("工作质量分值"), default=40)
    bonus_each = models.DecimalField(_("每项领导批示或表扬加分"), max_digits=4,
                                     decimal_places=1, default=2)
    bonus_cap = models.DecimalField(_("加分上限"), max_digits=4, decimal_places=1, default=10)
    deduct_each = models.DecimalField(_("每项滞后任务扣分"), max_digits=4, decimal_places=1,
                                      default=2)

    class Meta:
        verbose_name = _("台账规则")
        verbose_name_plural = _("台账规则")

    def __str__(self) -> str:
        return _("%(body)s台账规则") % {"body": self.body}


class Ledger(BodyScoped):
    class LedgerKind(models.TextChoices):
        WORK_PLAN = "work_plan", _("工作任务分解")
        ASSIGNMENT = "assignment", _("任务交办")
        RECTIFICATION = "rectification", _("整改台账")

    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=14, choices=LedgerKind.choices,
                            default=LedgerKind.WORK_PLAN)
    title = models.CharField(_("名称"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "-year", "id"]
        verbose_name = _("台账")
        verbose_name_plural = _("台账")

    def __str__(self) -> str:
        return self.title


class Task(BodyScoped):
    class Category(models.TextChoices):
        MEETING = "meeting", _("会议")
        CONSULTATION = "consultation", _("协商")
        RESEARCH = "research", _("调研")
        INSPECTION = "inspection", _("视察")
        SUPERVISION = "supervision", _("民主监督")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("工作任务"), max_length=200)
    category = models.CharField(_("类别"), max_length=14, choices=Category.choices)
    leader = models.CharField(_("牵头领导"), max_length=40, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("牵头部门"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="tasks",
                                   help_text=_("留空：由整个政协机关承担（市政协交办给区县的任务）"))
    unit = models.ForeignKey("core.HandlingUnit", verbose_name=_("责任单位"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="ledger_tasks",
                             help_text=_("整改事项由承办单位负责整改并报告"))
    source = models.ForeignKey("self", verbose_name=_("交办事项"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="copies",
                               help_text=_("区县的任务由市政协交办清单中的这一项而来"))
    cooperating = models.CharField(_("配合单位"), max_length=200, blank=True)
    responsible = models.CharField(_("责任人"), max_length=40, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.OPEN)
    reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ledger", "number", "id"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [models.Index(fields=["body", "department", "state"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ledgers:task", args=[self.pk])


class Milestone(models.Model):
    """时间节点: a date and what is due by it. The reminders' send times make each go out
    once."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    due_on = models.DateField(_("日期"))
    what = models.CharField(_("节点任务"), max_length=200)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task", "due_on", "id"]
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")

    def __str__(self) -> str:
        return f"{self.due_on} {self.what}"


class TaskLink(models.Model):
    """A plan item or an activity the task is carried out through (core.links: the ledgers
    import no feature)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["task", "id"]
        verbose_name = _("关联事项")
        verbose_name_plural = _("关联事项")
        constraints = [models.UniqueConstraint(fields=["task", "content_type", "object_id"],
                                               name="task_linked_once")]

    def __str__(self) -> str:
        return f"{self.task} → {self.target}"


class DeadlineRequest(BodyScoped):
    """A request to move a milestone (a district asking the city to adjust a deadline); the
    reviewing office approves — the milestone moves and its reminders start again — or
    refuses with a reason."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deadline_requests")
    milestone = models.ForeignKey(Milestone, verbose_name=_("时间节点"),
                                  on_delete=models.CASCADE, related_name="+")
    old_due_on = models.DateField(_("原日期"))
    new_due_on = models.DateField(_("申请调整为"))
    reason = models.CharField(_("理由"), max_length=300)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    answer = models.CharField(_("答复"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"),
                               on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        ordering = ["task", "-created_at", "-id"]
        verbose_name = _("调整时间节点申请")
        verbose_name_plural = _("调整时间节点申请")

    def __str__(self) -> str:
        return f"{self.task} {self.old_due_on}→{self.new_due_on}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()


class ProgressReport(BodyScoped):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"),
                               on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("进展情况"), max_length=4000)
    figures = models.CharField(_("数据"), max_length=200, blank=True,
                               help_text=_("如：完成调研 3 次，形成报告 1 篇"))
    returned = models.BooleanField(_("已退回"), default=False)
    return_reason = models.CharField(_("退回理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        ordering = ["task", "-created_at", "-id"]
        # Covers "each task's newest report not sent back", which every status needs.
        indexes = [models.Index(fields=["task", "returned", "created_at"],
                                name="ledger_report_newest")]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self) -> str:
        return f"{self.task} {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()


class DistrictAppraisal(BodyScoped):
    """考核评价: the city's yearly evaluation of its district bodies — a 100-point scheme of
    items (some measured by the platform's own figures) and extra points up to a cap; the
    districts assess themselves, the city scores, the chairpersons' meeting approves, and the
    result is ranked and sent to each district (通报)."""

    class State(models.TextChoices):
        SELF = "self", _("区县自评")
        SCORING = "scoring", _("市政协评分")
        APPROVED = "approved", _("已审定")
        PUBLISHED = "published", _("已通报")

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    # [{"code": "i1", "label": "…", "points": 20, "figure": "proposals_filed", "target": 40}]
    items = models.JSONField(_("考核项目"), default=list)
    extra_cap = models.DecimalField(_("加分上限"), max_digits=5, decimal_places=1, default=20)
    self_until = models.DateField(_("自评截止日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.SELF)
    meeting = models.CharField(_("审定会议"), max_length=100, blank=True)
    approved_on = models.DateField(_("审定日期"), null=True, blank=True)
    document = models.CharField(_("文号"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "-year"]
        verbose_name = _("区县政协工作考核")
        verbose_name_plural = _("区县政协工作考核")
        constraints = [models.UniqueConstraint(fields=["body", "year"],
                                               name="one_appraisal_a_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ledgers:appraisal", args=[self.pk])

    @property
    def full_marks(self) -> float:
        return float(sum(item["points"] for item in self.items))


class DistrictScore(BodyScoped):
    """One district's part in an appraisal (body = the district): its self-assessment, then
    the city's scores with notes; the figures as they stood when the city scored."""

    class State(models.TextChoices):
        PENDING = "pending", _("待自评")
        SUBMITTED = "submitted", _("已自评")
        SCORED = "scored", _("已评分")

    appraisal = models.ForeignKey(DistrictAppraisal, on_delete=models.CASCADE,
                                  related_name="scores")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    self_scores = models.JSONField(_("自评得分"), default=dict, blank=True)
    self_extra = models.DecimalField(_("自评加分"), max_digits=5, decimal_places=1, default=0)
    self_note = models.TextField(_("自评说明"), max_length=2000, blank=True)
    scores = models.JSONField(_("评分"), default=dict, blank=True)
    notes = models.JSONField(_("评分说明"), default=dict, blank=True)
    extra = models.DecimalField(_("加分"), max_digits=5, decimal_places=1, default=0)
    extra_note = models.CharField(_("加分事由"), max_length=500, blank=True)
    figures = models.JSONField(_("平台数据"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, null=True,
                                blank=True)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        ordering = ["appraisal", "rank", "body"]
        verbose_name = _("区县考核得分")
        verbose_name_plural = _("区县考核得分")
        constraints = [models.UniqueConstraint(fields=["appraisal", "body"],
                                               name="one_score_a_district")]

    def __str__(self) -> str:
        return f"{self.appraisal} {self.body}"

    def get_absolute_url(self) -> str:
        return reverse("ledgers:score", args=[self.pk])


class DepartmentScore(BodyScoped):
    """A department's year-end score (部门考评) against the body's scheme (LedgerRules): the
    task figures as they stood when the office scored, its quality score, the leaders'
    instructions and commendations counted for a bonus, the office's note."""

    year = models.PositiveSmallIntegerField(_("年度"))
    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.CASCADE,
                                   related_name="ledger_scores")
    tasks = models.PositiveIntegerField(_("任务数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    behind = models.PositiveIntegerField(_("滞后"), default=0)
    quality = models.DecimalField(_("工作质量"), max_digits=5, decimal_places=1, default=0)
    instructions = models.PositiveSmallIntegerField(_("领导批示或表扬（项）"), default=0)
    note = models.CharField(_("考评意见"), max_length=300, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=1, default=0)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        ordering = ["body", "-year", "rank", "department"]
        verbose_name = _("部门考评")
        verbose_name_plural = _("部门考评")
        constraints = [models.UniqueConstraint(fields=["department", "year"],
                                               name="one_department_score_a_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.department}"

    def get_absolute_url(self) -> str:
        return reverse("ledgers:departments") + f"?body={self.body_id}&year={self.year}"
