"""`python -m parkmetrics COMMAND` — every command takes --root to point at another data folder."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from . import metrics
from .loader import load_dataset
from .schema import write_problems_doc, write_schemas
from .store import Store

OBSERVATION_EXPORT = ["park_id", "scope", "indicator_id", "indicator_name_zh", "year", "baseline_year", "kind",
                      "target_level", "value", "unit", "comparator", "basis", "estimate", "approximate", "source",
                      "quote", "note", "file", "line"]


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))


def _filter(frame: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    if getattr(args, "park", None):
        frame = frame[frame["park_id"] == args.park]
    if getattr(args, "year", None):
        year_column = "year" if "year" in frame else "target_year"  # pace rows are keyed by their target year
        frame = frame[frame[year_column] == args.year]
    return frame


def cmd_validate(args: argparse.Namespace) -> int:
    ds = load_dataset(args.root)
    for p in ds.sorted_problems():  # root causes first: what to fix first is on top
        print(p.format(args.lang))
    print(f"{len(ds.observations)} observations loaded, {len(ds.quarantine)} quarantined; "
          f"{len(ds.errors)} errors, {len(ds.warnings)} warnings", file=sys.stderr)
    return 1 if ds.errors else 0


def cmd_observations(args: argparse.Namespace) -> int:
    """The observations with their indicator's name, read through the store (its v_observations view)."""
    store = Store(load_dataset(args.root))
    _emit(store.observations(park=args.park, year=args.year)[OBSERVATION_EXPORT], args.format)
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    ds = load_dataset(args.root)
    _emit(_filter(metrics.coverage(ds.observations), args), args.format)
    return 0


def _metric_command(fn_name: str):
    def run(args: argparse.Namespace) -> int:
        ds = load_dataset(args.root)
        table = getattr(metrics, fn_name)(ds.observations, metrics.indicator_frame(ds.indicators))
        _emit(_filter(table, args), args.format)
        return 0
    return run


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the dashboard with the heavy imports and the data already loaded, so the first visitor — often a
    deep link — does not wait for them. Same app as `streamlit run app.py`."""
    import os

    from streamlit.web import cli as streamlit_cli

    root = Path(args.root).resolve()
    os.environ["PARKMETRICS_ROOT"] = str(root)
    from . import serving, ui, views  # noqa: F401  (pandas, plotly, duckdb, pydantic: ~0.6 s)
    serving.warm(root)
    app = Path(__file__).resolve().parents[2] / "app.py"
    extra = args.streamlit_args[1:] if args.streamlit_args[:1] == ["--"] else args.streamlit_args
    sys.argv = ["streamlit", "run", str(app), *extra]
    return streamlit_cli.main()


def cmd_synth(args: argparse.Namespace) -> int:
    from .synth import write_root

    counts = write_root(Path(args.out), args.parks, args.indicators, args.years, args.bad_rows, args.seed)
    print(f"{counts['rows']:,} rows in {counts['files']:,} files, {counts['bad_rows']:,} broken on purpose "
          f"(listed in {Path(args.out) / 'expected_problems.csv'})")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    for path in write_schemas(Path(args.root) / "schemas"):
        print(path)
    print(write_problems_doc(Path(args.root) / "docs" / "problems.md"))
    return 0


def cmd_find(args: argparse.Namespace) -> int:
    """Candidate observation rows from a document (.txt/.docx/.pdf): the machine proposes, the editor confirms.
    --source fills park, type, scope and year from parks.yaml; explicit options win."""
    from .finder import UnreadableDocument, find_candidates, read_document, suggest_catalogue  # docx/pdf: only here

    ds = load_dataset(args.root)
    src = ds.sources.get(args.source) if args.source else None
    if args.source and src is None:
        print(f"unknown source {args.source!r} (not in parks.yaml): park/type/year are inferred", file=sys.stderr)
    try:
        text = read_document(args.document)
    except UnreadableDocument as exc:
        print(str(exc), file=sys.stderr)
        return 1
    rows = find_candidates(
        text, ds.indicators, park=args.park or (src.park if src else None), source=args.source,
        year=args.year or (int(src.date[:4]) if src else None), doc_type=args.type or (src.type if src else None),
        scope=src.scope if src else None)
    if args.suggest_catalogue:
        sys.stdout.write(suggest_catalogue(rows))
        return 0
    _emit(rows, args.format)
    print(f"{len(rows)} candidates, {int((rows['indicator_id'] == '').sum())} without a catalogue indicator",
          file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """A Word briefing, a slide deck or the charts (PNG + SVG in a ZIP) for one park or across parks: the same
    files as the pages' "生成简报 / Briefing" buttons (parkmetrics.reports.build)."""
    from . import reports  # python-docx, python-pptx, kaleido: only here
    from .analysis import analyse_root

    analysis = analyse_root(args.root)
    if args.park and args.park not in analysis.dataset.parks:
        print(f"unknown park {args.park!r}; known: {', '.join(analysis.dataset.parks)}", file=sys.stderr)
        return 2
    if analysis.dataset.errors:
        print(f"{len(analysis.dataset.errors)} data errors: rows with errors are left out (see `validate`)",
              file=sys.stderr)
    if args.compare and reports.too_many_parks(analysis):
        print(f"{len(analysis.dataset.parks)} parks: a cross-park report covers at most {reports.CROSS_PARK_MAX}. "
              "Hint: make one report per park (--park ID), or point --root at a folder with the parks to compare",
              file=sys.stderr)
        return 2
    masthead = reports.Masthead(args.masthead, args.issue, args.issuer, args.date, args.report_to, args.copy_to) \
        if args.masthead else None
    content, name = reports.build(analysis, park_id=None if args.compare else args.park, lang=args.lang,
                                  fmt=args.format, editor=not args.leader, masthead=masthead)
    out = Path(args.out)
    if out.is_dir():
        out = out / name
    out.write_bytes(content)
    print(out)
    return 0


