"""The evaluation's arithmetic, on rule sets alone: caps and penalties at their edges, the
grade bands' boundaries, obligations, at-risk reasons, ranks, and the second scheme."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from lvzhi.duties import evaluation, schemes


def rules(**over):
    base = schemes.hundred(2026)
    base.update(over)
    return SimpleNamespace(**base)


PLENARY = ("activity_plenary_present", {})


def facts(*kinds):
    return [(k, {}) for k in kinds]


@pytest.mark.parametrize(("filed", "expected", "cut"), [(2, 25.0, 0.0), (3, 25.0, 12.5)])
def test_a_category_exactly_at_its_cap_loses_nothing_and_above_it_is_cut(filed, expected, cut):
    # 12.5 a filing: two are exactly the proposals cap of 25; a third is cut whole.
    r = rules(points={"proposal_filed": 12.5}, obligations=[])
    result = evaluation.evaluate(facts(*["proposal_filed"] * filed), r)
    assert result.categories["proposals"]["points"] == expected
    assert result.categories["proposals"]["cut"] == cut


def test_penalties_are_not_capped_and_the_total_stays_within_0_and_100():
    r = rules(obligations=[])
    absent = evaluation.evaluate(facts("activity_plenary_absent"), r)
    assert absent.categories["meetings"]["penalty"] == -10 and absent.total == 0
    lots = evaluation.evaluate(facts(*["activity_plenary_present"] * 10,
                                     *["proposal_filed"] * 10, *["opinion_adopted_national"] * 10,
                                     *["activity_research_present"] * 10), r)
    assert lots.total == 100


@pytest.mark.parametrize(("total", "grade"), [(90, "excellent"), (89.9, "good"),
                                              (80, "good"), (79.9, "competent"),
                                              (60, "competent"), (59.9, "incompetent")])
def test_grade_band_boundaries(total, grade):
    assert evaluation.grade_for(total, {"excellent": 90, "good": 80, "competent": 60},
                                missing=False) == grade


def test_a_missed_obligation_holds_the_grade_at_competent():
    bands = {"excellent": 90, "good": 80, "competent": 60}
    assert evaluation.grade_for(95, bands, missing=True) == "competent"
    assert evaluation.grade_for(50, bands, missing=True) == "incompetent"


def test_obligations_count_the_kinds_they_name():
    r = rules()
    none = evaluation.evaluate([], r)
    assert none.missing == ["出席全体会议", "提交一件提案或一篇社情民意信息", "参加一次调研或视察"]
    done = evaluation.evaluate(facts("activity_plenary_late", "opinion_submitted",
                                     "activity_inspection_present"), r)
    assert done.missing == []


def test_at_risk_reasons_before_and_after_the_warning_date():
    r = rules()
    result = evaluation.evaluate(facts("activity_plenary_absent", "activity_standing_absent"),
                                 r)
    early = evaluation.at_risk(result, past_warning_date=False)
    assert early == ["无故缺席全体会议或常委会议 2 次"]  # absences count at any time
    late = evaluation.at_risk(result, past_warning_date=True)
    assert "尚未完成：出席全体会议" in late and "按目前得分为不称职" in late


def test_corrections_adjust_their_category_after_the_caps():
    r = rules(points={"proposal_filed": 30}, obligations=[])
    result = evaluation.evaluate([("proposal_filed", {}),
                                  ("correction", {"points": 3, "category": "proposals"})], r)
    assert result.categories["proposals"]["points"] == 28.0  # 25 (capped) + 3


def test_ranks_share_a_place_on_equal_totals():
    assert evaluation.ranks([(1, Decimal(80)), (2, Decimal(90)), (3, Decimal(80)),
                             (4, Decimal(70))]) == {2: 1, 1: 2, 3: 2, 4: 4}


def test_the_additive_scheme_has_no_ceiling_and_its_own_bands():
    r = SimpleNamespace(**schemes.additive(2026))
    result = evaluation.evaluate(facts(*["activity_plenary_present"] * 5,
                                       "opinion_submitted", "activity_research_present"), r)
    assert result.total == Decimal("316.0")  # 5 × 60 + 4 + 12, nothing held to 100
    assert result.grade == "excellent"
    assert r.caps == {} and r.bands["excellent"] == 60
    assert r.at_risk_on == datetime.date(2026, 10, 1)


def test_a_year_cap_holds_the_total_in_either_scheme():
    r = SimpleNamespace(**{**schemes.additive(2026), "caps": {"total": 150}})
    result = evaluation.evaluate(facts(*["activity_plenary_present"] * 5), r)
    assert result.total == Decimal("150.0")
