"""社情民意信息: reports from members and information officers, adopted and published in
the body's bulletin, forwarded up the levels, instructed on by leaders, scored and ranked.

State changes happen only in `workflow.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.core import plain
from lvzhi.core.models import Department, Member
from lvzhi.core.models.org import Body, BodyScoped
from lvzhi.core.paths import object_url


class Level(models.TextChoices):
    DISTRICT = "district", _("区县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


class OpinionRules(models.Model):
    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="opinion_rules")
    office = models.ForeignKey(Department, verbose_name=_("处理部门"), null=True, blank=True,
                               on_delete=models.SET_NULL,
                               help_text=_("留空表示本政协所有机关干部均可处理"))
    text_max = models.PositiveSmallIntegerField(_("正文最多字数"), default=1500)
    one_person_edits_and_signs = models.BooleanField(
        _("核稿人与签发人可为同一人"), default=False,
        help_text=_("默认须由两人分别核稿、签发"))

    class Meta:
        verbose_name = _("社情民意规则")
        verbose_name_plural = _("社情民意规则")

    def __str__(self) -> str:
        return f"{self.body.short_name}{_('社情民意规则')}"


class PointsTable(BodyScoped):
    """Points per outcome for one body and year; the admin edits them."""

    year = models.PositiveSmallIntegerField(_("年度"))
    submitted = models.PositiveSmallIntegerField(_("报送"), default=1)
    adopted_single = models.PositiveSmallIntegerField(_("单篇录用"), default=3)
    adopted_combined = models.PositiveSmallIntegerField(_("综合录用"), default=2)
    adopted_city = models.PositiveSmallIntegerField(_("市政协采用"), default=5)
    adopted_province = models.PositiveSmallIntegerField(_("省政协采用"), default=8)
    adopted_national = models.PositiveSmallIntegerField(_("全国政协采用"), default=12)
    instruction_district = models.PositiveSmallIntegerField(_("区县领导批示"), default=5)
    instruction_city = models.PositiveSmallIntegerField(_("市领导批示"), default=8)
    instruction_province = models.PositiveSmallIntegerField(_("省领导批示"), default=12)
    instruction_national = models.PositiveSmallIntegerField(_("国家领导批示"), default=20)
    yearly_cap = models.PositiveSmallIntegerField(_("每人每年上限"), default=40)

    class Meta:
        ordering = ["body", "-year"]
        verbose_name = _("社情民意积分标准")
        verbose_name_plural = _("社情民意积分标准")
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="points_once")]

    def __str__(self) -> str:
        return f"{self.body.short_name} {self.year}"


class Report(BodyScoped):
    class State(models.TextChoices):
        DRAFT = "draft", _("暂存")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回补充")
        NOT_ADOPTED = "not_adopted", _("未录用")
        KEPT = "kept", _("留存")
        ADOPTED = "adopted", _("已录用")
        PUBLISHED = "published", _("已编发")

    class Category(models.TextChoices):
        ECONOMY = "economy", _("经济发展")
        LIVELIHOOD = "livelihood", _("民生保障")
        URBAN = "urban", _("城市建设管理")
        ECOLOGY = "ecology", _("生态环境")
        CULTURE = "culture", _("教育文化")
        HEALTH = "health", _("医疗卫生")
        GOVERNANCE = "governance", _("社会治理")
        OTHER = "other", _("其他")

    class Origin(models.TextChoices):
        PERSON = "person", _("个人")
        COMMITTEE = "committee", _("专门委员会")
        PARTY = "party", _("党派团体")

    class AdoptedAs(models.TextChoices):
        SINGLE = "single", _("单篇")
        COMBINED = "combined", _("综合")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="opinions")
    member = models.ForeignKey(Member, verbose_name=_("委员身份"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="opinions")
    affiliation = models.CharField(_("单位"), max_length=100, blank=True)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices,
                              default=Origin.PERSON)
    origin_name = models.CharField(_("报送单位"), max_length=60, blank=True)
    co_reporters = models.ManyToManyField(Member, verbose_name=_("联名报送人"), blank=True,
                                          related_name="co_opinions")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices,
                             default=State.DRAFT, db_index=True)
    title = models.CharField(_("标题"), max_length=100)
    situation = models.TextField(_("情况反映"))
    analysis = models.TextField(_("分析"), blank=True)
    suggestions = models.TextField(_("意见建议"))
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    keywords = models.CharField(_("关键词"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    decision_note = models.TextField(_("处理意见"), blank=True)
    # adoption
    is_combined = models.BooleanField(_("综合稿"), default=False)
    sources = models.ManyToManyField("self", verbose_name=_("综合来源"), symmetrical=False,
                                     blank=True, related_name="combined_in")
    adopted_as = models.CharField(_("录用方式"), max_length=10, choices=AdoptedAs.choices,
                                  blank=True)
    adopted_at = models.DateTimeField(_("录用时间"), null=True, blank=True)
    edited_title = models.CharField(_("编辑后标题"), max_length=100, blank=True)
    edited_text = models.TextField(_("编辑后正文"), blank=True)
    issue = models.ForeignKey("Issue", verbose_name=_("刊期"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="reports",
                              db_index=False)  # partial indexes: see Meta
    # a report forwarded from a district body to the city is a new row in the city body
    forwarded_from = models.ForeignKey("self", verbose_name=_("转自"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="forwarded_copies",
                                       db_index=False)
    # What it was made from, when not written as a report: a proposal turned into one,
    # a plenary speech. Generic, since those apps' models are not this app's to import.
    source_type = models.ForeignKey(ContentType, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("转自"), max_length=160, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("社情民意信息")
        verbose_name_plural = _("社情民意信息")
        indexes = [
            models.Index(fields=["body", "state", "submitted_at"]),
            # The office queue's usual filters and order, so its counts and page ids come
            # from the index alone.
            models.Index(fields=["body", "state", "category", "submitted_at"],
                         name="report_queue"),
            # The queue with no filter: newest first, read in order, no sort of every row;
            # the state in it too, so a deep page skips drafts without reading the rows.
            models.Index(fields=["body", "-submitted_at", "-id", "state"],
                         name="report_newest"),
            # Nearly always empty columns: indexes of the filled rows only, which SQLite's
            # planner uses (a whole-column index looks useless to it when most are NULL;
            # a report page's forwarded copies took 100 ms to find).
            models.Index(fields=["issue"], condition=Q(issue__isnull=False),
                         name="report_issue"),
            models.Index(fields=["forwarded_from"], condition=Q(forwarded_from__isnull=False),
                         name="report_forwarded_from"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return object_url("opinions:detail", self.pk)  # lists link many: the pattern once

    @property
    def written_text(self) -> str:
        """The sections as the reporter wrote them, one text (what the office edits)."""
        return "\n\n".join(part for part in (self.situation, self.analysis, self.suggestions)
                           if part)

    @property
    def original(self) -> Report:
        """The report as its reporter wrote it, following forwarded copies down."""
        report = self
        while report.forwarded_from_id:
            report = report.forwarded_from
        return report

    def lineage(self) -> list[Report]:
        """The original and every copy forwarded up from it, lowest level first: the one
        report the reporter wrote, with each level's own row."""
        chain, level = [self.original], [self.original.pk]
        while level:
            copies = plain.rows(Report, forwarded_from_id=level)
            plain.fill(Body, (copies, "body"))
            chain += copies
            level = [c.pk for c in copies]
        return chain


