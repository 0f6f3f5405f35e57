"""Peer groups: who a park's peers are, its rank and percentile among them, target ambition, and park search."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkmetrics import peers
from parkmetrics.loader import load_dataset
from parkmetrics.synth import write_root


def obs(rows: list[tuple]) -> pd.DataFrame:
    """(park, indicator, year, kind, basis, value[, target_level, scope, period]) → an observation frame."""
    out = []
    for r in rows:
        park, ind, year, kind, basis, value, *rest = r
        level, scope, period = (rest + [None, None, None])[:3]
        out.append({"park_id": park, "indicator_id": ind, "year": year, "kind": kind, "basis": basis,
                    "value_std": value, "target_level": level or ("base" if kind == "target" else None),
                    "scope": scope or "park", "period": period or "", "comparator": "=", "estimate": False})
    return pd.DataFrame(out)


def test_standing_ranks_the_best_first_and_ignores_missing_figures():
    values = pd.DataFrame({"park_id": ["a", "b", "c", "d", "e"], "value_std": [10.0, 30.0, 20.0, 40.0, None]})
    s = peers.standing(values, "c")
    assert (s["n"], s["rank"], s["percentile"], s["median"]) == (4, 3, 50.0, 25.0)
    assert (s["q1"], s["q3"]) == (17.5, 32.5)
    assert peers.standing(values, "e")["rank"] is None          # 未载明: not ranked last
    lower = peers.standing(values, "a", direction="lower")      # lower is better: the smallest is first
    assert (lower["rank"], lower["percentile"]) == (1, 100.0)


@settings(deadline=None, max_examples=60)
@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=40),
       st.sampled_from(["higher", "lower"]))
def test_rank_and_percentile_are_consistent(values, direction):
    frame = pd.DataFrame({"park_id": [f"p{i}" for i in range(len(values))], "value_std": values})
    ranks = [peers.standing(frame, f"p{i}", direction)["rank"] for i in range(len(values))]
    assert min(ranks) == 1 and max(ranks) <= len(values)
    best = max(values) if direction == "higher" else min(values)
    for i, v in enumerate(values):
        s = peers.standing(frame, f"p{i}", direction)
        assert (s["rank"] == 1) == (v == best) and 0 < s["percentile"] <= 100
        assert (s["percentile"] == 100.0) == (v == best)


def test_only_full_year_park_figures_of_one_basis_are_compared():
    frame = obs([("a", "x", 2022, "actual", "level", 10.0),
                 ("a", "x", 2022, "actual", "level", 99.0, None, "district"),   # the district's: never the park's
                 ("b", "x", 2022, "actual", "level", 7.0, None, None, "M1-M9"),  # 1-9月: not the year
                 ("c", "x", 2022, "actual", "growth_pct", 12.0),                 # another basis
                 ("d", "x", 2022, "target", "level", 50.0)])                     # a target
    assert peers.comparable_values(frame, "x", 2022)[["park_id", "value_std"]].values.tolist() == [["a", 10.0]]


def test_ambition_is_stated_growth_or_the_growth_a_level_target_implies():
    frame = obs([("a", "x", 2022, "target", "growth_pct", 12.0),
                 ("a", "x", 2022, "target", "growth_pct", 15.0, "stretch"),
                 ("b", "x", 2021, "actual", "level", 100.0), ("b", "x", 2022, "target", "level", 110.0),
                 ("c", "x", 2022, "target", "level", 80.0)])                     # no 2021 level: no ambition
    got = peers.ambition(frame, "x", 2022).set_index("park_id")
    assert list(got.index) == ["a", "b"]
    assert (got.loc["a", "ambition_pct"], got.loc["a", "how"]) == (12.0, "stated")
    assert got.loc["b", "ambition_pct"] == pytest.approx(10.0) and got.loc["b", "how"] == "implied"


def test_peer_groups_and_search_on_a_synthetic_root(tmp_path):
    write_root(tmp_path, parks=30, indicators=2, years=2)
    parks = peers.park_frame(load_dataset(tmp_path).parks)
    same_level = peers.peer_ids(parks, "p00000", "level")
    assert len(same_level) == 10 and "p00000" in same_level and "p00001" not in same_level
    assert len(peers.peer_ids(parks, "p00000", "all")) == 30
    with pytest.raises(ValueError):
        peers.peer_ids(parks, "p00000", "colour")
    index = peers.search_index(parks)
    assert peers.search(index, "第17号") == ["p00017"]
    assert peers.search(index, "合成17") == ["p00017"]


def test_search_by_name_alias_and_pinyin_initials(frozen):
    index = peers.search_index(peers.park_frame(frozen.dataset.parks))
    assert peers.search(index, "江油") == ["jiangyou"]
    assert peers.search(index, "黔江高新区") == ["zhengyang"]       # an alias finds the renamed park
    assert peers.search(index, "lxgxq") == ["linxiang"]           # 临湘高新区 by its pinyin initials
    assert peers.search(index, "jy") == ["jiangyou"]
    assert peers.search(index, "Hunan") == ["linxiang"]
    assert peers.search(index, "no such park") == []


def test_the_peers_page_ranks_the_park_among_its_peers(tmp_path, monkeypatch):
    from pages import run_page
    from test_app import figures

    monkeypatch.setenv("PARKMETRICS_ROOT", str(tmp_path))
    write_root(tmp_path, parks=40, indicators=2, years=3)
    a = load_dataset(tmp_path)
    level_peers = peers.peer_ids(peers.park_frame(a.parks), "p00004", "level")
    expected = peers.standing(peers.comparable_values(a.observations, "ind_000", 2016)
                              .query("park_id in @level_peers"), "p00004")
    at = run_page("pages/6_peers.py", tmp_path, cold=True,
                  query={"park": "p00004", "indicator": "ind_000", "year": "2016", "group": "level"})
    assert not at.exception
    shown = {m.label: m.value for m in at.metric[:4]}
    assert shown["排名"] == f"{expected['rank']} / {expected['n']}" and expected["n"] == len(level_peers) == 13
    assert shown["百分位"] == f"{expected['percentile']:.0f}"
    fig = figures(at)[0]
    title = fig["layout"]["title"]["text"]
    assert "2016" in title and f"第{expected['rank']}位/共13个" in title
    bars = fig["data"][0]
    assert len(bars["x"]) == 13  # one bar per peer (≤ 30 peers), the best first
    assert bars["x"] == sorted(bars["x"], reverse=True)


def test_many_peers_are_a_distribution_not_thousands_of_bars(tmp_path):
    from parkmetrics import charts
    from parkmetrics.analysis import analyse_root
    from parkmetrics import views

    write_root(tmp_path, parks=90, indicators=1, years=2)
    fig = views.peer_figure(analyse_root(tmp_path), "p00004", "ind_000", 2015, "all", "en")
    assert fig.data[0].type == "box" and len(fig.data[0].x) == 90 > charts.PEER_BARS_MAX


def test_a_link_to_a_park_beyond_the_first_listed_opens_it(tmp_path, monkeypatch):
    """The picker lists the first PARK_PICKER_MAX parks found; a link to one after them still opens that park
    (not a "unknown park" notice), and the median is given in the page's language."""
    from pages import run_page
    from test_app import figures

    from parkmetrics import views

    monkeypatch.setattr(views, "PARK_PICKER_MAX", 5)           # the pages read it here,
    monkeypatch.setattr(views.common, "PARK_PICKER_MAX", 5)    # the picker where it is defined
    write_root(tmp_path, parks=12, indicators=1, years=2)
    for lang, median_unit, among in (("zh", "亿元", "在全部园区中"), ("en", "billion yuan", "among all parks")):
        at = run_page("pages/6_peers.py", tmp_path, cold=True,
                      query={"park": "p00010", "indicator": "ind_000", "year": "2015", "lang": lang})
        assert not at.exception and not at.warning
        assert at.selectbox(key="w_park" if lang == "zh" else "w_park.en").value == "p00010"
        assert median_unit in at.metric[2].value
        title = figures(at)[0]["layout"]["title"]["text"]
        assert among in title and "园区园区" not in title and "parks parks" not in title


