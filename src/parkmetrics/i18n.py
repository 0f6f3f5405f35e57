"""Chinese first, English second: every label the UI and the charts print."""
from __future__ import annotations

from .units import UNIT_EN

LANGS = ("zh", "en")

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("园区目标与实绩", "Park plans and results"),
    "app_subtitle": ("比较各园区的年度目标、五年规划与工作总结", "Comparing parks' annual targets, plans and results"),
    "page_overview": ("总览", "Overview"),
    "page_park": ("园区画像", "Park profile"),
    "page_compare": ("园区对比", "Cross-park comparison"),
    "page_tracker": ("目标跟踪", "Target tracker"),
    "page_sources": ("数据与来源", "Data and sources"),
    "language": ("语言 / Language", "Language / 语言"),
    "park": ("园区", "Park"),
    "indicator": ("指标", "Indicator"),
    "year": ("年份", "Year"),
    "category": ("指标类别", "Indicator family"),
    "status": ("状态", "Status"),
    "horizon": ("期限", "Horizon"),
    "annual": ("年度目标", "Annual"),
    "multi_year": ("多年目标（到2025年）", "Multi-year (to 2025)"),
    "all": ("全部", "All"),
    "level": ("级别", "Level"),
    "leading_industries": ("主导产业", "Leading industries"),
    "industry_system": ("产业体系", "Industry system"),
    "positioning": ("定位", "Positioning"),
    "aliases": ("别名", "Also known as"),
    "location": ("所在地", "Location"),
    "established": ("设立", "Established"),
    "area": ("面积", "Area"),
    "not_stated": ("文件未载明", "not stated in the documents"),
    "targets": ("目标", "Targets"),
    "park_targets": ("园区目标", "Park targets"),
    "plus_district_targets": ("另有 {district} 目标 {n} 项（区级口径）", "plus {n} targets of {district}"),
    "actuals": ("实际值", "Actuals"),
    "figures": ("数据条数", "Figures"),
    "latest_actual_year": ("最新实际年份", "Latest actual year"),
    "no_actual_year": ("暂无实际数据", "no actuals yet"),
    "headline": ("主要指标", "Headline figures"),
    "targets_by_status": ("目标完成情况", "Targets by status"),
    "data_health": ("数据健康", "Data health"),
    "all_valid": ("所有数据均通过校验", "All data is valid"),
    "errors": ("错误", "Errors"),
    "warnings": ("警告", "Warnings"),
    "quarantined": ("已隔离的行（未载入，已保留）", "Quarantined rows (not loaded, kept)"),
    "stale_notice": ("最新修改有错误，以下仍显示上一次有效的数据。请按提示修正：",
                     "The latest edit has errors; the last valid data is still shown. Fix these:"),
    "where_from": ("数据来源", "Where the data comes from"),
    "source": ("来源", "Source"),
    "source_prefix": ("来源：", "Source: "),
    "draft": ("征求意见稿", "draft for comment"),
    "issuer": ("发文单位", "Issuer"),
    "date": ("日期", "Date"),
    "doc_type": ("类型", "Type"),
    "file": ("文件", "File"),
    "scope": ("范围", "Scope"),
    "kind": ("类型", "Kind"),
    "comparator": ("比较", "Comparator"),
    "basis": ("口径类型", "Basis"),
    "line": ("行", "Line"),
    "computed": ("重算值", "Recomputed"),
    "detail": ("说明", "Detail"),
    "baseline_year": ("基期年份", "Baseline year"),
    "baseline_value": ("基期值", "Baseline"),
    "target_year": ("目标年份", "Target year"),
    "required_cagr": ("所需年均增速 %", "Required CAGR %"),
    "observed_cagr": ("实际年均增速 %", "Observed CAGR %"),
    "quote": ("原文", "Quote"),
    "value": ("数值", "Value"),
    "unit": ("单位", "Unit"),
    "target_value": ("目标值", "Target"),
    "actual_value": ("实际值", "Actual"),
    "ratio": ("完成率", "Attainment"),
    "flags": ("标注", "Flags"),
    "base": ("基本目标", "Base target"),
    "stretch": ("力争目标", "Stretch target"),
    "actual": ("实际", "Actual"),
    "target": ("目标", "Target"),
    "scope_park": ("园区", "park"),
    "scope_district": ("区级", "district"),
    "district_note": ("区级口径：黔江区全区目标，与正阳工业园区关联，但不是园区自身数据。",
                      "District scope: Qianjiang District targets, linked to the park but not the park's own figures."),
    "targets_table": ("目标与完成情况", "Targets and attainment"),
    "trend": ("指标走势", "Indicator over time"),
    "yoy": ("同比变化", "Year-on-year change"),
    "pace": ("2025年目标进度", "Pace to the 2025 targets"),
    "tasks": ("重点任务", "Key tasks"),
    "figure_quote": ("查看某个数字的原文", "See the sentence behind a figure"),
    "no_actuals_yet": ("该园区尚无实际数据（只有目标）。添加工作总结的数据：在 data/observations/ 新建 CSV，kind 填 actual。",
                       "This park has targets but no actuals yet. To add them, put the 工作总结 figures in a new CSV "
                       "under data/observations/ with kind=actual."),
    "no_data_for": ("所选条件下没有数据。", "No data for this selection."),
    "nothing_to_show": ("此处暂无可显示的数据。", "Nothing to show here yet."),
    "not_loaded": ("数据文件有问题，数据未能载入（或只载入了一部分）。原因见下表（位置、代码、说明与提示）；每个问题代码的含义和"
                   "修正方法见 docs/problems.md。修正文件后刷新页面即可。",
                   "A data file has a problem: the data could not be loaded (or only in part). The table below gives "
                   "the cause (location, code, message and hint); docs/problems.md explains every code and how to "
                   "fix it. Fix the file, then reload the page."),
    "page_failed": ("此部分暂时无法显示。错误已记录在服务器日志中（编号 {ref}）；导航和其他页面仍可使用。",
                    "This part of the page could not be shown. The error was logged on the server (ref {ref}); "
                    "the navigation and the other pages still work."),
    "load_failed": ("载入数据时发生内部错误，已记录在服务器日志中（编号 {ref}）。",
                    "Loading the data failed with an internal error, logged on the server (ref {ref})."),
    "unknown_param": ("链接中的 {param}={value} 无效，已改为 {fallback}。", "{param}={value} in the link is unknown; "
                      "showing {fallback} instead."),
    "target_tier": ("目标档", "Target tier"),
    "compare_side_by_side": ("目标与实际并列", "Targets and actuals side by side"),
    "ambition": ("目标增速（雄心）", "Ambition: target growth rates"),
    "status_heatmap": ("目标完成状态", "Attainment status"),
    "coverage": ("数据覆盖", "Coverage: who reports what"),
    "size_fair": ("按面积折算", "Size-fair view"),
    "size_fair_none": ("文件未载明任何园区的面积，暂无法按面积折算。在 parks.yaml 填写 area_km2 后即显示。",
                       "No document states any park's area, so a per-km² view is not possible yet. Fill area_km2 "
                       "in parks.yaml to enable it."),
    "caliber_note": ("口径说明", "What is counted (口径)"),
    "scope_mixed": ("注意：所选数据含区级口径，与园区口径不可直接比较。", "Note: the selection mixes district-scope and "
                    "park-scope figures, which are not directly comparable."),
    "download_csv": ("下载 CSV（Excel 可直接打开）", "Download CSV (opens in Excel)"),
    "download_xlsx": ("下载 Excel 工作簿", "Download Excel workbook"),
    "observations": ("全部数据（含原文）", "All observations (with quotes)"),
    "documents": ("来源文件", "Source documents"),
    "validation_report": ("校验报告", "Validation report"),
    "checks": ("与原文自洽性核对", "Self-checks against the documents"),
    "method": ("计算方法", "Method"),
    "implied_target_level": ("隐含目标水平", "Implied target level"),
    "estimate": ("预计", "estimate"),
    "approximate": ("约数", "approximate"),
    "district": ("区级", "district"),
    "multi_year_flag": ("多年", "multi-year"),
    "count": ("个数", "Count"),
    "growth_target": ("目标增速 %", "Target growth %"),
    "summary": ("基本/力争", "Base / stretch"),
    "deadline": ("期限", "Deadline"),
    "lead": ("牵头", "Lead"),
    "task": ("任务", "Task"),
    "class": ("进度", "Pace"),
    "nominal_change": ("名义增长 %", "Nominal change %"),
    "stated_change": ("文件所述增长 %", "Stated change %"),
    "previous_value": ("上年值", "Previous year"),
    "implied_previous": ("推算上年值", "Implied previous level"),
    "chart_trend_title": ("{park}：{indicator}（{years}）", "{park}: {indicator} ({years})"),
    "chart_compare_title": ("{indicator}：各园区{year}年目标与实际", "{indicator}: targets and actuals by park, {year}"),
    "chart_ambition_title": ("{year}年目标增速对比（各园区）", "Target growth rates by park, {year}"),
    "chart_status_title": ("目标完成状态：园区 × 指标（{family}）", "Attainment status: park × indicator ({family})"),
    "chart_coverage_title": ("数据覆盖：园区 × 指标（{family}）", "Coverage: park × indicator ({family})"),
    "rank_axis": ("名次（越小越好）", "rank (lower is better)"),
    "derived": ("推算", "derived"),
    "derived_from_growth": ("斜线：由增速目标推算的水平", "hatched: level implied by a growth target"),
}

