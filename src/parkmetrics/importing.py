"""The import page's logic, without Streamlit: a document's text → an editable table of candidate figures → the
observation rows, the source entry (and a new park) that write/ saves.

    info = infer(text)                                  # type, year, title, date the finder reads from the text
    frame = review_frame(text, indicators, doc_type=info.doc_type, year=info.year, scope="park")
    frame = add_span(frame, text, "新增规模工业企业28家", indicators, doc_type=..., year=..., scope=...)
    rows = observation_rows(frame, park_id="linxiang", source_id="lx_2022_summary")
    problems, _ = validate(root, source, rows)          # the loader's own verdict, against the data as loaded
    shown = preview(root, source, rows)                 # the diff, and the version of the files it was made from
    save(root, source, rows, version=shown.version)     # write/: editor mode, all or nothing, no lost update

The machine proposes, the editor confirms: no candidate is accepted until the editor ticks it (a row added from a
span the editor pasted is accepted, since the editor chose it).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import pandas as pd
from pydantic import ValidationError

from . import i18n, write
from .finder import UnreadableDocument, find_candidates, read_bytes
from .finder.candidates import MAX_CANDIDATES, prepare
from .finder.timing import infer_doc_type, infer_year, run_on_title
from .loader import CONTROL_CHARS, OBSERVATIONS_DIR, PARKS_FILE, Dataset
from .model import BASIS_UNIT, OBSERVATION_COLUMNS, Basis, Comparator, Park, id_problem
from .units import UNITS
from .problems import CODES, MAX_VALUE_CHARS, Problem
from .yamlfile import read_yaml

DOC_TYPES = ("summary", "plan", "district_plan")
SCOPES = ("park", "district")
UPLOAD_TYPES = ("txt", "docx", "pdf")
MAX_UPLOAD_MB = 20                     # a government document is a few MB at most; a bigger upload is refused
PARK_LEVELS = get_args(Park.model_fields["level"].annotation)      # 国家级, 省级, 市级
PARK_KINDS = get_args(Park.model_fields["kind"].annotation)        # 高新区, 开发区, 工业园区
COMPARATORS = tuple(c.value for c in Comparator)
BASES = tuple(b.value for b in Basis)
UNIT_CHOICES = tuple(UNITS)
ACCEPTED, FOUND = "blue", "orange"   # highlight colours: an accepted row's span, any other candidate's span

# The editable table: what the editor fixes, then what only explains the row (read-only), then what is carried
# along unseen (offsets of the quote in the document, the rest of the observation columns).
EDIT = ["accept", "indicator_id", "value", "unit", "comparator", "basis", "kind", "target_level", "estimate",
        "approximate", "period", "year", "note"]
SHOWN_READ_ONLY = ["quote", "indicator_text", "confidence"]
HIDDEN = ["scope", "baseline_year", "start", "end"]
COLUMNS = EDIT + SHOWN_READ_ONLY + HIDDEN
# the quote beside the tick box, then what the editor checks first: the indicator, the figure, and when it is about
SHOWN = ["accept", "quote", "indicator_id", "value", "unit", "kind", "year", "period", "basis", "comparator",
         "target_level", "estimate", "approximate", "note", "indicator_text", "confidence"]
_TEXT = ["indicator_id", "unit", "comparator", "basis", "kind", "target_level", "period", "quote", "indicator_text",
         "scope", "note"]

_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO = re.compile(r"(20\d\d)-(\d{2})-(\d{2})")
_YEAR_ID = re.compile(r"^([a-z][a-z0-9]*)_\d{4}_")


class SpanNotInDocument(ValueError):
    """The pasted span is not a verbatim part of the document."""


# --- what the text says about itself ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inferred:
    doc_type: str
    year: int | None
    title: str
    date: str


def infer(text: str) -> Inferred:
    """The document's type and year as the finder reads them (title first), its first line as the title, and the
    last full date in it (a 落款 date) as the issue date, or "" when there is none."""
    view = prepare(text)
    doc_type = infer_doc_type(view)
    title = title_line(text)
    date = ""
    for m in _DATE.finditer(view):
        try:
            date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            continue
    return Inferred(doc_type if doc_type in DOC_TYPES else "plan", infer_year(view, doc_type), title, date)


_TITLE_WORDS = re.compile(r"总结|要点|计划|报告|情况|方案|规划|汇报|公报|讲话|通报|快报|分析|纪要|打算|安排|会议|表")


def title_line(text: str) -> str:
    """The document's title: among its first lines, the first short one (≤ 60 characters, not ending a sentence)
    that names a document (总结, 要点, 运行情况, 方案…), else the first short line; a run-on first sentence is cut
    at its first clause, never in the middle of a word."""
    lines = [ln.strip() for ln in text.splitlines()[:12] if ln.strip()]
    short = [ln for ln in lines if len(ln) <= 60 and not ln.endswith(("。", "；", ";"))]
    for line in short:
        if _TITLE_WORDS.search(line):
            return line
    if short:
        return short[0]
    first = lines[0] if lines else ""
    if run_on := run_on_title(first):
        return run_on   # 工业园区上半年工作总结及下半年思路一、1-6月份…: the title a web copy glued to the text
    cut = re.search(r"[。；;，,：:！？]", first)
    return (first[:cut.start()] if cut else first)[:60]


def park_prefix(park_id: str, sources: list[tuple[str, str]] | tuple = ()) -> str:
    """The short prefix a park's source ids use (lx for lx_2022_plan), from (source id, park id) pairs; else the
    park id itself."""
    prefixes = Counter(m.group(1) for sid, park in sources if park == park_id for m in [_YEAR_ID.match(sid)] if m)
    return prefixes.most_common(1)[0][0] if prefixes else park_id


def default_source_id(park_id: str, year: int | None, doc_type: str,
                      sources: list[tuple[str, str]] | tuple = ()) -> str:
    """lx_2022_summary: the park's prefix (from its other sources' ids, as (source id, park id) pairs), the year
    and the type."""
    parts = [park_prefix(park_id, sources) if park_id else "source", str(year) if year else None, doc_type]
    return "_".join(p for p in parts if p)


def guess_park(text: str, parks: dict) -> str | None:
    """The park the text names most often (its names, short names and aliases), or None."""
    counts = {}
    for pid, park in parks.items():
        names = {n for n in (park.name_zh, park.short_name_zh, *park.aliases) if n}
        counts[pid] = sum(text.count(n) for n in names)
    best = max(counts, key=counts.get, default=None)
    return best if best is not None and counts[best] > 0 else None


def read_upload(name: str, data: bytes) -> str:
    """An upload as the finder reads it: its type sniffed from the bytes, its size and expansion bounded
    (finder.read_bytes; UnreadableDocument with a reason otherwise)."""
    if Path(name).suffix.lower().lstrip(".") not in UPLOAD_TYPES:
        raise UnreadableDocument("wrong-type", Path(name).name)
    return read_bytes(Path(name).name, data)


# --- candidates ⇄ the editable table -----------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value == ""


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """The table's dtypes: text columns as objects with None for blanks (a select box shows None as empty)."""
    out = frame.reindex(columns=COLUMNS).copy()
    for c in _TEXT:
        out[c] = [None if _blank(v) else str(v) for v in out[c]]
        out[c] = out[c].astype(object)
    for c in ("accept", "estimate", "approximate"):
        out[c] = [bool(v) if not _blank(v) else False for v in out[c]]
        out[c] = out[c].astype(bool)
    for c in ("year", "baseline_year", "start", "end"):
        out[c] = pd.array([None if _blank(v) else int(v) for v in out[c]], dtype="Int64")
    for c in ("value", "confidence"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return out.reset_index(drop=True)


FINDER_BUDGET_S = 8.0        # the finder's time for one document in a request: no page waits past 10 s (≈ 1.2 MB of dense figures)
READ_ONLY_MAX_CHARS = 100_000  # pasted or uploaded text a read-only server reads (≈ 30 pages); an editor's has no cap


def review_frame(text: str, indicators: dict, *, doc_type: str, year: int | None, scope: str,
                 budget: float | None = FINDER_BUDGET_S) -> pd.DataFrame:
    """The finder's candidates for the whole document, none accepted yet. Past `budget` seconds the rest of the
    document is left unread and `frame.attrs["stopped_at"]` says where (the page says so)."""
    found = find_candidates(text, indicators, year=year, doc_type=doc_type, scope=scope, budget=budget)
    out = _clean(found.assign(accept=False))
    out.attrs["stopped_at"] = found.attrs.get("stopped_at")
    return out


def add_span(frame: pd.DataFrame, text: str, span: str, indicators: dict, *, doc_type: str, year: int | None,
             scope: str) -> pd.DataFrame:
    """The rows the finder reads in `span` (a verbatim part of `text`, first occurrence), appended accepted;
    when it reads none, one row quoting the span for the editor to complete."""
    span = span.strip()
    pos = text.find(span) if span else -1
    if pos < 0:
        raise SpanNotInDocument(span)
    found = find_candidates(span, indicators, year=year, doc_type=doc_type, scope=scope)
    if found.empty:
        found = pd.DataFrame([{"quote": span, "scope": scope, "year": year,
                               "kind": "actual" if doc_type == "summary" else "target",
                               "target_level": None if doc_type == "summary" else "base",
                               "comparator": "=", "basis": "level", "start": 0, "end": len(span)}])
    found["start"] = found["start"].astype("int64") + pos
    found["end"] = found["end"].astype("int64") + pos
    found["accept"] = True
    have = _clean(frame)
    # a figure already in the table (same value at an overlapping place) is accepted there, not added twice
    fresh = []
    for _, r in _clean(found).iterrows():
        same = have.index[(have["value"] == r["value"]) & (have["start"] < r["end"]) & (have["end"] > r["start"])]
        if len(same):
            have.loc[same[0], "accept"] = True
        else:
            fresh.append(r)
    if not fresh:
        return have
    return _clean(pd.concat([have, pd.DataFrame(fresh)], ignore_index=True))


def set_accept(frame: pd.DataFrame, value: bool, *, with_indicator_only: bool = True,
               known: list[str] | None = None) -> pd.DataFrame:
    """Accept (or un-accept) every row; accepting skips the rows with no indicator unless told otherwise, and the
    rows the data already holds (`known`, from `already_known`: a table's 全年目标 column restating the plan)."""
    out = _clean(frame)
    rows = out["indicator_id"].notna() if (value and with_indicator_only) else pd.Series(True, index=out.index)
    if value and known:
        rows &= pd.Series([not k for k in known], index=out.index)
    out.loc[rows, "accept"] = value
    return out


def already_known(frame: pd.DataFrame, observations: pd.DataFrame, park_id: str) -> list[str]:
    """Per row, the source that already holds the same figure for this park (same indicator, year, period, kind,
    tier, basis and value), or "": a 填报 table's 全年目标 column restates the plan's targets, and saving them again
    would be a duplicate the loader refuses."""
    out = _clean(frame)
    if observations.empty or not park_id:
        return [""] * len(out)
    obs = observations[observations["park_id"] == park_id]
    def key(r) -> tuple:
        return (str(r.indicator_id), int(r.year), "" if _blank(r.period) else str(r.period), str(r.kind),
                "" if _blank(r.target_level) else str(r.target_level), str(r.basis), round(float(r.value), 6))

    index: dict[tuple, str] = {}
    for r in obs.itertuples(index=False):
        if not (_blank(r.year) or _blank(r.value)):
            index.setdefault(key(r), str(r.source))
    return ["" if _blank(r.indicator_id) or _blank(r.year) or _blank(r.value) else index.get(key(r), "")
            for r in out.itertuples(index=False)]


def set_fields(frame: pd.DataFrame, *, only_accepted: bool = True, **values) -> pd.DataFrame:
    """Set kind, year, period (or any editable column) on many rows at once: the accepted ones, or all. A value
    of None leaves the column as it is; an actual loses its target tier, a target gets 'base' if it had none."""
    out = _clean(frame)
    rows = out["accept"] if only_accepted else pd.Series(True, index=out.index)
    for column, value in values.items():
        if value is None or column not in EDIT:
            continue
        out.loc[rows, column] = value
    if values.get("kind") == "actual":
        out.loc[rows, "target_level"] = None
    elif values.get("kind") == "target":
        out.loc[rows & out["target_level"].isna(), "target_level"] = "base"
    return _clean(out)


def unchosen(frame: pd.DataFrame) -> list[int]:
    """Table row numbers (from 1) of accepted rows that have no indicator yet: the editor must choose one."""
    out = _clean(frame)
    return [i + 1 for i, (a, ind) in enumerate(zip(out["accept"], out["indicator_id"])) if a and _blank(ind)]


def why(frame: pd.DataFrame, indicators: dict) -> list[tuple[str, dict]]:
    """Per row, why it cannot be saved as it stands, as (i18n key, arguments), or ("", {}): no indicator in the
    catalogue for the words it was found with; a basis the indicator does not allow (技工贸总收入 allows only levels,
    so 同比增长12% is blocked)."""
    out = []
    for r in _clean(frame).itertuples(index=False):
        ind = indicators.get(r.indicator_id) if not _blank(r.indicator_id) else None
        if ind is None:
            out.append(("imp_why_no_indicator", {"words": r.indicator_text or r.quote or ""}))
        elif not _blank(r.basis) and r.basis not in ind.bases:
            out.append(("imp_why_basis", {"indicator": ind.name_zh, "id": ind.id, "basis": r.basis,
                                          "allowed": list(ind.bases)}))
        else:
            out.append(("", {}))
    return out


def indicator_stub(words: str, unit: str, basis: str, taken: object = ()) -> dict:
    """A catalogue entry for an indicator a document names and the catalogue lacks, for the editor to complete:
    the words as its Chinese name, the figure's unit and basis, a category guessed from the words."""
    from .finder.catalogue import _guess_category
    n = 1
    while f"new_indicator_{n}" in taken:
        n += 1
    family_unit = unit if unit and BASIS_UNIT.get(basis) is None else "%"  # a rate's amount unit: the editor adds it
    return {"id": f"new_indicator_{n}", "name_zh": words.strip(), "name_en": "TODO", "unit": family_unit,
            "bases": [basis] if basis else ["level"], "category": _guess_category(words),
            "description_zh": f"TODO 口径（由导入页面添加：{words.strip()}）"}


def highlight_spans(frame: pd.DataFrame) -> list[tuple[int, int, str]]:
    """(start, end, colour) of every candidate's quote in the document: blue when accepted, else orange. The
    accepted ones come last, so where quotes overlap (a level and its growth rate) an accepted row's colour wins."""
    out = []
    for r in _clean(frame).itertuples(index=False):
        if not _blank(r.start) and not _blank(r.end) and r.end > r.start:
            out.append((int(r.start), int(r.end), ACCEPTED if r.accept else FOUND))
    return sorted(out, key=lambda span: span[2] == ACCEPTED)


# Control characters (loader.CONTROL_CHARS) that stand for a break — pdftotext's page break \f, a vertical tab, the
# file/group/record/unit separators — become a space; the others (Word's cell mark \x07, NUL, escapes) are dropped.
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1f]")


