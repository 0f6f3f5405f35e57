"""Chinese first, English second: every label the UI and the charts print."""
from __future__ import annotations

import re

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
    "latest_actual_year": ("最新实际年份", "Actuals up to"),
    "no_actual_year": ("暂无实际数据", "no actuals yet"),
    "headline": ("主要指标", "Headline figures"),
    "targets_by_status": ("目标完成情况", "Targets by status"),
    "data_health": ("数据健康", "Data health"),
    "all_valid": ("所有数据均通过校验", "All data is valid"),
    "errors": ("错误", "Errors"),
    "problem_where": ("位置（文件:行）", "Where (file:line)"),
    "choose_placeholder": ("请选择", "Choose an option"),
    "unit_label": ("单位：{unit}", "Unit: {unit}"),
    "overview_at_a_glance": ("一览", "At a glance"),
    "overview_status_title": ("{year}年目标完成状态：各园区目标数", "Status of the {year} targets: targets per park"),
    "overview_coverage_title": ("各园区逐年数据：有实际数据的年份（蓝色）", "Data per park and year: years with actuals (blue)"),
    "phone_chart_image": ("查看图表图片（可放大、保存）", "See the chart as an image (zoom, save)"),
    "problem_severity": ("级别", "Severity"),
    "problem_code": ("代码", "Code"),
    "problem_message": ("说明", "Message"),
    "warnings": ("警告", "Warnings"),
    "quarantined": ("已隔离的行（未载入，已保留）", "Rows set aside (kept)"),
    "stale_notice": ("最新修改有错误，以下仍显示上一次有效的数据。请按提示修正：",
                     "The latest edit has errors; the last valid data is still shown. Fix these:"),
    "updating_notice": ("数据文件刚有修改，新数据正在计算；以下暂时显示修改前的数据，稍后再操作页面即显示新数据。",
                        "The data files have just changed and the new data is being computed; the data from before "
                        "the change is shown meanwhile. Interact with the page again shortly to see the new data."),
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
    "district_note": ("区级口径：{district}全区目标，与{park}关联，但不是园区自身数据。",
                      "District scope: {district} targets, linked to {park} but not the park's own figures."),
    "targets_table": ("目标与完成情况", "Targets and attainment"),
    "trend": ("指标走势", "Indicator over time"),
    "yoy": ("同比变化", "Year-on-year change"),
    "pace": ("2025年目标进度", "Pace to the 2025 targets"),
    "tasks": ("重点任务", "Key tasks"),
    "figure_quote": ("查看某个数字的原文", "See the sentence behind a figure"),
    "no_actuals_yet": ("该园区尚无实际数据（只有目标）。实际数据来自园区的工作总结或指标填报表：编辑在“录入文件”页导入即可。",
                       "This park has targets but no actuals yet. Actuals come from the park's work summary (工作总结) "
                       "or its reporting form: an editor imports them on the Import page."),
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
    "size_fair_none": ("文件未载明任何园区的面积，暂无法按面积折算。编辑在园区档案中填写面积（平方公里）后即显示。",
                       "No document states any park's area, so a per-km² view is not possible yet. It appears once "
                       "an editor enters a park's area (km²) in its profile."),
    "caliber_note": ("口径说明", "What is counted (口径)"),
    "scope_mixed": ("注意：所选数据含区级口径，与园区口径不可直接比较。", "Note: the selection mixes district-scope and "
                    "park-scope figures, which are not directly comparable."),
    "download_people": ("下载表格（Excel，按所选条件）", "Download the table (Excel, as filtered)"),
    "download_codes": ("下载代码版 CSV（供程序使用）", "Download codes (CSV, for programs)"),
    "download_all_codes": ("下载全部数据与指标（代码版 Excel，供程序使用）",
                           "Download all data and metrics (codes, Excel, for programs)"),
    "download_filter": ("筛选条件：{filter}", "Filter: {filter}"),
    "download_as_of": ("数据截至 {date}，共 {n} 行", "Data as of {date}; {n} rows"),
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
    "pace_note": ("说明", "Note"),
    "nominal_change": ("名义增长 %", "Nominal change %"),
    "stated_change": ("文件所述增长 %", "Stated change %"),
    "previous_value": ("上年值", "Previous year"),
    "implied_previous": ("推算上年值", "Implied previous level"),
    "chart_trend_title": ("{park}：{indicator}（{years}）", "{park}: {indicator} ({years})"),
    "chart_compare_title": ("{indicator}：各园区{year}年目标与实际", "{indicator}: targets and actuals by park, {year}"),
    "chart_ambition_title": ("{year}年目标增速对比（各园区）", "Target growth rates by park, {year}"),
    "chart_status_title": ("{year}年目标完成状态：园区 × 指标（{family}）",
                           "Attainment status of the {year} targets: park × indicator ({family})"),
    "chart_coverage_title": ("{year}年数据覆盖：园区 × 指标（{family}）", "Coverage in {year}: park × indicator ({family})"),
    "rank_axis": ("名次（越小越好）", "rank (lower is better)"),
    "derived": ("推算", "derived"),
    "derived_from_growth": ("斜线：由增速目标推算的水平", "hatched: level implied by a growth target"),
    # --- honest states, stable links, reports (views/pages) ---------------------------------------------------
    "section_id": ("section", "section"),
    "not_stated_short": ("未载明", "not stated"),
    "other_basis": ("口径不同", "other basis"),
    "no_actuals_title": ("尚无实际数据", "no actuals yet"),
    "chart_trend_title_targets": ("{park}：{indicator}目标（{years}，尚无实际数据）",
                                  "{park}: {indicator} targets ({years}; no actuals yet)"),
    "chart_compare_title_targets": ("{indicator}：各园区{year}年目标（尚无实际数据）",
                                    "{indicator}: targets by park, {year} (no actuals yet)"),
    "documents_status": ("文件与待补数据", "Documents in, and what is due"),
    "documents_in": ("已收录：{docs}", "In: {docs}"),
    "actual_due": ("{year}年实际数据待录入：需要《{year}年工作总结》", "{year} actuals not yet entered: needs the {year} "
                   "work summary (《{year}年工作总结》)"),
    "actuals_complete": ("每个年度目标年份都已有实际数据。", "Every annual target year has its actuals."),
    "compare_due": ("{year}年尚无任何园区的实际数据：需要各园区《{year}年工作总结》。", "No park has {year} actuals yet: "
                    "each park's {year} work summary (《{year}年工作总结》) is needed."),
    "ambition_kept_apart": ("未与产出增速并列：{items}（比率的“提升”，文件未说明是百分点还是相对提升）",
                            "Not set beside output growth: {items} (a rise in a rate; the document does not say "
                            "whether in percentage points or relative)"),
    "partial_actual": ("实际（{period}）", "actual ({period})"),
    "progress_vs_elapsed": ("{progress} / 时序 {elapsed}", "{progress} / {elapsed} of the year"),
    "pace_none_explained": ("“无基期数据”：多年目标按基期（{years}年）的同口径实际值测算进度；文件没有给出这些基期值，"
                            "录入后即可测算。", "“No baseline”: pace to a multi-year target is measured from the "
                            "same-scope actual of its baseline year ({years}); the documents give none yet."),
    "page_rows": ("第 {start}–{end} 行，共 {n} 行", "rows {start}–{end} of {n}"),
    "page_n": ("页", "Page"),
    "reports_too_many": ("跨园区简报最多涵盖 {max} 个园区，当前有 {n} 个（否则将有数千页）。提示：在“园区画像”页为单个园区生成简报。",
                         "A cross-park report covers at most {max} parks; there are {n} (it would run to thousands "
                         "of pages). Hint: make a park's briefing on its Park profile page."),
    "page_of": ("第几页（共 {n} 页）", "Page (of {n})"),
    "reports": ("报告下载", "Reports"),
    "briefing_button": ("生成简报（Word）", "Briefing (Word)"),
    "slides_button": ("幻灯片（PPT）", "Slides (PowerPoint)"),
    "charts_button": ("图表（PNG+SVG 压缩包）", "Charts (PNG + SVG, zip)"),
    "download_ready": ("下载 {name}", "Download {name}"),
    "reports_hint": ("简报、幻灯片和图表在点击时生成（约数秒）；数字与本页一致。",
                     "Briefings, slides and charts are made when you click (a few seconds); the figures are the "
                     "ones on this page."),
    "issue_options": ("领导版、报头与报送（可选）", "Leader's copy, masthead and distribution (optional)"),
    "leader_copy": ("领导版：不含数据自检附录", "Leader's copy: without the self-checks appendix"),
    "masthead_name": ("简报名称（填写后加报头，如：园区发展简报）", "Briefing name (adds a masthead)"),
    "masthead_issue": ("期号", "Issue no."),
    "masthead_issuer": ("编发单位", "Issued by"),
    "masthead_date": ("印发日期（YYYY-MM-DD，空为今天）", "Date (YYYY-MM-DD; empty: today)"),
    "masthead_to": ("报送", "To"),
    "masthead_copy_to": ("抄送", "Copy to"),
    "type_col": ("类型", "Type"),
    "check_col": ("核对内容", "Check"),
    "park_or_district": ("范围", "Scope"),
    # --- reports (moved from reports/labels.py: one home for display text) ----------------------------------
    # the briefing's written analysis (reports/narrative.py): headings in 公文 order, then the sentences
    "report_nar_h_overview": ("总体情况", "Overview"),
    "report_nar_h_main": ("主要指标完成情况", "Main indicators"),
    "report_nar_h_compare": ("对比分析", "Comparison"),
    "report_nar_h_issues": ("需要关注的问题", "Issues to watch"),
    "report_nar_h_next": ("下步建议", "Next steps"),
    "report_nar_counts": ("{park}{year}年共载明园区目标{n}项（基本目标{base}项、力争目标{stretch}项）。",
                          "{park} states {n} park targets for {year} ({base} base, {stretch} stretch)."),
    "report_nar_main_targets": ("{year}年主要目标：{targets}。", "Main {year} targets: {targets}."),
    "report_nar_district": ("另有{district}区级目标{k}项（出自{docs}{draft}），单独列示，不计入园区。",
                            "Another {k} targets are {district}'s, the district's own (from {docs}{draft}): listed "
                            "apart and never counted as the park's."),
    "report_nar_draft_mark": ("，征求意见稿", ", a consultation draft"),
    "report_nar_dates": ("资料截至{date}{draft}；{actual}。", "Documents up to {date}{draft}; {actual}."),
    "report_nar_with_drafts": ("（含征求意见稿）", " (drafts included)"),
    "report_nar_actual_until": ("实绩截至{year}年", "actuals up to {year}"),
    "report_nar_no_actual_yet": ("尚无实绩", "no actuals yet"),
    "report_nar_cannot_judge": ("{year}年目标尚无实绩可比，完成情况待工作总结报送后评价。",
                                "No {year} target has an actual to compare yet: attainment can be judged once the "
                                "work summaries arrive."),
    "report_nar_attained": ("{year}年{indicator}完成{actual}，为年度目标（{target}）的{ratio}%，{status}。",
                            "{indicator} reached {actual} in {year}, {ratio}% of the annual target ({target}): "
                            "{status}."),
    "report_nar_progress": ("{period}{indicator}完成{actual}，完成全年任务（{target}）的{progress}%，{pace}时序进度"
                            "（{elapsed}%）。", "{indicator} reached {actual} in {period}, {progress}% of the year's "
                            "target ({target}), {pace} the share of the year elapsed ({elapsed}%)."),
    "report_nar_pace_ahead": ("快于", "ahead of"),
    "report_nar_pace_in_line": ("符合", "in line with"),
    "report_nar_pace_behind": ("慢于", "behind"),
    "report_nar_vs_last": ("{year}年{indicator}目标{target}，较{prev}年实绩{actual}{change}。",
                           "The {year} target for {indicator} is {target}, {change} on the {prev} actual of {actual}."),
    "report_nar_up": ("增长{pct}%", "up {pct}%"),
    "report_nar_down": ("下降{pct}%", "down {pct}%"),
    "report_nar_flat": ("持平", "level"),
    "report_nar_growth_implied": ("{year}年{indicator}目标增长{comparator}{growth}%，按{prev}年实绩{actual}计约为{implied}。",
                                  "The {year} target for {indicator} is growth of {comparator}{growth}%, about "
                                  "{implied} on the {prev} actual of {actual}."),
    "report_nar_no_actual": ("{year}年实绩尚未报送。", "No {year} actuals have been reported yet."),
    "report_nar_highest": ("在有此目标的{n}个园区中，{high}{year}年{indicator}目标最高（{high_value}），{low}最低"
                           "（{low_value}）。", "Of the {n} parks with this target, {high} sets the highest {year} "
                           "target for {indicator} ({high_value}), {low} the lowest ({low_value})."),
    "report_nar_derived_mark": ("，据增速推算", ", derived from a growth target"),
    "report_nar_below_last": ("{park}{year}年{indicator}目标{target}，低于{prev}年实绩{actual}。",
                              "{park}'s {year} target for {indicator}, {target}, is below its {prev} actual of "
                              "{actual}."),
    "report_nar_district_draft": ("{district}的{k}项区级目标出自征求意见稿，定稿后需重新核对。",
                                  "{district}'s {k} targets come from a consultation draft: check them again once "
                                  "it is final."),
    "report_nar_mismatches": ("自检发现{n}处文件所述数字与计算不一致，详见编辑附录。",
                              "The self-checks found {n} stated figures that disagree with the computation (editor's "
                              "appendix)."),
    "report_nar_no_issues": ("暂未发现需要特别关注的问题。", "Nothing calls for particular attention yet."),
    "report_nar_request_summary": ("请{issuer}报送{park}{year}年工作总结（实绩）。",
                                   "Ask {issuer} for {park}'s {year} work summary (its actuals)."),
    "report_nar_request_form": ("年中可下发指标填报表（本系统生成），收集1-9月等时序进度数据。",
                                "During the year, the reporting form this system builds collects year-to-date "
                                "figures (January–September)."),
    "report_nar_recheck_draft": ("区级方案定稿后，更新区级目标并重新生成本简报。",
                                 "Once the district plan is final, update its targets and build this briefing again."),
    "report_nar_no_steps": ("数据齐全，暂无待补资料。", "The data is complete: nothing to request."),
    "report_nar_no_targets": ("暂无可分析的年度目标。", "No annual targets to analyse yet."),
    "report_annex": ("附件{n}：{title}", "Annex {n}: {title}"),
    "report_summary_slide": ("要点", "Summary"),
    "report_author": ("园区目标与实绩看板", "Park plans and results dashboard"),
    "report_checks_editor": ("数据自检（编辑用，报送领导时可略去）", "Self-checks (for the editor; left out of a leader's copy)"),
    "report_briefing_park": ("{park}目标与实绩简报", "Briefing: {park}, targets and results"),
    "report_briefing_compare": ("园区对比简报：{parks}", "Cross-park briefing: {parks}"),
    "report_slides_park": ("{park}：目标与实绩", "{park}: targets and results"),
    "report_slides_compare": ("园区对比：目标与实绩", "Cross-park comparison: targets and results"),
    "report_data_as_of": ("数据截至 {date}（最新来源文件日期）", "Data as of {date} (the newest source document)"),
    "report_documents_used": ("依据文件 {n} 份", "{n} source documents"),
    "report_profile": ("园区概况", "Profile"),
    "report_profiles": ("各园区概况", "The parks"),
    "report_headline_targets": ("主要目标与完成情况", "Headline targets: status and attainment"),
    "report_status_counts": ("目标完成情况统计（项）", "Targets by status (count)"),
    "report_charts": ("图表", "Charts"),
    "report_figure_n": ("图{n}", "Figure {n}"),
    "report_target_table": ("目标与完成情况（全部）", "All targets and attainment"),
    "report_target_table_compare": ("附表：各园区目标与完成情况", "Appendix: every park's targets and attainment"),
    "report_tasks": ("重点任务", "Key tasks"),
    "report_as_written": ("名称、地点与产业按文件原文列出。",
                          "Names, places and industries are given as the documents write them, in Chinese."),
    "report_tasks_in_chinese": ("任务按文件原文（中文）列出。", "Tasks are listed as the documents state them (in Chinese)."),
    "report_checks": ("自洽性核对与口径提示", "Self-checks and scope warnings"),
    "report_no_checks": ("没有可核对的关系。", "No stated relation to check."),
    "report_check_scope": ("核对内容", "Check"),
    "report_scope_warning": ("口径提示：标为“区级”的 {n} 项目标是{district}全区的目标，与园区关联，但不是园区自身的目标，"
                             "不可与园区口径的数字直接比较或相加。",
                             "Scope: the {n} targets marked “district” are {district}'s targets for the whole "
                             "district. They are linked to the park but are not the park's own, and must not be "
                             "compared with or added to park-scope figures."),
    "report_scope_clean": ("口径提示：以上目标均为园区自身口径。", "Scope: every target above is the park's own."),
    "report_sources": ("数据来源与原文", "Sources: the sentence behind each figure"),
    "report_sources_intro": ("表中“出处”栏的编号对应下列原文句子及其来源文件。",
                             "The numbers in the “Ref.” columns point to these sentences and their documents, quoted "
                             "as written, in Chinese."),
    "report_ref": ("出处", "Ref."),
    "report_slide_sources": ("每个数字的来源文件与原文句子见同名简报（Word）的附件。",
                             "The source document and sentence of every figure: the annexes of the Word briefing."),
    "report_page": ("第 {page} 页", "Page {page}"),
    "report_footer": ("园区目标与实绩 · {title}", "Park plans and results · {title}"),
    "report_none": ("无", "none"),
    "report_prior_actual": ("{year}年实绩", "{year} actual"),
    "report_no_actuals_table": ("表中目标尚无实际数据，完成值、完成率和状态待工作总结报送后补列。",
                                "No target in this table has an actual yet: results, attainment and status are "
                                "added once the work summary arrives."),
    "report_all_parks": ("各园区", "all parks"),
    "report_issue": ("第{n}期", "No. {n}"),
    "report_to": ("报送：{to}", "To: {to}"),
    "report_copy_to": ("抄送：{to}", "Copy to: {to}"),
    "report_generated_by": ("由 parkmetrics 根据来源文件生成；所有数字与看板页面一致。",
                            "Made by parkmetrics from the source documents; every figure is the one the dashboard "
                            "shows."),
    # --- peers page (同类对比) ---
    "page_peers": ("同类对比", "Peers"),
    "peer_search": ("搜索园区（名称、别名或拼音首字母，如 jygxq）", "Find a park (name, alias or pinyin initials, e.g. jygxq)"),
    "peer_province": ("省份", "Province"),
    "peer_level": ("级别", "Level"),
    "peer_kind": ("类型", "Kind"),
    "peer_group": ("同类园区：按", "Peers by"),
    "peer_group_level": ("同级别", "same level"),
    "peer_group_province": ("同省份", "same province"),
    "peer_group_kind": ("同类型", "same kind"),
    "peer_group_all": ("全部园区", "all parks"),
    "peer_found": ("找到 {n} 个园区", "{n} parks found"),
    "peer_found_many": ("找到 {n} 个园区，列出前 {shown} 个；请用搜索或筛选缩小范围", "{n} parks found; the first {shown} are listed — search or filter to narrow them down"),
    "peer_rank": ("排名", "Rank"),
    "peer_percentile": ("百分位", "Percentile"),
    "peer_median_metric": ("同类中位数", "Peer median"),
    "peer_quartiles": ("四分位（25%–75%）", "Quartiles (25–75%)"),
    "peer_not_stated": ("未载明", "not stated"),
    "peer_level_header": ("实际水平", "Actual level"),
    "peer_ambition_header": ("目标的进取程度（对上年增长）", "Ambition of the target (growth on the year before)"),
    "peer_ambition_note": ("增长目标按原文；水平目标按其对上年实际的增长推算。", "Growth targets as stated; level targets as the growth they imply on the previous year's actual."),
    "peer_alone": ("{park}在“{group}”中没有同类园区：请选择更大的同类范围。",
                   "{park} has no peers in “{group}”: choose a wider peer group."),
    "peer_none_level": ("“{group}”的{peers}个园区都没有{year}年“{indicator}”的实际值{only}；录入各园区{year}年工作总结后"
                        "即可比较。", "None of the {peers} parks in “{group}” has a {year} actual of {indicator}{only}; "
                        "importing their {year} work summaries would allow a comparison."),
    "peer_only_targets": ("（其中{n}个只有目标值）", " ({n} of them have only a target)"),
    "peer_one_level": ("只有{who}有{year}年的实际值，无从排名。", "Only {who} has a {year} actual: nothing to rank it against."),
    "peer_none_ambition": ("没有可比的目标增速：需要{year}年目标和{prev}年实际值，或写明增长率的目标。",
                           "No comparable target growth: it needs a {year} target and a {prev} actual, or a target "
                           "stated as a growth rate."),
    "peer_one_ambition": ("只有{who}的{year}年目标增速可以计算，无从排名。",
                          "Only {who}'s {year} target growth can be computed: nothing to rank it against."),
    "peer_chart_title_level": ("{indicator}（{year}年实际）：{park}在{group}中", "{indicator}, {year} actual: {park} among {group}"),
    "peer_chart_title_ambition": ("{indicator}（{year}年目标增速）：{park}在{group}中", "{indicator}, {year} target growth: {park} among {group}"),
    "peer_among_level": ("同级别园区", "parks of the same level"),
    "peer_among_province": ("同省份园区", "parks of the same province"),
    "peer_among_kind": ("同类型园区", "parks of the same kind"),
    "peer_among_all": ("全部园区", "all parks"),
    "peer_rank_line": ("，第{rank}位/共{n}个", ", rank {rank} of {n}"),
    "peer_median": ("中位数", "median"),
    "peer_own_target": ("本园区目标", "its target"),

    # --- many parks: overview summary, pinned parks, top and bottom N, distributions (overview.py) -----------------
    "sources_many": ("来源：{parks}个园区的{n}份文件（{types}；最新 {date}），逐份见“数据与来源”页",
                     "Source: {n} documents of {parks} parks ({types}; newest {date}), each listed on the Data and "
                     "sources page"),
    "parks_axis": ("园区数", "Parks"),
    "parks_n": ("园区数", "Parks"),
    "targets_n": ("目标数", "Targets"),
    "actuals_n": ("实际数据条数", "Actual figures"),
    "overview_glance": ("概况", "At a glance"),
    "overview_many_note": ("共 {n} 个园区：以下为汇总、分布和同比变化最大与最小的园区；关注的园区显示为卡片。",
                           "{n} parks: totals, distributions and the top and bottom movers below; pinned parks are "
                           "shown as cards."),
    "targets_by_status_all": ("全部目标的完成情况（各园区、各年合计）", "Every target by status (all parks, all years)"),
    "pinned_header": ("关注的园区", "Pinned parks"),
    "pin_label": ("关注的园区（每个显示为一张卡片，保存在链接中，最多 {n} 个）",
                  "Pinned parks (each shown as a card, kept in the link; up to {n})"),
    "pin_placeholder": ("选择园区", "Choose parks"),
    "pin_none": ("尚未关注任何园区：在上方搜索并选择园区，即显示其卡片。",
                 "No park pinned yet: find parks above and pick them to see their cards."),
    "pin_unknown": ("链接中的 {param}= 含有未知的园区编号，已忽略：{values}",
                    "{param}= in the link names unknown parks, ignored: {values}"),
    "movers_header": ("同比变化最大与最小的园区", "Top and bottom movers"),
    "top_n": ("显示最高与最低", "Show the highest and lowest"),
    "top_n_option": ("各 {n} 个", "{n} each"),
    "movers_title": ("{indicator}：{year}年同比增长最快与最慢各{n}个园区（共{total}个园区）",
                     "{indicator}: the {n} fastest- and {n} slowest-growing parks in {year} (of {total} parks)"),
    "movers_all_title": ("{indicator}：{year}年各园区同比增长（{shown}个园区，共{total}个园区）",
                         "{indicator}: change on the year before, {year} ({shown} of {total} parks)"),
    "movers_axis": ("同比名义增长（%）", "Nominal change on the year before (%)"),
    "movers_note": ("名义增长按两年全年实际水平值计算（园区口径）；文件所述增速（可能按可比价）不参与排名。",
                    "Nominal change from the two years' full-year actual levels (park scope); growth rates the "
                    "documents state (possibly at comparable prices) are not ranked."),
    "movers_counts": ("参与排名{ranked}个园区；未载明{year}年实际{not_stated}个；缺少可比的上年水平值{other}个（不排名）",
                      "{ranked} parks ranked; {not_stated} state no {year} actual; {other} lack a comparable "
                      "previous-year level (not ranked)"),
    "movers_dist_title": ("{indicator}：{year}年同比名义增长的分布（{ranked}个园区）",
                          "{indicator}: nominal change on the year before, {year}, across {ranked} parks"),
    "movers_none": ("没有任何园区载明两年的全年实际水平值，无法计算同比变化。",
                    "No park states full-year actual levels for two consecutive years: no change to rank."),
    "compare_many_header": ("各园区排名与分布", "Parks ranked, and the spread"),
    "compare_many_note": ("园区多于 {n} 个：只画数值最高与最低的园区和全部园区的分布。单个园区见“园区画像”，与同类园区比较见“同类对比”。",
                          "More than {n} parks: only the highest and lowest parks and the spread of all are drawn. "
                          "See one park on Park profile, and a park among its peers on Peers."),
    "measure": ("排序依据", "Ranked by"),
    "measure_actual": ("实际", "Actual"),
    "measure_base": ("基本目标", "Base target"),
    "rank_what_actual": ("{indicator}（{year}年实际）", "{indicator}, {year} actual"),
    "rank_what_base": ("{indicator}（{year}年基本目标）", "{indicator}, {year} base target"),
    "rank_per_km2": ("，每平方公里", ", per km²"),
    "rank_title": ("{what}：数值最高与最低各{n}个园区（共{total}个园区）",
                   "{what}: the {n} highest and {n} lowest of {total} parks"),
    "rank_all_title": ("{what}：{shown}个园区按数值排序（共{total}个园区）",
                       "{what}: {shown} parks in order (of {total} parks)"),
    "rank_counts": ("参与排名{ranked}个；未载明{not_stated}个；口径不同{other}个（未载明和口径不同的园区不排名）",
                    "{ranked} ranked; {not_stated} not stated; {other} on another basis (neither is ranked)"),
    "rank_no_area": ("；另有{n}个园区未载明面积", "; {n} more state no area"),
    "rank_gap": ("⋯ 中间还有{n}个园区 ⋯", "⋯ {n} parks in between ⋯"),
    "dist_title": ("{what}：{ranked}个园区的分布（共{total}个园区）", "{what}: spread across {ranked} of {total} parks"),
    "status_counts_title": ("目标完成状态：各指标的园区数（{family}，{year}年目标，共{n}个园区）",
                            "Attainment status: parks per indicator ({family}; {year} targets; {n} parks)"),
    "coverage_counts_title": ("数据覆盖：各指标的园区数（{family}，{year}年，共{n}个园区）",
                              "Coverage: parks per indicator ({family}; {year}; {n} parks)"),
    "status_counts_note": ("每个园区按其该指标各目标中最好的状态计一次；未载明：该园区没有这项指标的目标。",
                           "Each park counts once, by the best status among its targets for the indicator; not "
                           "stated: the park has no target for it."),
    "cov_both": ("有目标也有实际", "targets and actuals"),
    "cov_targets_only": ("仅有目标", "targets only"),
    "cov_actuals_only": ("仅有实际", "actuals only"),
    "ambition_kept_apart_n": ("未与产出增速并列：{n}项比率的“提升”目标（{parks}个园区；文件未说明是百分点还是相对提升）",
                              "Not set beside output growth: {n} rises in a rate ({parks} parks; the documents do not "
                              "say whether in percentage points or relative)"),
    "ambition_spread_title": ("{year}年目标增速的分布（各指标；{n}个园区有增速目标，共{total}个园区）",
                              "Target growth rates, {year}: spread per indicator ({n} of {total} parks state one)"),

    # --- import page 录入文件 (pages/5_import.py) — one block; keep edits to other keys outside it -------------
    "page_import": ("录入文件", "Import"),
    "imp_readonly": ("只读模式：可以预览文件中找到的数字，但不能写入数据。以编辑模式启动服务器后即可保存："
                     "`PARKMETRICS_EDITOR=1 bash scripts/run.sh`\n\n"
                     "Read-only: the figures found in a document can be previewed, not saved. To save, start the "
                     "server in editor mode: `PARKMETRICS_EDITOR=1 bash scripts/run.sh`",
                     "Read-only: the figures found in a document can be previewed, not saved. To save, start the "
                     "server in editor mode: `PARKMETRICS_EDITOR=1 bash scripts/run.sh`\n\n"
                     "只读模式：可以预览文件中找到的数字，但不能写入数据。以编辑模式启动服务器后即可保存："
                     "`PARKMETRICS_EDITOR=1 bash scripts/run.sh`"),
    "imp_step_document": ("① 文件", "① Document"),
    "imp_input": ("输入方式", "Input"),
    "imp_paste": ("粘贴文本", "Paste text"),
    "imp_upload": ("上传文件", "Upload a file"),
    "imp_text": ("文件全文", "Document text"),
    "imp_text_placeholder": ("把工作总结或工作要点的全文粘贴到这里（含标题）", "Paste the full text of a 工作总结 or "
                             "工作要点 here (with its title)"),
    "imp_file": ("上传 .txt / .docx / .pdf 文件，或交回的指标填报表（.xlsx）",
                 "Upload a .txt / .docx / .pdf file, or a returned reporting form (.xlsx)"),
    "imp_unreadable": ("无法读取该文件：{reason}", "The file cannot be read: {reason}"),
    "imp_no_text": ("该文件中没有可读取的文字（可能是扫描件）。请粘贴文本。",
                    "The file has no text to read (a scan?). Paste the text instead."),
    "imp_start": ("粘贴文本或上传文件后，这里会显示文件中找到的数字。",
                  "Paste text or upload a file to see the figures found in it."),
    "imp_step_source": ("② 园区与来源", "② Park and source"),
    "imp_new_park": ("＋ 新建园区", "+ New park"),
    "imp_new_park_fields": ("新园区（必填字段，按数据模型校验）", "New park (required fields, checked by the data model)"),
    "imp_park_id": ("园区编号（小写字母、数字、下划线）", "Park id (lower-case letters, digits, _)"),
    "imp_name_zh": ("中文名称", "Chinese name"),
    "imp_name_en": ("英文名称", "English name"),
    "imp_province": ("省", "Province"),
    "imp_city": ("市", "City"),
    "imp_county": ("县/区", "County / district"),
    "imp_park_kind": ("园区类型", "Park type"),
    "imp_color": ("图表颜色", "Chart colour"),
    "imp_park_invalid": ("新园区的字段有误：  \n{errors}", "The new park has errors:  \n{errors}"),   # one line each
    "imp_source_invalid": ("来源的字段有误：  \n{errors}", "The source has errors:  \n{errors}"),
    "imp_source_id": ("来源编号", "Source id"),
    "imp_title": ("标题", "Title"),
    "imp_date_help": ("发文日期：YYYY-MM-DD、YYYY-MM 或 YYYY", "Date of issue: YYYY-MM-DD, YYYY-MM or YYYY"),
    "imp_file_name": ("原件文件名", "File name of the document"),
    "imp_type_summary": ("工作总结", "Summary (工作总结)"),
    "imp_type_plan": ("工作要点/计划", "Plan (工作要点)"),
    "imp_type_district_plan": ("区级方案/规划", "District plan"),
    "imp_inferred": ("自动识别：{type}，{year}年（可修改）", "Read from the text: {type}, {year} (change if wrong)"),
    "imp_step_review": ("③ 文件与候选数字", "③ The document and its figures"),
    "imp_legend": (":orange-background[:orange[橙色]]：找到的数字　:blue-background[:blue[蓝色]]：已接受",
                   ":orange-background[:orange[orange]]: found · :blue-background[:blue[blue]]: accepted"),
    "imp_found": ("找到 {n} 个候选数字，已接受 {k} 个。请逐行核对：指标、数值、单位、口径等可直接修改。",
                  "{n} candidates found, {k} accepted. Check each row: indicator, value, unit, basis and the rest can "
                  "be edited in place."),
    "imp_none_found": ("没有找到数字。可以在下方按原文添加。", "No figures found. Add one from the text below."),
    "imp_accept_all": ("接受全部已识别指标的候选", "Accept every candidate with an indicator"),
    "imp_accept_none": ("全部取消接受", "Unaccept all"),
    "imp_accept": ("接受", "Accept"),
    "imp_period": ("期间", "Period"),
    "imp_period_help": ("空=全年；H1 上半年，Q1…Q4 季度，M1-M9 即1-9月", "empty = full year; H1, Q1…Q4, M1-M9 (Jan–Sep)"),
    "imp_found_with": ("识别依据", "Found with"),
    "imp_note": ("备注", "Note"),
    "imp_note_help": ("写入 CSV 的 note 列：查找器的说明，可改写或清空", "The CSV's note column: the finder's remark; "
                      "rewrite or clear it"),
    "imp_confidence": ("置信度", "Confidence"),
    "imp_span": ("按原文添加：粘贴文件中的一段原文（须逐字一致）", "Add from the text: paste a span of the document "
                 "(verbatim)"),
    "imp_span_button": ("在这段原文中查找", "Find in this span"),
    "imp_span_missing": ("这段文字不在文件中：必须与原文逐字一致。", "That text is not in the document: it must match "
                         "verbatim."),
    "imp_span_added": ("已添加 {n} 行（已接受）。", "{n} rows added (accepted)."),
    "imp_span_known": ("表中已有这段原文的 {n} 个数字：已勾选接受，没有重复添加。",
                       "{n} figures of this span are already in the table: ticked, not added twice."),
    "imp_bulk": ("批量设置已勾选的行", "Set on the ticked rows"),
    "imp_bulk_keep": ("（不变）", "(unchanged)"),
    "imp_bulk_apply": ("应用到已勾选的行", "Apply to the ticked rows"),
    "imp_bulk_done": ("已修改 {n} 行。", "{n} rows changed."),
    "imp_why": ("说明", "Why"),
    "imp_why_no_indicator": ("目录中没有与“{words}”对应的指标：请选择指标，或把它加入指标目录",
                             "no catalogue indicator for “{words}”: choose one, or add it to the catalogue"),
    "imp_why_basis": ("“{indicator}”只允许 {allowed}，不允许“{basis}”：请改口径类型，或把它加入目录",
                      "“{indicator}” allows only {allowed}, not “{basis}”: change the basis, or allow it in the "
                      "catalogue"),
    "imp_why_known": ("数据中已有同一数字（来源 {source}）：无需再次保存", "the data already holds this figure (source "
                      "{source}): no need to save it again"),
    "imp_choose_indicator": ("第 {rows} 行已接受但没有指标：请选择指标。", "Rows {rows} are accepted but have no "
                             "indicator: choose one."),
    "imp_catalogue": ("指标目录", "Indicator catalogue"),
    "imp_add_basis": ("允许“{indicator}”使用“{basis}”", "Allow “{basis}” for “{indicator}”"),
    "imp_add_indicator": ("把“{words}”加入指标目录（{unit}，{basis}）", "Add “{words}” to the catalogue ({unit}, "
                          "{basis})"),
    "imp_catalogue_saved": ("已写入 {file}：下一次刷新时生效。请在文件中补全口径说明。", "Written to {file}: takes effect "
                            "on the next rerun. Complete its description there."),
    "imp_step_check": ("④ 校验与预览", "④ Validate and preview"),
    "imp_nothing_accepted": ("尚未接受任何候选：勾选“接受”列，或点击“接受全部已识别指标的候选”。",
                             "No candidate accepted yet: tick the Accept column, or accept every candidate with an "
                             "indicator."),
    "imp_valid": ("校验通过：{n} 条数据，保存后可正常载入。", "Valid: {n} figures; the files will load cleanly."),
    "imp_problems": ("校验发现 {errors} 个错误、{warnings} 个警告（位置、代码、说明与提示见下表）。有错误时不能保存。",
                     "Validation found {errors} errors and {warnings} warnings (location, code, message and hint "
                     "below). Errors must be fixed before saving."),
    "imp_diff": ("将写入的改动", "What saving will change"),
    "imp_no_change": ("与现有文件相同：保存不会改变任何内容。", "Same as the files on disk: saving changes nothing."),
    "imp_step_save": ("⑤ 保存", "⑤ Save"),
    "imp_exists": ("来源 {id} 已存在（{what}）：保存将覆盖它。", "Source {id} already exists ({what}): saving "
                   "overwrites it."),
    "imp_confirm_overwrite": ("我确认覆盖已有的来源和数据文件", "I confirm: overwrite the existing source and data file"),
    "imp_save": ("保存", "Save"),
    "imp_saved": ("已保存：{files}。仪表盘在下一次刷新时显示新数据。", "Saved: {files}. The dashboard shows the new "
                  "figures on its next rerun."),
    "imp_refused": ("未保存：{reason}", "Not saved: {reason}"),
    # the form's fields: what each expects and a hint (importing.FieldProblem; imp_<kind>_<model>_<field>[_<code>])
    "imp_expect_source_id": ("以小写字母开头、只含小写字母、数字和下划线的编号",
                             "an id of lower-case letters, digits and _, starting with a letter"),
    "imp_hint_source_id": ("按“园区简称_年份_类型”命名，如 lx_2022_summary；不要用大写、空格、连字符或中文",
                           "name it park prefix_year_type, e.g. lx_2022_summary; no capitals, spaces, hyphens or "
                           "Chinese characters"),
    "imp_expect_source_file": ("原件的文件名", "the document's file name"),
    "imp_hint_source_file": ("如 lx_2022_summary.txt；留空则按来源编号命名", "e.g. lx_2022_summary.txt; left empty, "
                             "it is named after the source id"),
    "imp_expect_source_title": ("文件的标题", "the document's title"),
    "imp_hint_source_title": ("照文件首行抄录，如 临湘高新区2022年工作总结", "copy it from the document's first line, "
                              "e.g. 临湘高新区2022年工作总结"),
    "imp_expect_source_issuer": ("发文单位的名称", "the body that issued the document"),
    "imp_hint_source_issuer": ("照文件落款填写，如 临湘高新区管委会", "as the document is signed, e.g. 临湘高新区管委会"),
    "imp_expect_source_date": ("日期，写作 YYYY-MM-DD、YYYY-MM 或 YYYY", "a date written YYYY-MM-DD, YYYY-MM or YYYY"),
    "imp_hint_source_date": ("照文件落款日期填写，如 2023-01-06（不要写 2023/1/6 或 2023年1月6日）",
                             "the date the document is signed, e.g. 2023-01-06 (not 2023/1/6 or 2023年1月6日)"),
    "imp_expect_source_type": ("文件类型之一", "one of the document types"),
    "imp_hint_source_type": ("在“类型”下拉框中选择", "pick it in the Type list"),
    "imp_expect_source_park": ("园区编号（小写字母、数字、下划线）", "a park id (lower-case letters, digits, _)"),
    "imp_hint_source_park": ("在“园区”中选择；新建园区时先填好上面的园区编号", "pick the park; for a new park, fill "
                             "in its id above first"),
    "imp_expect_source_scope": ("范围之一：园区或区级", "one of the scopes: park or district"),
    "imp_hint_source_scope": ("在“范围”下拉框中选择", "pick it in the Scope list"),
    "imp_expect_park_id": ("以小写字母开头、只含小写字母、数字和下划线的编号",
                           "an id of lower-case letters, digits and _, starting with a letter"),
    "imp_hint_park_id": ("用园区名称的拼音，如 linxiang；不要用大写、空格、连字符或中文",
                         "the park's name in pinyin, e.g. linxiang; no capitals, spaces, hyphens or Chinese "
                         "characters"),
    "imp_expect_park_id_duplicate_id": ("在 parks.yaml 中尚未使用的编号", "an id not yet used in parks.yaml"),
    "imp_hint_park_id_duplicate_id": ("该园区已存在：在“园区”中直接选择它，或换一个编号",
                                      "that park exists: pick it in the Park list, or choose another id"),
    "imp_expect_park_name_zh": ("园区的中文全称", "the park's full Chinese name"),
    "imp_hint_park_name_zh": ("照批复或文件抄录，如 临湘高新技术产业开发区", "as the documents write it, e.g. "
                              "临湘高新技术产业开发区"),
    "imp_expect_park_name_en": ("园区的英文名称", "the park's English name"),
    "imp_hint_park_name_en": ("如 Linxiang High-tech Industrial Development Zone",
                              "e.g. Linxiang High-tech Industrial Development Zone"),
    "imp_expect_park_province": ("园区所在的省", "the province the park is in"),
    "imp_hint_park_province": ("写全称，如 湖南省", "its Chinese name in full, e.g. 湖南省"),
    "imp_expect_park_city": ("园区所在的市", "the city the park is in"),
    "imp_hint_park_city": ("写全称，如 岳阳市", "its Chinese name in full, e.g. 岳阳市"),
    "imp_expect_park_county": ("园区所在的县/区", "the county or district the park is in"),
    "imp_hint_park_county": ("写全称，如 临湘市", "its Chinese name in full, e.g. 临湘市"),
    "imp_expect_park_level": ("国家级、省级或市级", "国家级, 省级 or 市级 (national, provincial or city level)"),
    "imp_hint_park_level": ("在“级别”下拉框中选择", "pick it in the Level list"),
    "imp_expect_park_kind": ("高新区、开发区或工业园区", "高新区, 开发区 or 工业园区 (the park type)"),
    "imp_hint_park_kind": ("在“园区类型”下拉框中选择", "pick it in the Park type list"),
    "imp_expect_park_color": ("形如 #RRGGBB 的颜色", "a colour written #RRGGBB"),
    "imp_hint_park_color": ("用颜色选择器选取", "pick it with the colour picker"),
    # an id the model refuses (model.id_problem): the whole rule, since it names a file on every system
    "imp_expect_source_id_unsafe_id": (
        "以小写字母开头、只含小写字母、数字和下划线、不超过 64 个字符的编号，且不能是 Windows 的保留名（con、prn、aux、nul、"
        "com1–com9、lpt1–lpt9）", "an id of lower-case letters, digits and _, starting with a letter, at most 64 "
        "characters, and not a name Windows reserves (con, prn, aux, nul, com1–com9, lpt1–lpt9)"),
    "imp_expect_park_id_unsafe_id": (
        "以小写字母开头、只含小写字母、数字和下划线、不超过 64 个字符的编号，且不能是 Windows 的保留名（con、prn、aux、nul、"
        "com1–com9、lpt1–lpt9）", "an id of lower-case letters, digits and _, starting with a letter, at most 64 "
        "characters, and not a name Windows reserves (con, prn, aux, nul, com1–com9, lpt1–lpt9)"),
    # --- end of the import page block ----------------------------------------------------------------------------
    # --- 指标填报表 (parkmetrics.forms): labels for the pages that build and read the form ---------------------------
    "imp_type_form": ("指标填报表", "Reporting form (指标填报表)"),
    "form_build": ("生成指标填报表", "Reporting form"),
    "form_build_help": ("下载本园区该报告期的 Excel 填报表：每个有年度目标的指标一行，园区填写后交回，在“录入文件”页上传导入。",
                        "Download the Excel form for this park and period: one row per indicator with a target for "
                        "the year; the park fills it in and returns it, and it is uploaded on the Import page."),
    "form_period": ("报告期", "Period"),
    "form_upload": ("上传交回的指标填报表（.xlsx）", "Upload a returned reporting form (.xlsx)"),
    "form_problems": ("填报表中有 {n} 处问题，相关数字未勾选：", "{n} problems in the form; the figures concerned are not ticked:"),
    "form_cell": ("填报表 {cell}", "form {cell}"),
    "imp_too_long_read_only": ("文本超过 {n} 字：只读模式下不读取这么长的文本。请分段粘贴，或在编辑模式下导入。",
                               "The text is over {n} characters: a read-only server does not read that much. Paste "
                               "it in parts, or import it in editor mode."),
    "imp_stopped_early": ("文件很长：查找读到第 {at} 字（共 {n} 字）时停止（上限 {s} 秒、{max} 个数字）；其后的数字请分段导入。",
                          "A long document: the finder stopped at character {at} of {n} (limits: {s} s, {max} "
                          "figures); import the rest in parts."),
    "form_no_targets": ("该年没有可填报的园区目标", "no park targets to report for that year"),
    "full_year_label": ("全年", "full year"),
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
    "pp_change": ("百分点变化", "change in percentage points"),
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
    if lang == "en":      # "Qianjiang District", never "Qianjiang District (district)"
        return label if label.lower().endswith("district") else f"{label} (district)"
    return f"{label}（区级）"


