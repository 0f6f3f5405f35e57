"""What a briefing says, chosen from the same view functions the pages use — never recomputed.

`briefing_content(analysis, park_id, lang)` returns a `Briefing`: plain strings and tables that the Word writer
(briefing.py) and the slide writer (slides.py) lay out. Every number in it is a string produced by the views
(`targets_table`, `display`, `park_facts`) or a figure from the views' figure builders, so the briefing shows
exactly what the park and comparison pages show.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pandas as pd

from .. import i18n, views
from ..analysis import Analysis
from ..charts import PRINT_WIDTH, laid_out_at
from . import labels
from ..views import data_date, headline_rows  # noqa: F401  (re-exported)

MAX_CHARTS = 4


@dataclass
class Chart:
    """A figure from the views and what a caption, a slide and a file name need to say about it."""
    key: tuple                 # (view function name, *arguments): the image cache key
    figure: object             # plotly Figure, as the page draws it but laid out for print (charts.PRINT_WIDTH)
    title: str                 # the figure's own title, as plain text
    source_line: str           # the figure's own source footer, as plain text
    park: str | None           # for the file name: a park's short name, or "all parks"
    indicator: str | None
    year: str


@dataclass
class Table:
    header: list[str] | None    # None: no header row
    rows: list[list[str]]
    widths: list[float]        # relative column widths (the Word writer scales them to the text width)
    note: str = ""             # said once under the table (no actuals yet), instead of in every row


@dataclass(frozen=True)
class Masthead:
    """An office's 报头 and 版记 for a briefing it issues (GB/T 9704 as the model): the 简报's name, its 期号, the
    编发单位 and the date (ISO; empty: the day it is made), and the 报送/抄送 lines. All optional but the name."""
    name: str
    issue: str = ""
    issuer: str = ""
    date: str = ""
    report_to: str = ""
    copy_to: str = ""


@dataclass
class Briefing:
    lang: str
    park_id: str | None
    title: str
    data_date: str
    parks: list[str]                               # display names of the parks covered
    facts: list[tuple[str, dict[str, str]]]        # (park name, views.park_facts)
    headline: list[tuple[str, Table]]              # (park name, headline targets)
    status_counts: Table | None
    charts: list[Chart]
    targets: list[tuple[str | None, Table]]        # (heading or None, targets table)
    tasks: Table
    checks: Table
    scope_notes: list[str]
    sources: list[str] = field(default_factory=list)   # numbered from 1, in order of first citation
    body: list = field(default_factory=list)           # the written analysis in 公文 order (narrative.Section)
    editor: bool = True                                # the self-checks as an editor's appendix (False: leader's)
    masthead: Masthead | None = None                   # an office's 报头 and 报送/抄送 lines, when it issues it
    place_names: list[str] = field(default_factory=list)  # parks' and districts' names: no line breaks inside one


class _Refs:
    """Numbers the (source, quote) pairs in order of first citation: the briefing's numbered source list."""

    def __init__(self, analysis: Analysis, lang: str):
        self.analysis, self.lang = analysis, lang
        self.numbers: dict[tuple[str, str], int] = {}
        self.entries: list[str] = []

    def __call__(self, source: object, quote: object) -> str:
        source = "" if source is None or pd.isna(source) else str(source)
        quote = "" if quote is None or pd.isna(quote) else str(quote).strip()
        if not source and not quote:
            return ""
        key = (source, quote)
        if key not in self.numbers:
            self.numbers[key] = len(self.entries) + 1
            self.entries.append(_source_entry(self.analysis, source, quote, self.lang))
        return f"[{self.numbers[key]}]"


def _source_entry(analysis: Analysis, source_id: str, quote: str, lang: str) -> str:
    """"“原文句子” ——《2022年工作要点》（issuer，2022-01-28）", with the document as the pages print it."""
    src = analysis.dataset.sources.get(source_id)
    doc = (i18n.source_line([src], lang)[len(i18n.t("source_prefix", lang)):] if src is not None else source_id)
    said = f"“{quote}”" if quote else ""
    return f"{said} ——{doc}" if lang != "en" else f"{said} — {doc}"


