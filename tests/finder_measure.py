"""Measuring the figure finder against hand-labelled rows: the five shipped documents and the real-document corpus.

A candidate matches a labelled row when their values agree (after unit conversion; a label with no unit matches on
the value) and their quote spans overlap in the document; matching is one to one, preferring the candidate with the
same year and kind. Recall: labelled rows matched. Precision: candidates matched (every candidate counts). Agreement:
of the matched pairs, the share whose field agrees; periods agree when they cover the same months (1-3月 = Q1).

    .venv/bin/python -m tests.finder_measure [--split dev|test|all] [--hints] [--misses]
"""
from __future__ import annotations

import argparse
import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parkmetrics.finder import find_candidates, read_document
from parkmetrics.periods import parse_period
from parkmetrics.units import UNITS, convert, same_family

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "finder_corpus"
CATALOGUE = CORPUS / "catalogue"  # a root with a frozen copy of the indicator catalogue
AGREEMENT_FIELDS = ["kind", "year", "period", "basis", "comparator", "estimate", "target_level"]


def split_of(file: str) -> str:
    """dev or test, fixed by the file's name alone (so adding a document never moves another): a third is test."""
    return "test" if int(hashlib.sha1(file.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def corpus_documents(split: str = "all") -> list[dict]:
    rows = list(csv.DictReader(open(CORPUS / "documents.csv", encoding="utf-8")))
    return [r for r in rows if split == "all" or split_of(r["file"]) == split]


def corpus_labels() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "labels.csv", keep_default_na=False, dtype=str)


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    out, i = [], text.find(quote)
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def same_value(a: float, ua: str, b: float, ub: str) -> bool:
    if ub and ua != ub:
        if not same_family(ua, ub):
            return False
        a = convert(a, ua, ub)
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def _flag(x) -> bool:
    return str(x).strip().lower() in {"true", "1"}


def _months(code: str) -> tuple[int, int] | str:
    p = parse_period(code or "")
    return (p.first_month, p.last_month) if p else code


def agrees(name: str, c: pd.Series, e: pd.Series) -> bool:
    if name == "estimate":
        return bool(c["estimate"]) == _flag(e["estimate"])
    if name == "period":
        return _months(c["period"] or "") == _months(e["period"] or "")
    if name == "year":
        return str(c["year"]) == e["year"] if e["year"] else True
    if name == "target_level":
        return (c["target_level"] or "") == (e["target_level"] or "")
    if name == "comparator":
        return c["comparator"] == e["comparator"]
    return str(c[name]) == str(e[name])


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    candidates: int = 0
    agree: dict = field(default_factory=lambda: {f: 0 for f in [*AGREEMENT_FIELDS, "indicator_id"]})
    misses: list = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / max(self.expected, 1)

    @property
    def precision(self) -> float:
        return self.found / max(self.candidates, 1)

    def agreement(self, name: str) -> float:
        return self.agree[name] / max(self.found, 1)


def score_document(text: str, cand: pd.DataFrame, labels: pd.DataFrame, score: Score, name: str) -> None:
    score.expected += len(labels)
    score.candidates += len(cand)
    used: set[int] = set()
    for _, e in labels.iterrows():
        spans = _spans(text, e["quote"])
        value, unit = float(e["value"]), e["unit"]
        if unit not in UNITS and unit[:1] in "万亿" and unit[1:] in UNITS:  # 1.3万座: the finder says 13000 座
            value, unit = value * (1e4 if unit[0] == "万" else 1e8), unit[1:]
        if unit == "成":    # 近3成: the finder says 30 %
            value, unit = value * 10, "%"
        elif unit == "番":  # 翻两番: the finder says a growth of 3 倍
            value, unit = 2 ** value - 1, "倍"
        best = None
        for j, c in cand.iterrows():
            if j in used or not same_value(c["value"], c["unit"], value, unit if unit in UNITS else ""):
                continue
            if not any(c["start"] < b and a < c["end"] for a, b in spans):
                continue
            key = (agrees("year", c, e), agrees("kind", c, e), c["indicator_id"] == e.get("indicator_id", ""))
            if best is None or key > best[0]:
                best = (key, j)
        if best is None:
            score.misses.append(f"{name}: missed {e.get('indicator_text', e.get('indicator_id', ''))} "
                                f"{e['value']}{e['unit']} «{e['quote']}»")
            continue
        used.add(best[1])
        c = cand.loc[best[1]]
        score.found += 1
        for f in AGREEMENT_FIELDS:
            ok = agrees(f, c, e)
            score.agree[f] += ok
            if not ok:
                score.misses.append(f"{name}: {f} {c[f]!s} ≠ {e[f]} for {c['value']:g}{c['unit']} «{c['quote']}»")
        score.agree["indicator_id"] += c["indicator_id"] == e.get("indicator_id", "")
    for j, c in cand.iterrows():
        if j not in used:
            score.misses.append(f"{name}: extra {c['indicator_id'] or '?'} {c['value']:g}{c['unit']} «{c['quote']}»")


def measure_corpus(indicators: dict, *, split: str, hints: bool) -> dict[str, Score]:
    """Scores per genre on the corpus's `split`; with hints the finder gets the type and year an editor enters."""
    labels = corpus_labels()
    scores: dict[str, Score] = {}
    for doc in corpus_documents(split):
        text = read_document(CORPUS / "docs" / doc["file"])
        kw = {"doc_type": doc["type"], "year": int(doc["year"])} if hints else {}
        cand = find_candidates(text, indicators, **kw)
        score_document(text, cand, labels[labels["file"] == doc["file"]], scores.setdefault(doc["genre"], Score()),
                       doc["file"])
    return scores


def report(scores: dict[str, Score], title: str) -> str:
    lines = [title, f"  {'genre':<12} {'labels':>6} {'cands':>6} {'recall':>7} {'precis':>7}  "
             + " ".join(f"{f[:6]:>6}" for f in AGREEMENT_FIELDS)]
    total = Score()
    for genre, s in sorted(scores.items()):
        lines.append(_line(genre, s))
        total.expected += s.expected
        total.found += s.found
        total.candidates += s.candidates
        for f in total.agree:
            total.agree[f] += s.agree[f]
    lines.append(_line("all", total))
    return "\n".join(lines)


def _line(name: str, s: Score) -> str:
    return (f"  {name:<12} {s.expected:>6} {s.candidates:>6} {s.recall:>7.2f} {s.precision:>7.2f}  "
            + " ".join(f"{s.agreement(f):>6.2f}" for f in AGREEMENT_FIELDS))


def main() -> None:
    from parkmetrics.loader import load_dataset

    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    parser.add_argument("--hints", action="store_true")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--genre")
    args = parser.parse_args()
    indicators = load_dataset(CATALOGUE).indicators
    scores = measure_corpus(indicators, split=args.split, hints=args.hints)
    print(report(scores, f"corpus {args.split}, {'with' if args.hints else 'without'} hints"))
    if args.misses:
        for genre, s in scores.items():
            if args.genre and genre != args.genre:
                continue
            print(f"\n## {genre}")
            print("\n".join(s.misses))


if __name__ == "__main__":
    main()