def clean_text(text: object) -> object:
    """Text without control characters, as the loader accepts it (reports cannot hold them); anything else as it is."""
    if not isinstance(text, str) or not CONTROL_CHARS.search(text):
        return text
    return CONTROL_CHARS.sub("", _BREAKS.sub(" ", text))


def observation_rows(frame: pd.DataFrame, *, park_id: str, source_id: str) -> list[dict]:
    """The accepted rows as observation records (model.OBSERVATION_COLUMNS), for write/ and the loader; text
    without control characters (clean_text: a PDF's page break inside a quote, a Word cell mark)."""
    rows = []
    for r in _clean(frame).to_dict("records"):
        if not r["accept"]:
            continue
        rec = {c: None for c in OBSERVATION_COLUMNS}
        for c in OBSERVATION_COLUMNS:
            if c in r and not _blank(r[c]):
                rec[c] = clean_text(r[c])
        rec["park_id"], rec["source"] = park_id, source_id
        rec["estimate"] = bool(r["estimate"])
        rec["approximate"] = bool(r["approximate"])
        for c in ("year", "baseline_year"):
            rec[c] = None if _blank(rec[c]) else int(rec[c])
        if rec["kind"] == "actual":
            rec["target_level"] = None      # an actual has no target tier
        rows.append(rec)
    return rows


