"""Issuing and revoking tokens for phone clients."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from lvzhi.api.auth import TokenAuth
from lvzhi.api.models import ApiToken
from lvzhi.core.auth import login_with_throttle

router = Router(tags=["登录"])


class TokenIn(Schema):
    login: str
    password: str
    device: str = ""


class TokenOut(Schema):
    token: str
    expires_at: str
    user_id: int
    full_name: str


@router.post("/token", auth=None, response=TokenOut, summary="用用户名或手机号换取令牌")
def issue_token(request: HttpRequest, payload: TokenIn) -> dict:
    user = login_with_throttle(request, payload.login, payload.password)
    token, raw = ApiToken.issue(user, payload.device)
    return {"token": raw, "expires_at": token.expires_at.isoformat(), "user_id": user.pk,
            "full_name": user.full_name}


@router.delete("/token", auth=[TokenAuth()], response={204: None}, summary="注销当前令牌")
def revoke_token(request: HttpRequest) -> Status:
    request.api_token.delete()  # type: ignore[attr-defined]
    return Status(204, None)