def plain_text(text: str | None) -> str:
    """A figure's title or footer as a reader sees it: line breaks joined (with the space the wrap took between two
    Latin words: "by park, 2022"; none between Chinese characters), Plotly's HTML escapes decoded."""
    def join(m: re.Match) -> str:
        left, right = m.string[m.start() - 1:m.start()], m.string[m.end():m.end() + 1]
        return " " if left.isascii() and right.isascii() and left and right else ""
    return html.unescape(re.sub(r"<br\s*/?>", join, text or "")).strip()


def _footer(fig) -> str:
    prefixes = (i18n.t("source_prefix", "zh"), i18n.t("source_prefix", "en"))
    for ann in fig.layout.annotations or ():
        text = plain_text(ann.text)
        if text.startswith(prefixes):
            return text
    return ""


def _chart(key: tuple, fig, park: str | None, indicator: str | None, year: object) -> Chart | None:
    if fig is None:
        return None
    return Chart(key=key, figure=fig, title=plain_text(fig.layout.title.text), source_line=_footer(fig),
                 park=park, indicator=indicator, year=str(year))


def _indicator_name(analysis: Analysis, indicator_id: str, lang: str) -> str:
    ind = analysis.dataset.indicators.get(indicator_id)
    return i18n.name(ind, lang) if ind is not None else indicator_id


def _park_charts(analysis: Analysis, park_id: str, lang: str) -> list[Chart]:
    """2–4 charts for one park: its indicators with a history (trend, target markers), then its headline
    indicators beside the other parks (comparison), then single-year trends if still fewer than two."""
    park = analysis.dataset.parks[park_id]
    short = i18n.short(park, lang)
    obs = analysis.dataset.observations
    obs = obs[obs["park_id"] == park_id]
    ranked = views.indicators_of(analysis, park_id)
    order = [i for i in views.HEADLINE_INDICATORS if i in ranked] + [i for i in ranked
                                                                       if i not in views.HEADLINE_INDICATORS]
    out: list[Chart] = []
    for iid in order:  # histories: two or more figures in one scope, actuals among them
        rows, _ = views.trend_inputs(analysis, park_id, iid)
        if len(rows) >= 2 and (rows["kind"] == "actual").any() and rows["year"].nunique() >= 2:
            out.append(_chart(("trend_figure", park_id, iid, lang), views.trend_figure(analysis, park_id, iid, lang),
                              short, _indicator_name(analysis, iid, lang), views.years_of(analysis, iid)[0]))
        if len(out) == 2:
            break
    targets = obs[(obs["kind"] == "target") & (obs["scope"] == "park")]
    year = int(targets["year"].max()) if not targets.empty else None
    for iid in [i for i in views.HEADLINE_INDICATORS if year is not None and (targets["indicator_id"] == i).any()]:
        if len(out) >= 3:
            break
        rows = views.comparison_rows(analysis, iid, year)
        if not rows.empty and rows["park_id"].nunique() >= 2 and (rows["park_id"] == park_id).any():
            out.append(_chart(("compare_figure", iid, year, lang), views.compare_figure(analysis, iid, year, lang),
                              labels.t("all_parks", lang), _indicator_name(analysis, iid, lang), year))
    for iid in order:
        if len(out) >= 2:
            break
        key = ("trend_figure", park_id, iid, lang)
        if all(c.key != key for c in out):
            out.append(_chart(key, views.trend_figure(analysis, park_id, iid, lang), short,
                              _indicator_name(analysis, iid, lang), views.years_of(analysis, iid)[0]))
    return [c for c in out if c is not None][:MAX_CHARTS]


