"""Every status code an operation can answer, in the OpenAPI schema.

Errors leave through the handlers in `site.py`, never through an operation's declared
response, so ninja cannot see them; they are added to the schema here, by what each kind
of operation can meet. The schema test (schemathesis) fails on any code not declared.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "稳定的错误代码，供程序判断"},
        "message": {"type": "string", "description": "中文说明，可直接展示给用户"},
        "errors": {"type": "array", "items": {"type": "object"},
                   "description": "422 时各字段的问题"},
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
    "GET /api/people": {404},  # no directory for this person, as on the page
    "POST /api/activities/{activity_id}/checkin": {429},
}
NO_LOGIN = {"POST /api/auth/token"}


def codes_for(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    key = f"{method.upper()} {path}"
    codes = {422}
    if key not in NO_LOGIN:
        codes.add(401)
    if "{" in path:
        codes.add(404)
    if method in ("post", "put", "patch", "delete"):
        codes |= {400, 403, 409, 413}
    return codes | EXTRA.get(key, set())


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in sorted(codes_for(method, path, operation)):
                responses.setdefault(str(code), {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}},
                })
            operation.setdefault("parameters", [])
            if method in ("post", "put"):
                operation["parameters"].append({
                    "name": "Idempotency-Key", "in": "header", "required": False,
                    "schema": {"type": "string", "maxLength": 100},
                    "description": "重试安全：相同标识的重复请求返回第一次的结果"})
    return schema
