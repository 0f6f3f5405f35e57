"""Display text: every code has a label in both languages, no raw code reaches a zh page, English reads naturally,
partial-year figures show as what they are, and links mean the same in both languages."""
from __future__ import annotations

import re

import pytest

from conftest import copy_data
from pages import shown
from test_app import figures, run

from parkmetrics import i18n, metrics, views
from parkmetrics.analysis import analyse_root
from parkmetrics.model import Basis, Kind, Scope, SourceType, TargetLevel

# --- every code has a label in both languages -----------------------------------------------------------------

def _check_codes(frozen) -> set[str]:
    """Every self-check code metrics can return (metrics.CHECK_NAMES), which must hold every check the frozen data
    yields."""
    assert set(frozen.checks["check"]) <= set(metrics.CHECK_NAMES)
    return set(metrics.CHECK_NAMES)


def _flag_codes(frozen) -> set[str]:
    assert {f for text in frozen.attainment["flags"] for f in str(text).split()} <= set(metrics.FLAG_NAMES)
    return set(metrics.FLAG_NAMES)


def _vocabularies(frozen) -> dict[str, tuple[set[str], callable]]:
    return {
        "status": (set(metrics.STATUS_CODES), i18n.status),
        "pace class": (set(metrics.PACE_CODES), i18n.pace_class),
        "check status": (set(metrics.CHECK_CODES), i18n.check_status),
        "check": (_check_codes(frozen), lambda c, lang: i18n.label(i18n.CHECK, c, lang)),
        "flag": (_flag_codes(frozen), lambda c, lang: i18n.flags(c, lang)),
        "basis": ({b.value for b in Basis}, lambda c, lang: i18n.label(i18n.BASIS, c, lang)),
        "kind": ({k.value for k in Kind}, lambda c, lang: i18n.label(i18n.KIND, c, lang)),
        "source type": ({t.value for t in SourceType}, lambda c, lang: i18n.label(i18n.SOURCE_TYPE, c, lang)),
        "scope": ({s.value for s in Scope}, lambda c, lang: i18n.label(i18n.SCOPE, c, lang)),
        "target level": ({t.value for t in TargetLevel}, lambda c, lang: i18n.label(i18n.TARGET_LEVEL, c, lang)),
        "task status": (set(frozen.dataset.tasks["status"]) | {"planned", "done", "ongoing"},
                        lambda c, lang: i18n.label(i18n.TASK_STATUS, c, lang)),
    }


def test_every_code_has_a_label_in_both_languages(frozen):
    missing = []
    for vocab, (codes, label) in _vocabularies(frozen).items():
        for code in sorted(codes):
            zh, en = label(code, "zh"), label(code, "en")
            if not zh or zh == code or not re.search(r"[\u4e00-\u9fff]", zh):
                missing.append(f"{vocab} {code!r}: no Chinese label ({zh!r})")
            if not en or (en == code and "_" in code):
                missing.append(f"{vocab} {code!r}: no English label ({en!r})")
    assert missing == []


# --- no raw code on a zh page -------------------------------------------------------------------------------------


def _raw_codes(frozen) -> set[str]:
    codes = set()
    for vocab, (values, _) in _vocabularies(frozen).items():
        codes |= values
    return codes | {"ok", "mismatch", "unverifiable", "target", "actual"}


# Where a code is meant to be read as one: the editor instruction "kind=actual" (a CSV column value), and the
# catalogue's own 口径 note for editors on industrial_output ("（scope=district）", data, not a UI label).
ALLOWED = ("kind=actual", "scope=district")


def _strings(node) -> list[str]:
    """Text a reader sees in a figure: titles, names, labels, texts, annotations, tick texts, hover templates."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "name", "hovertemplate", "ticktext") or (key in ("x", "y") and isinstance(value, list)):
                out += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
                out += [w for v in (value if isinstance(value, list) else []) if isinstance(v, list)
                        for w in v if isinstance(w, str)]
            if key != "template":
                out += _strings(value)
    elif isinstance(node, list):
        for value in node:
            out += _strings(value)
    return out


def page_strings(at) -> list[str]:
    """Everything a rendered page shows: texts, notices, metric labels and values, widget labels and options,
    tab labels, every table cell and header, and the text in every chart."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    out = [shown(str(el.value)) for kind in kinds for el in at.get(kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    out += [t.label for t in at.tabs]
    for box in at.selectbox:
        out += [box.label, *map(str, box.options)]
    for df in at.dataframe:
        frame = df.value
        out += [str(c) for c in frame.columns]
        # file paths ("data/observations/linxiang_2022_plan.csv") are paths, not codes
        out += [str(v) for c in frame.columns if c not in ("文件", "file") for v in frame[c].tolist()]
    for fig in figures(at):
        out += _strings(fig.get("data", [])) + _strings(fig.get("layout", {}).get("annotations", []))
        out += [str(fig["layout"].get("title", {}).get("text", ""))]
    return out


