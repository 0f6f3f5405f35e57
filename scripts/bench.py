"""Benchmarks, printed as ratios measured in the same run (the machines here are noisy: 2 shared cores).

    .venv/bin/python scripts/bench.py [--skip-browser | --browser-only] [--concurrency | --concurrency-only]
    .venv/bin/python scripts/bench.py --scale [--scale-300]
    .venv/bin/python scripts/bench.py --scale-reruns
    .venv/bin/python scripts/bench.py --finder

1. load + validate + every metric on the shipped data, against DuckDB's bare read of the same CSVs (budget 0.3 s);
2. a warm rerun of each page against a warm rerun of an empty Streamlit page (budget 2×), through AppTest;
3. a warm rerun in the browser (click the language switch → the page has re-rendered) against the same on an empty
   Streamlit page with the same switch (budget 2×);
4. a deep link opened as the first request on a freshly started server: seconds until its chart is drawn (budget 3 s);
5. (--concurrency, or --concurrency-only) 8 and 20 browser sessions started at once against one server, changing
   widgets round-robin for 30 s: interactions, p50/p95, sessions that never drew, the server's peak RSS, and the CPU
   time of the server against the browsers (which of them bounds many sessions on this machine).
6. (--scale, alone) synthetic roots of 300 and 3,000 parks (40 indicators × 12 years, cached under /tmp): load +
   validate + every metric against DuckDB's bare read_csv of the same files, peak RSS of the process doing it, and
   the reload after an edit to one CSV (--scale-300: the 300-park root only).
7. (--scale-reruns, alone) the warm rerun of every page (as 2.) on the 3,000-park synthetic root (goal ≤ 300 ms),
8. then an edit to one CSV there: seconds from the save until the overview serves the new data (goal 1 s), and the
   first and a warm rerun of two pages on the new version.
9. (--finder, alone) the figure finder on the corpus, on a 100 KB document (budget 3 s) and on 10, 100 and 1,000 KB
   of dense figures (time per KB flat: linear).
10. (--commit-check, alone) the import page's check of new rows per commit at 3,000 parks (goal ≤ 0.5 s)
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the test server helper


def timed(fn, repeat: int = 7) -> float:
    """Median wall time of `repeat` calls after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_finder() -> None:
    """The figure finder: every corpus document; a 100 KB document of real text (budget 3 s); and 10, 100 and
    1,000 KB of dense figures, whose time per KB must stay flat (linear in the text)."""
    import csv

    from parkmetrics.finder import find_candidates, read_document
    from parkmetrics.loader import load_dataset

    corpus = ROOT / "tests" / "fixtures" / "finder_corpus"
    indicators = load_dataset(corpus / "catalogue").indicators
    docs = [read_document(corpus / "docs" / d["file"]) for d in csv.DictReader(open(corpus / "documents.csv"))]
    t0 = time.perf_counter()
    found = sum(len(find_candidates(text, indicators)) for text in docs)
    total = time.perf_counter() - t0
    chars = sum(len(text) for text in docs)
    print(f"9. finder: {len(docs)} corpus documents ({chars / 1000:.0f} K characters, {found} candidates) in "
          f"{total:.2f} s")
    prose = "\n".join(text for text in docs if not text.tables)
    while len(prose.encode()) < 100_000:
        prose += "\n" + prose
    prose = prose.encode()[:100_000].decode(errors="ignore")
    one = timed(lambda: find_candidates(prose, indicators), repeat=3)
    print(f"   a 100 KB document of real text: {one:.2f} s = {one / 3:.2f}× the 3 s budget")
    def dense(i: int) -> str:  # four figures in 60 characters, every value different (no restatement to drop)
        return f"1-9月，园区实现规上工业总产值{i}.6亿元，同比增长{i % 90}.3%；完成固定资产投资{i}.2亿元，新增规上企业{i}家。"
    from parkmetrics.finder import candidates
    candidates.MAX_CANDIDATES = 10 ** 9  # the page's cap on rows would stop the reading: time the whole text here
    rates = []
    for kb in (10, 100, 1000):
        text, i = [], 0
        while sum(map(len, text)) * 3 < kb * 1000:
            text.append(dense(i))
            i += 1
        text = "".join(text)
        t0 = time.perf_counter()
        n = len(find_candidates(text, indicators))
        took = time.perf_counter() - t0
        rates.append(took / kb)
        print(f"   {kb:>5} KB of dense figures: {n:>6} candidates in {took:6.2f} s ({took / kb * 1000:.1f} ms per KB)")
    print(f"   time per KB at 1,000 KB / at 10 KB: {rates[-1] / rates[0]:.2f} (1 = linear)")