# --- the source and the park --------------------------------------------------------------------------------------


def source_entry(*, id: str, file: str, title: str, issuer: str, date: str, type: str, park: str, scope: str,
                 draft: bool = False, note: str = "") -> dict:
    """A parks.yaml source entry: the model's fields, blanks dropped (the loader then names what is missing); the
    texts without control characters (a title copied from a Word cell ends with \x07)."""
    entry = {"id": id.strip(), "file": clean_text(file).strip(), "title": clean_text(title).strip(),
             "issuer": clean_text(issuer).strip(), "date": date.strip(), "type": type, "park": park, "scope": scope}
    entry = {k: v for k, v in entry.items() if v not in ("", None)}
    if draft:
        entry["draft"] = True
    if clean_text(note).strip():
        entry["note"] = clean_text(note).strip()
    return entry


# The form's fields (model → field → the i18n key of the label the page shows above it). What each field expects
# and a hint are i18n keys too: "imp_expect_<model>_<field>", "imp_hint_<model>_<field>" (with "_<code>" appended
# for what only that problem needs, e.g. imp_hint_park_id_duplicate_id).
FORM_FIELDS = {
    "source": {"id": "imp_source_id", "file": "imp_file_name", "title": "imp_title", "issuer": "issuer",
               "date": "date", "type": "doc_type", "park": "park", "scope": "scope", "draft": "draft",
               "note": "imp_note"},
    "park": {"id": "imp_park_id", "name_zh": "imp_name_zh", "name_en": "imp_name_en", "province": "imp_province",
             "city": "imp_city", "county": "imp_county", "level": "level", "kind": "imp_park_kind",
             "color": "imp_color"},
}
# pydantic's error types → the problem catalogue's codes (as the loader maps them; anything else is wrong-type).
_FORM_CODES = {"missing": "missing-field", "extra_forbidden": "unknown-field", "literal_error": "invalid-choice",
               "enum": "invalid-choice", "unsafe_id": "unsafe-id", "string_too_long": "unsafe-id"}