def unit(u: str | None, lang: str) -> str:
    if not u:
        return ""
    if lang == "en":
        return UNIT_EN.get(u, u)  # 个 is a bare counter: nothing to say in English
    return u


def status(code: str, lang: str) -> str:
    return label(STATUS, code, lang)


def target_summary(code: str | None, lang: str) -> str:
    """metrics' "base:met stretch:near" → 基本目标完成，力争目标接近 / base met; stretch nearly met ("" for none)."""
    if not isinstance(code, str) or not code:
        return ""
    parts = [part.split(":", 1) for part in code.split()]
    if lang == "en":
        return "; ".join(f"{level} {label(STATUS, st, lang).lower()}" for level, st in parts)
    return "，".join(label(TARGET_LEVEL, level, lang) + label(STATUS, st, lang) for level, st in parts)


def flags(text: str | None, lang: str) -> str:
    """"estimate district" → "预计、区级" / "estimate, district"."""
    sep = ", " if lang == "en" else "、"
    return sep.join(pick(FLAG[f], lang) if f in FLAG else f for f in (text or "").split())


def source_line(sources: list, lang: str) -> str:
    """「来源：《2022年工作要点》（issuer，2022-01-28）」 — printed inside every chart."""
    parts = []
    for s in sources:
        draft = f"，{t('draft', lang)}" if s.draft and lang != "en" else (f", {t('draft', lang)}" if s.draft else "")
        sep = ", " if lang == "en" else "，"
        parts.append(f"《{s.title}》" + paren(f"{s.issuer}{sep}{s.date}{draft}", lang))
    return t("source_prefix", lang) + ("; " if lang == "en" else "；").join(parts)


