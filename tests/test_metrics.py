"""Metric rules: parametrised tables per basis and comparator, properties, whole-table functions, and every
relation the documents state."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkmetrics import metrics as m
from parkmetrics.units import UnitMismatch, convert

# --- scalar rules -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actual, comparator, target, direction, expected", [
    (30, "≥", 30, "higher", True), (29.9, "≥", 30, "higher", False),
    (30, ">", 30, "higher", False), (30.1, ">", 30, "higher", True),
    (3, "≤", 3, "higher", True), (4, "≤", 3, "higher", False),          # rank: 进前三
    (2.9, "<", 3, "lower", True), (3, "<", 3, "lower", False),
    (1500, "=", 1500, "higher", True), (1600, "=", 1500, "higher", True), (1400, "=", 1500, "higher", False),
    (0, "=", 0, "lower", True), (1, "=", 0, "lower", False),            # 零事故
    (1430, "≈", 1500, "higher", True), (1420, "≈", 1500, "higher", False),  # 左右: within 5 %
    (1700, "≈", 1500, "higher", True),                                  # overshooting 左右 is no failure
    (3.1, "≈", 3, "lower", True), (3.2, "≈", 3, "lower", False),
])
def test_meets(actual, comparator, target, direction, expected):
    assert m.meets(actual, comparator, target, direction) is expected


def test_meets_refuses_an_unknown_comparator():
    with pytest.raises(ValueError):
        m.meets(1, "≥≥", 1)


@pytest.mark.parametrize("actual, target, direction, expected", [
    (110, 100, "higher", 1.1), (50, 100, "higher", 0.5), (0, 100, "higher", 0.0),
    (5, 0, "higher", None), (5, -2, "higher", None),          # zero or negative target: undefined
    (80, 100, "lower", 1.25), (125, 100, "lower", 0.8), (0, 100, "lower", None),
    (0, 0, "lower", 1.0), (2, 0, "lower", 0.0),               # 零事故
])
def test_attainment_ratio(actual, target, direction, expected):
    got = m.attainment_ratio(actual, target, direction)
    assert got == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("met, ratio, expected", [
    (True, 1.2, "exceeded"), (True, 1.05, "exceeded"), (True, 1.0, "met"), (True, None, "met"),
    (False, 0.95, "near"), (False, 0.9, "near"), (False, 0.89, "not_met"), (False, None, "not_met"),
])
def test_classify(met, ratio, expected):
    assert m.classify(met, ratio) == expected


@pytest.mark.parametrize("kwargs, status, method, ratio", [
    # level targets
    (dict(basis="level", comparator="≥", target=30, actual=33), "exceeded", "level", 1.1),
    (dict(basis="level", comparator="≥", target=30, actual=30), "met", "level", 1.0),
    (dict(basis="level", comparator="≥", target=30, actual=28), "near", "level", 28 / 30),
    (dict(basis="level", comparator="≥", target=30, actual=10), "not_met", "level", 1 / 3),
    (dict(basis="level", comparator="=", target=30), "no_actual", None, None),
    # lower is better: lead time ≤ 3 months
    (dict(basis="level", comparator="≤", target=3, actual=2, direction="lower"), "exceeded", "level", 1.5),
    (dict(basis="level", comparator="≤", target=3, actual=4, direction="lower"), "not_met", "level", 0.75),
    # counts of new units against new units
    (dict(basis="new_count", comparator="≥", target=5, actual=7), "exceeded", "new_count", 1.4),
    # growth on levels when both years are known: 56.8 → 64 against +12 % (63.616)
    (dict(basis="growth_pct", comparator="=", target=12, actual_level=64, previous_level=56.8), "met", "levels",
     64 / 63.616),
    # growth with only the stated rate: compare in percentage points (growth factors)
    (dict(basis="growth_pct", comparator="≥", target=15, actual=10), "near", "stated growth (pp)", 1.10 / 1.15),
    (dict(basis="growth_pct", comparator="≥", target=5, actual=-3), "near", "stated growth (pp)", 0.97 / 1.05),
    (dict(basis="growth_pct", comparator="≥", target=0, actual=-20), "not_met", "stated growth (pp)", 0.8),
    # a previous level alone (this year not yet known) gives an implied target level but no status
    (dict(basis="growth_pct", comparator="=", target=12, previous_level=56.8), "no_actual", None, None),
    # ranks: achieved when rank ≤ N
    (dict(basis="rank", comparator="≤", target=3, actual=2), "exceeded", "rank", 1.5),
    (dict(basis="rank", comparator="≤", target=3, actual=3), "met", "rank", 1.0),
    (dict(basis="rank", comparator="≤", target=3, actual=5), "not_met", "rank", 0.6),
    # reductions: a larger reduction is better
    (dict(basis="reduction_pct", comparator="≥", target=13.5, actual=14), "met", "reduction_pct", 14 / 13.5),
    (dict(basis="reduction_pct", comparator="≥", target=13.5, actual=6), "not_met", "reduction_pct", 6 / 13.5),
    # shares, in percentage points
    (dict(basis="share_pct", comparator="≥", target=3.2, actual=3.0), "near", "share_pct", 3.0 / 3.2),
])
def test_assess_target(kwargs, status, method, ratio):
    res = m.assess_target(**kwargs)
    assert (res["status"], res["method"]) == (status, method)
    assert res["ratio"] == (pytest.approx(ratio) if ratio is not None else None)


def test_growth_target_reports_its_implied_level():
    res = m.assess_target("growth_pct", "=", 12, previous_level=56.8)
    assert res["implied_target_level"] == pytest.approx(63.616)


@pytest.mark.parametrize("fn, args, expected", [
    (m.implied_previous, (56.8, 30.5), 43.52), (m.implied_previous, (100, -100), None),
    (m.implied_previous, (100, 0), 100), (m.implied_previous_from_multiple, (53.8, 6), 53.8 / 7),
    (m.nominal_change_pct, (112, 100), 12), (m.nominal_change_pct, (5, 0), None),
    (m.nominal_change_pct, (5, -1), None), (m.nominal_change_pct, (90, 100), -10),
    (m.cagr, (100, 121, 2), 0.1), (m.cagr, (0, 10, 2), None), (m.cagr, (10, 10, 0), None),
    (m.cagr, (100, 0, 2), -1.0),
])
def test_growth_arithmetic(fn, args, expected):
    got = fn(*args)
    assert got == (pytest.approx(expected, rel=1e-3) if expected is not None else None)


@pytest.mark.parametrize("baseline, current, target, years, direction, expected", [
    ((100, 2020), (121, 2022), 161.051, 2025, "higher", "on_track"),          # 10 %/yr needed, 10 % achieved
    ((100, 2020), (117, 2022), 161.051, 2025, "higher", "acceleration_needed"),  # 8.2 %/yr: R ≈ 0.82
    ((100, 2020), (110, 2022), 161.051, 2025, "higher", "limited_progress"),     # 4.9 %/yr: R ≈ 0.49
    ((100, 2020), (95, 2022), 161.051, 2025, "higher", "deterioration"),
    ((100, 2020), (170, 2022), 161.051, 2025, "higher", "achieved"),
    ((1.0, 2020), (0.9, 2022), 0.865, 2025, "lower", "on_track"),              # energy intensity falling fast
    ((1.0, 2020), (1.1, 2022), 0.865, 2025, "lower", "deterioration"),
])
def test_pace_class(baseline, current, target, years, direction, expected):
    res = m.pace_class(baseline[0], current[0], target, baseline[1], current[1], years, direction)
    assert res["class"] == expected


# --- properties ---------------------------------------------------------------------------------------------

finite = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
growth = st.floats(min_value=-99, max_value=500, allow_nan=False, allow_infinity=False)
ORDER = ["not_met", "near", "met", "exceeded"]


@given(target=finite, a=st.floats(0, 2e6), b=st.floats(0, 2e6), cmp=st.sampled_from(["≥", ">", "=", "≈"]))
def test_attainment_is_monotone_in_the_actual_for_higher_is_better(target, a, b, cmp):
    lo, hi = sorted((a, b))
    r_lo, r_hi = m.assess_target("level", cmp, target, actual=lo), m.assess_target("level", cmp, target, actual=hi)
    assert r_lo["ratio"] <= r_hi["ratio"]
    assert ORDER.index(r_lo["status"]) <= ORDER.index(r_hi["status"])


@given(target=finite, a=finite, b=finite)
def test_attainment_is_antitone_in_the_actual_for_lower_is_better(target, a, b):
    lo, hi = sorted((a, b))
    r_lo = m.assess_target("level", "≤", target, "lower", actual=lo)
    r_hi = m.assess_target("level", "≤", target, "lower", actual=hi)
    assert ORDER.index(r_lo["status"]) >= ORDER.index(r_hi["status"])


@given(level=finite, g=growth)
def test_implied_previous_round_trips(level, g):
    prev = m.implied_previous(level, g)
    assert m.implied_level(prev, g) == pytest.approx(level, rel=1e-9)
    assert m.nominal_change_pct(level, prev) == pytest.approx(g, rel=1e-6, abs=1e-6)


@given(start=finite, rate=st.floats(-0.9, 2.0), years=st.integers(1, 30))
@settings(max_examples=200)
def test_cagr_round_trips(start, rate, years):
    end = start * (1 + rate) ** years
    assert m.cagr(start, end, years) == pytest.approx(rate, abs=1e-6)


@given(value=finite, unit=st.sampled_from(["亿元", "万元", "元"]), to=st.sampled_from(["亿元", "万元", "元"]))
def test_money_conversion_round_trips(value, unit, to):
    assert convert(convert(value, unit, to), to, unit) == pytest.approx(value)


@pytest.mark.parametrize("a, b", [("亿元", "个"), ("家", "个"), ("%", "亿元"), ("亩", "平方公里")])
def test_units_of_different_families_are_never_compared(a, b):
    with pytest.raises(UnitMismatch):
        convert(1, a, b)


# --- whole-table functions on synthetic data ----------------------------------------------------------------

IND = pd.DataFrame([
    {"indicator_id": "out", "direction": "higher", "indicator_unit": "亿元", "indicator_name_zh": "产值",
     "indicator_name_en": "Output", "parent": None, "subset_of": None},
    {"indicator_id": "out_a", "direction": "higher", "indicator_unit": "亿元", "indicator_name_zh": "甲",
     "indicator_name_en": "A", "parent": "out", "subset_of": None},
    {"indicator_id": "out_b", "direction": "higher", "indicator_unit": "亿元", "indicator_name_zh": "乙",
     "indicator_name_en": "B", "parent": "out", "subset_of": None},
    {"indicator_id": "energy", "direction": "lower", "indicator_unit": "吨标准煤/万元", "indicator_name_zh": "能耗",
     "indicator_name_en": "Energy", "parent": None, "subset_of": None},
    {"indicator_id": "firms_new", "direction": "higher", "indicator_unit": "家", "indicator_name_zh": "新增企业",
     "indicator_name_en": "New firms", "parent": None, "subset_of": None},
])


def obs(*rows: dict) -> pd.DataFrame:
    base = {"park_id": "p", "scope": "park", "baseline_year": pd.NA, "target_level": None, "comparator": "=",
            "basis": "level", "estimate": False, "approximate": False, "source": "s", "quote": "q", "unit_std": "亿元"}
    out = pd.DataFrame([base | r for r in rows])
    out["value_std"] = out["value"]
    out["baseline_year"] = out["baseline_year"].astype("Int64")
    return out


def test_attainment_table_matches_actuals_by_basis_and_reports_base_and_stretch():
    frame = obs(
        dict(indicator_id="out", year=2021, kind="actual", value=100, estimate=True),
        dict(indicator_id="out", year=2022, kind="actual", value=113),
        dict(indicator_id="out", year=2022, kind="target", target_level="base", basis="growth_pct", value=12),
        dict(indicator_id="out", year=2022, kind="target", target_level="stretch", basis="growth_pct", value=15),
        dict(indicator_id="firms_new", year=2022, kind="target", target_level="stretch", basis="new_count", value=5,
             unit_std="家"),
        dict(indicator_id="firms_new", year=2022, kind="actual", basis="new_count", value=6, unit_std="家"),
        dict(indicator_id="out", year=2022, kind="target", target_level="base", value=100, scope="district"),
    )
    att = m.attainment(frame, IND).set_index(["indicator_id", "scope", "target_level"])
    base, stretch = att.loc[("out", "park", "base")], att.loc[("out", "park", "stretch")]
    assert (base["status"], base["method"], base["implied_target_level"]) == ("met", "levels", pytest.approx(112))
    assert stretch["status"] == "near" and "estimate" in stretch["flags"]        # rests on the 预计 2021 level
    assert base["summary_zh"] == "基本目标完成，力争目标接近"
    assert base["summary_en"] == "base met; stretch nearly met"
    only_stretch = att.loc[("firms_new", "park", "stretch")]
    assert only_stretch["status"] == "exceeded" and only_stretch["summary_en"] == "stretch exceeded"
    # A district target never borrows the park's actual.
    district = att.loc[("out", "district", "base")]
    assert district["status"] == "no_actual" and "district" in district["flags"]


def test_new_units_are_never_compared_with_a_stock():
    frame = obs(dict(indicator_id="firms_new", year=2022, kind="target", target_level="base", basis="new_count",
                     value=5, unit_std="家"),
                dict(indicator_id="firms_new", year=2022, kind="actual", basis="level", value=40, unit_std="家"))
    assert m.attainment(frame, IND)["status"].tolist() == ["no_actual"]


def test_yoy_keeps_stated_growth_beside_nominal_change():
    frame = obs(dict(indicator_id="out", year=2020, kind="actual", value=40),
                dict(indicator_id="out", year=2021, kind="actual", value=50),
                dict(indicator_id="out", year=2021, kind="actual", basis="growth_pct", value=20, unit_std="%"))
    row = m.yoy(frame, IND).set_index("year").loc[2021]
    assert row["nominal_change_pct"] == pytest.approx(25) and row["stated_change_pct"] == 20
    assert row["gap_pp"] == pytest.approx(5)
    assert row["implied_previous"] == pytest.approx(50 / 1.2) and row["derived"]


def test_pace_uses_only_the_same_scope_baseline():
    frame = obs(
        dict(indicator_id="out", year=2020, kind="actual", value=100),
        dict(indicator_id="out", year=2022, kind="actual", value=121),
        dict(indicator_id="out", year=2025, kind="target", target_level="base", value=161.051, baseline_year=2020),
        dict(indicator_id="out", year=2025, kind="target", target_level="base", value=400, baseline_year=2020,
             scope="district"),
        dict(indicator_id="energy", year=2020, kind="actual", value=1.0, unit_std="吨标准煤/万元"),
        dict(indicator_id="energy", year=2022, kind="actual", value=0.95, unit_std="吨标准煤/万元"),
        dict(indicator_id="energy", year=2025, kind="target", target_level="base", basis="reduction_pct", value=13.5,
             baseline_year=2020, unit_std="%"),
    )
    pace = m.pace(frame, IND).set_index(["indicator_id", "scope"])
    park = pace.loc[("out", "park")]
    assert park["class"] == "on_track" and park["ratio"] == pytest.approx(1.0, abs=1e-3)
    assert park["required_cagr_pct"] == pytest.approx(10, abs=1e-3)
    district = pace.loc[("out", "district")]
    assert district["class"] == "no_baseline" and pd.isna(district["baseline_value"])
    energy = pace.loc[("energy", "park")]   # 1.0 → 0.865 by 2025; 0.95 by 2022 is slower than needed
    assert energy["class"] == "acceleration_needed"


def test_checks_flag_parts_that_do_not_sum_and_growth_that_does_not_match_levels():
    frame = obs(
        dict(indicator_id="out", year=2025, kind="target", target_level="base", value=400),
        dict(indicator_id="out_a", year=2025, kind="target", target_level="base", value=300),
        dict(indicator_id="out_b", year=2025, kind="target", target_level="base", value=50),
        dict(indicator_id="out", year=2020, kind="actual", value=40),
        dict(indicator_id="out", year=2021, kind="actual", value=50),
        dict(indicator_id="out", year=2021, kind="actual", basis="growth_pct", value=30, unit_std="%"),
    )
    checks = m.checks(frame, IND).set_index("check")
    assert checks.loc["parts_sum_to_whole", "status"] == "mismatch"
    assert checks.loc["parts_sum_to_whole", "computed"] == 350
    assert checks.loc["stated_growth", "status"] == "mismatch"          # levels say 25 %, the text says 30 %


# --- the shipped data: what the documents state, recomputed -------------------------------------------------


def test_every_target_has_an_attainment_row_with_a_status(shipped):
    targets = shipped.dataset.observations["kind"].eq("target").sum()
    assert len(shipped.attainment) == targets == 109
    assert shipped.attainment["status"].isin(list(m.STATUS_LABELS)).all()
    assert (shipped.attainment["status"] == "no_actual").all()   # no 2022 summaries yet: correct


def test_growth_targets_carry_their_implied_2022_level(shipped):
    att = shipped.attainment.set_index(["park_id", "indicator_id", "year", "target_level"])
    assert att.loc[("zhengyang", "industrial_output", 2022, "base"), "implied_target_level"] == pytest.approx(63.616)
    assert att.loc[("zhengyang", "industrial_output", 2022, "stretch"), "implied_target_level"] == pytest.approx(65.32)


@pytest.mark.parametrize("indicator, implied", [
    ("industrial_output", 43.52), ("fixed_asset_investment", 20.66 / 1.2559), ("industrial_investment", 6.8 / 1.5315),
    ("signed_projects", 20), ("contracted_investment", 53.8 / 7)])
def test_implied_2020_levels(shipped, indicator, implied):
    row = shipped.yoy.set_index(["park_id", "indicator_id", "year"]).loc[("zhengyang", indicator, 2021)]
    assert row["implied_previous"] == pytest.approx(implied, rel=1e-3) and row["derived"]


def test_document_self_checks(shipped):
    checks = shipped.checks
    assert (checks["status"] != "mismatch").all()
    by = checks.set_index(["check", "indicator_id"])
    assert by.loc[("parts_sum_to_whole", "industrial_output"), "computed"] == 400
    assert (by.loc[("share_matches_parts", "strategic_emerging_share"), "computed"] == 20).all()
    assert "7.74" in by.loc[("share_of_plan", "public_budget_revenue"), "detail"]
    assert "43.52" in by.loc[("stated_growth", "industrial_output"), "detail"]


def test_no_district_target_borrows_a_park_baseline(shipped):
    district = shipped.pace[shipped.pace["scope"] == "district"]
    assert len(district) > 0 and (district["class"] == "no_baseline").all()
    assert district["baseline_value"].isna().all()
