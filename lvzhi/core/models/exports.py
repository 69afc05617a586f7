"""An export run in the background (a ledger, a queue, the roster): who asked for it, with
which filters, how far it is, and the file once done."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models.org import BodyScoped


def _export_path(instance: Export, filename: str) -> str:
    # Never the user's words in a stored name; the download gives the readable one.
    return f"exports/{instance.body_id}/{uuid.uuid4().hex}.xlsx"


class Export(BodyScoped):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("导出内容"), max_length=40)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"),
                                     on_delete=models.CASCADE, related_name="exports")
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices,
                             default=State.QUEUED)
    done_rows = models.PositiveIntegerField(_("已完成行数"), default=0)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    filename = models.CharField(_("文件名"), max_length=120, blank=True)
    file = models.FileField(_("文件"), upload_to=_export_path, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导出")
        verbose_name_plural = _("导出")
        indexes = [models.Index(fields=["requested_by", "-created_at"],
                                name="exports_of_user")]

    def __str__(self) -> str:
        return self.filename or self.kind

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.done_rows * 100 // self.total_rows) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class PeriodicRun(models.Model):
    """One run of a periodic job for one period (a day, five minutes): the row is the lock —
    a second host starting the same job for the same period finds it and stands down."""

    class State(models.TextChoices):
        RUNNING = "running", _("运行中")
        DONE = "done", _("成功")
        FAILED = "failed", _("失败")

    job = models.CharField(_("任务"), max_length=40)
    period = models.CharField(_("周期"), max_length=20)
    host = models.CharField(_("主机"), max_length=80, blank=True)
    state = models.CharField(_("结果"), max_length=10, choices=State.choices,
                             default=State.RUNNING)
    started_at = models.DateTimeField(_("开始"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    output = models.CharField(_("输出"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="run_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