def _compare_charts(analysis: Analysis, lang: str) -> list[Chart]:
    """The comparison page's charts: the two headline indicators most parks report (targets and actuals side
    by side, in the year most parks report them), target growth rates, and who reports what."""
    every = labels.t("all_parks", lang)
    obs = analysis.dataset.observations
    spread = obs.groupby("indicator_id")["park_id"].nunique()
    ids = sorted([i for i in views.HEADLINE_INDICATORS if i in spread.index],
                 key=lambda i: (-spread[i], views.HEADLINE_INDICATORS.index(i)))[:2]
    out = []
    for iid in ids:
        year = views.default_year(analysis, iid)
        out.append(_chart(("compare_figure", iid, year, lang), views.compare_figure(analysis, iid, year, lang),
                          every, _indicator_name(analysis, iid, lang), year))
    growth = analysis.attainment[(analysis.attainment["basis"] == "growth_pct")
                                 & (analysis.attainment["scope"] == "park")]
    out.append(_chart(("ambition_figure", lang), views.ambition_figure(analysis, lang), every,
                      i18n.t("growth_target", lang).rstrip(" %"),
                      int(growth["year"].max()) if not growth.empty else ""))
    family = analysis.dataset.indicators[ids[0]].category if ids else (views.families(analysis) or [None])[0]
    if family is not None:
        years = sorted(set(int(y) for y in analysis.coverage["year"])) if not analysis.coverage.empty else []
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else "".join(map(str, years))
        out.append(_chart(("coverage_figure", family, lang), views.coverage_figure(analysis, family, lang), every,
                          f"{i18n.t('coverage', lang).split('：')[0].split(':')[0]} {i18n.pick(i18n.CATEGORY[family], lang)}",
                          span))
    return [c for c in out if c is not None][:MAX_CHARTS]


HEADLINE_COLUMNS = ["indicator", "year", "target_level", "target_value", "actual_value", "ratio", "status"]
HEADLINE_WIDTHS = {"zh": [3.6, 1.0, 1.6, 2.4, 1.4, 1.4, 2.0, 1.1], "en": [3.4, 1.2, 1.6, 2.4, 1.4, 2.0, 2.0, 1.0]}
TARGET_COLUMNS = ["scope", "indicator", "year", "target_level", "target_value", "actual_value", "ratio", "status",
                  "flags"]
TARGET_WIDTHS = {"zh": [1.0, 3.0, 1.0, 1.5, 2.3, 1.3, 1.3, 2.0, 1.5, 1.1],
                 "en": [1.4, 3.0, 1.2, 1.5, 2.3, 1.3, 2.0, 1.7, 1.5, 1.0]}
TARGET_LABELS = {"scope": "scope", "indicator": "indicator", "year": "year", "target_level": "target_tier",
                 "target_value": "target_value", "actual_value": "actual_value", "ratio": "ratio",
                 "status": "status", "flags": "flags"}


RESULT_COLUMNS = ("actual_value", "ratio", "status")


def _headline(analysis: Analysis, park_id: str, refs: _Refs, lang: str) -> Table:
    """The park's headline targets, with last year's actual level beside each where the data has it (2021年实绩),
    its source cited after the target's."""
    from .narrative import previous_actuals
    att = views.in_table_order(headline_rows(analysis, park_id))
    frame = views.targets_table(att, analysis, lang)
    year = int(att["year"].max()) if not att.empty else 0
    before = previous_actuals(analysis, year) if year else {}
    prior = [before.get((r.park_id, r.scope, r.indicator_id)) for r in att.itertuples()]
    if not any(r is not None for r in prior):
        return _table(frame, HEADLINE_COLUMNS, HEADLINE_WIDTHS, refs, lang)
    units = [analysis.dataset.indicators[i].unit for i in att["indicator_id"]]   # a level's, not a growth target's %
    frame = frame.assign(prior_actual=[i18n.quantity(float(r.value_std), u, lang, "") if r is not None else "—"
                                       for r, u in zip(prior, units)])
    at = HEADLINE_COLUMNS.index("target_value") + 1
    columns = HEADLINE_COLUMNS[:at] + ["prior_actual"] + HEADLINE_COLUMNS[at:]
    widths = {k: w[:at] + [1.6] + w[at:] for k, w in HEADLINE_WIDTHS.items()}
    table = _table(frame, columns, widths, refs, lang, {"prior_actual": labels.t("prior_actual", lang, year=year - 1)})
    for row, r in zip(table.rows, prior):
        if r is not None:
            row[-1] = " ".join(filter(None, (row[-1], refs(r.source, r.quote))))
    return table