def raw_codes_in(texts: list[str], codes: set[str]) -> list[str]:
    pattern = re.compile(r"(?<![A-Za-z0-9_./-])(" + "|".join(sorted(map(re.escape, codes), key=len, reverse=True))
                         + r")(?![A-Za-z0-9_-])")
    hits = []
    for text in texts:
        for allowed in ALLOWED:
            text = text.replace(allowed, "")
        hits += [f"{m.group(1)!r} in {text[:120]!r}" for m in pattern.finditer(text)]
    return hits


ZH_VIEWS = [("overview", {}), ("park", {"park": "zhengyang"}), ("park", {"park": "linxiang", "section": "pace"}),
            ("park", {"park": "linxiang", "section": "yoy"}), ("park", {"park": "zhengyang", "section": "quote"}),
            ("park", {"park": "linxiang", "section": "tasks"}), ("park", {"park": "jiangyou"}),
            ("compare", {}), ("compare", {"tab": "status"}), ("compare", {"tab": "coverage"}),
            ("compare", {"tab": "size_fair"}), ("compare", {"family": "enterprises", "tab": "status"}),
            ("compare", {"indicator": "industrial_output", "year": "2021"}),
            ("tracker", {}), ("tracker", {"t_scope": "district"}), ("sources", {})]


@pytest.mark.parametrize("view, params", ZH_VIEWS, ids=[f"{p}-{'-'.join(q.values()) or 'default'}"
                                                       for p, q in ZH_VIEWS])
def test_no_raw_code_on_a_zh_page(frozen, view, params):
    at = run(view, **params)
    texts = page_strings(at)
    assert len(texts) > 10
    assert raw_codes_in(texts, _raw_codes(frozen)) == []


def test_the_raw_code_detector_finds_codes():
    codes = {"plan", "district", "stated_growth", "base"}
    assert raw_codes_in(["类型：plan", "district 目标", "核对 stated_growth", "base target"], codes) == [
        "'plan' in '类型：plan'", "'district' in 'district 目标'", "'stated_growth' in '核对 stated_growth'",
        "'base' in 'base target'"]
    assert raw_codes_in(["data/observations/zhengyang_2022_plan.csv", "kind=actual"], codes | {"actual"}) == []


# --- English reads naturally; labels come from i18n -----------------------------------------------------------


def test_english_numbers_read_naturally():
    assert views.fmt_figure(390, "亿元", "=", "level", "en") == "39 billion yuan"        # as written, no "39.0"
    assert views.fmt_figure(401.5, "亿元", "=", "level", "en") == "40.15 billion yuan"   # every digit given
    assert views.fmt_figure(30, "亿元", "=", "level", "en") == "3 billion yuan"
    assert views.fmt_figure(56.8, "亿元", "≥", "level", "en") == "≥5.68 billion yuan"
    assert views.fmt_figure(500, "万元", "=", "level", "en") == "5 million yuan"
    assert views.fmt_figure(1, "期", "=", "level", "en") == "1 session"
    assert views.fmt_figure(3, "期", "≥", "level", "en") == "≥3 sessions"
    assert views.fmt_figure(15, "%", "≥", "growth_pct", "en") == "growth ≥15%"
    assert views.fmt_figure(390, "亿元", "=", "level", "zh") == "390亿元"


def test_english_chart_labels_use_english_punctuation(frozen):
    texts = []
    for fig in (views.trend_figure(frozen, "zhengyang", "industrial_output", "en"),
                views.compare_figure(frozen, "industrial_output", 2022, "en"),
                views.compare_figure(frozen, "industrial_output", 2021, "en")):
        texts += [t for trace in fig.data for t in (trace.text or ()) if t]
    assert texts and not [t for t in texts if re.search(r"[（），、]", t)], texts
    assert "56.8 (estimate)" in texts


def test_check_details_are_in_the_page_language(frozen):
    zh = [views.check_detail(frozen, r, "zh") for r in frozen.checks.to_dict("records")]
    assert "缺少2020年水平值；据所述关系推算2020年水平值为 43.52（推算）" in zh
    assert not [d for d in zh if re.search(r"\b[a-z_]{3,}\b", d)], zh              # no English, no indicator ids
    en = [views.check_detail(frozen, r, "en") for r in frozen.checks.to_dict("records")]
    assert "no 2020 level; the stated relation implies 2020 = 43.52 (derived)" in en
    assert set(i18n.CHECK_DETAIL) >= {d for d in frozen.checks["detail"] if d}  # every code has its words
    table = views.checks_table(frozen, str, str, "zh")
    assert set(table["check"]) <= set(i18n.pick(v, "zh") for v in i18n.CHECK.values())


