"""People: the person (User), their membership of a body (Member) and their roles (Role)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from lvzhi.core.models.org import (
    Body,
    BodyScoped,
    ChoiceLabels,
    Department,
    HandlingUnit,
    Sector,
    SpecialCommittee,
    Term,
)

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入 11 位手机号码。"))


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


HISTORY_KEPT = 5  # a new password may not be any of the last five

# Sent after a password is changed, reset or set by an admin: the API drops the account's
# tokens, the audit log records it.
password_changed = Signal()


class User(ChoiceLabels, AbstractUser):
    """A person. Chinese names are written whole, so `full_name` replaces first/last name."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("姓名"), max_length=40)
    mobile = models.CharField(_("手机号码"), max_length=11, unique=True, null=True, blank=True,
                              validators=[mobile_validator])
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    sms_urgent = models.BooleanField(
        _("紧急事项短信提醒"), default=False,
        help_text=_("办理逾期等紧急事项，除站内通知外再发短信到登记的手机号"))
    must_change_password = models.BooleanField(
        _("须修改密码"), default=False, editable=False,
        help_text=_("密码由管理员设置：本人下次登录后须先修改密码"))

    password_changed_at = models.DateTimeField(_("密码设置时间"), null=True, blank=True,
                                               editable=False)
    # Raised by "sign out everywhere": part of the session hash, so every session ends.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django's hash of the password, and the epoch: a new password or a new epoch ends
        # every session of the account.
        return salted_hmac("lvzhi.core.User.session", f"{self.password}:{self.session_epoch}",
                           secret=secret, algorithm="sha256").hexdigest()

    def save(self, *args, **kwargs) -> None:
        # An empty mobile must be NULL, or the unique index would allow only one blank.
        self.mobile = self.mobile or None
        changed = self._password is not None  # set_password() was called
        if changed:  # who set it decides
            self.must_change_password = getattr(self, "password_set_by_admin", False)
            self.password_changed_at = timezone.now()
            if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "must_change_password",
                                           "password_changed_at"}
        super().save(*args, **kwargs)
        if changed and self.has_usable_password():
            PasswordHistory.objects.create(user=self, password=self.password)
            keep = PasswordHistory.objects.filter(user=self).values_list("pk", flat=True)[
                :HISTORY_KEPT]
            PasswordHistory.objects.filter(user=self).exclude(pk__in=list(keep)).delete()
        if changed:
            password_changed.send(sender=User, user=self)


class Position(models.TextChoices):
    MEMBER = "member", _("委员")
    STANDING = "standing", _("常委")
    DEPUTY_SECRETARY_GENERAL = "deputy_sg", _("副秘书长")
    SECRETARY_GENERAL = "sg", _("秘书长")
    VICE_CHAIR = "vice_chair", _("副主席")
    CHAIR = "chair", _("主席")


class Party(models.TextChoices):
    CPC = "cpc", _("中共党员")
    RCCK = "rcck", _("民革")
    CDL = "cdl", _("民盟")
    CNDCA = "cndca", _("民建")
    CAPD = "capd", _("民进")
    CPWDP = "cpwdp", _("农工党")
    CZGP = "czgp", _("致公党")
    JIUSAN = "jiusan", _("九三学社")
    TDSGL = "tdsgl", _("台盟")
    NONE = "none", _("无党派人士")
    MASSES = "masses", _("群众")