@dataclass(frozen=True)
class FieldProblem:
    """One field of the import form that the data model rejects, said in the editor's words: the field's label,
    what is wrong (the problem catalogue's code), what the field expects, and a hint — never pydantic's text."""
    model: str             # "source" or "park"
    field: str
    code: str              # a code of problems.CODES
    value: str | None = None

    def _text(self, kind: str, lang: str) -> str | None:
        """The field's "expect" or "hint" text for this code (…_duplicate_id), else for any code of the field."""
        key = f"imp_{kind}_{self.model}_{self.field}"
        for k in (f"{key}_{self.code.replace('-', '_')}", key):
            if k in i18n.TEXT:
                return i18n.t(k, lang)
        return None

    def label(self, lang: str) -> str:
        """The field's label on the page, without its parenthetical format note."""
        key = FORM_FIELDS.get(self.model, {}).get(self.field)
        return re.split(r"[（(]", i18n.t(key, lang))[0].strip() if key else self.field

    def message(self, lang: str = "zh") -> str:
        """「标题」缺少必填字段：应为文件的标题。提示：… (zh) or "Title": required field is missing; expected … Hint: …"""
        code = CODES[self.code]
        expect = self._text("expect", lang)
        hint = self._text("hint", lang) or (code.hint_en if lang == "en" else code.hint_zh)
        got = f" = {self.value!r}" if self.value not in (None, "") else ""
        if lang == "en":
            return (f"“{self.label(lang)}”: {code.en}{got}" + (f"; expected {expect}" if expect else "")
                    + f". Hint: {hint}")
        return f"「{self.label(lang)}」{code.zh}{got}" + (f"：应为{expect}" if expect else "") + f"。提示：{hint}"