def test_district_note_names_the_parks_own_district(frozen):
    zhengyang = frozen.dataset.parks["zhengyang"]
    assert "黔江区" in i18n.district_note(zhengyang, "zh") and "Qianjiang District" in i18n.district_note(zhengyang, "en")
    other = zhengyang.model_copy(update={"district_label_zh": "江油市", "name_zh": "某园区"})
    assert i18n.district_note(other, "zh").startswith("区级口径：江油市全区目标，与某园区关联")


def test_report_labels_live_in_i18n():
    from parkmetrics.reports import labels

    assert not hasattr(labels, "TEXT")
    assert labels.t("briefing_park", "zh", park="临湘") == i18n.t("report_briefing_park", "zh", park="临湘")
    assert labels.check_name("stated_growth", "en") == "stated growth vs the two years' levels"
    assert labels.task_status("done", "zh") == "已完成"


# --- honest states --------------------------------------------------------------------------------------------


def test_documents_in_and_due(frozen):
    docs, due = views.documents_status(frozen, "linxiang", "zh")
    assert docs == ["《临湘高新区2022年工作计划》（年度工作要点/计划）"]
    assert due == ["2022年实际数据待录入：需要《2022年工作总结》"]
    _, due = views.documents_status(frozen, "zhengyang", "en")
    assert due == ["2022 actuals not yet entered: needs the 2022 work summary (《2022年工作总结》)"]


def test_a_park_without_the_figure_is_not_stated_never_dropped(frozen):
    fig = views.compare_figure(frozen, "industrial_output", 2022, "zh")
    assert "江油高新区" in [x for t in fig.data for x in (t.x or ()) if x]
    assert "未载明" in [a.text for a in fig.layout.annotations]
    for build in (views.status_figure, views.coverage_figure):
        heat = build(frozen, "output", "zh", 2022).data[0]
        assert list(heat.x) == ["正阳（黔江高新区）", "黔江区（区级）", "江油高新区", "临湘高新区"]
        assert "未载明" in {t for row in heat.text for t in row}


@pytest.mark.parametrize("build", [views.status_figure, views.coverage_figure])
def test_the_park_matrices_show_the_chosen_year_and_keep_a_district_apart(frozen, build):
    """#19.2: 卷烟及配套产业产值 is a 2025 黔江区 target: not in 2022's matrix, and in 2025's under the district's own
    column, never under 正阳; the title names the year."""
    fig = build(frozen, "output", "zh", 2022)
    heat = fig.data[0]
    assert fig.layout.title.text.startswith("2022年") and "卷烟及配套产业产值" not in heat.y
    fig = build(frozen, "output", "zh", 2025)
    heat = fig.data[0]
    row = list(heat.y).index("卷烟及配套产业产值")
    cells = dict(zip(heat.x, heat.text[row]))
    assert cells["正阳（黔江高新区）"] == "未载明" and cells["黔江区（区级）"] != "未载明"
    assert build(frozen, "output", "en", 2025).layout.title.text.endswith("(Output and revenue)")


def test_the_base_of_a_derived_level_is_in_the_source_line(frozen):
    fig = views.compare_figure(frozen, "industrial_output", 2022, "zh")
    footer = fig.layout.annotations[-1].text.replace("<br>", "")
    assert "《2021年工作总结》" in footer and "《2022年工作要点》" in footer
    bars = [t for t in fig.data if t.name == "基本目标" and t.text]
    assert "预计" in bars[0].text[0] and "推算+12%" in bars[0].text[0]      # derived from the 2021 estimate


PARTIAL = ("park_id,scope,indicator_id,year,period,baseline_year,kind,target_level,value,unit,comparator,basis,"
           "estimate,approximate,source,quote,note\n"
           "linxiang,park,industrial_output,2022,M1-M9,,actual,,300,亿元,=,level,,,lx_2022_plan,"
           "1-9月完成规模工业总产值300亿元,test row\n")


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    root = copy_data(tmp_path_factory.mktemp("partial") / "root")
    (root / "data/observations/linxiang_2022_m9.csv").write_text(PARTIAL, encoding="utf-8")
    return root, analyse_root(root)


def test_partial_year_results_show_as_progress_against_the_elapsed_year(partial):
    _, a = partial
    att = a.attainment[(a.attainment["park_id"] == "linxiang") & (a.attainment["indicator_id"] == "industrial_output")]
    table = views.targets_table(att, a, "zh")
    row = table[table["target_value"] == "390亿元"].iloc[0]
    assert row["ratio"] == "76.9% / 75%"
    assert row["actual_value"] == "300（1-9月）"
    assert row["status"] == "时序进度正常" and "年内累计" in row["flags"]
    en = views.targets_table(att, a, "en")
    assert en[en["ratio"] == "76.9% / 75%"].iloc[0]["actual_value"] == "300 (Jan–Sep)"