CATEGORY = {
    "output": ("产值与收入", "Output and revenue"), "investment": ("投资", "Investment"), "fiscal": ("财政", "Fiscal"),
    "enterprises": ("企业", "Enterprises"), "projects": ("项目", "Projects"), "attraction": ("招商引资", "Investment attraction"),
    "innovation": ("创新", "Innovation"), "land": ("土地与厂房", "Land and buildings"), "green": ("绿色发展", "Green"),
    "digital": ("数字化", "Digital"), "ranking": ("排名", "Rankings"), "funding": ("资金争取", "Funding asks"),
    "party": ("党建与队伍", "Party building and cadres"), "services": ("企业服务", "Enterprise services"),
    "safety": ("安全稳定", "Safety and stability"),
}

BASIS = {
    "level": ("水平值", "level"), "new_count": ("新增数", "new units"), "growth_pct": ("增速 %", "growth %"),
    "change_abs": ("净增", "net change"), "growth_multiple": ("增长倍数", "growth multiple"),
    "pct_of_plan": ("占计划 %", "% of plan"), "share_pct": ("占比 %", "share %"),
    "reduction_pct": ("降幅 %", "reduction %"), "rank": ("名次", "rank"),
}

LEVEL_EN = {"国家级": "national", "省级": "provincial", "市级": "municipal", "高新区": "high-tech zone",
            "开发区": "development zone", "工业园区": "industrial park"}


