"""考核评价: the city's yearly evaluation of its district bodies — the scheme (items with
points, some measured by the platform's figures), the arithmetic, the ranking and who sees
what. The actions are in `appraisal_flow`."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import figures
from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.events import record_event
from lvzhi.core.inputs import to_decimal
from lvzhi.core.models import Body, RoleKind, User
from lvzhi.core.notifications import Message, notify
from lvzhi.core.templatetags.lvzhi import cn_date
from lvzhi.ledgers import services
from lvzhi.ledgers.models import DistrictAppraisal, DistrictScore, Task

EXTRA_CAP = Decimal(20)
# 名称 | 分值 | 平台数据（可空）| 目标值（可空）
DEFAULT_SCHEME = """任务交办完成情况 | 30 | checklist_done | 100
提案立案 | 10 | proposals_filed | 40
提案办复率 | 10 | proposals_replied | 100
社情民意信息采用 | 15 | reports_adopted | 30
协商议政活动 | 15 | activities_held | 12
委员出勤率 | 10 | attendance | 90
自身建设和宣传工作 | 10 | |"""
LINE = re.compile(r"^(.+?)\s*[|｜]\s*(\d+(?:\.\d)?)\s*(?:[|｜]\s*([a-z_]*)\s*"
                  r"(?:[|｜]\s*(\d+(?:\.\d+)?)?\s*)?)?$")


def register_figures() -> None:
    figures.register("checklist_done", gettext_lazy("交办事项完成率"), "%", _checklist_done)


def _checklist_done(body_id: int, year: int) -> float:
    rows = Task.objects.filter(body_id=body_id, source__isnull=False, ledger__year=year)\
        .exclude(state=Task.State.CANCELLED)
    return figures.rate(rows.filter(state=Task.State.DONE).count(), rows.count())


# --- the scheme --------------------------------------------------------------------------------

def parse_scheme(text: str) -> list[dict[str, Any]]:
    """One item a line: 名称 | 分值 | 平台数据代码 | 目标值; the last two may be left out
    (the city scores it by hand). The points add up to 100."""
    items, problems = [], []
    for n, line in enumerate([x.strip() for x in (text or "").splitlines() if x.strip()], 1):
        match = LINE.match(line)
        code = (match.group(3) or "") if match else ""
        if match is None:
            problems.append(_("第 %(n)s 行应为“名称 | 分值 | 平台数据 | 目标值”") % {"n": n})
        elif code and code not in figures.FIGURES:
            problems.append(_("第 %(n)s 行的平台数据“%(c)s”不存在") % {"n": n, "c": code})
        elif code and not match.group(4):
            problems.append(_("第 %(n)s 行使用平台数据时须填写目标值") % {"n": n})
        else:
            items.append({"code": f"i{n}", "label": match.group(1)[:60],
                          "points": float(match.group(2)), "figure": code,
                          "target": float(match.group(4) or 0)})
    total = sum(i["points"] for i in items)
    if not problems and total != 100:
        problems.append(_("各项分值合计应为 100 分，现为 %(t)s 分") % {"t": f"{total:g}"})
    if problems:
        refuse_fields({"scheme": ("bad_scheme", "；".join(problems))})
    return items


def scheme_text(items: list[dict[str, Any]]) -> str:
    return "\n".join(" | ".join([i["label"], f"{i['points']:g}", i["figure"],
                                 f"{i['target']:g}" if i["figure"] else ""]).rstrip(" |")
                     for i in items)


def create(actor: User, city: Body, year: int, values: dict[str, Any]) -> DistrictAppraisal:
    """The city's office opens the year's appraisal: every district gets its score sheet
    and its staff are asked to assess themselves."""
    if city.level != Body.Level.CITY or not services.reviews(actor, city.pk):
        raise Refusal("forbidden", _("只有市政协的督查考评部门可以组织区县考核。"), status=403)
    errors: dict[str, tuple[str, Any]] = {}
    try:
        items = parse_scheme(values.get("scheme", ""))
    except Refusal as refusal:
        errors.update({k: ("bad_scheme", v) for k, v in (refusal.fields or {}).items()})
    cap = values.get("extra_cap")
    if cap is None or not 0 <= cap <= 100:
        errors["extra_cap"] = ("bad_extra_cap", _("加分上限应在 0 到 100 分之间。"))
    if DistrictAppraisal.objects.filter(body=city, year=year).exists():
        errors["year"] = ("bad_year", _("%(y)s年度的区县考核已经开始。") % {"y": year})
    districts = list(city.children.all())
    if not districts:
        errors["year"] = ("bad_year", _("本政协没有所辖区县政协。"))
    refuse_fields(errors)
    with transaction.atomic():
        appraisal = DistrictAppraisal.objects.create(
            body=city, year=year, items=items, extra_cap=cap, self_until=values.get(
                "self_until"), title=_("%(y)s年度区县政协工作考核") % {"y": year})
        DistrictScore.objects.bulk_create(DistrictScore(body=d, appraisal=appraisal)
                                          for d in districts)
        record_event(appraisal, "created", actor, to_state=appraisal.state,
                     data={"districts": len(districts)})
        notify(district_staff(appraisal), Message(
            city.pk, _("请开展%(t)s自评") % {"t": appraisal.title},
            _("请于%(d)s前完成自评。") % {"d": cn_date(appraisal.self_until)}
            if appraisal.self_until else "", appraisal.get_absolute_url()))
    return appraisal


def district_staff(appraisal: DistrictAppraisal) -> QuerySet:
    from lvzhi.core.models import Role

    return User.objects.filter(pk__in=Role.objects.filter(
        body__parent_id=appraisal.body_id, kind=RoleKind.STAFF).values("user_id"))


# --- the arithmetic ----------------------------------------------------------------------------

def suggested(item: dict[str, Any], value: float | None) -> float:
    """An item measured by a figure: its points in proportion to the target, at most full."""
    if not item["figure"] or value is None or not item["target"]:
        return 0.0
    return round(min(1.0, value / item["target"]) * item["points"], 1)


def check_scores(appraisal: DistrictAppraisal, scores: dict[str, Any], extra: Any,
                 field: str = "score") -> tuple[dict[str, float], Decimal]:
    """Every item scored between 0 and its points, the extras between 0 and the cap;
    every field at fault refused at once."""
    errors: dict[str, tuple[str, Any]] = {}
    clean: dict[str, float] = {}
    for item in appraisal.items:
        value = to_decimal(scores.get(item["code"]))
        if value is None or not 0 <= value <= Decimal(str(item["points"])):
            errors[f"{field}_{item['code']}"] = ("bad_score", _(
                "“%(l)s”的得分应在 0 到 %(p)s 分之间。") % {"l": item["label"],
                                                        "p": f"{item['points']:g}"})
        else:
            clean[item["code"]] = float(value)
    bonus = to_decimal(extra)
    if bonus is None or not 0 <= bonus <= appraisal.extra_cap:
        errors[f"{field}_extra"] = ("bad_extra", _("加分应在 0 到 %(c)s 分之间。") % {
            "c": format(appraisal.extra_cap.normalize(), "f")})
    refuse_fields(errors)
    return clean, bonus


def total(appraisal: DistrictAppraisal, scores: dict[str, float], extra: Decimal) -> Decimal:
    base = sum(Decimal(str(scores.get(i["code"], 0))) for i in appraisal.items)
    return base + min(extra, appraisal.extra_cap)


def rank(appraisal: DistrictAppraisal) -> None:
    """1, 2, 2, 4: equal totals share a place."""
    services.store_ranks(appraisal.scores.all())


# --- who sees what -----------------------------------------------------------------------------

def appraisals_for(user: Any) -> QuerySet:
    """The city's staff and leaders see its appraisals; a district's, its city's."""
    bodies = bodies_with(user, "ledgers.read_all")
    parents = Body.objects.filter(pk__in=bodies, parent__isnull=False).values("parent_id")
    return DistrictAppraisal.objects.filter(Q(body_id__in=bodies) | Q(body_id__in=parents))


def scores_for(user: Any) -> QuerySet:
    """The city reads every district's sheet; a district only its own — the others' totals
    and ranks appear on the appraisal once the result is published (通报)."""
    bodies = bodies_with(user, "ledgers.read_all")
    return DistrictScore.objects.filter(Q(body_id__in=bodies)
                                        | Q(appraisal__body_id__in=bodies))


def is_city_office(user: Any, appraisal: DistrictAppraisal) -> bool:
    return services.reviews(user, appraisal.body_id)


def is_district_staff(user: Any, score: DistrictScore) -> bool:
    return actor_for(user).has_role(RoleKind.STAFF, score.body_id)
