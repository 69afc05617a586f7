"""The duty record (履职档案): facts about what members did, each linked to its source.

Apps report facts through `lvzhi.duties.services.record_fact`; the yearly evaluation (a later
issue) only reads them.
"""

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

    class Meta:
        ordering = ["member", "occurred_on", "id"]
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind", "source_type", "source_id"],
                                    name="duty_fact_once_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.kind} {self.occurred_on}"
