"""The kinds of duty fact and the categories they count in.

`duties` never imports a feature: each feature registers the kinds it records (in its
AppConfig.ready), with a Chinese label and a category; rule sets give points per kind and
caps per category. Kinds declared by members (and corrections) are `duties`' own.

Hook for apps still to come (democratic supervision, task ledgers): register kinds such as
`supervision_problem_found` or `task_done` in the category "other" and call `record_fact`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    category: str


CATEGORIES = {
    "meetings": _("会议出席"),
    "proposals": _("提案"),
    "opinions": _("社情民意信息"),
    "activities": _("调研视察与协商活动"),
    "outcomes": _("履职成果"),
    "declared": _("其他履职（自主申报）"),
    "other": _("其他"),
}

KINDS: dict[str, Kind] = {}


def register(code: str, label, category: str) -> None:
    assert category in CATEGORIES, category
    KINDS[code] = Kind(code, label, category)


def label(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


def category(code: str) -> str:
    kind = KINDS.get(code)
    return kind.category if kind else "other"


# Declared duties (自主申报): what no app records, confirmed by staff before it counts.
DECLARED = {
    "speech": _("会议发言或讲话"),
    "article": _("发表文章或著作"),
    "award": _("获得表彰奖励"),
    "talk": _("宣讲或授课"),
    "welfare": _("公益慈善"),
    "studio": _("委员工作室活动"),
    "other": _("其他履职"),
}
AWARD_LEVELS = {"national": _("国家级"), "provincial": _("省级"), "city": _("市级"),
                "district": _("区县级")}


def declared_kind(kind: str, level: str = "") -> str:
    return f"declared_award_{level}" if kind == "award" else f"declared_{kind}"


for _code, _label in DECLARED.items():
    if _code == "award":
        for _level, _level_label in AWARD_LEVELS.items():
            register(declared_kind("award", _level), format_lazy("{}{}", _level_label, _label),
                     "declared")
    else:
        register(declared_kind(_code), _label, "declared")
register("correction", _("考核更正"), "other")