def field_problems(model: type, entry: dict) -> list[FieldProblem]:
    """What the data model (Park or Source: the loader's own rules) says about an entry, one problem per field."""
    name = "park" if model is Park else "source"
    try:
        model.model_validate(entry)
    except ValidationError as exc:
        out = []
        for e in exc.errors():
            value = e.get("input") if e["type"] != "missing" else None
            value = None if isinstance(value, (dict, list)) or value is None else str(value)
            if value is not None and len(value) > MAX_VALUE_CHARS:      # a pasted page is not repeated back
                value = value[:MAX_VALUE_CHARS] + "…"
            out.append(FieldProblem(name, ".".join(str(x) for x in e["loc"]) or "—",
                                    _FORM_CODES.get(e["type"], "wrong-type"), value))
        return out
    return []


def model_errors(model: type, entry: dict, lang: str = "zh", *, taken: object = ()) -> list[str]:
    """field_problems as messages in `lang`; for a new park, an id already in `taken` (the known park ids) too."""
    problems = field_problems(model, entry)
    if model is Park and entry.get("id") and entry["id"] in taken:
        problems.append(FieldProblem("park", "id", "duplicate-id", entry["id"]))
    return [p.message(lang) for p in problems]


def park_entry(*, id: str, name_zh: str, name_en: str, province: str, city: str, county: str, level: str,
               kind: str, color: str, short_name_zh: str = "", short_name_en: str = "") -> dict:
    """A new parks.yaml park with the model's required fields (and short names when given), its texts without
    control characters."""
    c = clean_text
    entry = {"id": id.strip(), "name_zh": c(name_zh).strip(), "name_en": c(name_en).strip(),
             "short_name_zh": c(short_name_zh).strip() or None, "short_name_en": c(short_name_en).strip() or None,
             "province": c(province).strip(), "city": c(city).strip(), "county": c(county).strip(), "level": level,
             "kind": kind, "color": color.strip()}
    return {k: v for k, v in entry.items() if v not in ("", None)}


