"""Metric rules: parametrised tables per basis and comparator, properties, whole-table functions, and every
relation the documents state."""
from __future__ import annotations

import json

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkmetrics import i18n
from reference import metrics_rowwise as rowwise
from parkmetrics import metrics as m
from parkmetrics.periods import parse_period
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
    {"indicator_id": "out", "direction": "higher", "indicator_unit": "亿元", "parent": None, "subset_of": None},
    {"indicator_id": "out_a", "direction": "higher", "indicator_unit": "亿元", "parent": "out", "subset_of": None},
    {"indicator_id": "out_b", "direction": "higher", "indicator_unit": "亿元", "parent": "out", "subset_of": None},
    {"indicator_id": "energy", "direction": "lower", "indicator_unit": "吨标准煤/万元", "parent": None, "subset_of": None},
    {"indicator_id": "firms_new", "direction": "higher", "indicator_unit": "家", "parent": None, "subset_of": None},
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
    assert base["summary"] == "base:met stretch:near"                             # codes; worded at the edge
    assert i18n.target_summary(base["summary"], "zh") == "基本目标完成，力争目标接近"
    assert i18n.target_summary(base["summary"], "en") == "base met; stretch nearly met"
    only_stretch = att.loc[("firms_new", "park", "stretch")]
    assert only_stretch["status"] == "exceeded" and only_stretch["summary"] == "stretch:exceeded"
    assert i18n.target_summary(only_stretch["summary"], "en") == "stretch exceeded"
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


# --- the frozen fixture data (the five documents): what they state, recomputed -------------------------------------------------


def test_every_target_has_an_attainment_row_with_a_status(frozen):
    targets = frozen.dataset.observations["kind"].eq("target").sum()
    assert len(frozen.attainment) == targets == 109
    assert frozen.attainment["status"].isin(list(m.STATUS_CODES)).all()
    assert (frozen.attainment["status"] == "no_actual").all()   # no 2022 summaries yet: correct


def test_growth_targets_carry_their_implied_2022_level(frozen):
    att = frozen.attainment.set_index(["park_id", "indicator_id", "year", "target_level"])
    assert att.loc[("zhengyang", "industrial_output", 2022, "base"), "implied_target_level"] == pytest.approx(63.616)
    assert att.loc[("zhengyang", "industrial_output", 2022, "stretch"), "implied_target_level"] == pytest.approx(65.32)


@pytest.mark.parametrize("indicator, implied", [
    ("industrial_output", 43.52), ("fixed_asset_investment", 20.66 / 1.2559), ("industrial_investment", 6.8 / 1.5315),
    ("signed_projects", 20), ("contracted_investment", 53.8 / 7)])
def test_implied_2020_levels(frozen, indicator, implied):
    row = frozen.yoy.set_index(["park_id", "indicator_id", "year"]).loc[("zhengyang", indicator, 2021)]
    assert row["implied_previous"] == pytest.approx(implied, rel=1e-3) and row["derived"]


def test_document_self_checks(frozen):
    checks = frozen.checks
    assert (checks["status"] != "mismatch").all()
    by = checks.set_index(["check", "indicator_id"])
    assert by.loc[("parts_sum_to_whole", "industrial_output"), "computed"] == 400
    assert (by.loc[("share_matches_parts", "strategic_emerging_share"), "computed"] == 20).all()
    plan = by.loc[("share_of_plan", "public_budget_revenue")]
    assert plan["detail"] == "implied_plan" and json.loads(plan["detail_args"])["value"] == pytest.approx(7.74, abs=0.01)
    growth = by.loc[("stated_growth", "industrial_output")]
    assert growth["detail"] == "implied_previous" and \
        json.loads(growth["detail_args"])["value"] == pytest.approx(43.52, abs=0.01)


