"""The embedded DuckDB store: an in-memory database built from a validated Dataset. All SQL lives here.

One connection is not safe across threads: callers share the Store (Streamlit caches it as a resource) and every
query runs on its own cursor.
"""
from __future__ import annotations

import threading

import duckdb
import pandas as pd
import pyarrow as pa

from .loader import Dataset

_VIEWS = """
CREATE VIEW v_observations AS
SELECT o.*, i.name_zh AS indicator_name_zh, i.name_en AS indicator_name_en, i.unit AS indicator_unit,
       i.direction, i.category, p.name_zh AS park_name_zh, p.name_en AS park_name_en,
       s.title AS source_title, s.file AS source_file, s.issuer AS source_issuer, s.date AS source_date,
       s.draft AS source_draft
FROM observations o
JOIN indicators i ON i.id = o.indicator_id
JOIN parks p ON p.id = o.park_id
JOIN sources s ON s.id = o.source;

"""


def _arrow(frame: pd.DataFrame):
    """The frame as an Arrow table (zero-copy for its Arrow-backed text columns): DuckDB reads it about twice as
    fast as the DataFrame. A frame Arrow cannot take as is goes to DuckDB as a DataFrame."""
    if frame.empty:
        return frame
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowException, TypeError, ValueError):
        return frame


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=columns)


def _build(ds: Dataset) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    tables = {
        "parks": pd.DataFrame([p.model_dump() for p in ds.parks.values()]),
        "sources": pd.DataFrame([s.model_dump() for s in ds.sources.values()]),
        "indicators": pd.DataFrame([i.model_dump() for i in ds.indicators.values()]),
        "observations": ds.observations,
        "quarantine": ds.quarantine,
        "problems": _frame([p.as_dict() for p in ds.problems], ["severity", "code", "file", "line", "column",
                                                                "field", "value", "message_zh", "message_en"]),
        "tasks": ds.tasks,
    }
    empty_schemas = {"parks": "id VARCHAR, name_zh VARCHAR, name_en VARCHAR, color VARCHAR",
                     "sources": "id VARCHAR, file VARCHAR, title VARCHAR, issuer VARCHAR, date VARCHAR, "
                                "draft BOOLEAN, scope VARCHAR, park VARCHAR, type VARCHAR",
                     "indicators": "id VARCHAR, name_zh VARCHAR, name_en VARCHAR, unit VARCHAR, "
                                   "direction VARCHAR, category VARCHAR"}
    for name, frame in tables.items():
        if frame.empty and not len(frame.columns):
            con.execute(f"CREATE TABLE {name} ({empty_schemas[name]})")
        else:
            con.register("_incoming", _arrow(frame) if name in ("observations", "tasks") else frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _incoming")
            con.unregister("_incoming")
    con.execute(_VIEWS)
    return con


class Store:
    """Built on the first query, not with the Analysis: most reruns never ask it anything, and opening DuckDB and
    copying the tables in costs more than every metric on the shipped data."""

    def __init__(self, ds: Dataset):
        self.dataset = ds
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = _build(self.dataset)
        return self._con

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run one query on its own cursor (thread-safe for concurrent Streamlit sessions)."""
        with self._lock:
            cur = self._connection().cursor()
        try:
            return cur.sql(sql, params=params or None).to_arrow_table().to_pandas()
        finally:
            cur.close()

    # --- what the pages and the CLI ask for ---------------------------------------------------------------

    def observations(self, park: str | None = None, indicator: str | None = None, year: int | None = None,
                     kind: str | None = None) -> pd.DataFrame:
        where, params = [], []
        for col, val in (("park_id", park), ("indicator_id", indicator), ("year", year), ("kind", kind)):
            if val is not None:
                where.append(f"{col} = ?")
                params.append(val)
        sql = "SELECT * FROM v_observations"
        if where:
            sql += " WHERE " + " AND ".join(where)
        frame = self.query(sql + " ORDER BY park_id, scope, indicator_id, year, kind, target_level NULLS FIRST, basis",
                           params)
        return frame.astype({"baseline_year": "Int64"})  # Arrow → pandas makes an int column with nulls float

    def sources(self) -> pd.DataFrame:
        """The source documents with how many figures each one gives."""
        return self.query("""
            SELECT s.id, s.title, s.issuer, s.date, s.type, s.scope, s.draft, s.file, s.park,
                   count(o.source) AS figures
            FROM sources s LEFT JOIN observations o ON o.source = s.id
            GROUP BY ALL ORDER BY s.park, s.date""")

    def problems(self) -> pd.DataFrame:
        return self.query("SELECT * FROM problems ORDER BY severity, file, line")

    def quarantine(self) -> pd.DataFrame:
        return self.query("SELECT * FROM quarantine ORDER BY file, line")
