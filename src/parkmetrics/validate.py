"""Bulk validation of observation rows: one table of text cells for many files, every rule a set-based step.

The rules on one cell live in cells.py; tests/reference/loader_rowwise.py applies them row by row, as the oracle this
module must agree with exactly (tests/test_bulk.py compares the two on the fixtures, the corpus and generated rows):

- a rule on one cell (an id, a choice, a year, a flag, a unit…) runs once per *distinct* cell value, with the very
  scalar parser of cells.py, and its verdict is spread back to the rows by dictionary codes;
- a rule on several cells (basis and unit against the indicator, scope against the source…) runs once per
  distinct combination;
- the figure and unit in the quote (`figure_in_quote`, `unit_agrees_with_quote`) are computed on Arrow arrays: the
  quotes are squashed (NFKC, no white space), split into number tokens, and the tokens compared with the value's
  rounded forms at every scale in numpy. Rows the token rule cannot decide exactly as the scalar rule does (a
  zero value, a digit of another script, a thousands separator in the quote) go through the scalar functions.

`Problem` objects are built only for failing rows, in the order the reference reports them. The loader (a data
root's files) and the writer (an import's new rows, before they are written) both validate through `validate_cells`.
"""
from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import cells as cell_rules  # the rules on one cell, run here once per distinct value
from .model import BASIS_UNIT, COMPARATOR_ALIASES, Basis, Comparator, Kind, Scope, TargetLevel
from .periods import PERIOD_HELP, parse_period
from .problems import Problem
from .units import UNITS, UnitMismatch, convert

# Python's white space (str.isspace, which `re`'s \s and str.strip use), spelled for RE2 (whose \s is ASCII only).
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                 "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_WS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in PY_WHITESPACE) + "]"
# Characters NFKC never changes and never composes: ASCII, the CJK Unified Ideographs and common CJK punctuation.
# A quote of these only is already normalised; others go through Arrow's NFKC (utf8proc).
_NFKC_STABLE = r"^[\x{0}-\x{7f}\x{4e00}-\x{9fff}\x{3001}\x{3002}\x{300a}-\x{3011}\x{2018}-\x{201d}]*$"
_SCALES = (1, 1e-4, 1e-8, 1e4, 1e8, 100, 0.01)  # the order figure_in_quote tries them in
_CN = {}
for _ch, _v in cell_rules.CN_DIGITS.items():
    _CN.setdefault(_v, []).append(_ch)


# --- helpers ------------------------------------------------------------------------------------------------

def distinct(arr: pa.Array) -> tuple[np.ndarray, list]:
    """Dictionary codes (one per row) and the distinct values, in first-seen order."""
    enc = pc.dictionary_encode(arr)
    return np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64), enc.dictionary.to_pylist()