class Issue(BodyScoped):
    """One numbered issue (期) of the body's bulletin 《社情民意》."""

    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("期号"))
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核稿"),
                               on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发"),
                               on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("编发日期"))

    class Meta:
        ordering = ["body", "-year", "-number"]
        verbose_name = _("刊期")
        verbose_name_plural = _("刊期")
        constraints = [models.UniqueConstraint(fields=["body", "year", "number"],
                                               name="issue_number_unique")]

    def __str__(self) -> str:
        return _("《社情民意》%(year)s年第%(n)s期") % {"year": self.year, "n": self.number}


class Forward(BodyScoped):
    """A report sent up a level; the outcome is entered when it is known."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="forwards")
    level = models.CharField(_("报送层级"), max_length=10, choices=Level.choices)
    forwarded_on = models.DateField(_("报送日期"))
    adopted = models.BooleanField(_("已采用"), null=True)
    outcome = models.TextField(_("采用情况"), blank=True)

    class Meta:
        ordering = ["forwarded_on", "id"]
        verbose_name = _("上报")
        verbose_name_plural = _("上报")
        constraints = [models.UniqueConstraint(fields=["report", "level"], name="forward_once")]

    def __str__(self) -> str:
        return f"{self.report} → {self.get_level_display()}"


class Delivery(BodyScoped):
    """An adopted report sent to a recipient at its own level (party committee, government,
    a department)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.CharField(_("报送对象"), max_length=60)
    sent_on = models.DateField(_("报送日期"))

    class Meta:
        ordering = ["sent_on", "id"]
        verbose_name = _("报送对象")
        verbose_name_plural = _("报送对象")
        constraints = [models.UniqueConstraint(fields=["report", "recipient"],
                                               name="delivery_once")]

    def __str__(self) -> str:
        return self.recipient


class Instruction(BodyScoped):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="instructions")
    leader = models.CharField(_("批示领导"), max_length=40)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    date = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")

    def __str__(self) -> str:
        return f"{self.leader} {self.date}"