def _table(frame: pd.DataFrame, columns: list[str], widths: dict[str, list[float]], refs: _Refs,
           lang: str, labels_: dict[str, str] | None = None) -> Table:
    """A targets table. With no actual in any row, the result columns go and the table says so once."""
    widths = widths["en" if lang == "en" else "zh"]
    note = ""
    if len(frame) and all(_cell(v) == "—" for v in frame["actual_value"]):
        keep = [k for k, c in enumerate(columns) if c not in RESULT_COLUMNS]
        columns, widths = [columns[k] for k in keep], [widths[k] for k in keep] + widths[len(columns):]
        note = labels.t("no_actuals_table", lang)
    header = [(labels_ or {}).get(c) or labels.t(TARGET_LABELS[c], lang) for c in columns] + [labels.t("ref", lang)]
    rows = [[_cell(r[c]) for c in columns] + [refs(r["source"], r["quote"])] for _, r in frame.iterrows()]
    return Table(header, rows, widths, note)


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    text = str(value)
    return text if text.strip() else "—"


def _checks(analysis: Analysis, park_id: str | None, lang: str, refs: _Refs) -> Table:
    """The self-check rows of the park (or of every park), as the sources page shows them (views.display,
    views.check_detail: the detail restated in the reader's language), mismatches first."""
    checks = analysis.checks if park_id is None else analysis.checks[analysis.checks["park_id"] == park_id]
    order = {"mismatch": 0, "unverifiable": 1, "ok": 2}
    checks = checks.assign(_o=checks["status"].map(order).fillna(3)).sort_values(["_o", "park_id", "year"],
                                                                                 kind="stable")
    shown = views.display(checks, ["stated", "computed", "difference"])
    header = [labels.t("check_scope", lang)] + ([i18n.t("park", lang)] if park_id is None else []) + [
        i18n.t("scope", lang), i18n.t("year", lang), i18n.t("indicator", lang), i18n.t("value", lang),
        i18n.t("computed", lang), i18n.t("status", lang), i18n.t("detail", lang), labels.t("ref", lang)]
    rows = []
    for raw, (_, r) in zip(checks.to_dict("records"), shown.iterrows()):
        park = [i18n.short(analysis.dataset.parks[r["park_id"]], lang)] if park_id is None else []
        rows.append([labels.check_name(r["check"], lang), *park, i18n.t(f"scope_{r['scope']}", lang),
                     _cell(r["year"]), _indicator_name(analysis, r["indicator_id"], lang), _cell(r["stated"]),
                     _cell(r["computed"]), _cell(i18n.check_status(r["status"], lang)),
                     _cell(views.check_detail(analysis, raw, lang)),
                     _check_ref(analysis, r, refs)])
    widths = [2.4] + ([1.6] if park_id is None else []) + (
        [1.4, 1.2, 2.6, 1.3, 1.8, 1.6, 3.4, 1.0] if lang == "en" else [1.0, 1.0, 2.6, 1.3, 1.3, 1.5, 3.4, 1.1])
    return Table(header, rows, widths)


def _check_ref(analysis: Analysis, row: pd.Series, refs: _Refs) -> str:
    """A check row cites the quote it checks; its source is the observation's (same park, indicator, year)."""
    obs = analysis.dataset.observations
    hit = obs[(obs["quote"] == row["quote"]) & (obs["park_id"] == row["park_id"])]
    return refs(hit["source"].iloc[0] if not hit.empty else None, row["quote"])


