"""The shipped dataset: provenance on every row, no duplicates, and the planning semantics kept.

The only tests that look at the shipped data. They are written so that an editor's next document (a new
source, its rows and tasks) never breaks them: counts and semantics are per original document, sets are
"at least", and the rules that hold for every row hold for the new rows too.
"""
from __future__ import annotations

import pytest

from conftest import ROOT
from parkmetrics.cells import figure_in_quote
from parkmetrics.loader import KEY_COLUMNS, load_dataset

DS = load_dataset(ROOT)
OBS = DS.observations
FIVE = ["zy_2022_plan", "zy_2021_summary", "jy_2022_plan", "qj_industry_plan", "lx_2022_plan"]
ORIGINAL = OBS[OBS["source"].isin(FIVE)]  # the rows read from the five seed documents


def test_the_shipped_data_has_no_errors():
    assert [p.format("en") for p in DS.errors] == []
    assert DS.quarantine.empty and DS.rows_read == DS.rows_accounted


def test_every_observation_has_a_source_and_a_quote_holding_its_figure():
    assert OBS["source"].isin(list(DS.sources)).all()
    assert (OBS["quote"].str.strip().str.len() > 0).all()
    missing = [(r.file, r.line) for r in OBS.itertuples() if not figure_in_quote(r.value, r.quote)]
    assert missing == []


def test_no_duplicate_observations():
    assert not OBS.duplicated(KEY_COLUMNS).any()


@pytest.mark.parametrize("source, count", [
    ("zy_2022_plan", 16), ("zy_2021_summary", 61), ("jy_2022_plan", 30), ("qj_industry_plan", 46),
    ("lx_2022_plan", 20)])
def test_figures_per_document(source, count):
    assert (OBS["source"] == source).sum() == count


def _one(**where):
    sel = ORIGINAL
    for k, v in where.items():
        sel = sel[sel[k].isna()] if v is None else sel[sel[k] == v]
    assert len(sel) == 1, where
    return sel.iloc[0]


# (filters) → expected fields: the semantics the documents state, row by row.
SEMANTICS = [
    # 12%，力争15% is two targets: base and stretch, both growth rates
    (dict(park_id="zhengyang", indicator_id="industrial_output", year=2022, target_level="base"),
     dict(value=12, basis="growth_pct", comparator="=", unit="%")),
    (dict(park_id="zhengyang", indicator_id="industrial_output", year=2022, target_level="stretch"),
     dict(value=15, basis="growth_pct")),
    # 以上 → ≥
    (dict(park_id="zhengyang", indicator_id="signed_projects", year=2022), dict(value=30, comparator="≥")),
    # 预计 → estimate
    (dict(park_id="zhengyang", indicator_id="industrial_output", year=2021, basis="level"),
     dict(value=56.8, estimate=True, kind="actual")),
    (dict(park_id="zhengyang", indicator_id="public_budget_revenue", year=2021, basis="level"),
     dict(value=7.78, estimate=False)),
    # 同比增长近6倍 → growth multiple, approximate
    (dict(park_id="zhengyang", indicator_id="contracted_investment", basis="growth_multiple"),
     dict(value=6, approximate=True, comparator="≈")),
    # 余 → approximate, more than
    (dict(park_id="zhengyang", indicator_id="workers_recruited"), dict(value=300, approximate=True, comparator=">")),
    # 左右 → ≈, approximate
    (dict(park_id="jiangyou", indicator_id="industrial_land_released"),
     dict(value=1500, approximate=True, comparator="≈", target_level="base")),   # 力争 with no base beside it
    # 新增 counts new units, 达到 states a stock
    (dict(park_id="zhengyang", indicator_id="high_tech_enterprises_new", year=2021), dict(value=15, basis="new_count")),
    (dict(park_id="zhengyang", indicator_id="high_tech_enterprises", year=2021), dict(value=42, basis="level")),
    # 降低13.5％ → a reduction with its baseline year, lower is better, district scope
    (dict(indicator_id="energy_intensity"), dict(value=13.5, basis="reduction_pct", baseline_year=2020,
                                                 scope="district")),
    # 进前三 → a rank, ≤ 3
    (dict(indicator_id="rank_yueyang_park_performance"), dict(value=3, basis="rank", comparator="≤")),
    # 到2025年 → multi-year target with its baseline year, district scope, linked to 正阳
    (dict(indicator_id="industrial_output", year=2025), dict(value=400, scope="district", park_id="zhengyang",
                                                            baseline_year=2021)),
    # 在去年7家基础上 → the 2021 actual stated in the 2022 plan
    (dict(park_id="linxiang", indicator_id="above_scale_enterprises_new", year=2021),
     dict(value=7, kind="actual", basis="new_count")),
    # 为年度预算的100.5% → relation captured
    (dict(indicator_id="public_budget_revenue", basis="pct_of_plan"), dict(value=100.5, year=2021)),
    # 零事故 → zero, lower is better
    (dict(indicator_id="safety_accidents"), dict(value=0, comparator="=", target_level="base")),
]


@pytest.mark.parametrize("where, expected", SEMANTICS, ids=[f"{w.get('indicator_id')}-{i}" for i, (w, _) in enumerate(SEMANTICS)])
def test_semantics(where, expected):
    row = _one(**where)
    for field, value in expected.items():
        assert row[field] == value, (field, row[field], value)


def test_district_figures_are_never_park_figures():
    district_doc = OBS[OBS["source"] == "qj_industry_plan"]
    assert (district_doc["scope"] == "district").all()
    district_rows_sources = OBS.loc[OBS["scope"] == "district", "source"]
    assert all(DS.sources[s].scope == "district" for s in district_rows_sources)


def test_every_figure_of_the_2021_summary_is_an_actual_of_2021():
    summary = OBS[OBS["source"] == "zy_2021_summary"]
    assert (summary["kind"] == "actual").all() and (summary["year"] == 2021).all()


def test_aliases_link_the_renamed_park():
    assert {"正阳工业园区", "黔江高新区"} <= set(DS.parks["zhengyang"].aliases)


def test_the_draft_district_plan_is_marked_draft():
    assert DS.sources["qj_industry_plan"].draft and DS.sources["qj_industry_plan"].scope == "district"


def test_one_indicator_for_the_same_thing_named_differently():
    aliases = set(DS.indicators["industrial_output"].aliases)
    assert {"规模以上工业总产值", "规模工业总产值", "规上工业企业产值"} <= aliases
    # Both parks' output figures use that one indicator, so they can be compared.
    assert {"zhengyang", "linxiang"} <= set(OBS.loc[OBS["indicator_id"] == "industrial_output", "park_id"])


def test_key_tasks_load_with_sources():
    assert DS.tasks["source"].isin(FIVE).sum() == 15 and DS.tasks["source"].isin(list(DS.sources)).all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_code_reaches_a_reader_through_a_caliber_note(lang):
    """#19.8: the 口径 notes name other indicators and bases by id (industrial_output_total, pct_of_plan); the
    reader sees their names, and the notes hold no other code (scope=district, parks.yaml)."""
    import re

    from parkmetrics import i18n

    for ind in DS.indicators.values():
        text = ind.description_en if lang == "en" and ind.description_en else ind.description_zh
        shown = i18n.named_codes(text or "", DS.indicators, lang)
        assert not re.search(r"[a-z]+_[a-z_]+|\w=\w|\.yaml|\.csv", shown), (ind.id, shown)
