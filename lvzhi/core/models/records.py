"""Rows every app writes: the event log, notifications and attachments."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models.org import BodyScoped


class AppendOnlyError(Exception):
    pass


class Event(BodyScoped):
    """One action on one object. Append-only: the history a user sees is this table."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("动作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"]),
                   # a body's newest event, the stamp of figures kept between changes
                   models.Index(fields=["body", "-id"], name="event_body_newest")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("events are append-only")


class Notification(BodyScoped):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"),
                                  on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


def _attachment_path(instance: Attachment, filename: str) -> str:
    # Stored names never come from the user: no traversal, no clashes, no guessing.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance.body_id}/{uuid.uuid4().hex}.{ext}"


class Attachment(BodyScoped):
    """A file attached to any object; served only to users who may see that object."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    parent = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    mime_type = models.CharField(_("类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name


class OutboxMessage(BodyScoped):
    """A message for a channel outside the database (e-mail, SMS), written in the
    action's own transaction and delivered after it, with retries (`core.outbox`). So an
    action that committed never loses its mail, and a refused one never sends any."""

    channel = models.CharField(_("渠道"), max_length=20, default="email")
    recipients = models.JSONField(_("收件人"), default=list)
    subject = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    last_error = models.TextField(_("最近一次失败原因"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.subject


class IdempotentRequest(models.Model):
    """The first answer to a create request that carried an idempotency key, replayed
    when the same client sends the same key again (`core.idempotency`)."""

    scope = models.CharField(max_length=64)  # whose key: a user, or an API token's digest
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField(null=True)  # null while the first one runs
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=300, blank=True)
    content = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"],
                                               name="idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


# What the auditor's page shows for each action.
ACTION_LABELS = {
    "login": _("登录成功"), "login_failed": _("登录失败（密码错误）"),
    "login_locked": _("登录被锁定"),
    "logout": _("退出登录"), "logout_everywhere": _("退出所有设备"),
    "password_changed": _("修改密码"), "password_set_by_admin": _("管理员设置密码"),
    "password_set_by_code": _("验证码重设密码"), "activation_issued": _("发放激活码"),
    "activated": _("账号激活"), "account_unlocked": _("解除登录锁定"),
    "token_created": _("手机客户端登录"), "token_revoked": _("手机客户端退出"),
    "role_granted": _("授予角色"), "role_revoked": _("撤销角色"), "admin_change": _("后台修改数据"),
    "export": _("导出或下载数据"), "access_refused": _("访问被拒绝"),
    "otp_enrolled": _("启用双因素认证"), "otp_failed": _("动态验证码错误"),
    "otp_reset": _("重置双因素认证"),
    "audit_archived": _("归档审计日志"), "init": _("首次部署初始化"),
}


class AuditRecord(models.Model):
    """One security-relevant act (安全审计), separate from the business history: sign-ins and
    their failures, sign-outs, password changes, API tokens. Append-only and hash-chained:
    each row's `digest` covers its fields and the previous row's digest, so `lvzhi audit
    verify` finds a row edited or deleted after the fact."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")
        REFUSED = "refused", _("拒绝")

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              on_delete=models.PROTECT, related_name="+")
    tried = models.CharField(_("尝试的账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=40, db_index=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    target = models.CharField(_("对象"), max_length=80, blank=True)
    roles = models.CharField(_("角色"), max_length=120, blank=True,
                             help_text=_("操作时的角色及所在政协，如 staff@1"))
    detail = models.CharField(_("详情"), max_length=300, blank=True)
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("安全审计记录")
        verbose_name_plural = _("安全审计记录")
        indexes = [models.Index(fields=["actor", "action", "-id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.outcome}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit records are append-only")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    def content(self) -> str:
        """What the digest covers, in a fixed order."""
        parts = [self.created_at.isoformat(), str(self.actor_id or ""), self.tried,
                 self.action, self.outcome, self.ip, self.user_agent, self.target,
                 self.previous]
        if self.roles or self.detail:  # rows written before these columns keep their digest
            parts += [self.roles, self.detail]
        return "|".join(parts)


class AuditHead(models.Model):
    """The newest digest: one row, locked while a record is appended, so the chain never
    forks under concurrent writers (and deleting the newest record is found too)."""

    digest = models.CharField(max_length=64, default="0" * 64)
    count = models.PositiveBigIntegerField(default=0)
    # Rows moved to archive files (lvzhi audit archive): how many, and the last one's digest,
    # where the chain in the table now starts.
    archived_count = models.PositiveBigIntegerField(default=0)
    archived_digest = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.count} {self.digest[:12]}"
