"""Every status code an operation can answer, in the OpenAPI schema.

Errors leave through the handlers in `site.py`, never through an operation's declared
response, so ninja cannot see them; they are added to the schema here, by what each kind
of operation can meet. The schema test (schemathesis) fails on any code not declared.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "稳定的错误代码，供程序判断"},
        "message": {"type": "string", "description": "中文说明，可直接展示给用户"},
        "errors": {"type": "array", "description": "422 时各字段的问题",
                   "items": {"type": "object", "required": ["field", "message"],
                             "properties": {"field": {"type": "string"},
                                            "message": {"type": "string"}}}},
        "fields": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "400 时每个有问题的输入项及其说明（一次列出全部）"},
    },
}

DESCRIPTIONS = {
    400: "请求被拒绝：输入不符合规则（见 message）",
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "对象不存在，或无权查看",
    409: "对象当前状态不允许此操作，或相同请求标识的请求正在处理",
    413: "请求体超过附件大小上限",
    422: "参数格式不正确（缺少字段、类型不符、数值超出范围、请求标识被复用）",
    429: "尝试次数过多，请稍后再试",
}

# Beyond the common ones, what particular operations can answer.
EXTRA: dict[str, set[int]] = {
    "POST /api/auth/token": {400, 401, 429},
    "POST /api/auth/password-code": {429},
    "POST /api/auth/password": {429},
    "GET /api/people": {404},  # no directory for this person, as on the page
    "POST /api/activities/{activity_id}/checkin": {429},
    # a seat_id that is not the caller's own (or no seat at all)
    "GET /api/duties/me": {404},
    "POST /api/duties/declarations": {404},
    "POST /api/duties/corrections": {404},
    "GET /api/duties/office": {404},
    "GET /api/duties/expertise": {404},
    "PUT /api/duties/expertise": {404},
    "POST /api/supervision/problems": {404},  # no seat of the caller's
    "POST /api/proposals/similar": {404},  # no seat of the caller's
}
RETRY_AFTER = {"name": "Retry-After", "description": "多少秒后可以再试",
               "schema": {"type": "integer"}}

TAGS = [
    {"name": "auth", "description": "登录：换取和注销令牌；账号激活和忘记密码"},
    {"name": "people", "description": "当前用户、通知、委员名录和本政协的可选项"},
    {"name": "proposals",
     "description": "提案：起草、提交、联名、评价；承办单位的沟通、会签、答复和申请"},
    {"name": "opinions", "description": "社情民意信息：报送、修改、重新提交和各级采用情况"},
    {"name": "activities", "description": "活动：报名、请假、签到、评价和我的成果"},
    {"name": "duties",
     "description": "履职档案：我的履职、履职申报、更正申请、我的专长和本政协考核表"},
    {"name": "ledgers", "description": "工作台账：我的任务、任务详情和报告进展"},
    {"name": "supervision", "description": "民主监督：委员微监督反映问题（整改事项见工作台账）"},
    {"name": "files", "description": "附件下载"},
    {"name": "search", "description": "全文搜索：本人可见的提案、信息、活动、任务、问题和委员"},
]
SECURITY = {
    "TokenAuth": "POST /api/auth/token 以用户名（或手机号）和密码换取令牌，"
                 "请求头携带 Authorization: Bearer <令牌>。令牌有效期见返回的 expires_at"
                 "（默认 30 天，由 API_TOKEN_DAYS 设置）；到期后重新换取；"
                 "DELETE /api/auth/token 注销当前令牌。服务器只保存令牌的摘要。",
    "SessionAuth": "网页已登录时的会话 Cookie（供本平台网页自身使用）；写操作须带 CSRF 令牌。",
}
NO_LOGIN = {"POST /api/auth/token", "POST /api/auth/password-code", "POST /api/auth/password"}


def codes_for(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    key = f"{method.upper()} {path}"
    codes = {422}
    if key not in NO_LOGIN:
        codes |= {401, 403}  # 403: also a password an admin set, not yet changed
    if "{" in path:
        codes.add(404)
    if method in ("post", "put", "patch", "delete"):
        codes |= {400, 403, 409, 413}
    return codes | EXTRA.get(key, set())


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Errors, tags and auth described; components no operation refers to left out."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for name, text in SECURITY.items():
        if name in components.get("securitySchemes", {}):
            components["securitySchemes"][name]["description"] = text
    schema["tags"] = TAGS
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in sorted(codes_for(method, path, operation)):
                responses.setdefault(str(code), {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}},
                })
            if "429" in responses:
                responses["429"]["headers"] = {"Retry-After": RETRY_AFTER}
            operation.setdefault("parameters", [])
            if method in ("post", "put"):
                operation["parameters"].append({
                    "name": "Idempotency-Key", "in": "header", "required": False,
                    "schema": {"type": "string", "maxLength": 100},
                    "description": "重试安全：相同标识的重复请求返回第一次的结果"})
    _prune(components["schemas"], schema)
    return schema


def _prune(schemas: dict[str, Any], schema: dict[str, Any]) -> None:
    """Drop the schemas nothing refers to (ninja lists a query's model and the paginator's
    input, though both are flattened into parameters)."""
    while True:
        text = json.dumps({k: v for k, v in schema.items() if k != "components"}) + \
            json.dumps(schemas)
        unused = [name for name in schemas
                  if f'"#/components/schemas/{name}"' not in text and name != "Error"]
        if not unused:
            return
        for name in unused:
            del schemas[name]


# pydantic's error types, in the words a person filling a form understands.
MESSAGES = {
    "missing": _("必须填写"),
    "string_too_long": _("不能超过 {max_length} 个字"),
    "string_too_short": _("不能少于 {min_length} 个字"),
    "literal_error": _("须为以下之一：{expected}"),
    "enum": _("须为以下之一：{expected}"),
    "int_parsing": _("须为整数"),
    "int_type": _("须为整数"),
    "int_from_float": _("须为整数"),
    "greater_than_equal": _("不能小于 {ge}"),
    "less_than_equal": _("不能大于 {le}"),
    "greater_than": _("须大于 {gt}"),
    "less_than": _("须小于 {lt}"),
    "bool_type": _("须为 true 或 false"),
    "bool_parsing": _("须为 true 或 false"),
    "string_type": _("须为文字"),
    "list_type": _("须为数组"),
    "date_from_datetime_parsing": _("日期格式须为 YYYY-MM-DD"),
    "date_parsing": _("日期格式须为 YYYY-MM-DD"),
    "date_type": _("日期格式须为 YYYY-MM-DD"),
    "json_invalid": _("不是有效的 JSON"),
    "model_attributes_type": _("须为 JSON 对象"),
    "dict_type": _("须为 JSON 对象"),
}


def field_name(loc: list[Any]) -> str:
    """The field as the client sent it: ["body", "payload", "rating"] is "rating"."""
    parts = list(loc[1:])
    if loc and loc[0] in ("body", "query", "form") and len(parts) > 1:
        parts = parts[1:]  # the view's parameter name (payload, filters), not the client's
    return ".".join(str(p) for p in parts) or str(loc[0] if loc else "")


def invalid_items(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    items = []
    for e in errors:
        context = dict(e.get("ctx") or {})
        if "expected" in context:  # "'a', 'b' or 'c'" from pydantic: a list, in Chinese
            context["expected"] = "、".join(re.findall(r"'([^']*)'", str(context["expected"])))
        template = str(MESSAGES.get(e.get("type", ""), _("格式不正确")))
        try:
            message = template.format(**context)
        except (KeyError, IndexError):
            message = str(_("格式不正确"))
        items.append({"field": field_name(e.get("loc", [])), "message": message})
    return items