def test_no_district_target_borrows_a_park_baseline(frozen):
    district = frozen.pace[frozen.pace["scope"] == "district"]
    levels = district[district["basis"].isin(["level", "reduction_pct"])]
    assert len(levels) > 0 and (levels["class"] == "no_baseline").all()
    # a share, rank or count target has no level to grow: not applicable, whatever the data
    assert (district.loc[~district.index.isin(levels.index), "class"] == "not_applicable").all()
    assert district["baseline_value"].isna().all()


# --- 时序进度: partial-year actuals against annual targets ----------------------------------------------------

IND_P = pd.concat([IND, pd.DataFrame([
    {"indicator_id": "accidents", "direction": "lower", "indicator_unit": "起", "parent": None, "subset_of": None},
    {"indicator_id": "rd_share", "direction": "higher", "indicator_unit": "%", "parent": None, "subset_of": None},
])], ignore_index=True)

T390 = dict(indicator_id="out", year=2022, kind="target", target_level="base", value=390)
T12 = dict(indicator_id="out", year=2022, kind="target", target_level="base", basis="growth_pct", value=12,
           unit_std="%")


def actual(value, period="", **kw):
    return dict(indicator_id="out", year=2022, kind="actual", value=value, period=period) | kw


def growth(value, period="", **kw):
    return actual(value, period, basis="growth_pct", unit_std="%") | kw


def only(frame: pd.DataFrame) -> pd.Series:
    att = m.attainment(frame, IND_P)
    assert len(att) == 1
    return att.iloc[0]