# The chart toolbar's words (plotly.js's own strings, the keys of its locale dictionary), for the Chinese UI.
PLOTLY_ZH = {
    "Download plot as a png": "下载图片（PNG）", "Download plot as a PNG": "下载图片（PNG）", "Download plot": "下载图片",
    "Zoom": "缩放", "Pan": "平移",
    "Box Select": "矩形选择", "Lasso Select": "套索选择", "Zoom in": "放大", "Zoom out": "缩小",
    "Autoscale": "自动缩放", "Reset axes": "重置坐标轴", "Reset view": "重置视图", "Reset": "重置",
    "Toggle Spike Lines": "显示/隐藏辅助线", "Show closest data on hover": "悬停显示最近数据",
    "Compare data on hover": "悬停比较数据", "Toggle show closest data on hover": "切换悬停显示最近数据",
    "Produced with Plotly.js": "由 Plotly.js 生成", "Double-click to zoom back out": "双击恢复原始缩放",
    "Taking snapshot - this may take a few seconds": "正在生成图片，请稍候",
    "Snapshot succeeded": "图片已生成", "Sorry, there was a problem downloading your snapshot!": "抱歉，图片下载失败",
    "Click to enter Colorscale title": "点击输入色标标题", "Click to enter Component A title": "点击输入标题",
    "Click to enter Plot title": "点击输入图表标题", "Click to enter X axis title": "点击输入 X 轴标题",
    "Click to enter Y axis title": "点击输入 Y 轴标题", "Click to enter radial axis title": "点击输入径向轴标题",
    "Double-click on legend to isolate one trace": "双击图例只显示该项",
}