def test_partial_year_actuals_are_never_plotted_as_the_year(partial):
    _, a = partial
    fig = views.compare_figure(a, "industrial_output", 2022, "zh")
    names = [t.name for t in fig.data if t.x and t.x[0] is not None]
    assert "实际" not in names and "实际（1-9月）" in names
    partial_bar = next(t for t in fig.data if t.name == "实际（1-9月）" and t.x[0] is not None)
    assert "1-9月" in [x for x in partial_bar.text if x][0]
    trend = views.trend_figure(a, "linxiang", "industrial_output", "en")
    assert "Actual" not in [t.name for t in trend.data]
    assert "actual (Jan–Sep)" in [t.name for t in trend.data]


def test_status_colours_cover_every_status():
    from parkmetrics import charts

    assert set(metrics.STATUS_CODES) <= set(charts.STATUS_COLORS)


# --- links --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, section", [("zh", "pace"), ("en", "pace"), ("en", "2025年目标进度"),
                                          ("zh", "Pace to the 2025 targets")])
def test_a_section_opens_from_its_id_or_its_label_in_either_language(lang, section):
    at = run("park", park="zhengyang", section=section, lang=lang)
    assert not at.warning
    headers = list(at.dataframe[-1].value.columns)
    assert ("进度" if lang == "zh" else "Pace") in headers
    assert at.query_params["section"] in (["pace"], "pace")     # the link now says it by its id


def test_an_unknown_section_falls_back_with_the_same_notice():
    at = run("park", park="zhengyang", section="nowhere")
    assert "section=nowhere" in at.warning[0].value and "同比变化" in at.warning[0].value
    assert "section" not in at.query_params                     # the first tab is the default: left out


def test_no_false_notice_after_an_ordinary_widget_change():
    at = run("park", park="zhengyang", indicator="industrial_output")
    at.selectbox(key="w_park").select("jiangyou").run()
    assert not at.warning, [w.value for w in at.warning]
    at = run("compare", indicator="industrial_value_added")
    at.selectbox(key="w_family").select("enterprises").run()
    assert not at.warning, [w.value for w in at.warning]


def test_defaults_are_left_out_of_the_link():
    at = run("compare", family="output", indicator="industrial_output", year="2022", tab="ambition")
    assert not any(k in at.query_params for k in ("family", "indicator", "year", "tab", "lang"))
    at.selectbox(key="w_year").select(2021).run()
    assert at.query_params["year"] in (["2021"], "2021")


def test_tracker_filters_by_scope():
    at = run("tracker", t_scope="district")
    table = at.dataframe[0].value
    assert len(table) == 46 and set(table["范围"]) == {"区级"}
    at = run("tracker", t_scope="park", lang="en")
    assert set(at.dataframe[0].value["Scope"]) == {"park"}


def test_pace_tells_base_and_stretch_apart(frozen):
    pace = views.pace_table(frozen, "zhengyang", "zh")
    assert set(pace["tier"]) <= {"基本目标", "力争目标"} and pace["tier"].notna().all()
    assert not pace["note"].str.contains(r"[a-z]_[a-z]", regex=True).any()
    # a row with no pace says what is missing and what would fill it (#19: every row said 无基期数据, no hint)
    no_base = pace[pace["status"] == "无基期数据"]
    district_2021 = no_base[no_base["note"].str.startswith("缺少2021年区级实际值")]
    assert len(district_2021) and set(district_2021["note"]) == {
        "缺少2021年区级实际值（不借用其他口径）；录入2021年区级工作总结后即可测算"}
    en = views.pace_table(frozen, "zhengyang", "en")
    assert "importing a 2021 district work summary would give one" in " ".join(en["note"])


def test_codes_in_editor_prose_are_shown_by_their_names(frozen):
    inds = frozen.dataset.indicators
    text = "见 industrial_output；记为 pct_of_plan；unknown_code 与 https://x.org/a_b 照原样"
    assert i18n.named_codes(text, inds, "zh") == \
        "见 “规上工业总产值”；记为 占计划 %；unknown_code 与 https://x.org/a_b 照原样"
    assert i18n.named_codes("see industrial_output (pct_of_plan)", inds, "en") == \
        f"see {inds['industrial_output'].name_en} (% of plan)"


def test_a_chart_file_name_never_has_a_double_underscore():
    from parkmetrics.charts import slug
    assert slug("临湘高新区_规上工业总产值 (zh)__2022") == "临湘高新区_规上工业总产值_zh_2022"