@pytest.mark.parametrize("rows, status, period, progress, actual_value", [
    # the worked example in docs/metrics.md: 300 of 390 亿元 by 1-9月 = 76.9 % at 75 % of the year
    ([T390, actual(300, "M1-M9")], "on_schedule", "M1-M9", 300 / 390, 300),
    ([T390, actual(320, "M1-M9")], "ahead_of_schedule", "M1-M9", 320 / 390, 320),   # pace 1.094
    ([T390, actual(280, "M1-M9")], "behind_schedule", "M1-M9", 280 / 390, 280),     # pace 0.957
    ([T390, actual(292.5, "M1-M9")], "on_schedule", "M1-M9", 0.75, 292.5),          # exactly 时间过半任务过半
    # the latest cumulative figure is used: 1-9月 over 上半年
    ([T390, actual(150, "H1"), actual(300, "M1-M9")], "on_schedule", "M1-M9", 300 / 390, 300),
    ([T390, actual(230, "H1"), actual(250, "M1-M9")], "behind_schedule", "M1-M9", 250 / 390, 250),
    # a full-year actual always wins over partial ones
    ([T390, actual(400), actual(100, "M1-M9")], "met", "", None, 400),
    ([T390, actual(300), actual(390, "M1-M9")], "not_met", "", None, 300),
    # a slice of the year is never compared with the annual target …
    ([T390, actual(100, "Q2")], "not_comparable", "Q2", None, None),
    ([T390, actual(100, "H2"), actual(30, "M3")], "not_comparable", "H2 M3", None, None),
    # … but a cumulative figure beside it is
    ([T390, actual(100, "Q2"), actual(100, "Q1")], "on_schedule", "Q1", 100 / 390, 100),
    # new units: 新增5家 with 3 by 上半年
    ([dict(T390, indicator_id="firms_new", basis="new_count", value=5, unit_std="家"),
      actual(3, "H1", indicator_id="firms_new", basis="new_count", unit_std="家")],
     "ahead_of_schedule", "H1", 0.6, 3),
    # growth to date against the target rate: growth factors, gap in pp
    ([T12, growth(12.5, "M1-M9")], "on_schedule", "M1-M9", None, 12.5),
    ([T12, growth(10, "M1-M9")], "behind_schedule", "M1-M9", None, 10),
    ([T12, growth(18, "H1")], "ahead_of_schedule", "H1", None, 18),                 # 1.18 / 1.12 = 1.054
    ([T12, growth(15), growth(5, "M1-M9")], "met", "", None, 15),
    # a partial level never stands for the year on the growth path: no stated growth to date → no actual
    ([T12, actual(100, year=2021), actual(90, "M1-M9")], "no_actual", None, None, None),
    # other bases to date are not comparable with an annual target
    ([dict(T390, indicator_id="rd_share", basis="share_pct", value=3.2, unit_std="%"),
      actual(3.0, "H1", indicator_id="rd_share", basis="share_pct", unit_std="%")],
     "not_comparable", "H1", None, 3.0),
    # lower is better, a ceiling on a cumulative count (安全事故 ≤ 4 起): used share vs elapsed share
    ([dict(T390, indicator_id="accidents", comparator="≤", value=4, unit_std="起"),
      actual(2, "H1", indicator_id="accidents", unit_std="起")], "on_schedule", "H1", 0.5, 2),
    ([dict(T390, indicator_id="accidents", comparator="≤", value=4, unit_std="起"),
      actual(1, "H1", indicator_id="accidents", unit_std="起")], "ahead_of_schedule", "H1", 0.25, 1),
    ([dict(T390, indicator_id="accidents", comparator="≤", value=4, unit_std="起"),
      actual(3, "H1", indicator_id="accidents", unit_std="起")], "behind_schedule", "H1", 0.75, 3),
    ([dict(T390, indicator_id="accidents", comparator="=", value=0, unit_std="起"),       # 零事故
      actual(0, "M1-M9", indicator_id="accidents", unit_std="起")], "on_schedule", "M1-M9", 0.0, 0),
    ([dict(T390, indicator_id="accidents", comparator="=", value=0, unit_std="起"),
      actual(1, "H1", indicator_id="accidents", unit_std="起")], "behind_schedule", "H1", None, 1),
    # lower is better, an intensity to date is not a share of the year
    ([dict(T390, indicator_id="energy", comparator="≤", value=0.5, unit_std="吨标准煤/万元"),
      actual(0.45, "H1", indicator_id="energy", unit_std="吨标准煤/万元")], "not_comparable", "H1", None, 0.45),
    # a partial-year target (上半年目标) is met or not by the same period only
    ([dict(T390, period="H1", value=180), actual(190, "H1"), actual(400)], "exceeded", "H1", None, 190),
    ([dict(T390, period="H1", value=180), actual(400)], "no_actual", "H1", None, None),
])
def test_attainment_with_partial_year_actuals(rows, status, period, progress, actual_value):
    row = only(obs(*rows))
    assert row["status"] == status
    assert (row["period"] if isinstance(row["period"], str) else None) == period
    assert row["progress_share"] == (pytest.approx(progress) if progress is not None else None) or (
        progress is None and pd.isna(row["progress_share"]))
    got = row["actual_value"]
    assert (pd.isna(got) if actual_value is None else got == pytest.approx(actual_value))
    partial = bool(period)
    assert ("partial_year" in row["flags"].split()) is partial
    if status in {"ahead_of_schedule", "on_schedule", "behind_schedule"}:
        assert pd.isna(row["ratio"]) and row["elapsed_share"] > 0 and row["method"].startswith("year to date")
    if status == "not_comparable":
        assert row["method"]


def test_worked_example_in_the_docs():
    row = only(obs(T390, actual(300, "M1-M9")))
    assert f"{row['progress_share']:.1%}" == "76.9%" and row["elapsed_share"] == 0.75
    assert row["gap"] == pytest.approx(-90) and row["summary"] == "base:on_schedule"
    assert i18n.target_summary(row["summary"], "zh") == "基本目标时序进度正常"
    assert i18n.target_summary(row["summary"], "en") == "base on schedule"


def test_partial_estimate_and_approximate_flags_follow_the_figure_used():
    row = only(obs(T390, actual(300, "M1-M9", estimate=True, approximate=True), actual(100, "Q1")))
    assert set(row["flags"].split()) == {"estimate", "approximate", "partial_year"}