def t(text_key: str, lang: str, **fmt: object) -> str:
    zh, en = TEXT[text_key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


def both(text_key: str, **fmt: object) -> str:
    """中文 first, English second, in one message: for notices a reader must understand in either language
    (the data could not be loaded, the page failed)."""
    return t(text_key, "zh", **fmt) + "\n\n" + t(text_key, "en", **fmt)


def colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def name(obj: object, lang: str) -> str:
    """name_zh / name_en of a park or an indicator (a model or a dict)."""
    get = obj.get if isinstance(obj, dict) else lambda k: getattr(obj, k)
    return get("name_en") if lang == "en" else get("name_zh")


def short(park, lang: str) -> str:
    """A park's short name for chart axes and legends (falls back to the full name)."""
    value = park.short_name_en if lang == "en" else park.short_name_zh
    return value or name(park, lang)


def district(park, lang: str) -> str:
    """The label of a park's host district, for district-scope figures: 黔江区（区级）."""
    label = (park.district_label_en if lang == "en" else park.district_label_zh) or short(park, lang)
    return f"{label} (district)" if lang == "en" else f"{label}（区级）"


def unit(u: str | None, lang: str) -> str:
    if not u:
        return ""
    if lang == "en":
        return UNIT_EN.get(u, u)  # 个 is a bare counter: nothing to say in English
    return u


def status(code: str, lang: str) -> str:
    from .metrics import STATUS_LABELS
    return pick(STATUS_LABELS[code], lang)


def flags(text: str | None, lang: str) -> str:
    """"estimate district" → "预计、区级" / "estimate, district"."""
    keys = {"estimate": "estimate", "approximate": "approximate", "district": "district", "multi_year": "multi_year_flag"}
    sep = ", " if lang == "en" else "、"
    return sep.join(t(keys[f], lang) for f in (text or "").split() if f in keys)


def source_line(sources: list, lang: str) -> str:
    """「来源：《2022年工作要点》（issuer，2022-01-28）」 — printed inside every chart."""
    parts = []
    for s in sources:
        draft = f"，{t('draft', lang)}" if s.draft and lang != "en" else (f", {t('draft', lang)}" if s.draft else "")
        sep = ", " if lang == "en" else "，"
        parts.append(f"《{s.title}》（{s.issuer}{sep}{s.date}{draft}）")
    return t("source_prefix", lang) + ("; " if lang == "en" else "；").join(parts)
