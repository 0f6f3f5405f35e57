"""A synthetic data root in the project's own format, for national-scale benchmarks and tests.

`python -m parkmetrics synth OUT --parks N --indicators K --years Y [--bad-rows FRACTION] [--seed S]` writes
parks.yaml (parks with provinces, levels, kinds, areas; a plan and a summary source per park), the indicator
catalogue and one observation CSV per park: for every indicator and year a target and an actual whose quotes hold
their figures, levels and growth rates. With --bad-rows, that share of rows is broken in known ways, and
`expected_problems.csv` lists every (file, line, code) that `validate` must report — no more, no fewer.
Deterministic for a given seed.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

from .model import OBSERVATION_COLUMNS

PROVINCES = ["四川省", "湖南省", "重庆市", "湖北省", "江苏省", "浙江省", "广东省", "河南省", "山东省", "安徽省",
             "江西省", "贵州省", "云南省", "陕西省", "河北省", "福建省"]
LEVELS = ["国家级", "省级", "市级"]
KINDS = ["高新区", "开发区", "工业园区"]
CATEGORIES = ["output", "investment", "fiscal", "enterprises", "projects", "attraction", "innovation"]
FIRST_YEAR = 2014

# Broken rows: (code validate must report, how the row is changed). Each touches one cell, so each row gets
# exactly one error.
DEFECTS = [
    ("not-a-number", lambda r: r | {"value": "约" + r["value"]}),
    ("unknown-indicator", lambda r: r | {"indicator_id": r["indicator_id"] + "_x"}),
    ("year-out-of-range", lambda r: r | {"year": "1890"}),
    ("missing-quote", lambda r: r | {"quote": ""}),
    ("invalid-choice", lambda r: r | {"kind": "plan"}),
    ("unknown-source", lambda r: r | {"source": r["source"] + "_x"}),
]


def _indicator(k: int) -> dict:
    money = k % 4 != 3  # three in four are money flows (亿元), the rest counts (家)
    return {"id": f"ind_{k:03d}", "name_zh": f"合成指标{k:03d}", "name_en": f"Synthetic indicator {k:03d}",
            "unit": "亿元" if money else "家", "units": ["万元"] if money else [],
            "bases": ["level", "growth_pct"] if money else ["level"],
            "category": CATEGORIES[k % len(CATEGORIES)], "description_zh": "合成数据，仅供性能测试。"}


def _yaml_list(items: list) -> str:
    return "[" + ", ".join(str(i) for i in items) + "]"


def write_root(out: Path, parks: int, indicators: int, years: int, bad_rows: float = 0.0, seed: int = 0) -> dict:
    """Write the data root; returns counts: rows, bad rows, files."""
    rng = random.Random(seed)
    out = Path(out)
    (out / "data" / "observations").mkdir(parents=True, exist_ok=True)
    catalogue = [_indicator(k) for k in range(indicators)]
    with open(out / "data" / "indicators.yaml", "w", encoding="utf-8") as f:
        f.write("indicators:\n")
        for ind in catalogue:
            f.write(f"  - id: {ind['id']}\n    name_zh: {ind['name_zh']}\n    name_en: {ind['name_en']}\n"
                    f"    unit: {ind['unit']}\n    units: {_yaml_list(ind['units'])}\n"
                    f"    bases: {_yaml_list(ind['bases'])}\n    category: {ind['category']}\n"
                    f"    description_zh: {ind['description_zh']}\n")
    park_lines, source_lines = ["parks:"], ["sources:"]
    expected: list[tuple[str, int, str]] = []
    rows_total = 0
    for p in range(parks):
        pid = f"p{p:05d}"
        province = PROVINCES[p % len(PROVINCES)]
        park_lines.append(
            f"  - id: {pid}\n    name_zh: 合成{province[:2]}第{p}号高新区\n    name_en: Synthetic park {p}\n"
            f"    short_name_zh: 合成{p}\n    short_name_en: S{p}\n    aliases: [合成园区{p}]\n"
            f"    province: {province}\n    city: 合成市{p % 50}\n    county: 合成县{p}\n"
            f"    level: {LEVELS[p % 3]}\n    kind: {KINDS[(p // 3) % 3]}\n"
            f"    area_km2: {round(rng.uniform(5, 120), 1)}\n    color: \"#{rng.randrange(0x1000000):06x}\"")
        for kind in ("plan", "summary"):
            source_lines.append(
                f"  - id: {pid}_{kind}\n    file: synthetic_{pid}_{kind}.txt\n    title: 合成{kind}\n"
                f"    issuer: 合成管委会\n    date: {FIRST_YEAR + years}-01-15\n    type: {kind}\n"
                f"    park: {pid}\n    scope: park")
        rel = f"data/observations/{pid}.csv"
        with open(out / rel, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=OBSERVATION_COLUMNS, lineterminator="\n")
            writer.writeheader()
            line = 1
            for ind in catalogue:
                level = rng.uniform(5, 500) if ind["unit"] == "亿元" else float(rng.randrange(5, 200))
                for y in range(years):
                    year = FIRST_YEAR + y
                    growth = round(rng.uniform(-5, 25), 1) or 0.0  # never -0
                    target = round(level * (1 + growth / 100), 2) if ind["unit"] == "亿元" else round(level + 5)
                    level = round(target * rng.uniform(0.85, 1.15), 2) if ind["unit"] == "亿元" else \
                        float(round(target * rng.uniform(0.85, 1.15)))
                    for kind, value in (("target", target), ("actual", level)):
                        shown = f"{value:g}"
                        row = {c: "" for c in OBSERVATION_COLUMNS} | {
                            "park_id": pid, "scope": "park", "indicator_id": ind["id"], "year": str(year),
                            "kind": kind, "target_level": "base" if kind == "target" else "", "value": shown,
                            "unit": ind["unit"], "comparator": "=", "basis": "level", "source": f"{pid}_{'summary' if kind == 'actual' else 'plan'}",
                            "quote": (f"{year}年{ind['name_zh']}目标{shown}{ind['unit']}" if kind == "target"
                                      else f"{year}年{ind['name_zh']}完成{shown}{ind['unit']}")}
                        line += 1
                        if bad_rows and rng.random() < bad_rows:
                            code, breaks = DEFECTS[rng.randrange(len(DEFECTS))]
                            row = breaks(row)
                            expected.append((rel, line, code))
                        writer.writerow(row)
                    if ind["unit"] == "亿元":  # the stated growth beside the actual level
                        line += 1
                        row = {c: "" for c in OBSERVATION_COLUMNS} | {
                            "park_id": pid, "scope": "park", "indicator_id": ind["id"], "year": str(year),
                            "kind": "actual", "value": f"{growth:g}", "unit": "%", "comparator": "=",
                            "basis": "growth_pct", "source": f"{pid}_summary",
                            "quote": f"{ind['name_zh']}同比增长{growth:g}%" if growth >= 0
                                     else f"{ind['name_zh']}同比下降{-growth:g}%"}
                        writer.writerow(row)
            rows_total += line - 1
    (out / "parks.yaml").write_text("\n".join(park_lines + source_lines) + "\n", encoding="utf-8")
    with open(out / "expected_problems.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "line", "code"])
        writer.writerows(expected)
    return {"rows": rows_total, "bad_rows": len(expected), "files": parks}
