"""The written analysis of a briefing, in 公文 order: 一、总体情况 二、主要指标完成情况 (三、对比分析) 四、需要关注的问题
五、下步建议. Plain data (sections of sentences) built from the metric tables' figures and codes; every sentence is a
template in i18n (report_nar_*), so each can be traced to its figures and tested. The Word and slide writers lay it
out and know nothing of metrics.

Rules the sentences keep: a district's targets are the district's, counted apart and never under the park; a
draft is called a draft; a growth target is a growth, its implied level "约"; the absence of actuals is said once,
with the document that would bring them and who issues it, never row after row.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import i18n, views
from ..analysis import Analysis
from ..periods import is_full_year
from . import labels

PER_PARK = {"park": 7, "compare": 3}    # sentences on the main indicators, per park (the body stays 2–3 pages)
COMPARED_MAX = 4                        # indicators set side by side in 三、对比分析
FINAL = ("exceeded", "met", "near", "not_met")
SCHEDULE = {"ahead_of_schedule": "ahead", "on_schedule": "in_line", "behind_schedule": "behind"}
NUMERALS = "一二三四五六七八九十"


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


def date_text(iso: str, lang: str) -> str:
    """"2022-01-28" → 2022年1月28日, "2022-08" → 2022年8月 (as written in a 公文); English keeps ISO."""
    parts = [p for p in str(iso).split("-") if p.isdigit()]
    if lang == "en" or not parts:
        return str(iso)
    return "".join(f"{int(p)}{unit}" for p, unit in zip(parts, "年月日"))


def _q(value: float, unit: str | None, lang: str, comparator: str = "=") -> str:
    return i18n.quantity(value, unit, lang, comparator if comparator != "=" else "")


def _about(value: float, unit: str | None, lang: str) -> str:
    """A derived level, no more precise than the growth rate it comes from: three significant digits."""
    return _q(float(f"{value:.3g}"), unit, lang)


def _district_name(park, lang: str) -> str:
    """The host district by name (黔江区), for sentences that say "district" themselves."""
    label = park.district_label_en if lang == "en" else park.district_label_zh
    return label or i18n.district(park, lang)


def _pct(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _t(key: str, lang: str, **kw) -> str:
    text = labels.t(f"nar_{key}", lang, **kw)
    if lang == "en" and text.endswith("."):          # a whole English sentence (not a fragment) opens with a capital
        return text[:1].upper() + text[1:]
    return text


def _name(analysis: Analysis, indicator_id: str, lang: str) -> str:
    """An indicator's name as a sentence writes it: in English, "gross industrial output" (not "Gross…") inside a
    sentence, an acronym (GDP, R&D) as it is; _t capitalises a sentence that opens with it."""
    ind = analysis.dataset.indicators.get(indicator_id)
    name = i18n.name(ind, lang) if ind is not None else indicator_id
    if lang == "en" and name[1:2].islower():
        return name[:1].lower() + name[1:]
    return name


def plan_year(analysis: Analysis, park_ids: list[str]) -> int | None:
    """The year the briefing is about: the latest year with annual park targets of these parks."""
    att = analysis.attainment
    att = att[att["park_id"].isin(park_ids) & (att["scope"] == "park") & att["baseline_year"].isna()]
    return int(att["year"].max()) if not att.empty else None


def previous_actuals(analysis: Analysis, year: int) -> dict[tuple, object]:
    """(park, scope, indicator) → the observation of the year before's full-year actual level (value_std, unit of
    the indicator, source, quote)."""
    obs = analysis.dataset.observations
    prev = obs[(obs["year"] == year - 1) & (obs["kind"] == "actual") & (obs["basis"] == "level")]
    prev = prev[prev["period"].map(is_full_year).astype(bool)] if "period" in prev else prev
    return {(r.park_id, r.scope, r.indicator_id): r for r in prev.itertuples()}


def previous_levels(analysis: Analysis, year: int) -> dict[tuple, float]:
    """(park, scope, indicator) → the full-year actual level of the year before."""
    return {key: float(r.value_std) for key, r in previous_actuals(analysis, year).items()}


def _order(analysis: Analysis, ids: list[str]) -> list[str]:
    """Headline indicators first, then by family (output, investment, fiscal… before party work and services)."""
    head = [i for i in views.HEADLINE_INDICATORS if i in ids]
    families = list(i18n.CATEGORY)
    rest = [i for i in ids if i not in head]
    rank = {i: families.index(analysis.dataset.indicators[i].category)
            if i in analysis.dataset.indicators and analysis.dataset.indicators[i].category in families
            else len(families) for i in rest}
    return head + sorted(rest, key=lambda i: rank[i])


def _indicator_sentences(analysis: Analysis, park_id: str, year: int, lang: str, limit: int) -> list[str]:
    """What the park's base targets of `year` say against last year's actuals and this year's results."""
    att = analysis.attainment
    att = att[(att["park_id"] == park_id) & (att["scope"] == "park") & (att["year"] == year)
              & att["baseline_year"].isna() & (att["target_level"] != "stretch")]
    prev = previous_levels(analysis, year)
    out = []
    for iid in _order(analysis, list(dict.fromkeys(att["indicator_id"]))):
        name, unit = _name(analysis, iid, lang), analysis.dataset.indicators[iid].unit
        for r in att[att["indicator_id"] == iid].itertuples():
            before = prev.get((park_id, "park", iid))
            sentence = None
            if r.status in FINAL and pd.notna(r.ratio):
                sentence = _t("attained", lang, year=year, indicator=name, actual=_q(r.actual_value, r.unit, lang),
                              target=views.fmt_figure(r.target_value, r.unit, r.comparator, r.basis, lang),
                              ratio=_pct(r.ratio * 100), status=i18n.status(r.status, lang))
            elif r.status in SCHEDULE and pd.notna(r.progress_share):
                sentence = _t("progress", lang, period=i18n.period_label(r.period, lang), indicator=name,
                              actual=_q(r.actual_value, r.unit, lang),
                              target=views.fmt_figure(r.target_value, r.unit, r.comparator, r.basis, lang),
                              progress=_pct(r.progress_share * 100), pace=_t(f"pace_{SCHEDULE[r.status]}", lang),
                              elapsed=_pct(r.elapsed_share * 100))
            elif r.basis == "level" and before:
                change = r.target_value / before - 1
                sentence = _t("vs_last", lang, year=year, indicator=name,
                              target=_q(r.target_value, r.unit, lang, r.comparator), prev=year - 1,
                              actual=_q(before, r.unit, lang), change=_change(change, lang))
            elif r.basis == "growth_pct" and before and pd.notna(r.implied_target_level):
                sentence = _t("growth_implied", lang, year=year, indicator=name, growth=_pct(r.target_value),
                              comparator=i18n.label(i18n.COMPARATOR, r.comparator, lang), prev=year - 1,
                              actual=_q(before, unit, lang), implied=_about(r.implied_target_level, unit, lang))
            if sentence:
                out.append(sentence)
        if len(out) >= limit:
            break
    if len(out) < 2:      # nothing to set them against yet: the park's main targets, as stated
        stated = [f"{_name(analysis, r.indicator_id, lang)}{' ' if lang == 'en' else ''}"
                  f"{views.fmt_figure(r.target_value, r.unit, r.comparator, r.basis, lang)}"
                  for r in att.set_index("indicator_id").loc[_order(analysis, list(dict.fromkeys(
                      att["indicator_id"])))[:4]].reset_index().itertuples()]
        if stated:
            out.insert(0, _t("main_targets", lang, year=year, targets=("、" if lang != "en" else "; ").join(stated)))
    return out[:limit]