@pytest.mark.parametrize("kwargs, status, ratio, gap", [
    (dict(basis="pp_change", comparator="≥", target=1.0, actual=1.2), "exceeded", 1.2, 0.2),
    (dict(basis="pp_change", comparator="≥", target=1.0, actual=0.95), "near", 0.95, -0.05),
    (dict(basis="pp_change", comparator="≥", target=1.0, actual=0.5), "not_met", 0.5, -0.5),
    (dict(basis="pp_change", comparator="=", target=1.0, actual_level=4.1, previous_level=3.0), "exceeded", 1.1, 0.1),
    (dict(basis="pp_change", comparator="=", target=1.0, previous_level=3.0), "no_actual", None, None),
])
def test_pp_change_targets_compare_percentage_points(kwargs, status, ratio, gap):
    res = m.assess_target(**kwargs)
    assert res["status"] == status
    assert res["ratio"] == (pytest.approx(ratio) if ratio is not None else None)
    assert res["gap"] == (pytest.approx(gap) if gap is not None else None)


def test_pp_change_target_reads_the_two_years_shares_in_the_table():
    share = dict(indicator_id="rd_share", kind="actual", basis="share_pct", unit_std="%")
    frame = obs(dict(indicator_id="rd_share", year=2022, kind="target", target_level="base", basis="pp_change",
                     value=0.5, unit_std="个百分点"),
                dict(share, year=2021, value=2.8), dict(share, year=2022, value=3.2),
                dict(share, year=2022, value=9.9, period="H1"))          # never a year's share
    row = only(frame)
    assert (row["status"], row["method"]) == ("not_met", "share levels (pp)")
    assert row["actual_value"] == pytest.approx(0.4)


def test_a_quarter_never_becomes_the_years_level():
    frame = obs(actual(100, year=2021), actual(30, "Q1"), actual(25, "Q1", basis="growth_pct", unit_std="%"),
                dict(T12, year=2023),
                dict(indicator_id="out", year=2025, kind="target", target_level="base", value=200,
                     baseline_year=2021))
    yoy = m.yoy(frame, IND_P)
    assert 30 not in yoy["value"].tolist() and 2023 not in yoy["year"].tolist()
    assert not (yoy["year"].eq(2022) & yoy["value"].notna()).any()
    att = m.attainment(frame, IND_P).set_index("year")
    assert pd.isna(att.loc[2023, "implied_target_level"])          # no 2022 level: Q1 is not one
    pace = m.pace(frame, IND_P).iloc[0]
    assert pace["class"] == "no_progress_data" and pd.isna(pace["current_value"])
    cov = m.coverage(frame).set_index("year")
    assert cov.loc[2022, ["actuals", "partial_actuals"]].tolist() == [0, 2]
    assert cov.loc[2021, ["actuals", "partial_actuals"]].tolist() == [1, 0]


def test_checks_key_stated_growth_by_period():
    frame = obs(actual(100, year=2021), actual(80, "M1-M9", year=2021), actual(90, "M1-M9"),
                growth(12.5, "M1-M9"), growth(5))
    by = m.checks(frame, IND_P).set_index(["check", "period"])
    to_date = by.loc[("stated_growth", "M1-M9")]
    assert to_date["status"] == "ok" and to_date["computed"] == pytest.approx(12.5)
    year = by.loc[("stated_growth", "")]
    assert year["status"] == "unverifiable" and year["detail"] == "missing_level" and year["year"] == 2022


def test_checks_and_coverage_accept_frames_without_a_period_column():
    out = dict(indicator_id="out", kind="actual")
    frame = obs(dict(out, year=2021, value=100), dict(out, year=2022, value=110),
                dict(out, year=2022, value=10, basis="growth_pct", unit_std="%"))
    assert "period" not in frame
    assert m.checks(frame, IND_P).set_index("check").loc["stated_growth", "status"] == "ok"
    assert m.coverage(frame)["partial_actuals"].sum() == 0