# A returned 指标填报表's problems (forms.FormProblem), each naming the cell; {column}/{label}: the form's own
# Chinese words, {column_en}/{label_en}: their English.
FORM_PROBLEM: dict[str, tuple[str, str]] = {
    "unreadable": ("无法读取该 Excel 文件（{why}）", "the Excel file cannot be read ({why})"),
    "not-a-form": ("不是本系统生成的指标填报表（{why}）", "not a reporting form made by parkmetrics ({why})"),
    "unknown-park": ("表中的园区编号 {got} 不在 parks.yaml 中", "the form's park id {got} is not in parks.yaml"),
    "wrong-park": ("这是「{got}」的填报表，应为「{want}」；整张表未导入",
                   "this form is for {got_en}, not {want_en}; nothing in it is imported"),
    "wrong-period": ("这是 {got} 的填报表，应为 {want}；整张表未导入",
                     "this form is for {got_en}, not {want_en}; nothing in it is imported"),
    "target-changed": ("目标列被改动：{was}现为「{got}」；该行未导入，请用原表重新填报",
                       "a target column was changed: {was_en}it now reads “{got}”; the row is held back, "
                       "fill in the original form"),
    "hidden-edited": ("隐藏的编号列 {field} 被改动（「{got}」）；该行未导入，请用原表重新填报",
                      "the hidden id column {field} was edited (“{got}”); the row is held back, "
                      "fill in the original form"),
    "not-a-number": ("「{got}」不是数字：{column}只填数字（{unit}），不写单位或文字",
                     "“{got}” is not a number: {column_en} takes digits only ({unit}), no unit or words"),
    "unit-scale": ("{got} 与{ref_label} {ref} 相差约 {factor} 倍，单位可能有误：本栏以“{unit}”填写{hint}；该数未导入",
                   "{got} is about {factor}× {ref_label_en} {ref}: probably the wrong unit — this column is in "
                   "{unit}{hint_en}; the figure is held back"),
    "negative": ("「{got}」为负数，{column}不能为负；该数未导入", "“{got}” is negative: {column_en} cannot be; held back"),
    "not-applicable": ("该指标不填{column}（{why}）；「{got}」未导入",
                       "{column_en} does not apply to this indicator ({why_en}); “{got}” is not imported"),
    "bad-choice": ("「{got}」应为“是”或“否”；该行未导入", "“{got}” should be 是 (yes) or 否 (no); the row is held back"),
    "cover-changed": ("封面的{label}被改动（现为「{got}」，表内编号为 {ids}）；整张表未导入，请用原表重新填报",
                      "the cover's {label_en} was changed (it reads “{got}”; the form's ids say {ids}); nothing in "
                      "it is imported, fill in the original form"),
    "cover-missing": ("{label}未填写", "{label} ({label_en}) is not filled in"),
    "bad-date": ("「{got}」不是日期，应写作 2022-10-15", "“{got}” is not a date; write it as 2022-10-15"),
    "no-figures": ("表中没有填写任何数值", "no figure is filled in"),
}

