"""提案: proposals through filing, assignment, handling, reply, evaluation and supervision.

State changes happen only in `workflow.py`; these classes hold data and invariants.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models import Department, HandlingUnit, Member, Session
from lvzhi.core.models.org import Body, BodyScoped
from lvzhi.core.paths import object_url


def default_reply_categories() -> list[dict[str, str]]:
    # A body's own rules, stored and edited by its staff: its words, not the platform's.
    return [{"code": "A", "label": "已解决或采纳"},  # not translated: stored rules
            {"code": "B", "label": "正在解决或列入计划"},
            {"code": "C", "label": "因条件限制留作参考"}]


class ProposalRules(models.Model):
    """A body's proposal rules; every number is a default from DOMAIN.md the body may change."""

    body = models.OneToOneField(Body, verbose_name=_("所属政协"), on_delete=models.CASCADE,
                                related_name="proposal_rules")
    office = models.ForeignKey(Department, verbose_name=_("提案审查部门"), null=True,
                               blank=True, on_delete=models.SET_NULL,
                               help_text=_("留空表示本政协所有机关干部均可审查、交办"))
    title_max = models.PositiveSmallIntegerField(_("案由最多字数"), default=50)
    section_max = models.PositiveSmallIntegerField(_("各部分最多字数"), default=3000)
    cosign_days = models.PositiveSmallIntegerField(_("联名确认期限（天）"), default=5)
    return_window_workdays = models.PositiveSmallIntegerField(_("申请退回期限（工作日）"),
                                                              default=5)
    handling_months = models.PositiveSmallIntegerField(_("办理期限（月）"), default=3)
    max_extension_months = models.PositiveSmallIntegerField(_("最长延期至（月）"), default=6)
    cohandling_months = models.PositiveSmallIntegerField(_("会办意见期限（月）"), default=1)
    evaluation_workdays = models.PositiveSmallIntegerField(_("评价期限（工作日）"), default=15)
    rehandling_months = models.PositiveSmallIntegerField(_("重新办理期限（月）"), default=1)
    reminder_workdays = models.CharField(_("提前提醒（工作日）"), max_length=40, default="10,3",
                                         help_text=_("用逗号分隔，例如 10,3"))
    require_contact = models.BooleanField(_("答复前须联系提案人"), default=True)
    reply_categories = models.JSONField(_("答复类别"), default=default_reply_categories)

    class Meta:
        verbose_name = _("提案办理规则")
        verbose_name_plural = _("提案办理规则")

    def __str__(self) -> str:
        return f"{self.body.short_name}{_('提案办理规则')}"

    def category_codes(self) -> list[str]:
        return [c["code"] for c in self.reply_categories]

    def category_label(self, code: str) -> str:
        return next((c["label"] for c in self.reply_categories if c["code"] == code), code)

    def reminder_days(self) -> list[int]:
        return sorted({int(x) for x in self.reminder_workdays.split(",") if x.strip().isdigit()},
                      reverse=True)


