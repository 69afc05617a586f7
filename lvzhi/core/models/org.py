"""The organisation: bodies (tenants), terms, sessions and the units inside a body."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

_LABELS: dict[models.Field, dict] = {}


class ChoiceLabels:
    """get_FOO_display() from a table built once per field. Django rebuilds the table from
    the lazy labels on every call (each label translated to be hashed), which was a tenth
    of a list page's time."""

    def _get_FIELD_display(self, field: models.Field) -> str:
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = {make_hashable(v): label for v, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class Body(ChoiceLabels, models.Model):
    """One CPPCC committee organisation. Every domain row belongs to exactly one body."""

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        DISTRICT = "district", _("区县（市）级")

    class Directory(models.TextChoices):
        HIDDEN = "hidden", _("委员不可查看")
        NAMES = "names", _("委员可查看姓名、界别和职务")
        CONTACTS = "contacts", _("委员可查看含联系方式")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80, unique=True)
    short_name = models.CharField(_("简称"), max_length=20)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级政协"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    member_directory = models.CharField(
        _("委员名录可见范围"), max_length=10, choices=Directory.choices, default=Directory.NAMES
    )
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("政协组织")
        verbose_name_plural = _("政协组织")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.level == self.Level.CITY and self.parent_id:
            raise ValidationError({"parent": _("市级政协不设上级政协。")})
        if self.level == self.Level.DISTRICT and not self.parent_id:
            raise ValidationError({"parent": _("区县（市）政协必须指定上级政协。")})


class BodyScoped(ChoiceLabels, models.Model):
    """Abstract base for every row that belongs to one body."""

    body = models.ForeignKey(Body, verbose_name=_("所属政协"), on_delete=models.PROTECT)

    class Meta:
        abstract = True


class Term(BodyScoped):
    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    is_current = models.BooleanField(_("本届"), default=False)

    class Meta:
        ordering = ["body", "-number"]
        verbose_name = _("届")
        verbose_name_plural = _("届")
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="term_unique_number"),
            models.UniqueConstraint(
                fields=["body"], condition=models.Q(is_current=True), name="term_one_current"
            ),
        ]

    def __str__(self) -> str:
        return _("第%(n)s届") % {"n": _chinese_number(self.number)}


class Session(BodyScoped):
    """An annual plenary session (次会议) of a term; proposals are numbered per session."""

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT,
                             related_name="sessions")
    number = models.PositiveSmallIntegerField(_("会次"))
    start_date = models.DateField(_("开幕日期"))
    end_date = models.DateField(_("闭幕日期"))
    proposal_window_start = models.DateField(_("大会提案征集开始"))
    proposal_window_end = models.DateField(_("大会提案截止"))

    class Meta:
        ordering = ["body", "-term__number", "-number"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number"),
        ]

    def __str__(self) -> str:
        return _("%(term)s届%(n)s次会议") % {
            "term": _chinese_number(self.term.number),
            "n": _chinese_number(self.number),
        }

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("闭幕日期不能早于开幕日期。")})
        if (self.proposal_window_start and self.proposal_window_end
                and self.proposal_window_end < self.proposal_window_start):
            raise ValidationError({"proposal_window_end": _("提案截止日期不能早于征集开始日期。")})

    def in_proposal_window(self, day: datetime.date) -> bool:
        return self.proposal_window_start <= day <= self.proposal_window_end


class NamedUnit(BodyScoped):
    """Shared shape of the named units inside a body (committees, sectors, departments)."""

    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        abstract = True
        ordering = ["body", "order", "id"]

    def __str__(self) -> str:
        return self.name


class SpecialCommittee(NamedUnit):
    class Meta(NamedUnit.Meta):
        verbose_name = _("专门委员会")
        verbose_name_plural = _("专门委员会")
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="committee_unique")]


class Sector(NamedUnit):
    class Kind(models.TextChoices):
        PARTY = "party", _("党派")
        ORGANISATION = "organisation", _("人民团体")
        FIELD = "field", _("界别")

    kind = models.CharField(_("类型"), max_length=14, choices=Kind.choices, default=Kind.FIELD)

    class Meta(NamedUnit.Meta):
        verbose_name = _("界别")
        verbose_name_plural = _("界别")
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="sector_unique")]


class Department(NamedUnit):
    class Meta(NamedUnit.Meta):
        verbose_name = _("机关部门")
        verbose_name_plural = _("机关部门")
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="department_unique")]


class HandlingUnit(NamedUnit):
    """A government department or agency that handles proposals (承办单位)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        PARTY = "party", _("党委部门")
        JUDICIAL = "judicial", _("司法机关")
        ENTERPRISE = "enterprise", _("企事业单位")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices,
                            default=Kind.GOVERNMENT)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta(NamedUnit.Meta):
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="unit_unique")]


_DIGITS = "零一二三四五六七八九"  # not translated: numerals, as 十四届 is written


def _chinese_number(n: int) -> str:
    """十四 for 14: terms and sessions are always written this way (十四届一次会议)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    if n >= 100:
        return str(n)
    return f"{head}十{_DIGITS[ones] if ones else ''}"  # not translated: numerals
