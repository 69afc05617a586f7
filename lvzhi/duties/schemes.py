"""The two ready schemes a body starts from (DOMAIN.md, "Member evaluation"): a 100-point
scheme with caps per category and penalties, and an additive points scheme with no ceiling.
Nothing in the evaluation knows either: both are data for a RuleSet."""

from __future__ import annotations

import datetime

MEETING_KINDS = ("plenary", "standing", "chairs", "committee")
CONSULTATIONS = ("topic", "counterpart", "sector", "proposal")
FIELDWORK = ("research", "inspection", "supervision")
LEARNING = ("lecture", "training", "sector_activity", "public")
PRESENT = ("present", "late")


def _attendance(kind: str, present: float, late: float, leave: float, absent: float) -> dict:
    return {f"activity_{kind}_present": present, f"activity_{kind}_late": late,
            f"activity_{kind}_on_leave": leave, f"activity_{kind}_absent": absent}


def _common_obligations() -> list[dict]:
    return [
        {"label": "出席全体会议", "kinds": [f"activity_plenary_{a}" for a in PRESENT],
         "count": 1},
        {"label": "提交一件提案或一篇社情民意信息",
         "kinds": ["proposal_submitted", "proposal_cosigned", "opinion_submitted"],
         "count": 1},
        {"label": "参加一次调研或视察",
         "kinds": [f"activity_{k}_{a}" for k in ("research", "inspection") for a in PRESENT],
         "count": 1},
    ]


def hundred(year: int) -> dict:
    """百分制: 优秀 ≥ 90, 良好 80–89, 称职 60–79, 不称职 < 60; caps per category add up to
    more than 100, the total is held to 100; unexcused absence from meetings deducts."""
    points = {
        **_attendance("plenary", 30, 20, 15, -10),
        **_attendance("standing", 8, 5, 3, -5),
        **_attendance("chairs", 5, 3, 2, -3),
        **_attendance("committee", 5, 3, 2, -2),
        "proposal_submitted": 5, "proposal_filed": 10, "proposal_cosigned": 4,
        "proposal_merged": 5, "proposal_key": 10, "proposal_excellent": 8,
        "opinion_submitted": 2, "opinion_adopted": 3, "opinion_adopted_district": 2,
        "opinion_adopted_city": 4, "opinion_adopted_province": 8,
        "opinion_adopted_national": 12, "opinion_instruction_district": 3,
        "opinion_instruction_city": 5, "opinion_instruction_province": 10,
        "opinion_instruction_national": 15,
        "outcome_report": 6, "outcome_recommendation": 8, "outcome_opinion": 4,
        "outcome_speech": 5,
        "declared_speech": 3, "declared_article": 3, "declared_award_national": 10,
        "declared_award_provincial": 6, "declared_award_city": 4,
        "declared_award_district": 2, "declared_talk": 2, "declared_welfare": 2,
        "declared_studio": 2, "declared_other": 1,
    }
    for kind in CONSULTATIONS:
        points.update(_attendance(kind, 5, 3, 0, 0))
    for kind in FIELDWORK:
        points.update(_attendance(kind, 6, 4, 0, 0))
    for kind in LEARNING:
        points.update(_attendance(kind, 3, 2, 0, 0))
    return {
        "name": "百分制考核方案", "scheme": "hundred", "points": points,
        "caps": {"meetings": 40, "proposals": 25, "opinions": 15, "activities": 25,
                 "outcomes": 10, "declared": 10},
        "obligations": _common_obligations(),
        "bands": {"excellent": 90, "good": 80, "competent": 60},
        "at_risk_on": datetime.date(year, 10, 1), "cutoff": datetime.date(year, 12, 20),
        "correction_days": 10,
    }


def additive(year: int) -> dict:
    """累计积分制: every duty adds points, nothing is capped; the grade comes from the total
    (优秀 ≥ 60, 良好 ≥ 40, 称职 ≥ 20); unexcused absence from the plenary costs 20."""
    base = hundred(year)
    points = {kind: (value * 2 if value > 0 else value) for kind, value in
              base["points"].items()}
    points["activity_plenary_absent"] = -20
    return {
        **base, "name": "累计积分考核方案", "scheme": "additive", "points": points,
        "caps": {}, "bands": {"excellent": 60, "good": 40, "competent": 20},
    }


SCHEMES = {"hundred": hundred, "additive": additive}
