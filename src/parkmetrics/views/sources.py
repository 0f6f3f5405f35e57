"""The sources page (数据与来源): the documents, every observation with its quote, and the checks."""
from __future__ import annotations

import json

import pandas as pd

from .. import i18n
from ..analysis import Analysis, memoized
from .common import column_of, display, indicator_label, named, source_title, when_label


@memoized
def sources_table(analysis: Analysis, lang: str) -> pd.DataFrame:
    """The source documents, their type by its label (a query over every observation: once per data version)."""
    src = analysis.store.sources()
    return src.assign(type=[i18n.label(i18n.SOURCE_TYPE, x, lang) for x in src["type"]],
                      scope=[i18n.label(i18n.SCOPE, x, lang) for x in src["scope"]])


def observations_table(analysis: Analysis, park_name, indicator_name, lang: str,
                       rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every observation (or these `rows` of them) with its codes as labels and its document by title."""
    obs = named(analysis.dataset.observations if rows is None else rows, park_name, indicator_name)
    return obs.assign(
        scope=[i18n.label(i18n.SCOPE, x, lang) for x in obs["scope"]],
        kind=[i18n.label(i18n.KIND, x, lang) for x in obs["kind"]],
        target_level=[i18n.label(i18n.TARGET_LEVEL, x, lang) for x in obs["target_level"]],
        basis=[i18n.label(i18n.BASIS, x, lang) for x in obs["basis"]],
        comparator=[i18n.label(i18n.COMPARATOR, x, lang) or "=" for x in obs["comparator"]],
        period=[i18n.period_label(x, lang) for x in column_of(obs, "period")],
        source=[source_title(analysis, x) for x in obs["source"]])


def check_detail(analysis: Analysis, row: dict, lang: str) -> str:
    """A self-check's detail (a row of metrics.checks, as a dict) in the reader's language, worded from its code and
    arguments — metrics writes codes and numbers, i18n.CHECK_DETAIL holds the words; ids become indicator names."""
    code = row.get("detail")
    if not isinstance(code, str) or code not in i18n.CHECK_DETAIL:
        return ""
    raw = row.get("detail_args")
    args = json.loads(raw) if isinstance(raw, str) and raw else {}
    year, period = row.get("year"), row.get("period")
    value = args.get("value")
    words = {"prev": when_label(year - 1, period, lang) if not pd.isna(year) else "", "now": when_label(year, period, lang),
             "value": "" if value is None else f"{value:.2f}" if code == "implied_plan" else f"{value:.4g}",
             "parts": ("＋" if lang != "en" else " + ").join(indicator_label(analysis, i, lang) for i in args.get("parts", [])),
             **{k: indicator_label(analysis, args.get(k, ""), lang) for k in ("whole", "subset", "superset")}}
    return i18n.pick(i18n.CHECK_DETAIL[code], lang).format(**words)


def checks_table(analysis: Analysis, park_name, indicator_name, lang: str,
                 rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every self-check (or these `rows` of them), labelled in `lang`."""
    checks = named(display(analysis.checks if rows is None else rows, ["stated", "computed", "difference"]),
                   park_name, indicator_name)
    return checks.assign(
        check=[i18n.label(i18n.CHECK, x, lang) for x in checks["check"]],
        scope=[i18n.label(i18n.SCOPE, x, lang) for x in checks["scope"]],
        status=[i18n.check_status(x, lang) for x in checks["status"]],
        detail=[check_detail(analysis, r, lang) for r in checks.to_dict("records")])