def cmd_form(args: argparse.Namespace) -> int:
    """The 指标填报表 (.xlsx) for a park and a period: one row per indicator the park has a target for that year."""
    from . import forms

    ds = load_dataset(args.root)
    try:
        year, period = forms.parse_form_period(args.period)
        data = forms.build_form(ds, args.park, args.period)
    except forms.FormError as exc:
        print(exc.message_en if args.lang == "en" else str(exc), file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.is_dir():
        out = out / forms.form_file_name(ds, args.park, year, period)
    out.write_bytes(data)
    print(out)
    return 0


def _held_back(problems: list, rows: list[dict], source_id: str) -> dict[int, list]:
    """The loader's errors by the row they are about (its line in the new CSV: the header is line 1)."""
    from .write import observations_rel

    rel, out = observations_rel(source_id), {}
    for p in problems:
        if p.is_error and p.file == rel and p.line and 0 <= p.line - 2 < len(rows):
            out.setdefault(p.line - 2, []).append(p)
    return out


def cmd_import_form(args: argparse.Namespace) -> int:
    """A returned 指标填报表: its problems by cell, then the diff of what saving writes; saved without asking in
    editor mode (PARKMETRICS_EDITOR=1). A figure with a problem is held back, never the rest with it."""
    from . import forms, importing, write

    lang, path = args.lang, Path(args.file)
    say = (lambda zh, en: print(en if lang == "en" else f"{zh} / {en}", file=sys.stderr))

    def refused(exc: write.WriteRefused) -> int:
        again = isinstance(exc, (write.SourceExists, write.ObservationsExist))   # a form returned twice
        say(exc.message_zh + ("（已导入过：用 --replace 替换）" if again else ""),
            exc.message_en + (" (imported before: --replace replaces it)" if again else ""))
        return 1
    try:
        data = path.read_bytes()
    except OSError as exc:
        say(f"无法读取 {path}：{exc.strerror}", f"cannot read {path}: {exc.strerror}")
        return 2
    ds = load_dataset(args.root)
    got = forms.read_form(data, ds, name=path.name, expect_park=args.park, expect_period=args.period)
    for p in got.problems:
        print(p.format(path.name, lang), file=sys.stderr)
    if got.blocked:
        say("整张表未导入", "nothing in the form is imported")
        return 1
    rows = got.rows()
    held = len(got.frame) - len(rows)
    if not rows:
        say("没有可导入的数字", "no figure to import")
        return 1
    try:
        problems, _ = importing.validate(args.root, got.source, rows, replace=args.replace)
        # the loader's errors on a row hold that row back; the other rows are validated again without it
        for _ in range(3):
            bad = _held_back(problems, rows, got.source["id"])
            if not bad:
                break
            for i, found in sorted(bad.items()):
                cell = re.search(r"!([A-Z]+\d+)", rows[i]["note"] or "")
                for p in found:
                    print(f"{path.name}!{cell.group(1) if cell else '?'}: {p.code}: {p.message(lang)}",
                          file=sys.stderr)
            rows = [r for i, r in enumerate(rows) if i not in bad]
            held += len(bad)
            if not rows:
                say("没有可导入的数字", "no figure to import")
                return 1
            problems, _ = importing.validate(args.root, got.source, rows, replace=args.replace)
    except write.WriteRefused as exc:
        return refused(exc)
    errors = [p for p in problems if p.is_error]
    for p in problems:
        print(p.format(lang), file=sys.stderr)
    if errors:
        say("有错误，未保存（见上）", "errors above: nothing saved")
        return 1
    sys.stdout.write(importing.diff(args.root, got.source, rows, replace=args.replace))
    if not write.editor_mode():
        say(f"未开启编辑模式：只显示差异，未保存（设置 {write.EDITOR_ENV}=1 后保存）",
            f"editor mode is off: the diff is shown, nothing saved (set {write.EDITOR_ENV}=1 to save)")
        return 1 if held else 0
    try:
        written = importing.save(args.root, got.source, rows, replace=args.replace)
    except write.WriteRefused as exc:
        return refused(exc)
    for p in written:
        print(p)
    say(f"已保存 {len(rows)} 个数字" + (f"，{held} 个未导入（见上）" if held else ""),
        f"{len(rows)} figures saved" + (f", {held} held back (see above)" if held else ""))
    return 1 if held else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parkmetrics", description="园区目标与实绩 · park targets and actuals")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_text: str, table: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--root", default=".", help="data folder holding parks.yaml and data/ (default: .)")
        if table:
            p.add_argument("--format", choices=["csv", "json"], default="csv")
            p.add_argument("--park", help="only this park id")
            p.add_argument("--year", type=int, help="only this year")
        p.set_defaults(func=func)
        return p

    v = add("validate", cmd_validate, "check every file; exit 1 when there are errors", table=False)
    v.add_argument("--lang", choices=["zh", "en"], default="zh", help="message language (zh shows both)")
    add("observations", cmd_observations, "the normalised observations, one row per figure")
    add("coverage", cmd_coverage, "which park has which indicator: targets and actuals per year")
    add("attainment", _metric_command("attainment"), "a row per target: actual, ratio, status, flags")
    add("yoy", _metric_command("yoy"), "year-on-year change: nominal, stated, implied previous level")
    add("pace", _metric_command("pace"), "pace to multi-year targets (Statistics Canada / Open SDG method)")
    add("checks", _metric_command("checks"), "recompute the relations the documents state; list mismatches")
    add("schema", cmd_schema, "write the JSON Schemas for the YAML files and the code table of docs/problems.md",
        table=False)
    find = add("find", cmd_find, "candidate observation rows from a document (.txt, .docx, .pdf) for an editor")
    find.add_argument("document", help="the document file")
    find.add_argument("--source", help="its source id in parks.yaml (fills park, type, scope, year)")
    find.add_argument("--type", choices=["plan", "summary", "district_plan"], help="default: from the title")
    find.add_argument("--suggest-catalogue", action="store_true",
                      help="print YAML stubs for indicator texts the catalogue lacks")
    synth = add("synth", cmd_synth, "write a synthetic data root for national-scale benchmarks", table=False)
    synth.add_argument("out", help="folder to write (parks.yaml, data/)")
    synth.add_argument("--parks", type=int, default=300)
    synth.add_argument("--indicators", type=int, default=40)
    synth.add_argument("--years", type=int, default=12)
    synth.add_argument("--bad-rows", type=float, default=0.0, help="share of rows broken in known ways, e.g. 0.01")
    synth.add_argument("--seed", type=int, default=0)
    report = add("report", cmd_report, "a Word briefing, slides or chart images for a park or across parks",
                 table=False)
    who = report.add_mutually_exclusive_group(required=True)
    who.add_argument("--park", help="park id (parks.yaml)")
    who.add_argument("--compare", action="store_true", help="across every park")
    report.add_argument("--lang", choices=["zh", "en"], default="zh")
    report.add_argument("--format", choices=["docx", "pptx", "png"], required=True,
                        help="docx: Word briefing (A4); pptx: slides (16:9); png: ZIP of every chart as PNG and SVG")
    report.add_argument("--out", required=True, help="file to write, or a folder to write the report's own name in")
    report.add_argument("--leader", action="store_true",
                        help="the copy a leader is handed: the written analysis and annexes, without the self-checks")
    head = report.add_argument_group("masthead (报头 and 版记 of the Word briefing; all optional)")
    head.add_argument("--masthead", metavar="NAME", help="the briefing's name, printed red on top, e.g. 园区发展简报")
    head.add_argument("--issue", default="", help="期号, e.g. 3 (printed 第3期)")
    head.add_argument("--issuer", default="", help="编发单位, also the file's author")
    head.add_argument("--date", default="", help="the issue date, YYYY-MM-DD (default: today)")
    head.add_argument("--report-to", default="", help="报送: whom the briefing is sent up to")
    head.add_argument("--copy-to", default="", help="抄送: whom it is copied to")
    form = add("form", cmd_form, "the 指标填报表 (.xlsx) a park fills in for a period", table=False)
    form.add_argument("--park", required=True, help="park id (parks.yaml)")
    form.add_argument("--period", required=True, help="2023-M1-M9, 2023-H1, 2023-Q3 or 2023 (the full year)")
    form.add_argument("--out", required=True, help="file to write, or a folder to write the form's own name in")
    form.add_argument("--lang", choices=["zh", "en"], default="zh", help="message language")
    imp = add("import-form", cmd_import_form, "a returned 指标填报表: problems by cell and the diff; "
              "saved in editor mode (PARKMETRICS_EDITOR=1)", table=False)
    imp.add_argument("file", help="the returned .xlsx")
    imp.add_argument("--park", help="the park the form must be for")
    imp.add_argument("--period", help="the period the form must be for, e.g. 2023-M1-M9")
    imp.add_argument("--replace", action="store_true", help="replace the source and its figures if already saved")
    imp.add_argument("--lang", choices=["zh", "en"], default="zh", help="message language")
    serve = add("serve", cmd_serve, "run the dashboard, warmed up (options after -- go to streamlit)", table=False)
    serve.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="e.g. -- --server.port 8502")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