def _change(change: float, lang: str) -> str:
    if abs(change) < 0.0005:
        return _t("flat", lang)
    return _t("up" if change > 0 else "down", lang, pct=_pct(abs(change) * 100))


def _issuer(analysis: Analysis, park_id: str) -> str:
    plans = [s for s in analysis.dataset.sources.values() if s.park == park_id and s.type == "plan"]
    return plans[-1].issuer if plans and plans[-1].issuer else i18n.short(analysis.dataset.parks[park_id], "zh")


def _has_actuals(analysis: Analysis, park_id: str, year: int) -> bool:
    att = analysis.attainment
    mine = att[(att["park_id"] == park_id) & (att["year"] == year) & (att["scope"] == "park")]
    return bool(mine["status"].isin(FINAL + tuple(SCHEDULE)).any())


def _district_counts(analysis: Analysis, park_id: str) -> tuple[int, list]:
    att = analysis.attainment
    rows = att[(att["park_id"] == park_id) & (att["scope"] == "district")]
    return len(rows), analysis.sources_of(rows)


def body(analysis: Analysis, park_id: str | None, lang: str) -> list[Section]:
    """The briefing's written analysis for one park (park_id) or across every park (None)."""
    parks = analysis.dataset.parks
    ids = [park_id] if park_id else analysis.park_ids()
    year = plan_year(analysis, ids)
    if year is None:
        return [Section(_heading(0, "overview", lang), [_t("no_targets", lang)])]
    att = analysis.attainment
    sections: list[Section] = []

    # 一、总体情况
    overview = []
    for pid in ids:
        mine = att[(att["park_id"] == pid) & (att["scope"] == "park") & (att["year"] == year)]
        name = i18n.short(parks[pid], lang)
        overview.append(_t("counts", lang, park=name, year=year, n=len(mine),
                           base=int((mine["target_level"] != "stretch").sum()),
                           stretch=int((mine["target_level"] == "stretch").sum())))
        k, docs = _district_counts(analysis, pid)
        if k:
            drafts = [s for s in docs if s.draft]
            overview.append(_t("district", lang, district=_district_name(parks[pid], lang), k=k,
                               docs="、".join(f"《{s.title}》" for s in docs) if lang != "en"
                               else "; ".join(s.title for s in docs),
                               draft=_t("draft_mark", lang) if drafts else ""))
    actual_years = att.loc[att["park_id"].isin(ids) & att["status"].isin(FINAL), "year"]
    obs = analysis.dataset.observations
    actual_obs = obs[obs["park_id"].isin(ids) & (obs["kind"] == "actual")]
    last_actual = int(actual_obs["year"].max()) if not actual_obs.empty else None
    has_draft = any(s.draft for s in analysis.dataset.sources.values() if s.park in ids)
    overview.append(_t("dates", lang, date=date_text(views.data_date(analysis, park_id), lang),
                       draft=_t("with_drafts", lang) if has_draft else "",
                       actual=_t("actual_until", lang, year=last_actual) if last_actual else _t("no_actual_yet", lang)))
    if actual_years.empty:
        overview.append(_t("cannot_judge", lang, year=year))
    sections.append(Section(_heading(len(sections), "overview", lang), overview))

    # 二、主要指标完成情况
    main = []
    for pid in ids:
        said = _indicator_sentences(analysis, pid, year, lang, PER_PARK["park" if park_id else "compare"])
        if not _has_actuals(analysis, pid, year):
            said.append(_t("no_actual", lang, year=year))
        if park_id is None:
            main.append(f"（{NUMERALS[ids.index(pid)]}）{i18n.short(parks[pid], lang)}" if lang != "en"
                        else f"({ids.index(pid) + 1}) {i18n.short(parks[pid], lang)}")
        main.append("".join(said) if lang != "en" else " ".join(said))
    sections.append(Section(_heading(len(sections), "main", lang), main))

    # 三、对比分析 (across parks)
    if park_id is None:
        compared = _comparison(analysis, ids, year, lang)
        if compared:
            sections.append(Section(_heading(len(sections), "compare", lang), compared))

    # 四、需要关注的问题
    issues = _issues(analysis, ids, year, lang)
    sections.append(Section(_heading(len(sections), "issues", lang), issues or [_t("no_issues", lang)]))

    # 五、下步建议
    steps = [_t("request_summary", lang, issuer=_issuer(analysis, pid), park=i18n.short(parks[pid], lang), year=year)
             for pid in ids if not _has_actuals(analysis, pid, year)]
    if steps:
        steps.append(_t("request_form", lang, year=year))
    if any(_district_counts(analysis, pid)[0] for pid in ids) and has_draft:
        steps.append(_t("recheck_draft", lang))
    sections.append(Section(_heading(len(sections), "next", lang), steps or [_t("no_steps", lang)]))
    return sections