@pytest.mark.parametrize("pace_ratio, comparator, expected", [
    (1.05, "=", "ahead_of_schedule"), (1.049, "=", "on_schedule"), (1.0, "=", "on_schedule"),
    (0.999, "=", "behind_schedule"), (0.96, "≈", "on_schedule"), (0.94, "≈", "behind_schedule"),
    (math.inf, "≤", "ahead_of_schedule"), (0.0, "≤", "behind_schedule"),
])
def test_schedule_class(pace_ratio, comparator, expected):
    assert m.schedule_class(pace_ratio, comparator) == expected


SCHEDULE = ["behind_schedule", "on_schedule", "ahead_of_schedule"]
CUMULATIVE = ["Q1", "H1", "M1", "M1-M2", "M1-M9", "M1-M11"]
SLICES = ["Q2", "Q3", "Q4", "H2", "M3", "M4-M6", "M12"]


@given(target=finite, a=st.floats(0, 2e6), b=st.floats(0, 2e6), period=st.sampled_from(CUMULATIVE),
       direction=st.sampled_from(["higher", "lower"]), basis=st.sampled_from(["level", "new_count", "growth_pct"]))
def test_schedule_status_is_monotone_in_the_actual(target, a, b, period, direction, basis):
    lo, hi = sorted((a, b))
    elapsed = parse_period(period).elapsed_share
    r_lo, r_hi = (m.assess_progress(basis, "≥" if direction == "higher" else "≤", target, direction, actual=x,
                                    elapsed_share=elapsed, unit="亿元", period=period) for x in (lo, hi))
    step = 1 if direction == "higher" else -1
    assert step * SCHEDULE.index(r_lo["status"]) <= step * SCHEDULE.index(r_hi["status"])
    assert r_lo["met"] is None and r_lo["ratio"] is None


@given(value=st.floats(0, 1e6), target=finite, period=st.sampled_from(CUMULATIVE + SLICES),
       basis=st.sampled_from(["level", "new_count", "growth_pct", "share_pct", "rank", "reduction_pct",
                              "pp_change", "change_abs", "pct_of_plan"]),
       indicator=st.sampled_from(["out", "energy", "firms_new", "accidents"]),
       comparator=st.sampled_from(["=", "≥", ">", "≤", "<", "≈"]), previous=st.none() | finite)
@settings(max_examples=40, deadline=None)
def test_a_partial_actual_never_settles_an_annual_target(value, target, period, basis, indicator, comparator,
                                                         previous):
    rows = [dict(indicator_id=indicator, year=2022, kind="target", target_level="base", basis=basis,
                 comparator=comparator, value=target),
            dict(indicator_id=indicator, year=2022, kind="actual", basis=basis, value=value, period=period),
            dict(indicator_id=indicator, year=2022, kind="actual", basis="level", value=value, period=period)]
    if previous is not None:
        rows.append(dict(indicator_id=indicator, year=2021, kind="actual", basis="level", value=previous))
    row = only(obs(*rows[:2] if basis == "level" else rows))
    assert row["status"] in {*SCHEDULE, "not_comparable"}
    assert "partial_year" in row["flags"].split()
    if period in SLICES:
        assert row["status"] == "not_comparable"


@given(full=st.floats(0, 1e6), part=st.floats(0, 1e6), target=finite, period=st.sampled_from(CUMULATIVE + SLICES),
       basis=st.sampled_from(["level", "new_count", "growth_pct"]))
@settings(max_examples=30, deadline=None)
def test_a_full_year_actual_overrides_partial_ones(full, part, target, period, basis):
    t = dict(indicator_id="out", year=2022, kind="target", target_level="base", basis=basis, value=target)
    with_part = only(obs(t, actual(full, basis=basis), actual(part, period, basis=basis)))
    alone = only(obs(t, actual(full, basis=basis)))
    for col in ("status", "actual_value", "ratio", "method", "flags", "period"):
        assert with_part[col] == alone[col] or (pd.isna(with_part[col]) and pd.isna(alone[col]))
    assert with_part["status"] in ORDER and "partial_year" not in with_part["flags"]