class Proposal(BodyScoped):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审查")
        RETURNED = "returned", _("退回修改")
        WITHDRAWN = "withdrawn", _("已撤案")
        REJECTED = "rejected", _("不予立案")
        MERGED = "merged", _("已并案")
        CONVERTED = "converted", _("已转办")
        FILED = "filed", _("已立案待交办")
        HANDLING = "handling", _("办理中")
        EVALUATING = "evaluating", _("待评价")
        CLOSED = "closed", _("已办结")

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个人提案")
        JOINT = "joint", _("联名提案")
        COLLECTIVE = "collective", _("集体提案")

    class Timing(models.TextChoices):
        CONGRESS = "congress", _("大会提案")
        INTERIM = "interim", _("平时提案")

    class Category(models.TextChoices):
        ECONOMY = "economy", _("经济建设")
        POLITICS = "politics", _("政治法治")
        CULTURE = "culture", _("文化建设")
        SOCIETY = "society", _("社会事业")
        ECOLOGY = "ecology", _("生态文明")
        OTHER = "other", _("其他")

    class Collective(models.TextChoices):
        SECTOR = "sector", _("界别")
        PARTY = "party", _("党派团体")
        COMMITTEE = "committee", _("专门委员会")

    class Conversion(models.TextChoices):
        OPINION = "opinion", _("转社情民意信息")
        LETTER = "letter", _("转意见建议（来信）")

    session = models.ForeignKey(Session, verbose_name=_("会议"), on_delete=models.PROTECT)
    timing = models.CharField(_("提案类别"), max_length=10, choices=Timing.choices)
    kind = models.CharField(_("提出方式"), max_length=12, choices=Kind.choices,
                            default=Kind.INDIVIDUAL)
    collective_kind = models.CharField(_("集体提案单位类型"), max_length=10,
                                       choices=Collective.choices, blank=True)
    collective_name = models.CharField(_("集体提案单位"), max_length=60, blank=True)
    proposer = models.ForeignKey(Member, verbose_name=_("提案人（领衔人）"),
                                 on_delete=models.PROTECT, related_name="proposals")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices,
                             default=State.DRAFT, db_index=True)
    title = models.CharField(_("案由"), max_length=200)
    situation = models.TextField(_("情况"))
    analysis = models.TextField(_("分析"), blank=True)
    suggestions = models.TextField(_("建议"))
    category = models.CharField(_("分类"), max_length=10, choices=Category.choices)
    keywords = models.CharField(_("关键词"), max_length=100, blank=True)
    suggested_units = models.ManyToManyField(HandlingUnit, verbose_name=_("建议承办单位"),
                                             blank=True, related_name="+")
    may_be_public = models.BooleanField(_("同意公开"), default=True)
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    cosign_deadline = models.DateField(_("联名确认截止"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    reject_ground = models.CharField(_("不予立案理由"), max_length=20, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("并入提案"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged",
                                    db_index=False)  # partial index: see Meta
    converted_to = models.CharField(_("转办方式"), max_length=10, choices=Conversion.choices,
                                    blank=True)
    # What it was converted into (an opinion report): generic, since that app's models are
    # not this app's to import; the row is made through core.handoffs.
    converted_type = models.ForeignKey(ContentType, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    converted_id = models.PositiveBigIntegerField(null=True, blank=True)
    converted_object = GenericForeignKey("converted_type", "converted_id")
    review_note = models.TextField(_("审查意见"), blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    evaluation_deadline = models.DateField(_("评价截止"), null=True, blank=True)
    is_key = models.BooleanField(_("重点提案"), default=False)
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("领衔督办领导"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="supervised_proposals", db_index=False)
    is_excellent = models.BooleanField(_("优秀提案"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        constraints = [
            models.UniqueConstraint(fields=["session", "timing", "number"],
                                    name="proposal_number_unique"),
        ]
        indexes = [
            models.Index(fields=["body", "state"]),
            # A member's list, newest first (id too: PostgreSQL would sort the ties).
            models.Index(fields=["proposer", "-created_at", "-id"], name="proposal_mine"),
            # The ledger's usual filters and its order: its counts and page ids come from
            # this index alone, never from the wide rows with their texts.
            models.Index(fields=["session", "timing", "body", "state", "category",
                                 "submitted_at"], name="proposal_ledger"),
            # The ledger with no filter: newest first, read in order, no sort of every row;
            # the state in it too, so a deep page skips drafts without reading the rows
            # (page 100 read 3,000 of them).
            models.Index(fields=["body", "-submitted_at", "-id", "state"],
                         name="proposal_newest"),
            # Columns nearly always empty: SQLite's statistics count every NULL as one value
            # and judge a whole-column index useless, so it scanned every proposal for the
            # few merged or supervised ones. An index of the filled rows only is used.
            models.Index(fields=["merged_into"], condition=Q(merged_into__isnull=False),
                         name="proposal_merged_into"),
            # What a member's proposals were merged into (every visibility check asks): the
            # proposer's index read each of their proposals' rows to find none merged.
            models.Index(fields=["proposer", "merged_into"],
                         condition=Q(merged_into__isnull=False), name="proposal_merged_by"),
            models.Index(fields=["supervisor"], condition=Q(supervisor__isnull=False),
                         name="proposal_supervisor"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reject_ground_label(self) -> str:
        return str(RejectGround(self.reject_ground).label) if self.reject_ground else ""

    def get_absolute_url(self) -> str:
        return object_url("proposals:detail", self.pk)  # lists link many: the pattern once

    @property
    def number_label(self) -> str:
        return _("第%(n)s号") % {"n": self.number} if self.number else ""


class RejectGround(models.TextChoices):
    """The ten national grounds for not filing (DOMAIN.md)."""

    SECRETS = "secrets", _("涉及党和国家秘密")
    PROHIBITED = "prohibited", _("属于国家明令禁止的事项")
    PARTY_PERSONNEL = "party_personnel", _("党员对党组织或人事安排的意见")
    PARTY_INTERNAL = "party_internal", _("民主党派内部事务")
    LITIGATION = "litigation", _("涉及诉讼或仲裁的案件")
    ACADEMIC = "academic", _("属于学术探讨")
    PERSONAL = "personal", _("涉及提案人或亲属个人事务")
    PROMOTION = "promotion", _("宣传推介具体作品或产品")
    ACCUSATION = "accusation", _("对具体人员的检举控告")
    NO_SUGGESTION = "no_suggestion", _("没有具体建议")


class Cosigner(BodyScoped):
    class State(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")
        DROPPED = "dropped", _("逾期未确认")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    member = models.ForeignKey(Member, verbose_name=_("联名人"), on_delete=models.PROTECT,
                               related_name="cosignatures")
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.INVITED)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("联名人")
        verbose_name_plural = _("联名人")
        constraints = [models.UniqueConstraint(fields=["proposal", "member"],
                                               name="cosigner_once")]

    def __str__(self) -> str:
        return str(self.member)


class Assignment(BodyScoped):
    """One handling unit's part in one proposal."""

    class Role(models.TextChoices):
        SINGLE = "single", _("单办")
        LEAD = "lead", _("主办")
        CO = "co", _("会办")
        SPLIT = "split", _("分办")

    class State(models.TextChoices):
        HANDLING = "handling", _("办理中")
        REPLIED = "replied", _("已答复待审核")
        ACCEPTED = "accepted", _("答复已审核")
        SIGNED_OFF = "signed_off", _("已会签")
        RETURNED = "returned", _("已退回")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(HandlingUnit, verbose_name=_("承办单位"), on_delete=models.PROTECT,
                             related_name="assignments")
    role = models.CharField(_("办理方式"), max_length=8, choices=Role.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.HANDLING)
    assigned_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("办理期限"))
    co_opinion = models.TextField(_("会办意见"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "role", "id"]
        verbose_name = _("交办")
        verbose_name_plural = _("交办")

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"

    @property
    def replies_itself(self) -> bool:
        return self.role != self.Role.CO


class Contact(BodyScoped):
    class Way(models.TextChoices):
        MEETING = "meeting", _("面谈")
        FORUM = "forum", _("座谈会")
        PHONE = "phone", _("电话")
        EMAIL = "email", _("邮件")
        LETTER = "letter", _("书信")
        OTHER = "other", _("其他")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="contacts")
    way = models.CharField(_("方式"), max_length=10, choices=Way.choices)
    date = models.DateField(_("日期"))
    summary = models.TextField(_("情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")

    def __str__(self) -> str:
        return f"{self.date} {self.get_way_display()}"


class Reply(BodyScoped):
    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已审核")
        SENT_BACK = "sent_back", _("已退回重答")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    category = models.CharField(_("答复类别"), max_length=4)
    text = models.TextField(_("答复内容"))
    commitment = models.TextField(_("落实承诺"), blank=True)
    followed_up_on = models.DateField(_("落实完成日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    review_note = models.TextField(_("审核意见"), blank=True)
    submitted_at = models.DateTimeField(_("答复时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("答复")
        verbose_name_plural = _("答复")

    def __str__(self) -> str:
        return f"{self.assignment.unit} {self.category}"


class UnitRequest(BodyScoped):
    """A unit's request to the office: take a misassigned proposal back, or extend."""

    class Kind(models.TextChoices):
        RETURN = "return", _("申请退回")
        EXTENSION = "extension", _("申请延期")

    class State(models.TextChoices):
        PENDING = "pending", _("待处理")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="requests")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("理由"))
    new_deadline = models.DateField(_("申请延期至"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    decision_note = models.TextField(_("处理意见"), blank=True)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("单位申请")
        verbose_name_plural = _("单位申请")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assignment}"


class Evaluation(BodyScoped):
    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey(Member, verbose_name=_("评价人"), on_delete=models.PROTECT,
                               related_name="+")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("办理评价")
        verbose_name_plural = _("办理评价")
        constraints = [models.UniqueConstraint(fields=["proposal", "member", "round"],
                                               name="evaluation_once_per_round")]

    def __str__(self) -> str:
        return self.get_rating_display()


class QualityScore(BodyScoped):
    """提案质量评价 on the five indicators of DOMAIN.md, each 0–20."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("较好")
        FAIR = "fair", _("一般")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="quality")
    topic = models.PositiveSmallIntegerField(_("选题"))
    grasp = models.PositiveSmallIntegerField(_("情况掌握"))
    analysis = models.PositiveSmallIntegerField(_("分析"))
    suggestions = models.PositiveSmallIntegerField(_("建议"))
    effect = models.PositiveSmallIntegerField(_("成效"))
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    scored_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        ordering = ["proposal"]
        verbose_name = _("质量评价")
        verbose_name_plural = _("质量评价")

    def __str__(self) -> str:
        return self.get_grade_display()

    @property
    def total(self) -> int:
        return self.topic + self.grasp + self.analysis + self.suggestions + self.effect


class SupervisionNote(BodyScoped):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE,
                                 related_name="supervision_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("督办意见"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("督办意见")
        verbose_name_plural = _("督办意见")

    def __str__(self) -> str:
        return self.text[:20]


class NumberCounter(models.Model):
    """The last number given per session and timing class; locked while filing."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    timing = models.CharField(max_length=10, choices=Proposal.Timing.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "timing"]
        constraints = [models.UniqueConstraint(fields=["session", "timing"],
                                               name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.session} {self.timing} {self.last}"


class Reminder(models.Model):
    """A reminder already sent for one stage of one assignment, so none is sent twice."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE,
                                   related_name="reminders")
    # "before-10:2022-10-08", "overdue:2022-10-08": a new deadline starts new stages.
    stage = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at"]
        constraints = [models.UniqueConstraint(fields=["assignment", "stage"],
                                               name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.assignment} {self.stage}"