def bench_analysis() -> None:
    import duckdb

    from parkmetrics.analysis import analyse_root

    from parkmetrics.loader import clear_cache

    csvs = str(ROOT / "data" / "observations" / "*.csv")
    bare = timed(lambda: duckdb.connect().sql(f"SELECT * FROM read_csv('{csvs}', all_varchar=true)").fetchall())
    cold = timed(lambda: (clear_cache(), analyse_root(ROOT)))   # every file read and validated again
    warm = timed(lambda: analyse_root(ROOT))                    # files unchanged: the per-file cache answers
    print(f"1. load + validate + every metric: {cold * 1000:.0f} ms with every file read again "
          f"= {cold / 0.3:.2f}× the 0.3 s budget; {cold / bare:.1f}× DuckDB's bare read of the CSVs "
          f"({bare * 1000:.1f} ms); {warm * 1000:.0f} ms when no file changed")


PAGES = (None, "pages/1_park.py", "pages/2_compare.py", "pages/6_peers.py", "pages/3_tracker.py",
         "pages/4_sources.py", "pages/5_import.py")


def bench_reruns(root: Path = ROOT, budget: str = "budget 2× the empty page") -> None:
    """A warm rerun of every page through AppTest: the Python side of a rerun, without the browser."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["PARKMETRICS_ROOT"] = str(root)
    empty = Path(tempfile.mkdtemp()) / "empty.py"
    empty.write_text("import streamlit as st\nst.write('')\n")

    def warm(script: Path, page: str | None = None):
        at = AppTest.from_file(str(script), default_timeout=900)  # the first run of a national root loads it
        if page:
            at.switch_page(page)
        at.run()
        return lambda: at.run()

    base = timed(warm(empty), repeat=9)
    print(f"2. warm rerun on {root.name}, empty Streamlit page: {base * 1000:.0f} ms")
    for page in PAGES:
        t = timed(warm(ROOT / "app.py", page), repeat=5)
        print(f"   {page or 'app.py':22s} {t * 1000:6.0f} ms = {t / base:.1f}× the empty page ({budget})")


def one_figure_changed(path: Path) -> tuple[bytes, bytes, float]:
    """An editor's edit: the first row's figure + 1, in the value and in its quote. (file's bytes, edited, new value)"""
    before = path.read_bytes()
    lines = before.decode("utf-8").split("\n")
    cells = lines[1].split(",")
    old = cells[8]
    cells[8] = f"{float(old) + 1:g}"
    cells[15] = cells[15].replace(old, cells[8])
    lines[1] = ",".join(cells)
    return before, "\n".join(lines).encode("utf-8"), float(cells[8])


def bench_edit_in_app(root: Path) -> None:
    """An edit to one CSV of a national root, as viewers see it: from the save until a rerun of the overview serves
    the new data (reruns meanwhile show the data from before with a notice), then the first rerun of other pages
    on the new version (their views are computed again) and a warm one."""
    import os

    from streamlit.testing.v1 import AppTest

    from parkmetrics import serving

    os.environ["PARKMETRICS_ROOT"] = str(root)
    runs = {}
    for page in (None, "pages/3_tracker.py", "pages/6_peers.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        if page:
            at.switch_page(page)
        runs[page or "app.py"] = at.run()
    path = sorted((root / "data" / "observations").glob("*.csv"))[1]
    before, edited, value = one_figure_changed(path)
    try:
        saved = time.perf_counter()
        path.write_bytes(edited)
        overview, waiting = runs["app.py"], 0
        while True:
            overview.run()
            if not any("新数据正在计算" in i.value for i in overview.info):
                break
            waiting += 1
        seen = time.perf_counter() - saved
        obs = serving._LAST_GOOD[str(root.resolve())].dataset.observations
        row = obs[(obs["file"] == f"data/observations/{path.name}") & (obs["line"] == 2)]
        assert len(row) == 1 and row["value"].iloc[0] == value, "the edit is not in the served data"
        print(f"8. an edit to one CSV at {root.name}: served {seen:.2f} s after the save (goal 1 s; {waiting} reruns "
              "meanwhile showed the data from before, with the notice)")
        for page in ("pages/3_tracker.py", "pages/6_peers.py"):
            t0 = time.perf_counter()
            runs[page].run()
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            runs[page].run()
            print(f"   {page}: first rerun on the new data {first * 1000:.0f} ms, then warm "
                  f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    finally:
        path.write_bytes(before)


EMPTY_WITH_SWITCH = """import streamlit as st
lang = st.segmented_control("lang", ["zh", "en"], default="zh", key="w_lang", format_func=lambda x: {"zh": "中文", "en": "English"}[x])
st.title("Overview" if lang == "en" else "总览")
"""


# A bare page with the kinds and about the number of elements of the park page (sidebar links, select boxes, 20
# captions, a chart, two tables, tabs, an expander of text inputs, download buttons), switching language: what
# Streamlit's own frontend spends re-drawing such a page, with no parkmetrics code behind it.
FLOOR_PAGE = """import streamlit as st
import plotly.graph_objects as go
import pandas as pd
lang = st.segmented_control("lang", ["zh", "en"], default="zh", key="w_lang", format_func=lambda x: {"zh": "中文", "en": "English"}[x])
en = lang == "en"
with st.sidebar:
    for i in range(7):
        st.markdown(f"[{'Page' if en else '页面'} {i}](/)")
st.title("Park profile" if en else "园区画像")
c = st.columns(3)
for i in range(3):
    c[i].selectbox(("Park" if en else "园区") + str(i), ["a", "b"], key=f"s{i}")
for i in range(20):
    st.markdown(("Some text line %d" if en else "一些说明文字 %d") % i, help="tip" if i % 3 == 0 else None)
st.plotly_chart(go.Figure(go.Bar(x=[1, 2, 3], y=[3, 4, 5], name="a" if en else "甲")).update_layout(title="T" if en else "标题"))
st.dataframe(pd.DataFrame({("col" if en else "列") + str(j): range(10) for j in range(6)}))
tabs = st.tabs(["a", "b", "c", "d"] if en else ["甲", "乙", "丙", "丁"])
with tabs[0]:
    st.dataframe(pd.DataFrame({("x" if en else "乙") + str(j): range(10) for j in range(5)}))
with st.expander("more" if en else "更多"):
    for i in range(6):
        st.text_input(("Field" if en else "字段") + str(i), key=f"t{i}")
for i in range(4):
    st.download_button(("Download" if en else "下载") + str(i), b"x", key=f"d{i}")
"""


def _rerun_times(page, url: str, heading_zh: str, heading_en: str, rounds: int = 6) -> float:
    """Median time from clicking the language switch to the page's heading in the other language, warm."""
    page.goto(url)
    h1 = page.locator("h1").first
    h1.wait_for(timeout=60_000)
    times = []
    for i in range(rounds * 2):
        target, label = (heading_en, "English") if i % 2 == 0 else (heading_zh, "中文")
        t0 = time.perf_counter()
        page.get_by_role("radio", name=label).click()
        page.wait_for_function("([t]) => document.querySelector('h1')?.textContent.trim() === t", arg=[target])
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')")
        if i >= 2:  # the first round trip in each language fills the caches
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_browser_reruns() -> None:
    from playwright.sync_api import sync_playwright
    from server import CHROMIUM, CHROMIUM_ARGS, Server

    script = Path(tempfile.mkdtemp()) / "empty_switch.py"
    script.write_text(EMPTY_WITH_SWITCH)
    floor_script = script.with_name("floor_page.py")
    floor_script.write_text(FLOOR_PAGE)
    empty, floor, app = Server(ROOT, script), Server(ROOT, floor_script), Server(ROOT)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            base = _rerun_times(page, empty.url, "总览", "Overview")
            print(f"3. warm rerun in the browser, empty page with the same switch: {base * 1000:.0f} ms")
            bare = _rerun_times(page, floor.url, "园区画像", "Park profile")
            print(f"   a bare page with the park page's kinds of elements: {bare * 1000:.0f} ms = "
                  f"{bare / base:.1f}× the empty page (Streamlit's own drawing)")
            for path, zh, en in (("/", "总览", "Overview"), ("/park?park=zhengyang", "园区画像", "Park profile"),
                                 ("/compare", "园区对比", "Cross-park comparison"), ("/tracker", "目标跟踪", "Target tracker"),
                                 ("/sources", "数据与来源", "Data and sources")):
                t = _rerun_times(page, app.url + path, zh, en)
                print(f"   {path:22s} {t * 1000:6.0f} ms = {t / base:.1f}× the empty page (budget 2×), "
                      f"{t / bare:.2f}× the bare page")
            browser.close()
    finally:
        for server in (empty, floor, app):
            server.stop()


ONE_CHART = """import streamlit as st
import plotly.graph_objects as go
st.title("ready")
st.plotly_chart(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
"""


def bench_deep_link() -> None:
    """A deep link as the first request on a fresh server, against two bare Streamlit pages started the same way:
    an empty one, and one with a single Plotly chart (what the browser must load for any chart: plotly.js)."""
    from playwright.sync_api import sync_playwright
    from server import CHROMIUM, CHROMIUM_ARGS, Server

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        deep = "/park?park=linxiang&indicator=industrial_output"
        bare_chart = None
        for label, script_text, path, selector, warm in (
                ("empty Streamlit page", "import streamlit as st\nst.write('ready')\n", None,
                 "[data-testid=stMarkdown]", False),
                ("one-chart Streamlit page", ONE_CHART, None, ".js-plotly-plot", False),
                ("deep link /park, parkmetrics serve (scripts/run.sh)", None, deep, ".js-plotly-plot", True),
                ("deep link /park, plain streamlit run app.py", None, deep, ".js-plotly-plot", False)):
            if script_text is not None:
                script = Path(tempfile.mkdtemp()) / "bare.py"
                script.write_text(script_text)
                server = Server(ROOT, script)
                path = "/"
            else:
                server = Server(ROOT, warm=warm)
            page = browser.new_page()
            t0 = time.perf_counter()
            page.goto(server.url + path)
            page.locator(selector).first.wait_for(timeout=60_000)
            took = time.perf_counter() - t0
            if label.startswith("one-chart"):
                bare_chart = took
            ratio = "" if label.endswith("Streamlit page") else (
                f" = {took / 3:.2f}× the 3 s budget, {took / bare_chart:.2f}× the one-chart page")
            print(f"4. cold server ({server.ready_after:.1f} s to health), {label}: first content after {took:.2f} s"
                  + ratio)
            page.close()
            server.stop()
        browser.close()


def bench_concurrency(counts=(8, 20), seconds: float = 30) -> None:
    import os

    from playwright.sync_api import sync_playwright
    from server import CHROMIUM, CHROMIUM_ARGS, Server, cpu_of, descendants, run_sessions

    print(f"5. concurrent sessions, {os.cpu_count()} cores (load average before: {os.getloadavg()[0]:.1f})")
    for n in counts:
        server = Server(ROOT, warm=True)
        cpu: dict = {}

        def measure(result, server=server, cpu=cpu):
            ours = set(descendants(os.getpid())) - {server.proc.pid, *descendants(server.proc.pid)}
            cpu["server"], cpu["browsers"] = server.cpu_seconds(), cpu_of(sorted(ours))
            cpu["peak"] = server.peak_rss_mb()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                before = (server.cpu_seconds(), cpu_of(descendants(os.getpid())) - server.cpu_seconds())
                t0 = time.perf_counter()
                r = run_sessions(browser, server.url, n, seconds, on_end=measure)
                wall = time.perf_counter() - t0
                browser.close()
        finally:
            server.stop()
        errors = server.log_text().count("Traceback")
        srv_cpu, br_cpu = cpu["server"] - before[0], cpu["browsers"] - max(before[1], 0)
        print(f"   {n:2d} sessions: {r['drawn']}/{n} drew their page (slowest first draw "
              f"{r['first_draw_max'] or float('nan'):.1f} s); {r['interactions']} interactions in {r['seconds']:.0f} s, "
              f"p50 {r['p50'] or float('nan'):.2f} s, p95 {r['p95'] or float('nan'):.2f} s; "
              f"{len(r['failures'])} timeouts, {r['exceptions']} exception elements, {errors} server tracebacks; "
              f"server peak RSS {cpu['peak']:.0f} MB")
        print(f"      CPU over {wall:.0f} s: server {srv_cpu:.0f} s ({srv_cpu / wall:.2f} cores), "
              f"browsers (chromium + Playwright driver) {br_cpu:.0f} s ({br_cpu / wall:.2f} cores)")


SCALE_CHILD = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from parkmetrics import analysis, metrics
from parkmetrics.analysis import Analysis, analyse
from parkmetrics.loader import load_dataset
from parkmetrics.store import Store
root, edit = Path(sys.argv[1]), sys.argv[2] == "1"
out = {"imports": time.perf_counter() - t0}
t = time.perf_counter(); ds = load_dataset(root); out["load"] = time.perf_counter() - t
out["rows"], out["problems"] = len(ds.observations), len(ds.problems)
ind = metrics.indicator_frame(ds.indicators)
spent = dict.fromkeys(analysis.TABLES, 0.0)
def timed(name, compute):
    def run(obs, ind):
        t = time.perf_counter(); table = compute(obs, ind); spent[name] += time.perf_counter() - t
        return table
    return run
analysis.TABLES = {name: timed(name, compute) for name, compute in analysis.TABLES.items()}
t = time.perf_counter(); tables = analysis.compute_tables(ds.observations, ind)   # as analyse() does
out.update(spent); out["batches"] = time.perf_counter() - t - sum(spent.values())
t = time.perf_counter(); store = Store(ds); out["store"] = time.perf_counter() - t
previous = Analysis(dataset=ds, store=store, indicators=ind, **tables)   # what the app holds before the edit
def hwm():
    status = Path("/proc/self/status").read_text()
    return int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM"))) / 1024
out["vm_hwm_cold_mb"] = hwm()
if edit:  # an editor changes one figure (and its quote) in one CSV: the next load re-validates that file only
    from bench import one_figure_changed
    path = sorted((root / "data" / "observations").glob("*.csv"))[len(ds.observations) and 1]
    before, edited, value = one_figure_changed(path)
    try:
        path.write_bytes(edited)
        t = time.perf_counter(); ds2 = load_dataset(root); out["revalidate_one_file"] = time.perf_counter() - t
        rel = f"data/observations/{path.name}"
        row = ds2.observations[(ds2.observations["file"] == rel) & (ds2.observations["line"] == 2)]
        out["edit_seen"] = bool(len(row) == 1 and row["value"].iloc[0] == value and not ds2.problems)
        # as the app does: the parks the edited file touches computed again, spliced into the previous tables
        t = time.perf_counter(); analyse(ds2, previous); out["metrics_after_edit"] = time.perf_counter() - t
    finally:
        path.write_bytes(before)
out["vm_hwm_mb"] = hwm()
print(json.dumps(out))
"""


def _synth_root(parks: int, indicators: int, years: int, seed: int = 0) -> Path:
    """A synthetic data root, generated once and kept under /tmp keyed by its parameters."""
    import json

    from parkmetrics.synth import write_root

    root = Path(tempfile.gettempdir()) / "parkmetrics-bench" / f"synth-p{parks}-i{indicators}-y{years}-s{seed}"
    if not (root / ".complete").exists():
        print(f"   generating {parks} parks into {root} (once) …", flush=True)
        counts = write_root(root, parks=parks, indicators=indicators, years=years, seed=seed)
        (root / ".complete").write_text(json.dumps(counts))
    return root


def bench_scale(parks=(300, 3000), indicators: int = 40, years: int = 12) -> None:
    """6. (--scale) national scale on synthetic roots: load + validate + every metric against DuckDB's bare read
    of the same CSVs, peak RSS of the process doing it, and the reload after an edit to one CSV."""
    import json
    import resource
    import subprocess

    import duckdb

    print(f"6. national scale ({indicators} indicators × {years} years per park; ratios measured in the same run)")
    for n in parks:
        root = _synth_root(n, indicators, years)
        files = sorted((root / "data" / "observations").glob("*.csv"))
        size = sum(f.stat().st_size for f in files) / 2 ** 20
        glob = str(root / "data" / "observations" / "*.csv")

        def bare():
            con = duckdb.connect()
            con.sql(f"SELECT * FROM read_csv('{glob}', all_varchar=true)").to_arrow_table()
            con.close()
        bare_s = timed(bare, repeat=3)
        done = subprocess.run([sys.executable, "-c", SCALE_CHILD, str(root), "1" if n == max(parks) else "0"],
                              cwd=Path(__file__).resolve().parent,   # the child imports one_figure_changed
                              capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        parts = ["load", "attainment", "yoy", "pace", "checks", "coverage", "batches", "store"]
        total = sum(r[p] for p in parts)
        print(f"   {n:5d} parks: {r['rows']:,} rows in {len(files):,} files ({size:.0f} MB), {r['problems']} problems")
        print(f"      DuckDB bare read_csv (all_varchar, to Arrow): {bare_s:.2f} s")
        print(f"      load + validate + every metric + store: {total:.2f} s = {total / bare_s:.1f}× the bare read "
              f"(goal ≤ 3×)")
        print("      " + ", ".join(f"{p} {r[p]:.2f} s" for p in parts))
        print(f"      peak RSS of the process doing it: {r['vm_hwm_cold_mb']:.0f} MB for the cold load + metrics, "
              f"{r['vm_hwm_mb']:.0f} MB with the edit and rerun below (VmHWM; RUSAGE_CHILDREN max so far "
              f"{child_rss:.0f} MB; goal ≤ 1.5 GB at 3,000 parks)")
        if "revalidate_one_file" in r:
            print(f"      after an edit to one CSV: reload (re-validates that file only) {r['revalidate_one_file']:.2f} s "
                  f"(edit seen: {r['edit_seen']}); the metrics of the parks it touches, spliced in, "
                  f"{r['metrics_after_edit']:.2f} s: {r['revalidate_one_file'] + r['metrics_after_edit']:.2f} s "
                  f"from the save to the new data (goal 1 s)")


def bench_commit_check(root: Path) -> None:
    """10. (--commit-check) the import page's check of a document's new rows against the loaded data (catalogue,
    parks, sources, duplicates), per commit: it must grow with the document, not with the dataset (goal ≤ 0.5 s at
    3,000 parks). The page's dataset is loaded once before, as the page has it."""
    import os

    from parkmetrics import importing, write
    from parkmetrics.loader import load_dataset

    os.environ[write.EDITOR_ENV] = "1"
    ds = load_dataset(root)
    park = next(iter(ds.parks))
    indicator = next(i for i in ds.indicators.values() if "level" in i.bases)
    source = importing.source_entry(id=f"{park}_2030_summary", file="new.txt", title="新文件", issuer="管委会",
                                    date="2031-01-06", type="summary", park=park, scope="park")
    rows = [{"park_id": park, "scope": "park", "indicator_id": indicator.id, "year": 2030, "period": period,
             "kind": "actual", "value": 10 + k, "unit": indicator.unit, "comparator": "=", "basis": "level",
             "source": source["id"], "quote": f"完成{10 + k}{indicator.unit}"}
            for k, period in enumerate(["", "M1-M6", "M1-M9"])]
    check = timed(lambda: importing.validate(root, source, rows, dataset=ds), repeat=5)
    problems, _ = importing.validate(root, source, rows, dataset=ds)
    shown = timed(lambda: importing.preview(root, source, rows), repeat=5)
    print(f"10. a commit's check at {len(ds.parks):,} parks ({len(ds.observations):,} rows loaded): validate 3 new rows "
          f"{check:.3f} s ({len(problems)} problems), the diff {shown:.3f} s (goal ≤ 0.5 s per commit)")


if __name__ == "__main__":
    if "--commit-check" in sys.argv:  # the import page's check per commit, on the 3,000-park synthetic root
        bench_commit_check(_synth_root(3000, 40, 12))
        sys.exit()
    if "--scale-reruns" in sys.argv:  # every page's warm rerun (Python side) on the 3,000-park synthetic root
        national = _synth_root(3000, 40, 12)
        bench_reruns(national, budget="goal ≤ 300 ms at 3,000 parks")
        bench_edit_in_app(national)
        sys.exit()
    if "--scale" in sys.argv:  # national scale only: synthetic roots of 300 and 3,000 parks (bench_scale)
        bench_scale(parks=(300,) if "--scale-300" in sys.argv else (300, 3000))
        sys.exit()
    if "--finder" in sys.argv:  # the figure finder alone (bench_finder)
        bench_finder()
        sys.exit()
    if "--browser-only" in sys.argv:  # 3. and 4. alone: the browser's reruns and the cold deep link
        bench_browser_reruns()
        bench_deep_link()
        sys.exit()
    if "--concurrency-only" in sys.argv:
        bench_concurrency()
        sys.exit()
    bench_analysis()
    bench_reruns()
    if "--skip-browser" not in sys.argv:
        bench_browser_reruns()
        bench_deep_link()
        if "--concurrency" in sys.argv:
            bench_concurrency()