def test_every_table_function_accepts_an_empty_observation_table():
    empty = obs(actual(1)).iloc[0:0]
    for fn, columns in ((m.attainment, m.ATTAINMENT_COLUMNS), (m.yoy, m.YOY_COLUMNS), (m.pace, m.PACE_COLUMNS),
                        (m.checks, m.CHECK_COLUMNS)):
        out = fn(empty, IND_P)
        assert out.empty and list(out.columns) == columns
    assert m.coverage(empty).columns.tolist()[-3:] == ["targets", "actuals", "partial_actuals"]


# --- the set-wise table functions agree with the row-by-row reference (the scalar rules) ---------------------

@st.composite
def frames(draw):
    """Observation frames mixing every basis, comparator, period, scope and direction, with gaps and repeats."""
    indicators = ["out", "out_a", "out_b", "energy", "firms_new", "accidents", "rd_share", "unknown"]
    rows = []
    for _ in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(["target", "actual"]))
        rows.append(dict(
            indicator_id=draw(st.sampled_from(indicators)), year=draw(st.integers(2019, 2023)), kind=kind,
            scope=draw(st.sampled_from(["park", "park", "district"])),
            target_level=draw(st.sampled_from(["base", "stretch"])) if kind == "target" else None,
            basis=draw(st.sampled_from(["level", "level", "growth_pct", "new_count", "change_abs", "growth_multiple",
                                        "pct_of_plan", "share_pct", "reduction_pct", "pp_change", "rank"])),
            comparator=draw(st.sampled_from(["=", "≥", ">", "≤", "<", "≈"])),
            value=draw(st.one_of(st.sampled_from([0.0, -5.0, 100.0, -100.0, 12.0, 3.0]),
                                 st.floats(-150, 1e4, allow_nan=False).map(lambda x: round(x, 2)))),
            period=draw(st.sampled_from(["", "", "", "H1", "M1-M9", "Q1", "Q2", "H2", "M3", "M1-M12"])),
            baseline_year=draw(st.sampled_from([pd.NA, pd.NA, 2019, 2020])) if kind == "target" else pd.NA,
            estimate=draw(st.booleans()), approximate=draw(st.booleans()),
            unit_std=draw(st.sampled_from(["亿元", "%", "家", "起", "吨标准煤/万元", "个百分点"])),
            quote=draw(st.sampled_from(["q", "r"])), source=draw(st.sampled_from(["s", "t"]))))
    return obs(*rows)


@given(frame=frames())
@settings(max_examples=100, deadline=None)
def test_set_wise_tables_agree_with_the_row_by_row_rules(frame):
    for fast, reference in ((m.attainment, rowwise.attainment_rowwise), (m.yoy, rowwise.yoy_rowwise),
                            (m.pace, rowwise.pace_rowwise), (m.checks, rowwise.checks_rowwise)):
        pd.testing.assert_frame_equal(fast(frame, IND_P), reference(frame, IND_P))


@given(frame=frames())
@settings(max_examples=100, deadline=None)
def test_the_coverage_query_counts_as_the_row_by_row_rule(frame):
    """The DuckDB query and periods.is_full_year one row at a time give one table (1-12月 is the year in both)."""
    fast, reference = m.coverage(frame), rowwise.coverage_rowwise(frame)
    pd.testing.assert_frame_equal(fast.astype({c: object for c in m.KEY}), reference.astype({c: object for c in m.KEY}))


def test_a_share_of_a_zero_plan_cannot_be_checked():
    """Decided: 完成年度计划的 X% against a plan of 0 is unverifiable (no share of nothing), never inf or a crash."""
    frame = obs(dict(indicator_id="out", year=2022, kind="target", value=0),
                dict(indicator_id="out", year=2022, kind="actual", value=5),
                dict(indicator_id="out", year=2022, kind="actual", basis="pct_of_plan", value=50, unit_std="%"))
    for table in (m.checks(frame, IND), rowwise.checks_rowwise(frame, IND)):
        row = table[table["check"] == "share_of_plan"].iloc[0]
        assert (row["status"], row["detail"], pd.isna(row["computed"])) == ("unverifiable", "zero_plan", True)


