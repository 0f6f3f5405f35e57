"""The metric tables' engine: one in-memory DuckDB database holding the scalar rules of rules.py as SQL macros,
and `query`, which runs a metric's SQL over the frames it is given.

Each macro is rules.py's function of the same name, written for the engine; tests/test_metrics.py compares every
macro with its Python rule on generated values (test_the_sql_rules_are_the_python_rules), so the two cannot drift.
"""
from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

_RULES = {
    # rules.meets: '=' means "reach it" in the better direction; '≈' allows the tolerance on the wrong side
    "meets(a, cmp, t, higher, tolerance)": """
        CASE cmp WHEN '≥' THEN a >= t WHEN '>' THEN a > t WHEN '≤' THEN a <= t WHEN '<' THEN a < t
                 WHEN '≈' THEN CASE WHEN higher THEN a >= t - abs(t) * tolerance ELSE a <= t + abs(t) * tolerance END
                 WHEN '=' THEN CASE WHEN higher THEN a >= t ELSE a <= t END
                 ELSE error('unknown comparator ' || cmp) END""",
    # rules.attainment_ratio: actual ÷ target (target ÷ actual when lower is better); a zero ceiling is 1 or 0
    "attainment_ratio(a, t, lower)": """
        CASE WHEN lower THEN CASE WHEN t = 0 THEN CASE WHEN a <= 0 THEN 1.0 ELSE 0.0 END
                                  WHEN a <= 0 THEN NULL ELSE t / a END
             WHEN t <= 0 THEN NULL ELSE a / t END""",
    # rules.classify
    "classify(met, ratio, exceeded, near)": """
        CASE WHEN met THEN CASE WHEN ratio >= exceeded THEN 'exceeded' ELSE 'met' END
             WHEN ratio >= near THEN 'near' ELSE 'not_met' END""",
    # rules.schedule_class: a ≈ target lowers the on-schedule bar by the tolerance
    "schedule_class(pace, cmp, ahead, on_bar, tolerance)": """
        CASE WHEN pace >= ahead THEN 'ahead_of_schedule'
             WHEN pace >= on_bar - CASE WHEN cmp = '≈' THEN tolerance ELSE 0.0 END THEN 'on_schedule'
             ELSE 'behind_schedule' END""",
    # rules.cagr (a fraction) and rules.progress_class (R = observed ÷ required CAGR)
    "cagr(s, e, years)": "CASE WHEN s > 0 AND e >= 0 AND years > 0 THEN pow(e / s, 1.0 / years) - 1 END",
    "progress_class(ratio, on_track, acceleration)": """
        CASE WHEN ratio >= on_track THEN 'on_track' WHEN ratio >= acceleration THEN 'acceleration_needed'
             WHEN ratio >= 0 THEN 'limited_progress' ELSE 'deterioration' END""",
    # rules.implied_level, rules.nominal_change_pct, rules.implied_previous, rules.implied_previous_from_multiple
    "implied_level(previous, growth)": "previous * (1 + growth / 100)",
    "nominal_change_pct(level, previous)": "CASE WHEN previous > 0 THEN (level / previous - 1) * 100 END",
    "implied_previous(level, growth)": "CASE WHEN 1 + growth / 100 > 0 THEN level / (1 + growth / 100) END",
    "implied_previous_from_multiple(level, multiple)": "CASE WHEN multiple > -1 THEN level / (1 + multiple) END",
}

_ENGINE = duckdb.connect()
for _signature, _body in _RULES.items():
    _ENGINE.execute(f"CREATE MACRO {_signature} AS {_body}")


def query(sql: str, params: dict | None = None, **frames: pd.DataFrame) -> pd.DataFrame:
    """`sql` over `frames`, each registered under its keyword's name, with `params` for its $names. A cursor per
    call (safe across the server's sessions); the loader's category columns go in as dictionaries (no copy of the
    text) and the table comes back with text columns, as the pages read them."""
    con = _ENGINE.cursor()
    try:
        for name, frame in frames.items():
            con.register(name, pa.Table.from_pandas(frame, preserve_index=False))
        return plain(con.sql(sql, params=params).to_arrow_table().to_pandas())
    finally:
        con.close()


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Category columns (the loader's repeated text) back to text in a metric table, as the row-by-row rules give
    them: pages filter, map and join these tables freely."""
    cats = {c: "str" for c in frame if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.astype(cats) if cats else frame