def _heading(n: int, key: str, lang: str) -> str:
    text = _t(f"h_{key}", lang)
    return f"{NUMERALS[n]}、{text}" if lang != "en" else f"{n + 1}. {text}"


def _comparison(analysis: Analysis, ids: list[str], year: int, lang: str) -> list[str]:
    """Where two or more parks state a base target of the same indicator for the year: who aims highest and
    lowest (a level a growth target implies is said to be derived)."""
    parks = analysis.dataset.parks
    out = []
    candidates = _order(analysis, sorted(set(analysis.attainment.loc[analysis.attainment["year"] == year,
                                                                    "indicator_id"])))
    for iid in candidates:
        rows = views.comparison_rows(analysis, iid, year)
        if rows.empty:
            continue
        rows = rows[(rows["kind"] == "target") & (rows["scope"] == "park") & rows["park_id"].isin(ids)
                    & (rows["target_level"] != "stretch") & (rows["basis"] == "level")]
        rows = rows.drop_duplicates("park_id")
        if len(rows) < 2:
            continue
        rows = rows.sort_values("value_std", ascending=False)
        hi, lo = rows.iloc[0], rows.iloc[-1]
        unit = analysis.dataset.indicators[iid].unit

        def said(r) -> str:
            text = _about(r.value_std, unit, lang) if bool(r.get("derived", False)) else _q(r.value_std, unit, lang)
            return text + (_t("derived_mark", lang) if bool(r.get("derived", False)) else "")
        out.append(_t("highest", lang, n=len(rows), indicator=_name(analysis, iid, lang), year=year,
                      high=i18n.short(parks[hi.park_id], lang), high_value=said(hi),
                      low=i18n.short(parks[lo.park_id], lang), low_value=said(lo)))
        if len(out) >= COMPARED_MAX:
            break
    return out