@pytest.mark.parametrize("name", ["attainment", "yoy", "pace", "checks"])
def test_set_wise_tables_agree_on_the_frozen_data(frozen, name):
    ds = frozen.dataset
    ind = m.indicator_frame(ds.indicators)
    pd.testing.assert_frame_equal(getattr(m, name)(ds.observations, ind),
                                  getattr(rowwise, f"{name}_rowwise")(ds.observations, ind))


# --- the engine's SQL rules are rules.py's ------------------------------------------------------------------------

def _sql_rule(expression: str, **values):
    from parkmetrics.metrics.sql import query
    return query(f"SELECT {expression} AS v", params=values)["v"].iloc[0]


def _same(sql_value, python_value) -> bool:
    missing = python_value is None or (isinstance(python_value, float) and math.isnan(python_value))
    return pd.isna(sql_value) if missing else sql_value == python_value or (
        isinstance(python_value, float) and math.isclose(sql_value, python_value, rel_tol=1e-12))


finite = st.one_of(st.sampled_from([0.0, -100.0, 100.0, 1.0, -1.0]), st.floats(-1e6, 1e6, allow_nan=False))


@given(a=finite, t=finite, cmp=st.sampled_from(["≥", ">", "≤", "<", "≈", "="]),
       direction=st.sampled_from(["higher", "lower"]), met=st.booleans(), ratio=st.one_of(st.none(), finite))
@settings(max_examples=150, deadline=None)
def test_the_sql_rules_are_the_python_rules(a, t, cmp, direction, met, ratio):
    """Each macro of metrics/sql.py against its function in rules.py, on the same values."""
    from parkmetrics.metrics import rules
    th = rules.THRESHOLDS
    higher, lower = direction == "higher", direction == "lower"
    assert _same(_sql_rule("meets($a, $cmp, $t, $higher, $tol)", a=a, cmp=cmp, t=t, higher=higher,
                           tol=th.approx_tolerance), rules.meets(a, cmp, t, direction, th.approx_tolerance))
    assert _same(_sql_rule("attainment_ratio($a, $t, $lower)", a=a, t=t, lower=lower),
                 rules.attainment_ratio(a, t, direction))
    assert _sql_rule("classify($met, $ratio::DOUBLE, $e, $n)", met=met, ratio=ratio, e=th.exceeded, n=th.near) == \
        rules.classify(met, ratio, th)
    assert _sql_rule("schedule_class($p, $cmp, $ahead, $on, $tol)", p=a, cmp=cmp, ahead=th.schedule_ahead,
                     on=th.schedule_on, tol=th.approx_tolerance) == rules.schedule_class(a, cmp, th)
    assert _same(_sql_rule("implied_level($p, $g)", p=a, g=t), rules.implied_level(a, t))
    assert _same(_sql_rule("nominal_change_pct($l, $p)", l=a, p=t), rules.nominal_change_pct(a, t))
    assert _same(_sql_rule("implied_previous($l, $g)", l=a, g=t), rules.implied_previous(a, t))
    assert _same(_sql_rule("implied_previous_from_multiple($l, $m)", l=a, m=t),
                 rules.implied_previous_from_multiple(a, t))
    years = int(abs(t)) % 12   # 0 years (no rate) included
    assert _same(_sql_rule("cagr($s, $e, $y)", s=a, e=t, y=years), rules.cagr(a, t, years))
    if ratio is not None:
        assert _sql_rule("progress_class($r, $on, $acc)", r=ratio, on=th.on_track, acc=th.acceleration) == \
            rules.progress_class(ratio, th)