# --- the vocabularies' codes, each with its zh and en label (tests/test_views.py fails when one lacks a label) ----

STATUS = {
    "exceeded": ("超额完成", "Exceeded"),
    "met": ("完成", "Met"),
    "near": ("接近", "Nearly met"),
    "not_met": ("未完成", "Not met"),
    "ahead_of_schedule": ("进度超前", "Ahead of schedule"),
    "on_schedule": ("时序进度正常", "On schedule"),
    "behind_schedule": ("进度滞后", "Behind schedule"),
    "no_actual": ("无实际数据", "No actual yet"),
    "not_comparable": ("不可比", "Not comparable"),
}
PACE = {
    "achieved": ("已实现", "Target achieved"),
    "on_track": ("进度正常", "On track"),
    "acceleration_needed": ("需加快", "Acceleration needed"),
    "limited_progress": ("进展有限", "Limited progress"),
    "deterioration": ("倒退", "Deterioration"),
    "no_baseline": ("无基期数据", "No baseline"),
    "no_progress_data": ("无进展数据", "No data since baseline"),
    "not_applicable": ("不适用", "Not applicable"),
}
CHECK_STATUS = {"ok": ("一致", "Consistent"), "mismatch": ("不一致", "Mismatch"),
                "unverifiable": ("无法核对", "Cannot check")}