def _issues(analysis: Analysis, ids: list[str], year: int, lang: str) -> list[str]:
    """Targets set below last year's actual (a higher-is-better indicator), drafts, the self-checks' mismatches."""
    parks = analysis.dataset.parks
    att = analysis.attainment
    prev = previous_levels(analysis, year)
    out = []
    rows = att[att["park_id"].isin(ids) & (att["year"] == year) & (att["basis"] == "level")
               & (att["target_level"] != "stretch") & att["baseline_year"].isna()]
    for r in rows.itertuples():
        before = prev.get((r.park_id, r.scope, r.indicator_id))
        ind = analysis.dataset.indicators.get(r.indicator_id)
        if before and ind is not None and ind.direction == "higher" and r.target_value < before:
            out.append(_t("below_last", lang, park=i18n.short(parks[r.park_id], lang), year=year,
                          indicator=_name(analysis, r.indicator_id, lang), target=_q(r.target_value, r.unit, lang),
                          prev=year - 1, actual=_q(before, r.unit, lang)))
    for pid in ids:
        k, docs = _district_counts(analysis, pid)
        if k and any(s.draft for s in docs):
            out.append(_t("district_draft", lang, district=_district_name(parks[pid], lang), k=k))
    checks = analysis.checks
    mismatches = int((checks["park_id"].isin(ids) & (checks["status"] == "mismatch")).sum())
    if mismatches:
        out.append(_t("mismatches", lang, n=mismatches))
    return out
