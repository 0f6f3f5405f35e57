"""The bad-input corpus: editors' typos and attackers' files, each against a copy of the frozen fixture root.

Every case asserts the problem code at its file and line, how many observations load and how many rows are
quarantined, that every row read is accounted for — and that every page still renders, on a cold server (never
saw valid data) and on a warm one (serves the last valid data when a whole file breaks).
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import FROZEN, ROOT, copy_data, line_of
from parkmetrics import read
from parkmetrics.loader import load_dataset

OBS = "data/observations"
LX, JY, ZY21 = f"{OBS}/linxiang_2022_plan.csv", f"{OBS}/jiangyou_2022_plan.csv", f"{OBS}/zhengyang_2021_summary.csv"
IND, TASKS = "data/indicators.yaml", "data/tasks.csv"
FIGURES, TASK_ROWS = 173, 15  # in the frozen root
LX_ROWS, LX_TASKS = 20, 3     # 临湘's observation rows and key tasks
JY_ROWS, JY_TASKS = 30, 5     # 江油's
OUTPUT_ROWS, SECTOR_ROWS = 6, 5  # rows of industrial_output, and of its five sector parts
HEADER = ("park_id,scope,indicator_id,year,baseline_year,kind,target_level,value,unit,comparator,basis,estimate,"
          "approximate,source,quote,note")


# --- mutations: each takes the root of a fresh copy ----------------------------------------------------------

def replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return go


def write(file: str, content: str | bytes) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        path = root / file
        if path.is_dir():
            shutil.rmtree(path)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return go


def remove(file: str) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        path = root / file
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return go


def folder_instead(file: str) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        (root / file).unlink()
        (root / file).mkdir()
        (root / file / "x.txt").write_text("not a data file")
    return go


def link_out(file: str, content: str | None = None) -> Callable[[Path], None]:
    """Replace `file` by a link to a file outside the root: a copy of itself (a valid file from elsewhere), or
    `content`."""
    def go(root: Path) -> None:
        outside = root.parent / f"outside-{Path(file).name}"
        outside.write_text(content if content is not None else (root / file).read_text(encoding="utf-8"),
                           encoding="utf-8")
        if (root / file).exists():
            (root / file).unlink()
        (root / file).symlink_to(outside)
    return go


def add_row(file: str, row: str, header: str = HEADER) -> Callable[[Path], None]:
    """Append a row to `file`, creating it with `header` if needed."""
    def go(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8") if path.exists() else header + "\n"
        path.write_text(text.rstrip("\n") + "\n" + row + "\n", encoding="utf-8")
    return go


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        for step in steps:
            step(root)
    return go


def bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\nparks: *a{levels - 1}\nsources: []\n"


# A valid 临湘 row to vary: 规模工业总产值390亿元 (2022 target), not in the frozen data for another year.
def lx(value: str = "401.5", unit: str = "亿元", quote: str = "规模工业总产值401.5亿元", *, year: str = "2023",
       basis: str = "level", kind: str = "actual", level: str = "", indicator: str = "industrial_output",
       extra: str = "") -> str:
    return (f"linxiang,park,{indicator},{year},,{kind},{level},{value},{unit},=,{basis},,,lx_2022_plan,{quote},"
            f"{extra}")


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    code: str
    file: str
    where: str | int | None  # a needle in the mutated file (its line), a line number, or None (no line)
    loaded: int              # observations loaded
    quarantined: int         # rows quarantined (observations and tasks)
    tasks: int = TASK_ROWS   # key tasks loaded


ALL_BLOCKED = FIGURES + TASK_ROWS  # a broken parks.yaml sets every row aside (quarantined, not lost)
NO_OBS = TASK_ROWS               # a broken catalogue sets every observation aside; tasks only need parks.yaml

CASES = [
    # --- parks.yaml: the whole file --------------------------------------------------------------------------
    Case("parks-syntax", replace("parks.yaml", "aliases: [江油高新区,", "aliases: [[江油高新区,"), "yaml-syntax",
         "parks.yaml", None, 0, ALL_BLOCKED, 0),
    Case("parks-tab", replace("parks.yaml", "    province: 湖南省\n", "\tprovince: 湖南省\n"), "yaml-syntax",
         "parks.yaml", "\tprovince", 0, ALL_BLOCKED, 0),
    Case("parks-unsafe-tag", replace("parks.yaml", "parks:\n", "x: !!python/object/apply:os.system [\"true\"]\nparks:\n"),
         "yaml-syntax", "parks.yaml", "!!python", 0, ALL_BLOCKED, 0),
    Case("parks-duplicate-section", replace("parks.yaml", "sources:\n", "parks: []\nsources:\n"), "duplicate-section",
         "parks.yaml", "parks: []", 0, ALL_BLOCKED, 0),
    Case("parks-missing", remove("parks.yaml"), "file-missing", "parks.yaml", None, 0, ALL_BLOCKED, 0),
    Case("parks-empty", write("parks.yaml", ""), "empty-file", "parks.yaml", 1, 0, ALL_BLOCKED, 0),
    Case("parks-comments-only", write("parks.yaml", "# parks\n# nothing yet\n"), "empty-file", "parks.yaml", 1, 0,
         ALL_BLOCKED, 0),
    Case("parks-top-level-list", write("parks.yaml", "- id: a\n- id: b\n"), "wrong-shape", "parks.yaml", 1, 0,
         ALL_BLOCKED, 0),
    Case("parks-top-level-scalar", write("parks.yaml", "just some text\n"), "wrong-shape", "parks.yaml", 1, 0,
         ALL_BLOCKED, 0),
    Case("parks-not-a-list", replace("parks.yaml", "parks:\n", "parks: 三个园区\nold_parks:\n"), "wrong-shape",
         "parks.yaml", "parks: 三个园区", 0, ALL_BLOCKED, 0),
    Case("parks-no-sources", replace("parks.yaml", "sources:\n", "old_sources:\n"), "wrong-shape", "parks.yaml", 1,
         0, ALL_BLOCKED, 0),
    Case("parks-folder", folder_instead("parks.yaml"), "not-a-file", "parks.yaml", None, 0, ALL_BLOCKED, 0),
    Case("parks-link-out", link_out("parks.yaml"), "link-outside-root", "parks.yaml", None, 0, ALL_BLOCKED, 0),
    Case("parks-alias-bomb", write("parks.yaml", bomb()), "yaml-alias-limit", "parks.yaml", "a4: &a4", 0,
         ALL_BLOCKED, 0),
    Case("parks-too-deep", write("parks.yaml", "parks: " + "[" * 5000 + "]" * 5000 + "\nsources: []\n"),
         "yaml-too-deep", "parks.yaml", 1, 0, ALL_BLOCKED, 0),
    Case("parks-undecodable", write("parks.yaml", b"parks:\n  - id: \xff\xfe\xfa\x80\n"), "encoding-unreadable",
         "parks.yaml", 2, 0, ALL_BLOCKED, 0),
    # --- parks.yaml: one record ----------------------------------------------------------------------------
    Case("park-duplicate-key", replace("parks.yaml", "    short_name_zh: 江油高新区\n",
                                       "    short_name_zh: 江油高新区\n    short_name_zh: JY\n"),
         "duplicate-key", "parks.yaml", "short_name_zh: JY", FIGURES - JY_ROWS, JY_ROWS + JY_TASKS, TASK_ROWS - JY_TASKS),
    Case("park-missing-field", replace("parks.yaml", "    name_en: Hunan Linxiang High-tech Zone\n", ""),
         "missing-field", "parks.yaml", "- id: linxiang", FIGURES - LX_ROWS, LX_ROWS + LX_TASKS, TASK_ROWS - LX_TASKS),
    Case("park-unknown-field", replace("parks.yaml", "    color: \"#2471a3\"\n", "    colour: \"#2471a3\"\n"),
         "unknown-field", "parks.yaml", "colour:", FIGURES - JY_ROWS, JY_ROWS + JY_TASKS, TASK_ROWS - JY_TASKS),
    Case("park-wrong-type", replace("parks.yaml", "    color: \"#239b56\"\n", "    color: green\n"), "wrong-type",
         "parks.yaml", "color: green", FIGURES - LX_ROWS, LX_ROWS + LX_TASKS, TASK_ROWS - LX_TASKS),
    Case("park-duplicate-id", replace("parks.yaml", "  - id: linxiang\n", "  - id: jiangyou\n"), "duplicate-id",
         "parks.yaml", None, FIGURES - LX_ROWS, LX_ROWS + LX_TASKS, TASK_ROWS - LX_TASKS),
    Case("park-invalid-level", replace("parks.yaml", "    level: 省级\n", "    level: 国家\n"), "invalid-choice",
         "parks.yaml", "level: 国家", FIGURES - JY_ROWS, JY_ROWS + JY_TASKS, TASK_ROWS - JY_TASKS),
    Case("source-unknown-park", replace("parks.yaml", "    park: linxiang\n", "    park: lingxiang\n"), "unknown-park",
         "parks.yaml", "park: lingxiang", FIGURES - LX_ROWS, LX_ROWS + LX_TASKS, TASK_ROWS - LX_TASKS),
    Case("source-missing-title", replace("parks.yaml", "    title: 临湘高新区2022年工作计划\n", ""), "missing-field",
         "parks.yaml", "- id: lx_2022_plan", FIGURES - LX_ROWS, LX_ROWS + LX_TASKS, TASK_ROWS - LX_TASKS),
    Case("parks-gbk", lambda root: (root / "parks.yaml").write_bytes(
        (root / "parks.yaml").read_text(encoding="utf-8").encode("gb18030")), "encoding-gbk", "parks.yaml", 1,
         FIGURES, 0),
    # --- data/indicators.yaml ------------------------------------------------------------------------------
    Case("ind-syntax", replace(IND, "    bases: [level, growth_pct]\n", "    bases: [level, growth_pct\n"),
         "yaml-syntax", IND, None, 0, FIGURES),
    Case("ind-missing", remove(IND), "file-missing", IND, None, 0, FIGURES),
    Case("ind-empty", write(IND, "\n\n"), "empty-file", IND, 1, 0, FIGURES),
    Case("ind-not-a-list", write(IND, "indicators:\n  industrial_output: 规上工业总产值\n"), "wrong-shape", IND, 1, 0,
         FIGURES),
    Case("ind-too-deep", write(IND, "indicators:\n" + "".join("  " * i + "- \n" for i in range(1, 60))),
         "yaml-too-deep", IND, None, 0, FIGURES),
    Case("ind-mixed-units", replace(IND, "    unit: 亿元\n    units: [万元]\n    bases: [level, growth_pct]\n",
                                    "    unit: 亿元\n    units: [万元, 家]\n    bases: [level, growth_pct]\n"),
         "unit-family-mixed", IND, "units: [万元, 家]", FIGURES - OUTPUT_ROWS, OUTPUT_ROWS),
    Case("ind-unknown-unit", replace(IND, "    unit: 亿元\n    units: [万元]\n    bases: [level, growth_pct]\n",
                                     "    unit: 亿元\n    units: [万圆]\n    bases: [level, growth_pct]\n"),
         "unit-not-allowed", IND, "units: [万圆]", FIGURES - OUTPUT_ROWS, OUTPUT_ROWS),
    Case("ind-invalid-basis", replace(IND, "    bases: [level, growth_pct]\n", "    bases: [level, growth]\n"),
         "invalid-choice", IND, "bases: [level, growth]", FIGURES - OUTPUT_ROWS - SECTOR_ROWS,
         OUTPUT_ROWS + SECTOR_ROWS),  # the five sectors name it as parent: blocked with it, the cause named
    Case("ind-unknown-parent", replace(IND, "    parent: industrial_output\n", "    parent: industrial_outptu\n"),
         "unknown-indicator", IND, "parent: industrial_outptu", FIGURES - 1, 1),
    Case("ind-duplicate-id", replace(IND, "  - id: industrial_output_tobacco\n", "  - id: industrial_output\n"),
         "duplicate-id", IND, None, FIGURES - 1, 1),
    # --- observation CSVs: one row ------------------------------------------------------------------------------
    Case("obs-not-a-number", replace(LX, ",420,亿元,", ",四百二十,亿元,"), "not-a-number", LX, "四百二十",
         FIGURES - 1, 1),
    Case("obs-fullwidth", replace(LX, ",420,亿元,", ",４２０,亿元,"), "fullwidth-normalised", LX, "４２０", FIGURES, 0),
    Case("obs-thousands", add_row(LX, lx('"1,500"', "万元", "规模工业总产值1500万元")), "thousands-separator", LX,
         "1500万元", FIGURES + 1, 0),
    Case("obs-unknown-park", replace(LX, "linxiang,park,tech_industry", "lingxiang,park,tech_industry"),
         "unknown-park", LX, "lingxiang", FIGURES - 1, 1),
    Case("obs-unknown-indicator", replace(LX, ",tech_industry_trade_revenue,", ",tech_revenue,"),
         "unknown-indicator", LX, "tech_revenue", FIGURES - 1, 1),
    Case("obs-unknown-source", replace(LX, ",lx_2022_plan,完成技工贸", ",lx_2022_pln,完成技工贸"), "unknown-source", LX,
         "lx_2022_pln", FIGURES - 1, 1),
    Case("obs-missing-source", replace(LX, ",lx_2022_plan,完成技工贸", ",,完成技工贸"), "missing-source", LX,
         ",,完成技工贸", FIGURES - 1, 1),
    Case("obs-duplicate", add_row(LX, "linxiang,park,industrial_output,2022,,target,base,390,亿元,=,level,,,"
                                      "lx_2022_plan,规模工业总产值390亿元,again"), "duplicate-observation", LX, ",again",
         FIGURES, 1),
    Case("obs-unit-not-allowed", add_row(LX, lx("401.5", "家", "规模工业总产值401.5家")), "unit-not-allowed", LX,
         "401.5家", FIGURES, 1),
    Case("obs-year", replace(LX, ",2022,,target,base,420,", ",1890,,target,base,420,"), "year-out-of-range", LX,
         ",1890,", FIGURES - 1, 1),
    Case("obs-baseline-after-year", add_row(LX, "linxiang,park,industrial_output,2023,2024,actual,,401.5,亿元,=,level,,,"
                                                "lx_2022_plan,规模工业总产值401.5亿元,"), "year-out-of-range", LX,
         "2023,2024", FIGURES, 1),
    Case("obs-missing-quote", replace(LX, ",完成技工贸总收入420亿元,", ",,"), "missing-quote", LX,
         "tech_industry_trade_revenue", FIGURES - 1, 1),
    Case("obs-basis", add_row(LX, lx("3", "位", "规模工业总产值第3位", basis="rank")), "basis-not-allowed", LX,
         "第3位", FIGURES, 1),
    Case("obs-ragged", add_row(LX, "linxiang,park,industrial_output,2023,actual,401.5"), "ragged-row", LX,
         "2023,actual,401.5", FIGURES, 1),
    Case("obs-target-level", add_row(LX, lx(level="base")), "target-level-mismatch", LX, "actual,base", FIGURES, 1),
    Case("obs-invalid-kind", add_row(LX, lx(kind="plan")), "invalid-choice", LX, ",plan,", FIGURES, 1),
    Case("obs-invalid-flag", add_row(LX, lx().replace(",=,level,,,", ",=,level,maybe,,")), "invalid-choice", LX,
         "maybe", FIGURES, 1),
    Case("obs-figure-not-in-quote", add_row(LX, lx("401.5", quote="规模工业总产值四百亿元")), "figure-not-in-quote", LX,
         "四百亿元", FIGURES + 1, 0),
    Case("obs-scope-mismatch", add_row(LX, lx().replace("linxiang,park,", "linxiang,district,")), "scope-mismatch",
         LX, "linxiang,district", FIGURES + 1, 0),
    Case("obs-unit-vs-quote", replace(LX, ",390,亿元,", ",390,万元,"), "unit-disagrees-with-quote", LX, ",390,万元,",
         FIGURES - 1, 1),
    Case("obs-negative-count", add_row(LX, lx("-26", "家", "新增规模工业企业26家", basis="new_count",
                                               indicator="above_scale_enterprises_new")), "negative-value", LX, "-26",
         FIGURES, 1),
    Case("obs-negative-zero", add_row(LX, lx("-0", "家", "新增规模工业企业0家", basis="new_count",
                                              indicator="above_scale_enterprises_new")), "negative-value", LX, "-0",
         FIGURES, 1),
    Case("obs-invalid-period", write(f"{OBS}/lx_2022_h1.csv", HEADER.replace(",year,", ",year,period,") + "\n"
                                     "linxiang,park,industrial_output,2022,1-6月,,actual,,180,亿元,=,level,,,"
                                     "lx_2022_plan,规模工业总产值180亿元,\n"),
         "invalid-period", f"{OBS}/lx_2022_h1.csv", 2, FIGURES, 1),
    Case("obs-unbalanced-quote", replace(LX, ",规模工业总产值390亿元,", ",\"规模工业总产值390亿元,"), "unbalanced-quote", LX,
         "\"规模工业总产值390亿元", FIGURES - 1, 1),
    Case("obs-huge-cell", add_row(LX, lx(quote="规模工业总产值401.5亿元" + "很" * 5_000_000)), "cell-too-large", LX,
         "很很很", FIGURES, 1),
    Case("obs-ragged-quote-at-end", add_row(LX, lx(quote="\"规模工业总产值401.5亿元")), "ragged-row", LX,
         "\"规模工业总产值401.5亿元", FIGURES, 1),
    # --- observation CSVs: the whole file --------------------------------------------------------------------
    Case("obs-missing-column", replace(LX, "park_id,scope,", "park,scope,"), "missing-csv-column", LX, 1,
         FIGURES - LX_ROWS, LX_ROWS),
    Case("obs-unknown-column", replace(LX, ",note\n", ",notes\n"), "unknown-csv-column", LX, 1, FIGURES, 0),
    Case("obs-empty-file", write(f"{OBS}/new.csv", ""), "empty-file", f"{OBS}/new.csv", 1, FIGURES, 0),
    Case("obs-gbk", lambda root: (root / LX).write_bytes((root / LX).read_text(encoding="utf-8").encode("gb18030")),
         "encoding-gbk", LX, 1, FIGURES, 0),
    Case("obs-undecodable", write(f"{OBS}/junk.csv", b"park_id,scope\n\xff\xfe\xfa\x80\x81\n"), "encoding-unreadable",
         f"{OBS}/junk.csv", 2, FIGURES, 0),
    Case("obs-folder", lambda root: (root / OBS / "x.csv").mkdir(), "not-a-file", f"{OBS}/x.csv", None, FIGURES, 0),
    Case("obs-link-out-system", lambda root: (root / OBS / "passwd.csv").symlink_to("/etc/passwd"), "link-outside-root",
         f"{OBS}/passwd.csv", None, FIGURES, 0),
    Case("obs-link-out-valid", link_out(LX), "link-outside-root", LX, None, FIGURES - LX_ROWS, 0),
    Case("obs-folder-missing", remove(OBS), "file-missing", OBS, None, 0, 0),
    Case("obs-folder-is-file", both(remove(OBS), write(OBS, "not a folder")), "not-a-folder", OBS, None, 0, 0),
    Case("obs-too-large", lambda root: (root / OBS / "big.csv").write_bytes(b"x" * (read.MAX_FILE_BYTES + 1)),
         "file-too-large", f"{OBS}/big.csv", None, FIGURES, 0),
    # --- data/tasks.csv ----------------------------------------------------------------------------------------
    Case("task-unknown-park", add_row(TASKS, "lingxiang,park,建成平台,2022,,planned,lx_2022_plan,建成平台",
                                      header=""), "unknown-park", TASKS, "lingxiang", FIGURES, 1),
    Case("task-missing-quote", add_row(TASKS, "linxiang,park,建成平台,2022,,planned,lx_2022_plan,", header=""),
         "missing-quote", TASKS, "建成平台,2022", FIGURES, 1),
    Case("task-ragged", add_row(TASKS, "linxiang,park,建成平台", header=""), "ragged-row", TASKS, "linxiang,park,建成平台",
         FIGURES, 1),
    Case("task-unbalanced-quote", replace(TASKS, ",创建市级高新区,", ",\"创建市级高新区,"), "unbalanced-quote", TASKS,
         "\"创建市级高新区", FIGURES, 1, TASK_ROWS - 1),
    Case("task-missing-column", replace(TASKS, "park_id,scope,task_zh", "park,scope,task_zh"), "missing-csv-column",
         TASKS, 1, FIGURES, TASK_ROWS, 0),
    Case("task-empty", write(TASKS, ""), "empty-file", TASKS, 1, FIGURES, 0, 0),
]


def _line(root: Path, case: Case) -> int | None:
    if isinstance(case.where, str):
        return line_of(root / case.file, case.where)
    return case.where


@pytest.fixture
def broken_root(tmp_path: Path, request) -> Path:
    case: Case = request.param
    root = copy_data(tmp_path / "root", FROZEN)
    case.mutate(root)
    return root


def test_the_corpus_is_large_and_covers_every_file():
    assert len(CASES) >= 60 and len({c.id for c in CASES}) == len(CASES)
    files = {c.file if not c.file.startswith(OBS) else OBS for c in CASES}
    assert files == {"parks.yaml", IND, OBS, TASKS}


@pytest.mark.parametrize("broken_root, case", [(c, c) for c in CASES], ids=[c.id for c in CASES],
                         indirect=["broken_root"])
def test_bad_input_is_a_located_problem_and_loses_nothing(broken_root: Path, case: Case):
    ds = load_dataset(broken_root)
    hits = [p for p in ds.problems if p.code == case.code and p.file == case.file]
    assert hits, [p.format("en") for p in ds.problems]
    if case.where is not None:
        assert _line(broken_root, case) in {p.line for p in hits}, [p.format("en") for p in hits]
    assert (len(ds.observations), len(ds.quarantine), len(ds.tasks)) == (case.loaded, case.quarantined, case.tasks), \
        ds.quarantine[["file", "line", "codes"]].to_string()
    assert ds.rows_read == ds.rows_accounted
    for p in ds.problems:  # every message is short and says how to fix it
        assert len(p.format("zh")) < 1_000 and "Hint:" in p.format("zh")
    if hits[0].blocks_file:  # the root cause is named first, and the rows it blocks are not one error each
        assert ds.sorted_problems()[0].code == case.code
        assert sum(p.code in ("unknown-park", "unknown-indicator", "unknown-source") for p in ds.problems) == 0


# --- every page renders, whatever the files hold ----------------------------------------------------------------

def _shows(at, text: str) -> bool:
    """Is `text` on the page: in a notice, or in a table (the problems table lists locations and codes)?"""
    notices = " ".join(str(e.value) for kind in ("error", "warning", "info") for e in at.get(kind))
    return text in notices or any(text in frame.value.to_string() for frame in at.dataframe)


def _runs() -> list:
    """Every case on a cold server; on a warm one (that has shown the valid data) the cases that break a whole
    file — the only ones where warm differs: it keeps serving the last valid data. A row-level error is served
    the same way warm or cold (the fresh data, the row quarantined), so running it twice would test nothing new."""
    from parkmetrics.problems import CODES
    runs = [pytest.param(c, "cold", id=f"{c.id}-cold") for c in CASES]
    return runs + [pytest.param(c, "warm", id=f"{c.id}-warm") for c in CASES
                   if CODES[c.code].blocks == "file" and CODES[c.code].severity == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("case, temperature", _runs())
def test_every_page_renders_whatever_the_files_hold(tmp_path: Path, case: Case, temperature: str, monkeypatch):
    from pages import PAGE_FILES, assert_page_ok, forget_valid_data, run_all_pages, run_page

    monkeypatch.setenv("PARKMETRICS_ROOT", str(ROOT))  # restored after the test
    root = copy_data(tmp_path / "root", FROZEN)
    forget_valid_data()
    if temperature == "warm":
        run_page("app.py", root)  # the server has shown the valid data once
    case.mutate(root)
    ds = load_dataset(root)
    pages = run_all_pages(root)
    for path in PAGE_FILES:
        at = pages[path]
        assert_page_ok(at)
        if ds.fatal:  # a whole file broke: every page says so on top, with the problem (or serves the last valid data)
            assert _shows(at, case.code) or _shows(at, "最新修改有错误"), path
        elif path in ("app.py", "pages/4_sources.py"):  # data health on the overview, validation report on sources
            assert _shows(at, case.code), path
    figures = next(m.value for m in pages["app.py"].metric if m.label == "数据条数")
    if temperature == "warm" and ds.fatal:
        assert figures == str(FIGURES)  # the last valid data, nothing lost while the file is being fixed
    else:
        assert figures == str(case.loaded)