# Why a multi-year target has no pace (metrics.pace's `note`), with what would give it one. {basis}: the basis's
# label; {scope}: 园区/区级; {baseline}: the baseline year; {year}: the target year.
PACE_NOTE = {
    "no_level_path": ("进度按水平值的年均增速测算，{basis}类目标不适用", "pace is measured on the yearly growth of a level; "
                      "it does not apply to a {basis} target"),
    "no_baseline_actual": ("缺少{baseline}年{scope}实际值（不借用其他口径）；录入{baseline}年{scope}工作总结后即可测算",
                           "no {scope} actual for {baseline} (other scopes are never borrowed); importing a "
                           "{baseline} {scope} work summary would give one"),
    "no_later_actual": ("有{baseline}年基期值，缺少其后年份的{scope}实际值；录入其后年份的{scope}工作总结后即可测算",
                        "a {baseline} baseline but no later {scope} actual; importing a later {scope} work summary "
                        "would give one"),
}
SOURCE_TYPE = {"plan": ("年度工作要点/计划", "annual plan"), "summary": ("工作总结", "work summary"),
               "district_plan": ("区级实施方案/规划", "district plan"), "form": ("指标填报表", "reporting form")}
SCOPE = {"park": ("园区", "park"), "district": ("区级", "district")}
SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning")}
KIND = {"target": ("目标", "target"), "actual": ("实际", "actual")}
TARGET_LEVEL = {"base": ("基本目标", "base target"), "stretch": ("力争目标", "stretch target")}
TASK_STATUS = {"planned": ("计划", "planned"), "done": ("已完成", "done"), "ongoing": ("进行中", "ongoing")}
FLAG = {"estimate": ("预计", "estimate"), "approximate": ("约数", "approximate"), "district": ("区级", "district"),
        "multi_year": ("多年", "multi-year"), "partial_year": ("年内累计", "year to date")}