def spread(values: list, codes: np.ndarray, type_=pa.string()) -> pa.Array:
    """The per-distinct `values` laid out per row."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(values, type_)).dictionary_decode()


def _bools(arr) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


def combos(*codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct combinations of several code columns: (inverse per row, one row index per combination)."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    for c in codes:
        key = key * (int(c.max(initial=0)) + 2) + (c + 1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.ravel(), first


def _template(code: str, **kw) -> Problem:
    return Problem.of(code, "", None, **kw)


def _collect(fn, uniques: list) -> tuple[list, list[list[Problem]]]:
    """Run a scalar parser once per distinct value: (parsed, problems with no location) per value."""
    parsed, found = [], []
    for u in uniques:
        p: list[Problem] = []
        parsed.append(fn(u, p))
        found.append(p)
    return parsed, found


# --- the figure and the unit in the quote, set-wise ----------------------------------------------------------

def squash(quotes: pa.Array) -> pa.Array:
    """`cells.squash_quote` without removing thousands separators (rows that have one are left to the scalar rule):
    NFKC (Arrow's utf8proc, only for quotes with a character outside the ranges NFKC leaves alone), then no
    white space as Python's `\\s` defines it, except between two digits (a table row's cells), which becomes |."""
    unstable = ~_bools(pc.match_substring_regex(quotes, _NFKC_STABLE))
    if unstable.any():
        normalised = pc.utf8_normalize(quotes.filter(pa.array(unstable)), form="NFKC")
        quotes = pc.replace_with_mask(quotes, pa.array(unstable), normalised)
    for _ in range(2):  # table cells (405.97 1.8) stay apart; twice, as RE2 matches never overlap (1 2 3)
        quotes = pc.replace_substring_regex(quotes, pattern=r"(\d)" + _WS + r"+(\d)", replacement=r"\1|\2")
    return pc.replace_substring_regex(quotes, pattern=_WS + "+", replacement="")


def _fixed(x: np.ndarray, d: int) -> np.ndarray:
    """float(f"{x:.{d}f}") for 0 < x < 1e9, exactly: the binary value rounded half-even at d decimals."""
    m, e = np.frexp(x)
    mant = (m * 2.0 ** 53).astype(np.int64)             # x = mant · 2^(e − 53), exactly
    shift = (53 - e).astype(np.int64)                   # ≥ 23 since x < 2^30
    n = mant.astype(np.uint64) * np.uint64(10 ** d)     # < 2^63
    big = shift >= 64
    s = np.where(big, 0, shift).astype(np.uint64)
    q = np.where(big, 0, n >> s)
    rem = np.where(big, n, n - (q << s))
    half_shift = np.where(big, 0, np.maximum(shift - 1, 0)).astype(np.uint64)
    half = np.uint64(1) << half_shift
    up = np.where(big, False, (rem > half) | ((rem == half) & (q % 2 == 1)))
    return (q + up.astype(np.uint64)).astype(np.float64) / 10.0 ** d


def rounded_forms(value: np.ndarray, scale: float) -> np.ndarray:
    """The figure as figure_in_quote writes it at `scale` (the fewest decimals, ≤ 3, that give it back), as a
    number; NaN where that scale gives nothing."""
    x = np.abs(value) * scale
    out = np.full(len(x), np.nan)
    todo = (x > 0) & (x < 1e9)
    for d in range(4):
        if not todo.any():
            break
        xs = x[todo]
        f = _fixed(xs, d)
        ok = np.abs(f - xs) < 1e-9 * np.maximum(1.0, xs)
        idx = np.flatnonzero(todo)
        out[idx[ok]] = f[ok]
        todo[idx[ok]] = False
    return out


_UNIT_BYTES = sorted(((u, u.encode("utf-8")) for u in UNITS), key=lambda x: len(x[0]), reverse=True)
_MORE = ("余".encode("utf-8"), "多".encode("utf-8"))
_MAX_DIGITS = 15  # a token longer than this (or an int and fraction together) is left to the scalar rule


def _tokens(q: pa.Array):
    """Number tokens of squashed quotes, as `(?<![\\d.])\\d+(?:\\.\\d+)?` reads them, and the unit `_UNIT_AFTER`
    reads right after each: one numpy pass over the quotes' UTF-8 bytes. Returns token arrays and the rows whose
    tokens are too long to be read exactly here."""
    if isinstance(q, pa.ChunkedArray):
        q = q.combine_chunks()
    if pa.types.is_large_string(q.type):
        q = q.cast(pa.string())
    nrows = len(q)
    bufs = q.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int32)[q.offset: q.offset + nrows + 1].astype(np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    buf = data[offsets[0]: offsets[-1]]
    offs = offsets - offsets[0]
    n = len(buf)
    pad = np.concatenate([buf, np.zeros(24, dtype=np.uint8)])  # reads past the end see NUL (never a digit)
    isdig = (buf >= 48) & (buf <= 57)
    isnum = isdig | (buf == 46)
    first = np.zeros(n + 1, dtype=bool)
    first[offs[:-1]] = True
    prev_num = np.zeros(n, dtype=bool)
    prev_num[1:] = isnum[:-1]
    prev_num &= ~first[:n]
    start = np.flatnonzero(isdig & ~prev_num)
    row = np.searchsorted(offs, start, side="right") - 1
    end = offs[row + 1]
    isdig_pad = np.concatenate([isdig, np.zeros(_MAX_DIGITS + 2, dtype=bool)])

    def run_end(begin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """End of the digit run from `begin` (within the string), and whether it is longer than we read."""
        stop = begin.copy()
        live = np.ones(len(begin), dtype=bool)
        for _ in range(_MAX_DIGITS + 1):
            live &= isdig_pad[stop] & (stop < end)
            if not live.any():
                break
            stop = stop + live
        return stop, live
    a_end, long_a = run_end(start)
    nxt = a_end + 1
    has_f = (nxt < end) & (pad[a_end] == 46) & isdig_pad[np.minimum(nxt, n)]
    f_stop, long_f = run_end(np.where(has_f, nxt, a_end))
    f_end = np.where(has_f, f_stop, a_end)
    alen, flen = a_end - start, f_end - a_end  # flen counts the point
    fd = np.maximum(flen - 1, 0)
    long_ = long_a | (has_f & long_f) | (alen > _MAX_DIGITS) | (alen + fd > _MAX_DIGITS)
    ival = np.zeros(len(start), dtype=np.int64)
    for k in range(int(min(alen.max(initial=0), _MAX_DIGITS))):
        live = alen > k
        ival = np.where(live, ival * 10 + (pad[start + k].astype(np.int64) - 48), ival)
    fval = np.zeros(len(start), dtype=np.int64)
    for k in range(int(min(fd.max(initial=0), _MAX_DIGITS))):
        live = fd > k
        fval = np.where(live, fval * 10 + (pad[a_end + 1 + k].astype(np.int64) - 48), fval)
    a_val = ival.astype(np.float64)
    scale = 10.0 ** fd
    t_val = np.where(fd > 0, (ival * (10 ** np.minimum(fd, 18)).astype(np.int64) + fval).astype(np.float64) / scale,
                     a_val)
    a_canon = (pad[start] != 48) | (alen == 1)
    b_canon = a_canon & has_f & (flen >= 2) & (flen <= 4) & (pad[np.maximum(f_end - 1, 0)] != 48)
    # the unit written right after a token that is a whole [0-9.] run (余/多 may stand between)
    whole = (f_end >= end) | (pad[f_end] != 46)  # not followed by a point: the token is the whole [0-9.] run
    u0 = f_end[whole]
    uend = end[whole]
    u1 = u0.copy()
    for more in _MORE:
        hit = (u0 + 3 <= uend) & (pad[u0] == more[0]) & (pad[u0 + 1] == more[1]) & (pad[u0 + 2] == more[2])
        u1[hit] = u0[hit] + 3
    unit = np.full(len(u1), -1, dtype=np.int64)
    head = pad[u1].astype(np.int64)
    for k, (_, ub) in enumerate(_UNIT_BYTES):
        cand = np.flatnonzero((unit < 0) & (head == ub[0]) & (u1 + len(ub) <= uend))
        for j in range(1, len(ub)):
            if not len(cand):
                break
            cand = cand[pad[u1[cand] + j] == ub[j]]
        unit[cand] = k
    bad_rows = np.unique(row[long_])
    pair = unit >= 0
    return {"row": row, "a_canon": a_canon & ~long_, "a_val": a_val, "b": b_canon & ~long_, "t_val": t_val,
            "pair_row": row[whole][pair], "pair_val": t_val[whole][pair],
            "pair_unit": unit[pair], "long_rows": bad_rows}  # pair_unit indexes _UNIT_BYTES


QUOTE_CHUNK_ROWS = 50_000  # rows per piece of quote_checks (the loader validates ~150,000 rows a batch)


def quote_checks(values: np.ndarray, units: pa.Array, quotes: pa.Array,
                 chunk_rows: int = QUOTE_CHUNK_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """figure_in_quote(value, quote) and unit_agrees_with_quote(value, unit, quote) for every row at once
    (values finite, units normalised): two boolean arrays. Pieces of `chunk_rows` rows run on a thread per core
    (numpy and Arrow let go of the GIL): a loader's batch of 150,000 rows 0.55 → 0.37 s on two cores, and the
    working memory is a piece's, not the whole batch's."""
    n = len(values)
    if n <= chunk_rows:
        return _quote_checks(values, units, quotes)
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        parts = list(pool.map(lambda a: _quote_checks(values[a:a + chunk_rows], units.slice(a, chunk_rows),
                                                      quotes.slice(a, chunk_rows)), range(0, n, chunk_rows)))
    return np.concatenate([f for f, _ in parts]), np.concatenate([a for _, a in parts])


def _quote_checks(values: np.ndarray, units: pa.Array, quotes: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    n = len(values)
    found = np.zeros(n, dtype=bool)
    agrees = np.ones(n, dtype=bool)
    if n == 0:
        return found, agrees
    q = squash(quotes)
    exotic = np.asarray(pc.match_substring_regex(q, r"[^\P{Nd}0-9]|[0-9],[0-9]{3}").to_numpy(zero_copy_only=False),
                        dtype=bool) | (values == 0)
    tok = _tokens(q)
    exotic[tok["long_rows"]] = True
    absval = np.abs(values)
    # figure: a canonical token equal to the value's rounded form at some scale
    cand_row = np.concatenate([tok["row"][tok["a_canon"]], tok["row"][tok["b"]]])
    cand_val = np.concatenate([tok["a_val"][tok["a_canon"]], tok["t_val"][tok["b"]]])
    for scale in _SCALES:
        form = rounded_forms(values, scale)
        hit = cand_val == form[cand_row]
        found[cand_row[hit]] = True
    for k, chars in _CN.items():
        rows = np.flatnonzero(~found & (absval == k))
        if len(rows):
            has = pc.match_substring_regex(q.take(pa.array(rows)), "[" + "".join(chars) + "]")
            found[rows[np.asarray(has.to_numpy(zero_copy_only=False), dtype=bool)]] = True
    neg = np.flatnonzero(values < 0)
    if len(neg):
        fall = pc.match_substring_regex(q.take(pa.array(neg)), cell_rules.DECREASE.pattern)
        found[neg[~np.asarray(fall.to_numpy(zero_copy_only=False), dtype=bool)]] = False
    # unit: (number, unit) pairs written in the quote against the row's unit
    prow, pval, punit = tok["pair_row"], tok["pair_val"], tok["pair_unit"]
    names = [u for u, _ in _UNIT_BYTES]
    fam = {f: i for i, f in enumerate(sorted({f for f, _ in UNITS.values()}))}
    u_fam = np.array([fam[UNITS[u][0]] for u in names], dtype=np.int64)
    u_fac = np.array([UNITS[u][1] for u in names])
    where = {u: i for i, u in enumerate(names)}
    rcodes, runits = distinct(units)
    r_idx = np.array([where.get(u, -1) for u in runits] + [-1], dtype=np.int64)[rcodes][prow]
    same_unit = punit == r_idx
    p_fam, p_fac = u_fam[punit], u_fac[punit]
    r_fam = np.where(r_idx >= 0, u_fam[np.maximum(r_idx, 0)], -2)
    r_fac = np.where(r_idx >= 0, u_fac[np.maximum(r_idx, 0)], 1.0)
    target = absval[prow]
    with np.errstate(all="ignore"):
        conv = np.where(same_unit, pval, pval * p_fac / r_fac)
    diff = np.abs(target - conv)
    close = (conv == target) | (diff <= np.abs(1e-9 * target)) | (diff <= np.abs(1e-9 * conv))
    agree_pair = (p_fam == r_fam) & close
    conflict_pair = (pval == target) & ~same_unit
    agree_row = np.zeros(n, dtype=bool)
    agree_row[prow[agree_pair]] = True
    conflict_row = np.zeros(n, dtype=bool)
    conflict_row[prow[conflict_pair]] = True
    agrees = agree_row | ~conflict_row
    for i in np.flatnonzero(exotic):  # decided by the scalar rules themselves
        quote = quotes[int(i)].as_py()
        found[i] = cell_rules.figure_in_quote(float(values[i]), quote)
        agrees[i] = cell_rules.unit_agrees_with_quote(float(values[i]), units[int(i)].as_py(), quote)
    return found, agrees


# --- the rules -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """One rule on an observation row: the cells it reads, the problem codes it can report (their severity and
    what an error blocks are the codes' own: problems.CODES), and what it checks. RULES is in report order: a row's
    problems are listed in the order of the rules that found them."""
    name: str
    fields: tuple[str, ...]
    codes: tuple[str, ...]
    checks: str


_NUMBER_CODES = ("fullwidth-normalised", "thousands-separator", "not-a-number")
RULES = (
    Rule("park", ("park_id",), ("unknown-park",), "the park is one of parks.yaml"),
    Rule("scope", ("scope",), ("invalid-choice",), "park or district"),
    Rule("indicator", ("indicator_id",), ("unknown-indicator",), "the indicator is one of the catalogue"),
    Rule("year", ("year",), (*_NUMBER_CODES, "year-out-of-range"), "a whole year from 2000 to 2050"),
    Rule("period", ("period",), ("invalid-period",), "empty (the full year), H1, Q1…Q4, M3 or M1-M9"),
    Rule("baseline_year", ("baseline_year",), (*_NUMBER_CODES, "year-out-of-range"), "empty or a year"),
    Rule("baseline_first", ("baseline_year", "year"), ("year-out-of-range",), "the baseline year comes first"),
    Rule("kind", ("kind",), ("invalid-choice",), "target or actual"),
    Rule("target_level", ("kind", "target_level"), ("target-level-mismatch",),
         "a target is base or stretch; an actual has none"),
    Rule("value", ("value",), _NUMBER_CODES, "a number"),
    Rule("unit", ("unit",), ("fullwidth-normalised",), "half-width"),
    Rule("comparator", ("comparator",), ("fullwidth-normalised", "invalid-choice"), "= ≥ > ≤ < ≈ (or 以上, 约 …)"),
    Rule("basis", ("basis",), ("invalid-choice",), "one of the bases"),
    Rule("basis_and_unit", ("indicator_id", "basis", "unit"), ("basis-not-allowed", "unit-not-allowed"),
         "the indicator allows the basis, and the unit the basis takes"),
    Rule("sign", ("value", "basis"), ("negative-value",), "a level, count, rank or share is not negative"),
    Rule("estimate", ("estimate",), ("invalid-choice",), "true or false"),
    Rule("approximate", ("approximate",), ("invalid-choice",), "true or false"),
    Rule("source", ("source",), ("missing-source", "unknown-source"), "a source of parks.yaml"),
    Rule("quote", ("quote",), ("missing-quote",), "the sentence the figure was read from"),
    Rule("figure_in_quote", ("value", "quote"), ("figure-not-in-quote",), "the figure is written in its quote"),
    Rule("unit_in_quote", ("value", "unit", "quote"), ("unit-disagrees-with-quote",),
         "the quote does not write the figure with another unit"),
    Rule("scope_of_source", ("scope", "source"), ("scope-mismatch",), "the row's scope is its source's"),
    Rule("unit_conversion", ("indicator_id", "unit"), ("unit-not-allowed",), "the unit converts to the indicator's"),
)
RANK = {r.name: i for i, r in enumerate(RULES)}


@dataclass
class Result:
    clean: pa.Table                     # rows without errors (duplicates not yet looked for), in input order
    clean_rows: np.ndarray              # their positions in the input
    problems: list[tuple[int, int, int, Problem]]  # (row, order) sorted; row indexes the input
    error_codes: dict[int, str]         # input row → its error codes, for the quarantine


class _Found:
    def __init__(self, n: int):
        self.rows: list[np.ndarray] = []
        self.orders: list[np.ndarray] = []
        self.items: list[list[Problem]] = []
        self.error = np.zeros(n, dtype=bool)

    def add(self, rule: str, rows: np.ndarray, problems: list[Problem], k: int = 0) -> None:
        """One problem per row (a template Problem with no location), found by `rule` (its k-th of a row)."""
        if len(rows) == 0:
            return
        self.rows.append(np.asarray(rows, dtype=np.int64))
        self.orders.append(np.full(len(rows), RANK[rule] * 10 + k, dtype=np.int64))
        self.items.append(problems)
        errs = np.fromiter((p.is_error for p in problems), dtype=bool, count=len(problems))
        self.error[np.asarray(rows)[errs]] = True

    def add_templates(self, rule: str, codes: np.ndarray, templates: list[list[Problem]],
                      rows_of: np.ndarray | None = None) -> None:
        """The problems each distinct value carries, for every row with that value. `codes` may cover a subset
        of the rows: `rows_of` maps its positions to rows."""
        count = np.array([len(t) for t in templates] + [0])[codes]
        pos = np.flatnonzero(count)
        if len(pos) == 0:
            return
        for k in range(int(count[pos].max())):
            sel = pos[count[pos] > k]
            rows = sel if rows_of is None else rows_of[sel]
            self.add(rule, rows, [templates[c][k] for c in codes[sel]], k)


def _strip_or_none(u: str | None) -> str | None:
    return (u or "").strip() or None


def validate_cells(cells: dict[str, pa.Array], ds) -> Result:
    """Validate rows given as text cells (every column of OBSERVATION_COLUMNS; "" where a file lacks it)."""
    n = len(cells["park_id"])
    found = _Found(n)

    def col(name, fn, rule):
        codes, uniq = distinct(cells[name])
        parsed, tmpl = _collect(fn, uniq)
        found.add_templates(rule, codes, tmpl)
        return codes, uniq, parsed

    def known(known_ids, section: str, code: str, field: str):
        """A reference to a park or an indicator: unknown → its code, naming the blocked record if it is one."""
        def check(u, p):
            s = u.strip()
            if s not in known_ids:
                p.append(_template(code, field=field, value=s, detail=ds.unknown(section, s)))
            return s
        return check

    # park, scope, indicator
    park_c, _, park_v = col("park_id", known(ds.parks, "parks", "unknown-park", "park_id"), "park")
    scope_c, _, scope_v = col("scope", lambda u, p: cell_rules.parse_choice(u, Scope, "", 0, "scope", p), "scope")
    ind_c, _, ind_v = col("indicator_id", known(ds.indicators, "indicators", "unknown-indicator", "indicator_id"), "indicator")
    year_c, _, year_v = col("year", lambda u, p: cell_rules.parse_year(u, "", 0, "year", p), "year")

    def period(u, p):
        got = parse_period(u)
        if got is None:
            p.append(_template("invalid-period", field="period", value=u, detail=f"allowed: {PERIOD_HELP}"))
            return None
        return got.code
    period_c, _, period_v = col("period", period, "period")
    base_c, base_u, base_v = col("baseline_year", lambda u, p: cell_rules.parse_year(u, "", 0, "baseline_year", p)
                                 if u.strip() else None, "baseline_year")
    y = np.array([np.nan if v is None else v for v in year_v] + [np.nan])[year_c]
    b = np.array([np.nan if v is None else v for v in base_v] + [np.nan])[base_c]
    after = np.flatnonzero(b >= y)  # NaN compares False
    if len(after):
        tmpl = [_template("year-out-of-range", field="baseline_year", value=u,
                          detail="the baseline year must come before the year") for u in base_u]
        found.add("baseline_first", after, [tmpl[c] for c in base_c[after]])
    kind_c, _, kind_v = col("kind", lambda u, p: cell_rules.parse_choice(u, Kind, "", 0, "kind", p), "kind")
    tl_c, tl_u = distinct(cells["target_level"])
    tl_v = [_strip_or_none(u) for u in tl_u]
    levels = {t.value for t in TargetLevel}
    inv, first = combos(kind_c, tl_c)
    tmpl = []
    for r in first:
        kind, tl = kind_v[kind_c[r]], tl_v[tl_c[r]]
        t = []
        if kind == Kind.target and tl not in levels:
            t.append(_template("target-level-mismatch", field="target_level", value=tl or ""))
        if kind == Kind.actual and tl is not None:
            t.append(_template("target-level-mismatch", field="target_level", value=tl))
        tmpl.append(t)
    found.add_templates("target_level", inv, tmpl)

    # the value: plain decimals are cast by Arrow (the same correctly rounded result as float()); anything else
    # (full-width digits, separators, signs, junk) goes through parse_number once per distinct text
    raw_value = cells["value"]
    plain = np.asarray(pc.match_substring_regex(raw_value, r"^-?[0-9]+(\.[0-9]+)?$").to_numpy(zero_copy_only=False),
                       dtype=bool)
    value = np.full(n, np.nan)
    pidx = np.flatnonzero(plain)
    if len(pidx):
        value[pidx] = pc.cast(raw_value.take(pa.array(pidx)), pa.float64()).to_numpy(zero_copy_only=False)
    oidx = np.flatnonzero(~plain)
    if len(oidx):
        other = raw_value.take(pa.array(oidx))
        oc, ou = distinct(other)
        ov, otmpl = _collect(lambda u, p: cell_rules.parse_number(u, "", 0, "value", p), ou)
        found.add_templates("value", oc, otmpl, rows_of=oidx)
        value[oidx] = np.array([np.nan if v is None else v for v in ov] + [np.nan])[oc]
    has_value = ~np.isnan(value)

    unit_c, _, unit_v = col("unit", lambda u, p: cell_rules.normalise(u, "", 0, "unit", p), "unit")

    def comparator(u, p):
        c = cell_rules.normalise(u, "", 0, "comparator", p)
        return cell_rules.parse_choice(COMPARATOR_ALIASES.get(c, c) or "=", Comparator, "", 0, "comparator", p)
    cmp_c, _, cmp_v = col("comparator", comparator, "comparator")
    basis_c, _, basis_v = col("basis", lambda u, p: cell_rules.parse_choice(u, Basis, "", 0, "basis", p), "basis")

    # basis and unit against the indicator: once per distinct (indicator, basis, unit)
    inv, first = combos(ind_c, basis_c, unit_c)
    tmpl = []
    for r in first:
        ind_id, basis, unit = ind_v[ind_c[r]], basis_v[basis_c[r]], unit_v[unit_c[r]]
        indicator_ = ds.indicators.get(ind_id)
        t = []
        if indicator_ is not None and basis is not None:
            if basis not in indicator_.bases:
                t.append(_template("basis-not-allowed", field="basis", value=basis,
                                   detail=f"{ind_id} allows: {', '.join(indicator_.bases)}"))
            expected = BASIS_UNIT[Basis(basis)]
            allowed = [expected] if expected else indicator_.allowed_units()
            if unit not in allowed:
                t.append(_template("unit-not-allowed", field="unit", value=unit,
                                   detail=f"expected: {', '.join(allowed)}"))
        tmpl.append(t)
    found.add_templates("basis_and_unit", inv, tmpl)
    unit_error = np.array([any(p.code == "unit-not-allowed" for p in t) for t in tmpl] + [False])[inv]

    nonneg = np.array([b_ in cell_rules.NONNEGATIVE_BASES for b_ in basis_v] + [False])[basis_c]
    neg = np.flatnonzero(has_value & nonneg & np.signbit(value))
    if len(neg):
        raws = raw_value.take(pa.array(neg)).to_pylist()
        found.add("sign", neg, [_template("negative-value", field="value", value=r_,
                                       detail=f"basis {basis_v[basis_c[i]]} takes a positive value")
                             for i, r_ in zip(neg, raws)])
    est_c, _, est_v = col("estimate", lambda u, p: cell_rules.parse_flag(u, "", 0, "estimate", p), "estimate")
    apx_c, _, apx_v = col("approximate", lambda u, p: cell_rules.parse_flag(u, "", 0, "approximate", p), "approximate")

    def source(u, p):
        s = u.strip()
        if not s:
            p.append(_template("missing-source", field="source"))
        elif s not in ds.sources:
            p.append(_template("unknown-source", field="source", value=s, detail=ds.unknown("sources", s)))
        return s
    src_c, _, src_v = col("source", source, "source")

    quotes = cells["quote"]
    blank = np.asarray(pc.match_substring_regex(quotes, f"^{_WS}*$").to_numpy(zero_copy_only=False), dtype=bool)
    found.add("quote", np.flatnonzero(blank), [_template("missing-quote", field="quote")] * int(blank.sum()))
    check = np.flatnonzero(~blank & has_value)
    units_norm = spread(unit_v, unit_c)
    fig, agr = quote_checks(value[check], units_norm.take(pa.array(check)), quotes.take(pa.array(check)))
    not_found = check[~fig]
    if len(not_found):
        raws = raw_value.take(pa.array(not_found)).to_pylist()
        found.add("figure_in_quote", not_found, [_template("figure-not-in-quote", field="value", value=r_) for r_ in raws])
    in_units = np.array([u in UNITS for u in unit_v] + [False])[unit_c]
    disagree = check[fig & ~agr & in_units[check] & ~unit_error[check]]
    if len(disagree):
        found.add("unit_in_quote", disagree, [_template("unit-disagrees-with-quote", field="unit", value=unit_v[unit_c[i]],
                                            detail=f"the quote writes {value[i]:g} with another unit")
                                  for i in disagree])
    inv, first = combos(src_c, scope_c)
    tmpl = []
    for r in first:
        src = ds.sources.get(src_v[src_c[r]])
        scope = scope_v[scope_c[r]]
        tmpl.append([_template("scope-mismatch", field="scope", value=scope,
                               detail=f"{src_v[src_c[r]]} is {src.scope} scope")]
                    if src is not None and scope is not None and src.scope != scope else [])
    found.add_templates("scope_of_source", inv, tmpl)

    # the clean rows, normalised to the indicator's canonical unit
    clean_rows = np.flatnonzero(~found.error)
    inv, first = combos(ind_c, basis_c, unit_c)
    factor, unit_std, guard = [], [], []
    for r in first:
        ind_id, basis, unit = ind_v[ind_c[r]], basis_v[basis_c[r]], unit_v[unit_c[r]]
        indicator_ = ds.indicators.get(ind_id)
        if indicator_ is None or basis is None or BASIS_UNIT[Basis(basis)] is not None or unit == indicator_.unit:
            factor.append(None)
            unit_std.append(unit)
            guard.append(None)
            continue
        try:
            convert(1.0, unit, indicator_.unit)
            factor.append((UNITS[unit][1], UNITS[indicator_.unit][1]))
            guard.append(None)
        except UnitMismatch as exc:  # the catalogue refuses mixed families; this guards the arithmetic anyway
            factor.append(None)
            guard.append(_template("unit-not-allowed", field="unit", value=unit, detail=str(exc)))
        unit_std.append(indicator_.unit)
    guarded = np.array([g is not None for g in guard] + [False])[inv]
    bad = clean_rows[guarded[clean_rows]]
    if len(bad):
        found.add("unit_conversion", bad, [guard[inv[i]] for i in bad])
        clean_rows = np.flatnonzero(~found.error)
    fa = np.array([f[0] if f else 1.0 for f in factor] + [1.0])[inv]
    fb = np.array([f[1] if f else 1.0 for f in factor] + [1.0])[inv]
    conv = np.array([f is not None for f in factor] + [False])[inv]
    value_std = np.where(conv, value * fa / fb, value)

    take = pa.array(clean_rows)

    def per_row(values, codes, type_=pa.string()):
        return spread(values, codes[clean_rows], type_)
    strip_ws = f"^{_WS}+|{_WS}+$"
    note_c, note_u = distinct(cells["note"])
    clean = pa.table({
        "park_id": per_row(park_v, park_c), "scope": per_row(scope_v, scope_c),
        "indicator_id": per_row(ind_v, ind_c), "year": per_row(year_v, year_c, pa.int64()),
        "period": per_row(period_v, period_c), "baseline_year": per_row(base_v, base_c, pa.int64()),
        "kind": per_row(kind_v, kind_c), "target_level": per_row(tl_v, tl_c),
        "value": pa.array(value[clean_rows]), "unit": per_row(unit_v, unit_c),
        "comparator": per_row(cmp_v, cmp_c), "basis": per_row(basis_v, basis_c),
        "estimate": per_row([bool(v) for v in est_v], est_c, pa.bool_()),
        "approximate": per_row([bool(v) for v in apx_v], apx_c, pa.bool_()),
        "source": per_row(src_v, src_c),
        "quote": pc.replace_substring_regex(quotes.take(take), pattern=strip_ws, replacement=""),
        "note": per_row([_strip_or_none(u) for u in note_u], note_c),
        "value_std": pa.array(value_std[clean_rows]),
        "unit_std": spread(unit_std, inv[clean_rows]),
    })
    # problems by row, then in the order of RULES (the oracle's order too)
    if found.rows:
        rows = np.concatenate(found.rows)
        orders = np.concatenate(found.orders)
        items = [p for part in found.items for p in part]
        perm = np.lexsort((orders, rows))
        problems = [(int(rows[i]), int(orders[i]), items[i]) for i in perm]
    else:
        problems = []
    error_codes: dict[int, set] = {}
    for r_, _, p in problems:
        if p.is_error:
            error_codes.setdefault(r_, set()).add(p.code)
    return Result(clean=clean, clean_rows=clean_rows, problems=problems,
                  error_codes={r_: " ".join(sorted(c)) for r_, c in error_codes.items()})


def locate(p: Problem, file: str, line: int) -> Problem:
    return dataclasses.replace(p, file=file, line=line)


__all__ = ["RULES", "Rule", "validate_cells", "quote_checks", "squash", "rounded_forms", "locate", "PY_WHITESPACE"]
