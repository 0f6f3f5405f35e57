"""Before writing: the loader's verdict on the new rows against the data as loaded (catalogue, parks, sources,
duplicates), without reloading the root."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .. import loader, validate
from ..loader import CONTROL_CHARS, OBSERVATIONS_DIR, PARKS_FILE, Dataset, load_dataset
from ..model import Park, Source
from ..problems import Problem
from ..read import read_csv
from ..yamlfile import LineDict, LineList, line_of, read_yaml
from .files import _check_id, _decode, _safe_path, observations_rel, recover_if_journaled
from .refusals import InvalidInput, ParkExists, SourceExists, SourceRowsElsewhere
from .texts import _records, observations_csv_text, parks_text_with_park, parks_text_with_source


# --- before writing: the loader's verdict on the new rows, against the data as loaded ------------------------------


def _source_id_of(source: dict | None, rows) -> str:
    if source is not None:
        return _check_id(source.get("id") if isinstance(source, dict) else None)
    records = _records(rows) if rows is not None else []
    ids = {str(r.get("source") or "").strip() for r in records} - {""}
    if len(ids) != 1:
        raise InvalidInput("无法确定来源编号：请给出来源，或让所有行引用同一来源",
                           "cannot tell the source id: pass the source, or let every row cite one source")
    return _check_id(ids.pop())


def _lazy(name: str) -> property:
    """A dataset field built on first read (`_build[name]`), settable like a plain one."""
    def get(self):
        if name not in self._built:
            self._built[name] = self._build[name]()
        return self._built[name]

    def put(self, value) -> None:
        self._built[name] = value
    return property(get, put)


class _After(Dataset):
    """The dataset as it would load after a write: its observations and quarantine are built from the loaded ones
    only when asked for (at national scale that is most of the cost, and the import page does not ask)."""

    observations = _lazy("observations")   # type: ignore[assignment]
    quarantine = _lazy("quarantine")       # type: ignore[assignment]

    def __init__(self, build_observations, build_quarantine, **fields) -> None:
        self._built: dict[str, object] = {}
        self._build = {"observations": build_observations, "quarantine": build_quarantine}
        super().__init__(**fields)
        self._built.clear()


def _model_ok(model: type, entry: dict) -> object | None:
    try:
        return model.model_validate(entry)
    except Exception:   # pydantic's ValidationError, or anything an odd value raises
        return None


def _entry_problems(base: Path, park: dict | None, source: dict | None, replace: bool, view: Dataset
                    ) -> list[Problem]:
    """The loader's verdict on the new entries, located in parks.yaml as the writer would write it: the loader's
    own reader and rules run on the new text, and the problems inside the entries' blocks are kept. (Only when an
    entry is not valid on its own: this reads the whole of parks.yaml.) Updates `view` with what loads."""
    text, _ = _decode(_safe_path(base, PARKS_FILE).read_bytes(), PARKS_FILE)
    if park is not None:
        text, _ = parks_text_with_park(text, park)
    if source is not None:
        text, _ = parks_text_with_source(text, source, replace=replace)
    data, _ = read_yaml(text, PARKS_FILE)
    part = Dataset(root=base)
    loader._parks_from_text(text, part)
    spans = []
    for section, entry in (("parks", park), ("sources", source)):
        if entry is None:
            continue
        key = (section, entry["id"])
        loaded = (part.parks if section == "parks" else part.sources).get(entry["id"])
        target = view.parks if section == "parks" else view.sources
        if loaded is not None:
            target[entry["id"]] = loaded
            view.blocked.pop(key, None)
        else:
            target.pop(entry["id"], None)
            if key in part.blocked:
                view.blocked[key] = part.blocked[key]
        items = data.get(section) if isinstance(data, dict) else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == entry["id"]:
                spans.append(_span(data, (section, i)))
    return [p for p in part.problems if p.file == PARKS_FILE and p.line is not None
            and any(a <= p.line <= b for a, b in spans)]


def _span(data: object, loc: tuple) -> tuple[int, int]:
    """The first and last line of the record at `loc` (its own line and every key's and item's in it)."""
    node = data
    for part in loc:
        node = node[part]
    lines = [line_of(data, loc) or 0]
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, LineDict):
            lines += [v for v in n.key_lines.values() if v]
            stack += list(n.values())
        elif isinstance(n, LineList):
            lines += [v for v in n.item_lines if v]
            stack += list(n)
    return min(lines), max(lines)


def _key(values: tuple) -> tuple:
    """A duplicate key as text: blanks (None, NaN, "") alike, whole numbers without a decimal point."""
    out = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "":
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v.item() if hasattr(v, "item") else v))
    return tuple(out)


def rows_elsewhere(ds: Dataset, source_id: str, rel: str) -> list[str]:
    """The observation files other than `rel` whose rows cite `source_id`, as the loaded dataset knows them (its
    observations, and the rows it set aside for citing an unknown source)."""
    files = set()
    obs = ds.observations
    if len(obs):
        hit = (obs["source"] == source_id).to_numpy() & (obs["file"] != rel).to_numpy()
        files |= {str(f) for f in obs["file"][hit].unique()}
    files |= {p.file for p in ds.problems if p.field == "source" and p.value == source_id and p.file != rel
              and p.file.startswith(OBSERVATIONS_DIR + "/")}
    return sorted(files)


def validate_before_write(root: str | Path, source: dict | None, rows, *, replace: bool = False,
                          park: dict | None = None, dataset: Dataset | None = None) -> tuple[list[Problem], Dataset]:
    """What the loader would say once `park`, `source` and `rows` are written, without writing anything and
    without copying or reloading the data root.

    The new rows are the CSV text the writer would write, read back with the loader's reader and checked with its
    set-wise rules (`validate.validate_cells`, the control-character rule) against `dataset` — the data as
    loaded (`load_dataset(root)`, cached, when not given) with the new park and source in it: the catalogue, the
    parks, the sources, and the duplicate key of every loaded row. The entries are checked by the model; when one
    fails, the loader reads parks.yaml as it would be written, to locate its problems in the entry's block.

    Returns the problems the write brings — in the new CSV, in the entries' blocks of parks.yaml, and elsewhere
    (a row of an older file that the new file now duplicates first; rows of a replaced source whose scope no
    longer fits) — and the dataset as it would load (observations and quarantine built when first asked for).
    Raises SourceExists / ParkExists / SourceRowsElsewhere / InvalidInput like the writers would (an existing
    source or park even when it is the same: see above)."""
    base = Path(root)
    recover_if_journaled(base)
    if source is not None and not isinstance(source, dict):
        raise InvalidInput("来源应为字段表", "a source must be a mapping of fields")
    if park is not None and not isinstance(park, dict):
        raise InvalidInput("园区应为字段表", "a park must be a mapping of fields")
    source_id = _source_id_of(source, rows)
    rel = observations_rel(source_id)
    ds = dataset if dataset is not None else load_dataset(base)
    view = Dataset(root=base, parks=dict(ds.parks), sources=dict(ds.sources), indicators=ds.indicators,
                   blocked=dict(ds.blocked))
    problems: list[Problem] = []
    # the entries for parks.yaml: a park or a source that is there already is refused (a source unless replaced) —
    # also when it is the same: the question here is whether this import may go in (a form returned twice asks for
    # --replace); `save` itself takes a retry of a save that completed as done
    new_park = new_source = None
    if park is not None:
        pid = _check_id(park.get("id"), "park")
        if pid in ds.parks or ("parks", pid) in ds.blocked:
            raise ParkExists(pid)
        new_park = park
    old_source = ds.sources.get(source_id)
    if source is not None:
        there = source_id in ds.sources or ("sources", source_id) in ds.blocked
        if there and not replace:
            raise SourceExists(source_id)
        if not (old_source is not None and _model_ok(Source, source) == old_source):
            new_source = source
    if new_park is not None or new_source is not None:
        valid = True
        for model, entry in ((Park, new_park), (Source, new_source)):
            if entry is None:
                continue
            record = _model_ok(model, entry)
            texts = [t for v in entry.values() for t in (v if isinstance(v, list) else [v])]
            if record is None or any(isinstance(t, str) and CONTROL_CHARS.search(t) for t in texts) or (
                    model is Source and record.park not in view.parks):
                valid = False
                break
            (view.parks if model is Park else view.sources)[record.id] = record
            view.blocked.pop(("parks" if model is Park else "sources", record.id), None)
        if not valid:
            problems += _entry_problems(base, new_park, new_source, replace, view)
    if rows is not None and new_source is not None:
        elsewhere = rows_elsewhere(ds, source_id, rel)
        if elsewhere:
            raise SourceRowsElsewhere(source_id, elsewhere)
    # the rows: the writer's text, read and checked as the loader reads and checks a file
    clean: list[dict] = []
    held: list[dict] = []
    raw: dict[int, str] = {}
    rows_read = 0
    if rows is not None:
        text = observations_csv_text(rows, source_id)
        found: list[Problem] = []
        header, parsed, refused = read_csv(text, rel, found)
        held += [loader._quarantine_record(rel, r["line"], r["codes"], r["raw"]) for r in refused]
        missing = loader._header_problems(header, rel, found)
        rows_read = len(parsed) + len(refused)
        raw = {line: ",".join(cells) for line, cells in parsed}
        good: list[tuple[int, list[str]]] = []
        for line, cells in parsed:
            if missing:
                held.append(loader._quarantine_record(rel, line, "missing-csv-column", ",".join(cells)))
                continue
            if len(cells) != len(header):
                found.append(Problem.of("ragged-row", rel, line, detail=f"{len(cells)} cells, header has {len(header)}"))
                held.append(loader._quarantine_record(rel, line, "ragged-row", ",".join(cells)))
                continue
            controls = loader._control_row(header, cells, rel, line)
            if controls:
                found += controls
                held.append(loader._quarantine_record(rel, line, "control-character",
                                                      loader.shown_controls(",".join(cells))))
                continue
            good.append((line, cells))
        if good:  # the loader's own set-wise rules (validate.validate_cells), against the data as it would be
            columns = [pa.array([cells[i] for _, cells in good], pa.string()) for i in range(len(header))]
            result = validate.validate_cells(loader._canonical(columns, header, len(good)), view)
            found += [validate.locate(p, rel, good[row][0]) for row, _, p in result.problems]
            held += [loader._quarantine_record(rel, good[row][0], codes, ",".join(good[row][1]))
                     for row, codes in result.error_codes.items()]
            for row, rec in zip(result.clean_rows, result.clean.to_pylist()):
                clean.append(rec | {"file": rel, "line": good[row][0]})
        held.sort(key=lambda r: r["line"])   # problems are put in line order below, with the others
        problems += found
    # duplicates: the loader keeps the first row of a key in file-name and line order and sets the others aside
    obs = ds.observations
    older: dict[tuple, tuple[str, int]] = {}
    if clean and len(obs):
        parks_ = {r["park_id"] for r in clean}
        hit = obs["park_id"].isin(parks_).to_numpy() & (obs["file"] != rel).to_numpy()
        sub = obs.loc[hit, loader.KEY_COLUMNS + ["file", "line"]]
        for r in sub.itertuples(index=False):
            older.setdefault(_key(r[:len(loader.KEY_COLUMNS)]), (str(r.file), int(r.line)))
    first: dict[tuple, tuple[str, int]] = {}
    kept, displaced = [], []
    for rec in clean:
        k = _key(tuple(rec[c] for c in loader.KEY_COLUMNS))
        earlier = first.get(k)
        if earlier is None and k in older and older[k] < (rel, rec["line"]):
            earlier = older[k]
        if earlier is not None:
            p = Problem.of("duplicate-observation", rel, rec["line"], field="indicator_id", value=rec["indicator_id"],
                           detail=f"first at {earlier[0]}:{earlier[1]}")
            problems.append(p)
            held.append(loader._quarantine_record(rel, rec["line"], p.code, raw.get(rec["line"], "")))
            continue
        first[k] = (rel, rec["line"])
        kept.append(rec)
        if k in older:   # the new file comes first: the older file's row is now the repeat
            f, line = older[k]
            problems.append(Problem.of("duplicate-observation", f, line, field="indicator_id",
                                       value=rec["indicator_id"], detail=f"first at {rel}:{rec['line']}"))
            displaced.append((f, line))
    # a replaced source's rows in other files (an entry-only edit): its scope against theirs
    if new_source is not None and rows is None and source_id in view.sources and len(obs):
        scope, old_scope = view.sources[source_id].scope, old_source.scope if old_source else None
        hit = (obs["source"] == source_id).to_numpy() & (obs["file"] != rel).to_numpy()
        for r in obs.loc[hit, ["scope", "file", "line"]].itertuples(index=False):
            if str(r.scope) != scope and str(r.scope) == old_scope:
                problems.append(Problem.of("scope-mismatch", str(r.file), int(r.line), field="scope",
                                           value=str(r.scope), detail=f"{source_id} is {scope} scope"))
    problems.sort(key=lambda p: (p.file != PARKS_FILE, p.file != rel, p.file, p.line or 0))
    return problems, _after(ds, view, rel, rows is not None, problems, kept, held, displaced, rows_read)


def _after(ds: Dataset, view: Dataset, rel: str, replaces_file: bool, problems: list[Problem], kept: list[dict],
           held: list[dict], displaced: list[tuple[str, int]], rows_read: int) -> Dataset:
    """The dataset as it would load after the write (see _After)."""
    obs, quarantine = ds.observations, ds.quarantine
    gone = 0
    if replaces_file:
        gone = int((obs["file"] == rel).sum()) + int((quarantine["file"] == rel).sum()) if len(obs) or len(
            quarantine) else 0

    def observations() -> pd.DataFrame:
        keep = (obs["file"] != rel).to_numpy() if replaces_file and len(obs) else None
        old = obs[keep] if keep is not None else obs
        if displaced:
            mark = pd.Series(list(zip(old["file"].astype(str), old["line"])), index=old.index).isin(displaced)
            old = old[~mark.to_numpy()]
        new = pd.DataFrame(kept, columns=loader.OUTPUT_COLUMNS).astype(loader._DTYPES)
        if not len(new):
            return loader._as_built(old.reset_index(drop=True))
        new = loader._categorised(new)
        for c in loader.CATEGORY_COLUMNS:   # categories of the loaded frame's text type (Arrow-backed), to unite
            if isinstance(old[c].dtype, pd.CategoricalDtype) and isinstance(new[c].dtype, pd.CategoricalDtype):
                new[c] = new[c].astype(old[c].cat.categories.dtype).astype("category")
        return loader._as_built(loader._concat([old, new]).reset_index(drop=True))

    def quarantined() -> pd.DataFrame:
        old = quarantine[quarantine["file"] != rel] if replaces_file and len(quarantine) else quarantine
        extra = [loader._quarantine_record(f, line, "duplicate-observation", "") for f, line in displaced]
        return pd.concat([old, pd.DataFrame(held + extra, columns=loader.QUARANTINE_COLUMNS)], ignore_index=True)

    kept_problems = [p for p in ds.problems if not (replaces_file and p.file == rel)]
    return _After(observations, quarantined, root=ds.root, parks=view.parks, sources=view.sources,
                  indicators=ds.indicators, tasks=ds.tasks, problems=kept_problems + problems,
                  rows_read=ds.rows_read - gone + rows_read, blocked=view.blocked)