class Member(BodyScoped):
    """A person's seat on one body in one term; a person may sit on a city and a district body."""

    user = models.ForeignKey(User, verbose_name=_("人员"), on_delete=models.PROTECT,
                             related_name="memberships")
    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT)
    position = models.CharField(_("职务"), max_length=12, choices=Position.choices,
                                default=Position.MEMBER)
    sector = models.ForeignKey(Sector, verbose_name=_("界别"), on_delete=models.PROTECT)
    party = models.CharField(_("政治面貌"), max_length=10, choices=Party.choices)
    committees = models.ManyToManyField(SpecialCommittee, verbose_name=_("专门委员会"),
                                        blank=True, related_name="members")
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    job_title = models.CharField(_("职务职称"), max_length=60, blank=True)
    is_active = models.BooleanField(_("在任"), default=True)
    # The directory's order (body, sector, name) in one column, so an index serves it: the
    # same order sorted on the joined columns cost a sort of every seat on each page.
    # Kept by save() and by core.directory when a name, a sector or a body is reordered.
    directory_key = models.CharField(_("名录排序"), max_length=80, blank=True,
                                     editable=False)

    class Meta:
        ordering = ["body", "sector__order", "user__full_name", "id"]
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        constraints = [
            models.UniqueConstraint(fields=["user", "term"], name="member_one_seat_per_term"),
        ]
        indexes = [models.Index(fields=["body", "directory_key", "id"],
                                name="member_directory")]

    def __str__(self) -> str:
        return f"{self.user}（{self.body.short_name}）"

    def sort_key(self) -> str:
        """body order, sector order, name: the directory's order as one string."""
        return f"{self.body.order:010d}{self.sector.order:010d}{self.user.full_name}"[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or {"body", "sector", "user"} & set(fields):
            self.directory_key = self.sort_key()
            if fields is not None:
                kwargs["update_fields"] = {*fields, "directory_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        for field in ("term", "sector"):
            related = getattr(self, field, None)
            if related is not None and related.body_id != self.body_id:
                raise ValidationError({field: _("所选项目不属于本政协。")})


class RoleKind(models.TextChoices):
    MEMBER = "member", _("委员")
    INFO_OFFICER = "info_officer", _("信息员")
    STAFF = "staff", _("机关干部")
    UNIT_HANDLER = "unit_handler", _("承办单位经办人")
    LEADER = "leader", _("领导")
    BODY_ADMIN = "body_admin", _("系统管理员")
    OVERSIGHT = "oversight", _("市政协督导区县")
    # 三员分立: body_admin is the system administrator (configuration); these two are the
    # security administrator (accounts, roles, activation, unlock) and the security auditor
    # (reads the audit log, nothing else). No one holds two of the three.
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")
    # Submits collective proposals for the sector, party/group or committee named in
    # `affiliation` (a sector's convener, a party's or committee's authorised person).
    COLLECTIVE = "collective", _("集体提案报送人")


# 三员分立: one person holds at most one of these, in any body.
ADMIN_DUTIES = frozenset({RoleKind.BODY_ADMIN, RoleKind.SECURITY_ADMIN, RoleKind.AUDITOR})


class Role(BodyScoped):
    """A role a person holds in one body. Membership itself is a `Member` row, not a Role."""

    user = models.ForeignKey(User, verbose_name=_("人员"), on_delete=models.CASCADE,
                             related_name="roles")
    kind = models.CharField(_("角色"), max_length=14, choices=RoleKind.choices)
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT)
    handling_unit = models.ForeignKey(HandlingUnit, verbose_name=_("承办单位"), null=True,
                                      blank=True, on_delete=models.PROTECT)
    affiliation = models.CharField(_("所在单位"), max_length=100, blank=True,
                                   help_text=_("信息员所在街道、乡镇或单位"))
    title = models.CharField(_("职务"), max_length=40, blank=True)

    class Meta:
        ordering = ["body", "kind", "id"]
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "body", "kind"], name="role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.body.short_name}{self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind == RoleKind.MEMBER:
            raise ValidationError({"kind": _("委员身份请在“委员”中登记。")})
        if self.kind in ADMIN_DUTIES and self.user_id and Role.objects.filter(
                user_id=self.user_id, kind__in=ADMIN_DUTIES - {self.kind}).exists():
            raise ValidationError({"kind": _(
                "三员分立：系统管理员、安全管理员、安全审计员不能由同一人兼任。")})
        if self.kind == RoleKind.STAFF and not self.department_id:
            raise ValidationError({"department": _("机关干部必须指定部门。")})
        if self.kind == RoleKind.COLLECTIVE and not self.affiliation:
            raise ValidationError({"affiliation": _("请填写所代表的界别、党派团体或专门委员会。")})
        if self.kind == RoleKind.UNIT_HANDLER and not self.handling_unit_id:
            raise ValidationError({"handling_unit": _("经办人必须指定承办单位。")})
        if self.kind == RoleKind.OVERSIGHT and self.body_id and \
                Body.objects.filter(pk=self.body_id, level=Body.Level.DISTRICT).exists():
            raise ValidationError({"kind": _("只有市政协人员可以督导区县政协。")})
        for field in ("department", "handling_unit"):
            related = getattr(self, field, None)
            if related is not None and related.body_id != self.body_id:
                raise ValidationError({field: _("所选项目不属于本政协。")})


class PasswordCode(models.Model):
    """A one-time code to set a password: asked for by SMS (a forgotten password, or a first
    sign-in), or issued by staff as an activation code (a printed letter, or an SMS) after
    the roster import. Only a keyed digest of the code is stored."""

    class Kind(models.TextChoices):
        SMS = "sms", _("短信验证码")
        ACTIVATION = "activation", _("激活码")

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="password_codes")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.SMS)
    issued_by = models.ForeignKey(User, verbose_name=_("发放人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class PasswordPolicy(BodyScoped):
    """A body's password rules (set by its security administrator). Someone in several
    bodies gets the strictest of them; a body without a row, the platform's defaults."""

    body = models.OneToOneField(Body, verbose_name=_("所属政协"), on_delete=models.CASCADE,
                                related_name="password_policy")
    min_length = models.PositiveSmallIntegerField(
        _("密码最短长度"), default=8, validators=[MinValueValidator(8), MaxValueValidator(64)])
    expiry_days_staff = models.PositiveSmallIntegerField(
        _("机关干部和管理员密码有效天数"), default=90, validators=[MaxValueValidator(3650)],
        help_text=_("0 表示不过期"))
    expiry_days = models.PositiveSmallIntegerField(
        _("其他人员密码有效天数"), default=0, validators=[MaxValueValidator(3650)],
        help_text=_("委员、信息员、承办单位经办人；0 表示不过期"))

    class Meta:
        verbose_name = _("密码策略")
        verbose_name_plural = _("密码策略")

    def __str__(self) -> str:
        return _("%(body)s密码策略") % {"body": self.body.short_name}


class PasswordHistory(models.Model):
    """The hashes of a person's earlier passwords, so a new one is not an old one again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"