def existing(root: str | Path, source_id: str) -> dict[str, bool]:
    """Would saving replace something: the source in parks.yaml, the observation file? (An interrupted save is
    completed first; an id the model refuses names no file.)"""
    write.recover_if_journaled(root)
    data, _ = read_yaml((Path(root) / PARKS_FILE).read_text(encoding="utf-8-sig"), PARKS_FILE)
    sources = (data or {}).get("sources") if isinstance(data, dict) else None
    ids = {s.get("id") for s in sources or [] if isinstance(s, dict)}
    csv = (Path(root) / OBSERVATIONS_DIR / f"{source_id}.csv").exists() if id_problem(source_id) is None else False
    return {"source": source_id in ids, "csv": csv}


# --- validate, preview, save: everything through write/ ------------------------------------------------------------


def validate(root: str | Path, source: dict, rows: list[dict], *, park: dict | None = None,
             replace: bool = False, dataset: Dataset | None = None) -> tuple[list[Problem], Dataset]:
    """The loader's verdict on the files as they would be after saving (write.validate_before_write), the new
    park included: the new rows checked against the data as loaded — `dataset` (the page's own), else
    load_dataset(root), which is cached — never a copy of the data root. Raises write.WriteRefused like the
    writers would."""
    return write.validate_before_write(root, source, rows, replace=replace, park=park, dataset=dataset)


@dataclass(frozen=True)
class Preview:
    """The diff the editor confirms, and the version of the files it was made from: pass `version` to save, which
    refuses (write.StaleDiff) when parks.yaml or the CSV changed since."""
    diff: str
    version: str


def preview(root: str | Path, source: dict, rows: list[dict], *, park: dict | None = None,
            replace: bool = False) -> Preview:
    """What saving writes, as a unified diff (parks.yaml: park and source; the observation CSV), bound to the
    version of the files it was made from (both read once)."""
    write.recover_if_journaled(root)
    plan = write.plan(root, source, rows, park=park, replace=replace)
    return Preview(plan.diff(), plan.version)


def diff(root: str | Path, source: dict, rows: list[dict], *, park: dict | None = None, replace: bool = False) -> str:
    """The unified diff of what saving writes: parks.yaml (park and source) and the observation CSV (preview's)."""
    return preview(root, source, rows, park=park, replace=replace).diff


def save(root: str | Path, source: dict, rows: list[dict], *, park: dict | None = None,
         replace: bool = False, version: str | None = None) -> list[Path]:
    """Write through write.save (editor mode only): the new park, the source entry and the CSV together, or
    nothing (a journal completes a save a crash interrupted; a full disk is a refusal with nothing written).
    `replace` must be the editor's explicit confirmation: without it an existing source or file is refused
    (write.SourceExists / write.ObservationsExist), never overwritten — unless it is exactly what this save writes
    (a retry). `version` (Preview.version, from the diff the editor confirmed): when the files changed since,
    write.StaleDiff is raised with the new diff and version attached (`.diff`, `.version`), and nothing written.
    Rows citing the source in another file refuse the save (write.SourceRowsElsewhere names the files)."""
    try:
        return write.save(root, source, rows, park=park, replace=replace, version=version)
    except write.StaleDiff as exc:
        try:
            fresh = preview(root, source, rows, park=park, replace=replace)
            exc.diff, exc.version = fresh.diff, fresh.version
        except write.WriteRefused:
            pass   # the new state refuses this save outright: the page shows the reason on its next check
        raise
