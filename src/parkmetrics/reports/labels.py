"""Labels only the reports print, zh and en. They belong in i18n.TEXT (one place a translator edits); they live
here until that file's owner moves them (see docs/reports.md)."""
from __future__ import annotations

from .. import i18n

TEXT: dict[str, tuple[str, str]] = {
    "briefing_park": ("{park}目标与实绩简报", "Briefing: {park}, targets and results"),
    "briefing_compare": ("园区对比简报：{parks}", "Cross-park briefing: {parks}"),
    "slides_park": ("{park}：目标与实绩", "{park}: targets and results"),
    "slides_compare": ("园区对比：目标与实绩", "Cross-park comparison: targets and results"),
    "data_as_of": ("数据截至 {date}（最新来源文件日期）", "Data as of {date} (the newest source document)"),
    "documents_used": ("依据文件 {n} 份", "{n} source documents"),
    "profile": ("园区概况", "Profile"),
    "profiles": ("各园区概况", "The parks"),
    "headline_targets": ("主要目标与完成情况", "Headline targets: status and attainment"),
    "status_counts": ("目标完成情况统计（项）", "Targets by status (count)"),
    "charts": ("图表", "Charts"),
    "figure_n": ("图{n}", "Figure {n}"),
    "target_table": ("目标与完成情况（全部）", "All targets and attainment"),
    "target_table_compare": ("附表：各园区目标与完成情况", "Appendix: every park's targets and attainment"),
    "tasks": ("重点任务", "Key tasks"),
    "tasks_in_chinese": ("任务按文件原文（中文）列出。", "Tasks are listed as the documents state them (in Chinese)."),
    "checks": ("自洽性核对与口径提示", "Self-checks and scope warnings"),
    "no_checks": ("没有可核对的关系。", "No stated relation to check."),
    "check_scope": ("核对内容", "Check"),
    "scope_warning": ("口径提示：标为“区级”的 {n} 项目标是{district}全区的目标，与园区关联，但不是园区自身的目标，"
                      "不可与园区口径的数字直接比较或相加。",
                      "Scope: the {n} targets marked “district” are {district}'s targets for the whole district. "
                      "They are linked to the park but are not the park's own, and must not be compared with or "
                      "added to park-scope figures."),
    "scope_clean": ("口径提示：以上目标均为园区自身口径。", "Scope: every target above is the park's own."),
    "sources": ("数据来源与原文", "Sources: the sentence behind each figure"),
    "sources_intro": ("表中“出处”栏的编号对应下列原文句子及其来源文件。",
                      "The numbers in the “Ref.” columns point to these sentences and their documents."),
    "ref": ("出处", "Ref."),
    "page": ("第 {page} 页", "Page {page}"),
    "footer": ("园区目标与实绩 · {title}", "Park plans and results · {title}"),
    "none": ("无", "none"),
    "all_parks": ("各园区", "all parks"),
    "generated_by": ("由 parkmetrics 根据来源文件生成；所有数字与看板页面一致。",
                     "Made by parkmetrics from the source documents; every figure is the one the dashboard shows."),
    "task_done": ("已完成", "done"),
    "task_planned": ("计划", "planned"),
    "task_ongoing": ("进行中", "ongoing"),
    "check_stated_growth": ("所述增速与两年水平值", "stated growth vs the two years' levels"),
    "check_stated_net_change": ("所述净增与两年水平值", "stated net change vs the two years' levels"),
    "check_stated_multiple": ("所述倍数与两年水平值", "stated multiple vs the two years' levels"),
    "check_share_of_plan": ("完成计划比例与计划值", "share of plan vs the plan"),
    "check_parts_sum_to_whole": ("分项之和与总量", "parts vs their whole"),
    "check_subset_within_superset": ("子集不大于全集", "subset within its superset"),
    "check_share_matches_parts": ("所述占比与分项", "stated share vs its parts"),
}


def t(key: str, lang: str, **fmt: object) -> str:
    """A report label; falls back to i18n.TEXT for the labels the pages already have."""
    if key in TEXT:
        zh, en = TEXT[key]
        text = en if lang == "en" else zh
        return text.format(**fmt) if fmt else text
    return i18n.t(key, lang, **fmt)


def check_name(code: str, lang: str) -> str:
    return t(f"check_{code}", lang) if f"check_{code}" in TEXT else code


def task_status(code: str, lang: str) -> str:
    return t(f"task_{code}", lang) if f"task_{code}" in TEXT else str(code or "")