def test_the_readme_link_says_why_nothing_ranks_and_a_typed_search_opens_its_match():
    """#19.4 on the frozen data: no 2022 actual of 规上工业总产值 anywhere (targets only), so nothing is ranked and
    the page says why; the default view never ranks one park against itself; typing lxgxq opens 临湘."""
    from test_app import run

    at = run("peers", park="linxiang", indicator="industrial_output", group="level")
    infos = [i.value for i in at.info]
    assert any("没有2022年“规上工业总产值”的实际值" in i and "（其中1个只有目标值）" in i for i in infos), infos
    assert any(i.startswith("没有可比的目标增速") for i in infos) and not at.metric
    at = run("peers")                                            # the default view: no rank 1/1, percentile 100
    assert all(m.value != "1 / 1" for m in at.metric) and not [m for m in at.metric if m.label == "百分位" and
                                                                 m.value == "100"]
    at.text_input(key="w_park_query").input("lxgxq").run()
    assert at.selectbox(key="w_park").value == "linxiang"
    at.selectbox(key="w_group").select("province").run()         # other choices keep it
    assert at.selectbox(key="w_park").value == "linxiang"
    at.text_input(key="w_park_query").input("").run()             # so does clearing the search
    assert at.selectbox(key="w_park").value == "linxiang"
    at.selectbox(key="w_park").select("zhengyang").run()         # and the reader may pick another
    assert at.selectbox(key="w_park").value == "zhengyang"