def _tasks(analysis: Analysis, park_id: str | None, lang: str, refs: _Refs) -> Table:
    tasks = views.tasks_table(analysis, park_id)
    header = ([i18n.t("park", lang)] if park_id is None else []) + [
        i18n.t("task", lang), i18n.t("deadline", lang), i18n.t("lead", lang), i18n.t("status", lang),
        labels.t("ref", lang)]
    rows = [([i18n.short(analysis.dataset.parks[r["park_id"]], lang)] if park_id is None else []) +
            [_cell(r["task_zh"]), _cell(r["deadline"]), _cell(r["lead"]), labels.task_status(r["status"], lang),
             refs(r["source"], r["quote"])] for _, r in tasks.iterrows()]
    widths = ([1.8] if park_id is None else []) + [6.5, 1.8, 3.5, 1.4, 1.1]
    return Table(header, rows, widths)


def _scope_notes(analysis: Analysis, park_ids: list[str], lang: str) -> list[str]:
    notes = []
    for pid in park_ids:
        n = int(views.targets_by_scope(analysis, pid).get("district", 0))
        if n:
            park = analysis.dataset.parks[pid]
            label = (park.district_label_en if lang == "en" else park.district_label_zh) or i18n.short(park, lang)
            notes.append(labels.t("scope_warning", lang, n=n, district=label))
    return notes or [labels.t("scope_clean", lang)]


def briefing_content(analysis: Analysis, park_id: str | None, lang: str, editor: bool = True) -> Briefing:
    """Everything a briefing on `park_id` (or across every park, when None) says, in `lang`: the written analysis,
    then what the annexes hold. `editor` False leaves the self-checks out (the version a leader is handed)."""
    from .narrative import body
    parks = analysis.dataset.parks
    if park_id is not None and park_id not in parks:
        raise KeyError(f"unknown park {park_id!r}; known: {', '.join(parks)}")
    ids = [park_id] if park_id else analysis.park_ids()
    refs = _Refs(analysis, lang)
    names = [i18n.name(parks[p], lang) for p in ids]
    sep = "、" if lang != "en" else ", "
    title = (labels.t("briefing_park", lang, park=names[0]) if park_id else
             labels.t("briefing_compare", lang, parks=sep.join(i18n.short(parks[p], lang) for p in ids)))
    headline = [(i18n.name(parks[pid], lang), _headline(analysis, pid, refs, lang)) for pid in ids]
    status_counts = None
    if park_id is None:
        counts = analysis.status_counts()
        counts = counts.loc[:, counts.sum() > 0]
        status_counts = Table([i18n.t("park", lang)] + [i18n.status(s, lang) for s in counts.columns],
                              [[i18n.short(parks[p], lang)] + [str(int(v)) for v in counts.loc[p]] for p in counts.index],
                              [3.0] + [1.6] * len(counts.columns))
    with laid_out_at(PRINT_WIDTH):  # placed 16 cm wide: laid out so its smallest text prints at 8 pt
        charts = _park_charts(analysis, park_id, lang) if park_id else _compare_charts(analysis, lang)
    targets = []
    for pid in ids:
        att = analysis.attainment[analysis.attainment["park_id"] == pid]
        table = _table(views.targets_table(att, analysis, lang), TARGET_COLUMNS, TARGET_WIDTHS, refs, lang)
        targets.append((None if park_id else i18n.name(parks[pid], lang), table))
    return Briefing(
        lang=lang, park_id=park_id, title=title, data_date=data_date(analysis, park_id), parks=names,
        facts=[(i18n.name(parks[p], lang), views.park_facts(analysis, p, lang)) for p in ids], headline=headline,
        status_counts=status_counts, charts=charts, targets=targets, tasks=_tasks(analysis, park_id, lang, refs),
        checks=_checks(analysis, park_id, lang, refs), scope_notes=_scope_notes(analysis, ids, lang),
        sources=refs.entries, body=body(analysis, park_id, lang), editor=editor,
        place_names=_place_names([parks[p] for p in ids], lang))


def _place_names(parks: list, lang: str) -> list[str]:
    """The names the body writes a park or its district by, longest first (a short name can sit inside a full one).
    English breaks between the words of a name, as English text does: none there."""
    if lang == "en":
        return []
    found = {n for park in parks for n in (park.name_zh, i18n.short(park, lang), park.district_label_zh) if n}
    return sorted(found, key=len, reverse=True)
