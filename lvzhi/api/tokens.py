"""Issuing and revoking tokens for phone clients."""

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from lvzhi.api.auth import TokenAuth, refuse_until_changed
from lvzhi.api.models import ApiToken
from lvzhi.api.paging import Mapped, Pages
from lvzhi.api.types import Id
from lvzhi.core import audit, password_codes, two_factor
from lvzhi.core.auth import login_with_throttle
from lvzhi.core.errors import Refusal

router = Router(tags=["auth"])


class TokenIn(Schema):
    login: str = Field(max_length=150, description="用户名或手机号")
    password: str = Field(max_length=200)
    device: str = Field("", max_length=60, description="设备名称，便于日后识别和注销")
    otp: str = Field("", max_length=20,
                     description="双因素认证的动态验证码或恢复码：已启用双因素认证的账号必填")


class TokenOut(Schema):
    token: str = Field(description="只返回这一次；请安全保存")
    expires_at: datetime.datetime
    user_id: int
    full_name: str


@router.post("/token", auth=None, response=TokenOut, summary="用用户名或手机号换取令牌",
             operation_id="createToken")
def issue_token(request: HttpRequest, payload: TokenIn) -> dict:
    user = login_with_throttle(request, payload.login, payload.password)
    refuse_until_changed(user)
    _second_factor(request, user, payload.otp)
    token, raw = ApiToken.issue(user, payload.device)
    audit.record(request, "token_created", actor=user, target=f"token:{token.pk}")
    return {"token": raw, "expires_at": token.expires_at, "user_id": user.pk,
            "full_name": user.full_name}


def _second_factor(request: HttpRequest, user, otp: str) -> None:
    """A phone gets no token on the password alone where the web asks for a code too."""
    if two_factor.enrolled(user):
        try:
            two_factor.verify(user, otp, request)
        except Refusal as refusal:
            raise Refusal(refusal.code, refusal.message, status=401 if refusal.status == 400
                          else refusal.status) from None
    elif two_factor.required(user):
        raise Refusal("otp_enrolment_required", _("请先在网页上启用双因素认证。"), status=403)


@router.delete("/token", auth=[TokenAuth()], response={204: None}, summary="注销当前令牌",
               operation_id="revokeToken")
def revoke_token(request: HttpRequest) -> Status:
    audit.record(request, "token_revoked", actor=request.user,
                 target=f"token:{request.api_token.pk}")  # type: ignore[attr-defined]
    request.api_token.delete()  # type: ignore[attr-defined]
    return Status(204, None)




class CodeIn(Schema):
    mobile: str = Field(max_length=11, description="登记的 11 位手机号")


class PasswordIn(Schema):
    mobile: str = Field(max_length=11)
    code: str = Field(max_length=12, description="短信验证码，或激活通知书上的激活码")
    password1: str = Field(max_length=200, description="新密码")
    password2: str = Field(max_length=200, description="再次输入新密码")


@router.post("/password-code", auth=None, response={204: None},
             summary="首次登录或忘记密码：向登记的手机号发送验证码（号码未登记时同样答复）",
             operation_id="requestPasswordCode")
def request_password_code(request: HttpRequest, payload: CodeIn) -> Status:
    password_codes.request_code(payload.mobile)
    return Status(204, None)


@router.post("/password", auth=None, response={204: None},
             summary="用短信验证码或激活码设置密码（账号激活）；之后用新密码换取令牌",
             operation_id="setPasswordWithCode")
def set_password_with_code(request: HttpRequest, payload: PasswordIn) -> Status:
    password_codes.set_password(payload.mobile, payload.code, payload.password1,
                                payload.password2)
    return Status(204, None)


class DeviceOut(Schema):
    id: int
    device: str = Field(description="换取令牌时所填的设备名称")
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    current: bool = Field(description="是否为本次请求所用的令牌")


def _devices(request: HttpRequest):
    return ApiToken.objects.filter(user=request.user, expires_at__gt=timezone.now())


@router.get("/tokens", response=list[DeviceOut], summary="我已登录的设备（有效的令牌）",
            operation_id="listMyTokens")
@paginate(Pages, page_size=20)
def devices(request: HttpRequest):
    current = getattr(request, "api_token", None)
    return Mapped(_devices(request), lambda t: {
        "id": t.pk, "device": t.name, "created_at": t.created_at, "expires_at": t.expires_at,
        "last_used_at": t.last_used_at, "current": current is not None and t.pk == current.pk})


@router.delete("/tokens/{token_id}", response={204: None}, summary="注销我的某台设备",
               operation_id="revokeMyToken")
def revoke_device(request: HttpRequest, token_id: Id) -> Status:
    token = get_object_or_404(_devices(request), pk=token_id)
    audit.record(request, "token_revoked", actor=request.user, target=f"token:{token.pk}")
    token.delete()
    return Status(204, None)