CHECK = {"stated_growth": ("所述增速与两年水平值", "stated growth vs the two years' levels"),
         "stated_net_change": ("所述净增与两年水平值", "stated net change vs the two years' levels"),
         "stated_multiple": ("所述倍数与两年水平值", "stated multiple vs the two years' levels"),
         "share_of_plan": ("完成计划比例与计划值", "share of plan vs the plan"),
         "parts_sum_to_whole": ("分项之和与总量", "parts vs their whole"),
         "subset_within_superset": ("子集不大于全集", "subset within its superset"),
         "share_matches_parts": ("所述占比与分项", "stated share vs its parts")}
COMPARATOR = {"=": ("", ""), "≥": ("≥", "≥"), ">": (">", ">"), "≤": ("≤", "≤"), "<": ("<", "<"), "≈": ("≈", "≈")}
HORIZON = {"annual": ("年度目标", "Annual"), "multi_year": ("多年目标（到2025年）", "Multi-year (to 2025)")}


# A self-check's detail (metrics.checks: a code in `detail`, its numbers and ids in `detail_args`), worded here.
# {prev}/{now}: the year before / the row's year (with its period); {value}: a number; {parts}, {whole}, {subset},
# {superset}: indicator names.
CHECK_DETAIL = {
    "implied_previous": ("缺少{prev}水平值；据所述关系推算{prev}水平值为 {value}（推算）",
                         "no {prev} level; the stated relation implies {prev} = {value} (derived)"),
    "missing_level": ("缺少{now}水平值", "no {now} level"),
    "implied_plan": ("推算的年度计划（预算）为 {value}", "implied annual plan (budget) = {value}"),
    "no_level": ("缺少水平值", "no level"),
    "zero_plan": ("年度计划为零，无法计算完成比例", "the annual plan is zero: no share of it can be computed"),
    "comparable_prices": ("所述增速可能按可比价计算", "the stated growth may be at comparable prices"),
    "parts": ("{parts}", "{parts}"),
    "subset": ("{subset} ≤ {superset}", "{subset} ≤ {superset}"),
    "share_parts": ("（{parts}）÷{whole}", "({parts}) / {whole}"),
}


