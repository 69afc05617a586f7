"""Issuing and revoking tokens for phone clients."""

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from lvzhi.api.auth import TokenAuth
from lvzhi.api.models import ApiToken
from lvzhi.core.auth import login_with_throttle

router = Router(tags=["auth"])


class TokenIn(Schema):
    login: str = Field(max_length=150, description="用户名或手机号")
    password: str = Field(max_length=200)
    device: str = Field("", max_length=60, description="设备名称，便于日后识别和注销")


class TokenOut(Schema):
    token: str = Field(description="只返回这一次；请安全保存")
    expires_at: datetime.datetime
    user_id: int
    full_name: str


@router.post("/token", auth=None, response=TokenOut, summary="用用户名或手机号换取令牌",
             operation_id="createToken")
def issue_token(request: HttpRequest, payload: TokenIn) -> dict:
    user = login_with_throttle(request, payload.login, payload.password)
    token, raw = ApiToken.issue(user, payload.device)
    return {"token": raw, "expires_at": token.expires_at, "user_id": user.pk,
            "full_name": user.full_name}


@router.delete("/token", auth=[TokenAuth()], response={204: None}, summary="注销当前令牌",
               operation_id="revokeToken")
def revoke_token(request: HttpRequest) -> Status:
    request.api_token.delete()  # type: ignore[attr-defined]
    return Status(204, None)


