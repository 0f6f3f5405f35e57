"""Views that work at thousands of parks: counts, the highest and lowest N, who did not state a figure, pinned
parks — the pure rules on small tables, then the overview and comparison pages on a synthetic 40-park root
(beyond the 30 bars one chart can show) as the reader sees them. The shipped three parks keep their pages
(tests/test_app.py)."""
from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkmetrics import charts, overview, views
from parkmetrics.analysis import analyse_root
from parkmetrics.metrics import STATUS_CODES
from parkmetrics.synth import write_root
from pages import run_page, shown
from test_app import figures

ORDER = list(STATUS_CODES)


# --- the rules, on small tables ----------------------------------------------------------------------------------


def values(pairs: list[tuple[str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame({"park_id": [p for p, _ in pairs], "value": [v for _, v in pairs]})


@pytest.mark.parametrize("pairs, n, higher_first, expected", [
    # (park, value) → (park, rank, part) in display order
    ([("a", 1.0), ("b", 3.0), ("c", 2.0)], 2, True, [("b", 1, "all"), ("c", 2, "all"), ("a", 3, "all")]),
    ([("a", 1.0), ("b", 3.0), ("c", 2.0)], 1, True, [("b", 1, "top"), ("a", 3, "bottom")]),
    ([("a", 1.0), ("b", 3.0), ("c", 2.0)], 1, False, [("a", 1, "top"), ("b", 3, "bottom")]),
    # ties share the best rank and are broken by park id; a missing value is never ranked
    ([("d", 5.0), ("b", 5.0), ("a", None), ("c", 1.0), ("e", float("nan"))], 1, True,
     [("b", 1, "top"), ("c", 3, "bottom")]),
    ([("a", None), ("b", None)], 3, True, []),
    ([("a", 2.0)], 0, True, []),
    ([("a", -4.0), ("b", 0.0), ("c", 7.5), ("d", 1.0), ("e", 2.0)], 2, True,
     [("c", 1, "top"), ("e", 2, "top"), ("b", 4, "bottom"), ("a", 5, "bottom")]),
])
def test_top_bottom(pairs, n, higher_first, expected):
    got = overview.top_bottom(values(pairs), n, higher_first)
    assert list(zip(got["park_id"], got["rank"], got["part"])) == expected


@settings(deadline=None, max_examples=150)
@given(st.lists(st.one_of(st.none(), st.just(float("nan")), st.integers(-3, 3).map(float),   # ties, gaps
                          st.floats(min_value=-1e6, max_value=1e6)), max_size=60),
       st.integers(min_value=1, max_value=12), st.booleans())
def test_top_bottom_never_shows_more_than_n_a_park_twice_or_a_missing_value(raw, n, higher_first):
    frame = values([(f"p{i:03d}", v) for i, v in enumerate(raw)])
    got = overview.top_bottom(frame, n, higher_first)
    stated = frame.dropna(subset=["value"])
    assert (got.groupby("part").size() <= n).all() or set(got["part"]) == {"all"}
    assert len(got) == min(len(stated), 2 * n) and got["park_id"].is_unique
    assert set(got["park_id"]) <= set(stated["park_id"])                      # 未载明 is never ranked
    ordered = got["value"].tolist()
    assert ordered == sorted(ordered, reverse=higher_first)                     # display order is the ranking
    for r in got.itertuples():                                                  # rank = 1 + how many do better
        better = (stated["value"] > r.value) if higher_first else (stated["value"] < r.value)
        assert r.rank == 1 + int(better.sum())


@pytest.mark.parametrize("parks, ranked, stated, expected", [
    (["a", "b", "c", "d"], ["a"], ["a", "b"], {"total": 4, "ranked": 1, "other": 1, "not_stated": 2}),
    (["a", "b"], [], [], {"total": 2, "ranked": 0, "other": 0, "not_stated": 2}),
    (["a", "b"], ["a", "b"], ["a", "b", "zz"], {"total": 2, "ranked": 2, "other": 0, "not_stated": 0}),
])
def test_every_park_is_ranked_counted_apart_or_not_stated(parks, ranked, stated, expected):
    got = overview.not_ranked(parks, ranked, stated)
    assert got == expected and got["ranked"] + got["other"] + got["not_stated"] == got["total"]


def test_counts_by_keeps_a_missing_field():
    parks = pd.DataFrame({"province": ["四川省", "湖南省", "四川省", None]})
    got = overview.counts_by(parks, "province")
    assert got["parks"].tolist() == [2, 1, 1] and got["value"].tolist()[:2] == ["四川省", "湖南省"]
    assert got["parks"].sum() == 4


def test_status_totals_in_status_order_with_zeros():
    att = pd.DataFrame({"status": ["met", "no_actual", "met", "exceeded"]})
    got = overview.status_totals(att, ORDER)
    assert list(got.index) == ORDER and got["met"] == 2 and got["not_met"] == 0 and got.sum() == 4


def yoy_rows(rows: list[tuple]) -> pd.DataFrame:
    """(park, indicator, year, nominal %, scope) → a metrics.yoy-like frame."""
    return pd.DataFrame([{"park_id": p, "indicator_id": i, "year": y, "nominal_change_pct": v,
                          "scope": sc, "estimate": False, "source": f"{p}_summary"} for p, i, y, v, sc in rows])


def test_movers_rank_only_a_change_of_park_levels():
    yoy = yoy_rows([("a", "x", 2022, 12.0, "park"), ("b", "x", 2022, None, "park"),     # b: a rate only
                    ("c", "x", 2022, 50.0, "district"),                                  # the district's figure
                    ("d", "x", 2021, 9.0, "park"), ("e", "y", 2022, 3.0, "park")])
    got, stated = overview.yoy_changes(yoy, "x", 2022)
    assert got[["park_id", "value"]].values.tolist() == [["a", 12.0]]
    assert stated == {"a", "b"}
    assert overview.not_ranked(list("abcde"), got["park_id"], stated) == {
        "total": 5, "ranked": 1, "other": 1, "not_stated": 3}


@pytest.mark.parametrize("dtype", [object, "category"])   # the loader may hand over codes as categories
def test_status_and_coverage_counts_account_for_every_park(dtype):
    att = pd.DataFrame({"park_id": ["a", "a", "b", "c"], "indicator_id": ["x", "x", "x", "y"],
                        "status": ["not_met", "met", "no_actual", "exceeded"]}).astype(dtype)
    cells = overview.best_status(att, ORDER)
    assert dict(zip(zip(cells["park_id"], cells["indicator_id"]), cells["status"])) == {
        ("a", "x"): "met", ("b", "x"): "no_actual", ("c", "y"): "exceeded"}     # the best status of a cell
    counts = overview.status_counts_by_indicator(cells, ["x", "y"], 4, ORDER)
    assert counts.loc["x", "met"] == 1 and counts.loc["x", "not_stated"] == 2 and counts.loc["y", "not_stated"] == 3
    assert (counts.sum(axis=1) == 4).all()
    cov = pd.DataFrame({"park_id": ["a", "a", "b", "c"], "indicator_id": ["x", "x", "x", "x"],
                        "year": [2021, 2022, 2022, 2022], "targets": [1, 0, 2, 0], "actuals": [0, 1, 0, 0],
                        "partial_actuals": [0, 0, 0, 1]}).astype({"park_id": dtype, "indicator_id": dtype})
    got = overview.coverage_counts(cov, ["x"], 5)
    assert got.loc["x"].to_dict() == {"both": 1, "targets_only": 1, "actuals_only": 1, "not_stated": 2}


@pytest.mark.parametrize("raw, valid, unknown", [
    (None, [], []),
    ("", [], []),
    ("b,a,b", ["b", "a"], []),
    (" a , ,c", ["a"], ["c"]),
    ("[x](https://evil.example),<img src=x>,a", ["a"], ["[x](https://evil.example)", "<img src=x>"]),
])
def test_pins_from_the_link(raw, valid, unknown):
    assert overview.parse_pins(raw, {"a": 1, "b": 2}) == (valid, unknown)


def test_pins_are_limited():
    assert overview.parse_pins(",".join(f"p{i}" for i in range(20)), {f"p{i}" for i in range(20)}, 3)[0] == [
        "p0", "p1", "p2"]


def test_a_footer_summarises_thousands_of_documents():
    docs = [SimpleNamespace(title=f"T{i}", issuer="管委会", date=f"2023-01-{i % 28 + 1:02d}", draft=False,
                            type="summary" if i % 2 else "plan", park=f"p{i // 2}") for i in range(3000)]
    assert charts.source_text(docs[:2], "zh").startswith("来源：《T0》")           # a few: listed, as before
    zh, en = charts.source_text(docs, "zh"), charts.source_text(docs, "en")
    assert zh == "来源：1,500个园区的3,000份文件（年度工作要点/计划 1,500，工作总结 1,500；最新 2023-01-28），逐份见“数据与来源”页"
    assert en.startswith("Source: 3,000 documents of 1,500 parks (")


# --- a synthetic root beyond 30 parks, with gaps -----------------------------------------------------------------

PARKS = 40


def _drop_rows(path: Path, keep) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if keep(r))


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """40 parks, 10 indicators, 2014–2017, with three honest gaps in ind_000:
    p00001 states nothing for 2017 (未载明); p00002 has no 2016 level (no change to rank for 2017);
    p00003 states only a growth rate for 2017 (口径不同: not the basis the others are compared on);
    and 30 parks add a 2017 growth target to their level target."""
    out = tmp_path_factory.mktemp("synth40")
    write_root(out, parks=PARKS, indicators=10, years=4)
    obs = out / "data" / "observations"

    def drop(park: str, year: str, basis: str | None = None):
        _drop_rows(obs / f"{park}.csv", lambda r: not (r["indicator_id"] == "ind_000" and r["year"] == year
                                                       and r["kind"] == "actual"
                                                       and (basis is None or r["basis"] == basis)))
    drop("p00001", "2017")
    drop("p00002", "2016", "level")
    drop("p00003", "2017", "level")
    for p in range(10, PARKS):                  # 30 parks also state a growth target: the ambition tab has rates
        with open(obs / f"p{p:05d}.csv", "a", encoding="utf-8", newline="") as f:
            g = 5 + p % 7
            f.write(f"p{p:05d},park,ind_000,2017,,,target,base,{g},%,≥,growth_pct,,,p{p:05d}_plan,"
                    f"合成指标000增长{g}%以上,\n")
    return out


@pytest.fixture(scope="module")
def analysis(root):
    return analyse_root(root)


def test_movers_count_the_parks_they_cannot_rank(analysis):
    got, counts = views.movers(analysis, "ind_000", 2017)
    assert counts == {"total": 40, "ranked": 37, "other": 2, "not_stated": 1}
    assert {"p00001", "p00002", "p00003"}.isdisjoint(got["park_id"])
    assert views.mover_years(analysis, "ind_000")[0] == 2017                     # the latest year is the default


def test_the_ranking_counts_not_stated_and_other_basis(analysis):
    vals, counts = views.rank_values(analysis, "ind_000", 2017, "actual")
    assert counts == {"total": 40, "ranked": 38, "other": 1, "not_stated": 1}   # p00003: a rate; p00001: nothing
    assert len(vals) == 38 and vals["park_id"].is_unique
    assert views.rank_measures(analysis, "ind_000", 2017) == ["actual", "base"]


def test_beyond_30_parks_the_chart_shows_the_highest_and_lowest_n(analysis):
    fig = views.ranked_figure(analysis, "ind_000", 2017, "actual", 10, "zh")
    bars = fig.data[0]
    assert len(bars.y) == 21 and bars.y[10] == "⋯ 中间还有18个园区 ⋯"            # 10 + the gap + 10, never 40
    assert bars.x[10] is None and list(bars.x[:10]) == sorted(bars.x[:10], reverse=True)
    assert bars.y[0].startswith("1. 合成") and bars.y[-1].startswith("38. 合成")
    assert fig.layout.title.text == "合成指标000（2017年实际）：数值最高与最低各10个园区（共40个园区）"
    footer = fig.layout.annotations[-1].text.replace("<br>", "")
    assert footer.startswith("来源：") and "参与排名38个；未载明1个；口径不同1个" in footer
    assert fig.layout.xaxis.title.text == "亿元"
    hist = views.distribution_figure(analysis, "ind_000", 2017, "actual", "en")
    assert hist.data[0].type == "histogram" and len(hist.data[0].x) == 38
    assert "spread across 38 of 40 parks" in hist.layout.title.text
    # the side-by-side figure (reports use it too) is the ranking beyond 30 parks
    assert views.compare_figure(analysis, "ind_000", 2017, "zh").data[0].orientation == "h"


def test_the_analysis_of_the_synthetic_root_is_clean(analysis):
    assert not analysis.dataset.errors


def test_a_stated_level_target_is_ranked_before_the_level_a_growth_target_implies(analysis):
    vals, counts = views.rank_values(analysis, "ind_000", 2017, "base")
    assert counts["ranked"] == 40 and vals["park_id"].is_unique and not vals["derived"].any()


def test_ambition_beyond_30_parks_is_a_spread_per_indicator(analysis):
    fig = views.ambition_figure(analysis, "zh")
    assert [t.type for t in fig.data] == ["box"] and len(fig.data[0].x) == 30
    assert fig.data[0].y[0] == "合成指标000（n=30）"
    assert fig.layout.title.text == "2017年目标增速的分布（各指标；30个园区有增速目标，共40个园区）"


def test_status_and_coverage_beyond_30_parks_are_counts(analysis):
    status = views.status_figure(analysis, "output", "zh")
    assert all(t.type == "bar" and t.orientation == "h" for t in status.data)
    per_indicator = pd.DataFrame([t.x for t in status.data]).sum()
    assert (per_indicator == 40).all()                                          # every park counted once
    assert status.layout.title.text == "目标完成状态：各指标的园区数（产值与收入，2017年目标，共40个园区）"
    coverage = views.coverage_figure(analysis, "output", "en")
    assert (pd.DataFrame([t.x for t in coverage.data]).sum() == 40).all()
    assert {t.name for t in coverage.data} <= {"targets and actuals", "targets only", "actuals only", "not stated"}


# --- the pages, as the reader sees them ----------------------------------------------------------------------------


def _texts(at) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning")
    return "\n".join(shown(str(el.value)) for kind in kinds for el in at.get(kind))


def test_overview_with_many_parks_summarises_and_shows_no_card_until_one_is_pinned(root):
    at = run_page("app.py", root, cold=True)
    assert not at.exception
    assert not at.subheader                                                     # no park cards
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["园区数"] == "40" and metrics["错误"] == "0" and metrics["数据条数"] == "4,506"
    assert int(metrics["目标数"].replace(",", "")) + int(metrics["实际数据条数"].replace(",", "")) == 4506
    text = _texts(at)
    assert "尚未关注任何园区" in text and "参与排名37个园区；未载明2017年实际1个；缺少可比的上年水平值2个" in text
    assert "来源：40个园区的80份文件（年度工作要点/计划 40，工作总结 40；" in text          # not an 80-row table
    movers, spread = figures(at)[:2]
    assert movers["layout"]["title"]["text"] == "合成指标000：2017年同比增长最快与最慢各10个园区（共40个园区）"
    assert len(movers["data"][0]["y"]) == 21 and spread["data"][0]["type"] == "histogram"
    province = at.dataframe[0].value
    assert province["园区数"].sum() == 40
    at.multiselect(key="w_pin").select("p00007").run()                         # pin a park: its card, in the link
    assert [shown(s.value) for s in at.subheader] == ["合成河南第7号高新区"]
    assert at.query_params["pin"] in ("p00007", ["p00007"])


def test_pins_come_from_the_link_and_unknown_ones_are_named_as_text(root):
    at = run_page("app.py", root, query={"pin": "p00004,p00009,[x](https://evil.example)", "lang": "en"})
    assert not at.exception
    assert [shown(s.value) for s in at.subheader] == ["Synthetic park 4", "Synthetic park 9"]
    notice = at.warning[0].value
    assert "](https" not in notice and "[x](https://evil.example)" in shown(notice)
    at.text_input(key="w_pin_query").input("第12号").run()                     # the search narrows the choices
    assert at.multiselect(key="w_pin.en").options == ["Synthetic park 4", "Synthetic park 9", "Synthetic park 12"]


def test_compare_with_many_parks_ranks_counts_and_spreads(root):
    at = run_page("pages/2_compare.py", root, query={"indicator": "ind_000", "year": "2017", "top": "10"})
    assert not at.exception
    ranked, spread = figures(at)[:2]
    assert ranked["layout"]["title"]["text"].endswith("数值最高与最低各10个园区（共40个园区）")
    assert len(ranked["data"][0]["y"]) == 21
    assert spread["data"][0]["type"] == "histogram"
    assert "参与排名38个；未载明1个；口径不同1个" in _texts(at)
    at.selectbox(key="w_measure").select("base").run()
    assert "2017年基本目标" in figures(at)[0]["layout"]["title"]["text"]
    assert at.query_params["measure"] in ("base", ["base"])


@pytest.mark.parametrize("tab, title", [("status", "目标完成状态：各指标的园区数（产值与收入，2017年目标，共40个园区）"),
                                        ("coverage", "数据覆盖：各指标的园区数（产值与收入，2017年，共40个园区）"),
                                        ("size_fair", "合成指标000（2017年实际），每平方公里：38个园区按数值排序（共40个园区）")])
def test_compare_tabs_stay_readable_beyond_30_parks(root, tab, title):
    at = run_page("pages/2_compare.py", root, query={"indicator": "ind_000", "year": "2017", "tab": tab})
    assert not at.exception
    fig = figures(at)[-1]
    assert fig["layout"]["title"]["text"] == title
    assert fig["layout"]["annotations"][-1]["text"].startswith("来源：") or any(
        a["text"].startswith("来源：") for a in fig["layout"]["annotations"])


def test_a_paged_table_turns_its_page_and_reruns(root):
    """The tracker on 40 parks lists more than one page of targets: the page picker names the rows it shows and
    keeps working on the next rerun (its labels once counted the page, not the table, and the rerun failed)."""
    at = run_page("pages/3_tracker.py", root)
    picker = at.selectbox(key="tracker_page")
    total = len(analyse_root(root).attainment)
    assert picker.label == "页" and total > 400
    assert picker.format_func(0) == f"第 1–200 行，共 {total:,} 行"
    picker.set_value(1).run()
    assert not at.exception
    picker = at.selectbox(key="tracker_page")
    assert picker.value == 1 and picker.format_func(1) == f"第 201–400 行，共 {total:,} 行"


def test_long_tables_label_the_rows_of_the_page_shown(root):
    """The sources page pages 4 M observations at national scale: the page shown is labelled (园区, 实际…), the
    count is the whole table's, and turning the page labels the next rows."""
    at = run_page("pages/4_sources.py", root)
    total = len(analyse_root(root).dataset.observations)
    picker = at.selectbox(key="sources_observations_page")
    assert picker.format_func(0) == f"第 1–200 行，共 {total:,} 行"
    first = next(d.value for d in at.dataframe if "行" in d.value.columns)
    assert len(first) == 200 and set(first["范围"]) <= {"园区", "区级"} and set(first["类型"]) <= {"目标", "实际"}
    picker.set_value(1).run()
    second = next(d.value for d in at.dataframe if "行" in d.value.columns)
    assert len(second) == 200 and not first.equals(second) and set(second["范围"]) <= {"园区", "区级"}


def test_thousands_of_pages_are_picked_by_number(root, monkeypatch):
    """Beyond PICKED_PAGES pages (20,000 at national scale) the table asks for a page number instead of listing
    every page's rows on each rerun; the caption says which rows are shown."""
    from parkmetrics import ui

    monkeypatch.setattr(ui, "PICKED_PAGES", 2)
    at = run_page("pages/4_sources.py", root)
    total = len(analyse_root(root).dataset.observations)
    pages = (total - 1) // 200 + 1
    number = at.number_input(key="sources_observations_page_no")
    assert number.label == f"第几页（共 {pages:,} 页）" and number.value == 1
    assert f"第 1–200 行，共 {total:,} 行" in [c.value for c in at.caption]
    number.set_value(2).run()
    assert not at.exception
    assert f"第 201–400 行，共 {total:,} 行" in [c.value for c in at.caption]


def test_the_tracker_searches_among_many_parks(root, monkeypatch):
    """Beyond PARK_PICKER_MAX parks the tracker's park list is searched, as on the peers page; a linked park is
    kept even when it is not among the first listed."""
    monkeypatch.setattr(views, "PARK_PICKER_MAX", 5)           # the pages read it here,
    monkeypatch.setattr(views.common, "PARK_PICKER_MAX", 5)    # the picker where it is defined
    at = run_page("pages/3_tracker.py", root, query={"t_park": "p00030"})
    assert not at.exception and not at.warning
    picker = at.selectbox(key="w_t_park")
    assert picker.value == "p00030" and len(picker.options) == 1 + 1 + 5      # 全部, the linked park, the first 5
    names = analyse_root(root).dataset.parks
    at.text_input(key="w_t_park_query").input("p00012").run()
    picker = at.selectbox(key="w_t_park")      # the search finds p00012; the park shown stays p00030
    assert picker.options == ["全部", names["p00030"].name_zh, names["p00012"].name_zh] and picker.value == "p00030"


def test_no_cross_park_report_of_thousands_of_pages(root, capsys):
    """Beyond CROSS_PARK_MAX parks the comparison page says why there is no cross-park report and offers none;
    the builder and the command line refuse it with a hint (a park's own briefing still works)."""
    from parkmetrics import cli, reports

    at = run_page("pages/2_compare.py", root)
    assert "跨园区简报最多涵盖 30 个园区，当前有 40 个" in " ".join(i.value for i in at.info)
    assert not at.get("download_button")
    with pytest.raises(ValueError, match="at most 30 parks"):
        reports.build(analyse_root(root), park_id=None, lang="zh", fmt="docx")
    assert cli.main(["report", "--root", str(root), "--compare", "--format", "docx", "--out", str(root)]) == 2
    assert "Hint: make one report per park" in capsys.readouterr().err
    at = run_page("pages/1_park.py", root, query={"park": "p00005"})
    assert len([b for b in at.get("download_button") if b.key.startswith("report_")]) == 3  # a park's own reports