_CODE = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


def named_codes(text: str, indicators: dict, lang: str) -> str:
    """Editor prose with the indicator ids and basis codes in it (snake_case words) shown by their names in `lang`;
    any other word is left as written."""
    def name_of(m: re.Match) -> str:
        code = m.group(0)
        if code in indicators:
            return f"“{name(indicators[code], lang)}”" if lang != "en" else name(indicators[code], lang)
        return pick(BASIS[code], lang) if code in BASIS else code
    return _CODE.sub(name_of, text)


def label(vocab: dict, code: object, lang: str) -> str:
    """The label of a code in one of the vocabularies above ("" for an empty code; an unknown code as written)."""
    if code is None or (isinstance(code, float) and code != code) or code == "":
        return ""
    pair = vocab.get(str(code))
    return pick(pair, lang) if pair is not None else str(code)


def check_status(code: str, lang: str) -> str:
    return label(CHECK_STATUS, code, lang)


def pace_class(code: str, lang: str) -> str:
    return label(PACE, code, lang)


def paren(text: object, lang: str) -> str:
    """"（预计）" in Chinese, " (estimate)" in English: full-width brackets belong to Chinese text only."""
    return f"（{text}）" if lang != "en" else f" ({text})"


def comma(lang: str) -> str:
    return "，" if lang != "en" else ", "


_MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def period_label(code: object, lang: str) -> str:
    """A reporting period as a reader writes it: M1-M9 → 1-9月 / Jan–Sep; H1 → 上半年 / H1; "" → ""."""
    from .periods import parse_period
    code = "" if code is None or (isinstance(code, float) and code != code) else str(code).strip().upper()
    period = parse_period(code)
    if not code or period is None:
        return code
    if code.startswith("H"):
        return ("上半年", "下半年")[int(code[1]) - 1] if lang != "en" else code
    if code.startswith("Q"):
        return f"{'一二三四'[int(code[1]) - 1]}季度" if lang != "en" else code
    a, b = period.first_month, period.last_month
    if lang == "en":
        return _MONTHS_EN[a - 1] if a == b else f"{_MONTHS_EN[a - 1]}–{_MONTHS_EN[b - 1]}"
    return f"{a}月" if a == b else f"{a}-{b}月"


# English count units: singular forms (2 sessions, 1 session).
_SINGULAR_EN = {"enterprises": "enterprise", "items": "item", "times": "time", "person-times": "person-time",
                "visits": "visit", "cases": "case", "notices": "notice", "units": "unit", "sessions": "session",
                "buildings": "building", "people": "person", "months": "month"}


def _num(v: float) -> str:
    return f"{v:,.4g}" if abs(v) >= 1e4 else f"{v:.4g}"


def quantity(value: float, unit: str | None, lang: str, comparator: str = "") -> str:
    """A figure with its unit as a reader writes it: "≥390亿元"; in English "≥39 billion yuan", "1 session",
    "500 mu" (亿元 and 万元 are restated in billions/millions, never "390 100 million yuan"; the digits the
    document gave and no more: 401.5亿元 is 40.15 billion, 390亿元 is 39 billion, never "39.0")."""
    cmp_ = COMPARATOR.get(comparator, (comparator, comparator))[0] if comparator else ""
    if lang != "en":
        return f"{cmp_}{_num(value)}{unit or ''}"
    if unit in ("亿元", "万元"):
        yuan = value * (1e8 if unit == "亿元" else 1e4)
        if abs(yuan) >= 1e9:
            text = f"{yuan / 1e9:,.6g} billion yuan"
        elif abs(yuan) >= 1e6:
            text = f"{yuan / 1e6:.6g} million yuan"
        else:
            text = f"{yuan:,.0f} yuan"
        return f"{cmp_}{text}"
    en = UNIT_EN.get(unit or "", unit or "")
    if en and en in _SINGULAR_EN and abs(value) == 1:
        en = _SINGULAR_EN[en]
    sep = "" if en in ("%", "") else " "
    return f"{cmp_}{value:,.4g}{sep}{en}".strip()


def district_note(park, lang: str) -> str:
    """The district-scope caption, naming the park's own host district (district_label_*)."""
    label_ = (park.district_label_en if lang == "en" else park.district_label_zh) or (
        "the host district" if lang == "en" else "所在区县")
    return t("district_note", lang, district=label_, park=name(park, lang))
