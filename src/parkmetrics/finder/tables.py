"""Figures in tables: each cell read with its row header and its column headers.

A statistics table in a 运行情况 or a 填报表 names the indicator in its first column(s), the unit in a unit column,
in the row label (亿元) or in a header, and what each figure column measures in its headers — often two header rows,
a merged period cell over 绝对值 / 同比±%:

    指标名称        单位   1-9月           全年目标   完成进度%
                          绝对值  同比±%
    规上工业总产值   亿元   405.97  1.8      520       78.1

Every cell with a number becomes one candidate; its quote is the row's line (the cells joined by single spaces, as
`reading` writes it), so the editor finds it in the document. Tables come from .docx/.pdf structure
(`DocumentText.tables`) or, in pasted text, from runs of lines that split into the same number of cells.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import timing
from ..units import UNITS as KNOWN_UNITS
from .reading import Cell, Row, Table, is_figure_cell, number

# every unit of two characters or more the project knows (万人次 in a 计算单位 column, 443_table; 万千瓦时), and the
# one-character ones a table writes alone in a unit cell (月, 天, 期 would be read in headers such as 本 月)
_UNIT_WORDS = tuple(dict.fromkeys([*(u for u in KNOWN_UNITS if len(u) > 1),
                                   "元", "%", "家", "户", "个", "项", "亩", "人", "吨", "件", "倍"]))
_UNIT_IN = re.compile(r"[（(](?:单位[:：])?\s*(" + "|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True))
                      + r")\s*[)）]")
_UNIT_LINE = re.compile(r"单位[:：]\s*(" + "|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True)) + ")")
_ROW_YEAR = re.compile(r"\s*(20\d\d)\s*年?度?\s*")
_LABEL_MARK = re.compile(r"^\s*(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|其中[:：]?|#)\s*")
_MONTHS = re.compile(r"(\d{1,2})\s*[-—－~～至到]\s*(\d{1,2})\s*月")


@dataclass
class TableFigure:
    start: int             # the number in the document
    end: int
    value: float
    unit: str
    label: str             # the row's indicator words
    header: str            # the column's header words
    row: Row
    kind: str              # actual | target
    basis: str             # level | growth_pct | pct_of_plan | share_pct | pp_change
    period: str
    year: int | None
    estimate: bool = False  # a 预计/预计值 column (2020 年预计值, 335_plan): an actual not yet final


def detect(text: str) -> list[Table]:
    """Tables in plain text: runs of ≥ 2 lines that split (on tabs, '|' or runs of spaces) into ≥ 3 cells, the
    data lines with a number after their first cell; a line of words just above a run is its header."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    tables: list[Table] = []
    run: list[Row] = []

    def close() -> None:
        data = [r for r in run if _data_row(text, r)]
        header = run[0] if run and not _data_row(text, run[0]) else None
        widths = {len(r.cells) for r in data}
        if header is not None and len(widths) == 1 and len(header.cells) > (width := widths.pop()):
            run[0] = header = _fit_header(text, header, width)
        # two rows with numbers, or one under a header of as many cells (指标名称 单位 1-9月 / 规模工业总产值 亿元 296.2)
        if len(data) >= 2 or (data and header is not None and len(header.cells) == len(data[0].cells)):
            tables.append(Table(list(run)))
        run.clear()

    for i, (start, line) in enumerate(lines):
        if _CELL_LINE.match(line):
            close()   # a table pasted one cell per line: read below
            continue
        row = _split(start, line)
        if row is not None and len(row.cells) >= 3 and (_data_row(text, row) or not run and _next_is_data(lines, i)):
            run.append(row)
        else:
            close()
    close()
    return sorted(tables + _cell_per_line_tables(lines, text), key=lambda t: t.rows[0].start)


# a web table copied one cell per line, each line ending in " |", its rows parted by lines of bars alone:
# 地区生产总值(亿元) |⏎300.41 |⏎469.5 |⏎9.3 |⏎预期性 |⏎| (330_plan's 表1 “十三五”期间…主要目标)
_CELL_LINE = re.compile(r"(?:[^\n|]*|\|*)\|[ \t]*$")


def _cell_per_line_tables(lines: list[tuple[int, str]], text: str) -> list[Table]:
    tables: list[Table] = []
    rows: list[Row] = []
    cells: list[Cell] = []

    def end_row() -> None:
        if len(cells) >= 2:
            rows.append(Row(cells[0].start, cells[-1].end, list(cells)))
        cells.clear()

    def end_table() -> None:
        end_row()
        if sum(_data_row(text, r) for r in rows) >= 2:
            tables.append(Table(list(rows)))
        rows.clear()

    for start, line in lines:
        if not _CELL_LINE.match(line):
            end_table()
        elif not line.strip(" \t|"):
            end_row()    # | or |||||: the row ends
        else:
            words = line.rstrip(" \t|")
            lead = len(words) - len(words.lstrip())
            cells.append(Cell(start + lead, start + len(words), len(cells)))
    end_table()
    return tables


def _fit_header(text: str, header: Row, width: int) -> Row:
    """A pasted header split wider than its rows (指 标 绝对数 (亿元) 比上年增长(%) 比重 (%) 上年比重(%) over five cells,
    421_table): a bracketed unit joins the words before it, a year its 年, a lone character the one after it, until it
    fits."""
    cells = list(header.cells)

    def join(i: int) -> None:
        cells[i:i + 2] = [Cell(cells[i].start, cells[i + 1].end, cells[i].col)]

    for i in range(len(cells) - 1, 0, -1):
        if len(cells) > width and re.fullmatch(r"[(（][^()（）]*[)）]", text[cells[i].start:cells[i].end]):
            join(i - 1)
    for i in range(len(cells) - 2, -1, -1):   # 2020 年目标值 (335_plan): a copied PDF spaces a year from its 年, as in
        # prose (到 2020 年底, 336_plan; 我区 2003 年财政收入, 116_summary)
        if len(cells) > width and re.fullmatch(r"(?:19|20)\d\d", text[cells[i].start:cells[i].end]) and \
                text[cells[i + 1].start:cells[i + 1].end].startswith("年"):
            join(i)
    i = 0
    while len(cells) > width and i < len(cells) - 1:
        if len(text[cells[i].start:cells[i].end]) == 1 and len(text[cells[i + 1].start:cells[i + 1].end]) == 1:
            join(i)
        i += 1
    if len(cells) != width:
        return header
    return Row(header.start, header.end, [Cell(c.start, c.end, k) for k, c in enumerate(cells)])


def _next_is_data(lines: list[tuple[int, str]], i: int) -> bool:
    for start, line in lines[i + 1:i + 3]:
        row = _split(start, line)
        if row is not None and len(row.cells) >= 3 and any(is_figure_cell(line[c.start - start:c.end - start])
                                                           for c in row.cells[1:]):
            return True
    return False


_BRACKETED = re.compile(r"[（(][^（()）\n]*[)）]")
_CLAUSE_MARK = re.compile(r"[。；;！？]|[，,](?!\d{3}(?!\d))")   # a thousands comma (1,234) is no clause mark


def _split(start: int, line: str) -> Row | None:
    # prose is no table row, even when a web page or a PDF put spaces around its numbers (截至 2024 年底,…达 178 家,…)
    if len(line) > 400 or not line.strip() or _CLAUSE_MARK.search(_BRACKETED.sub("", line)):
        return None   # (a header's 增加值(亿元,现价) keeps its comma inside its brackets)
    cells = [Cell(start + m.start(), start + m.end(), i) for i, m in enumerate(re.finditer(r"[^\s|]+", line))]
    return Row(start, start + len(line), cells) if cells else None


def _data_row(text: str, row: Row) -> bool:
    return any(is_figure_cell(text[c.start:c.end]) for c in row.cells[1:]) and not _years_row(text, row) and \
        not _months_row(text, row)


_BARE_MONTHS = re.compile(r"\s*(1[0-2]|[1-9])\s*(?:[-—~～至]\s*(1[0-2]|[1-9]))?\s*")


def _months_row(text: str, row: Row) -> bool:
    """指标名称 | 11 | 比去年同月增长(%) | 1-11 | 比去年同期增长(%) (463_table; 指标名称 | 计量单位 | 10 | 同比增长(±% | 1-10,
    419_table): a monthly sheet's header, whose numbers are the month and the months to date, not figures."""
    cells = [text[c.start:c.end].strip() for c in row.cells]
    if len(cells) >= 2 and all(_BARE_MONTHS.fullmatch(v) for v in cells) and any("-" in v or "—" in v or "~" in v
                                                                                  or "至" in v for v in cells):
        return True   # 12 | 1-12 over 绝对量 | 同比增长% (471_table): the month and the months to date, nothing else
    numbers = [v for v in cells[1:] if is_figure_cell(v)]
    return bool(numbers) and all(_BARE_MONTHS.fullmatch(v) for v in numbers) and \
        bool(re.search(r"指标|项目|名称|增长|同比|%", " ".join(v for v in cells if not is_figure_cell(v))))


def _years_row(text: str, row: Row) -> bool:
    """2002 | 2003 | 2004 … (416_table), or 2020 年目标值 2020 年预计值 with each year spaced from its 年 (335_plan): a
    header row of years, not figures."""
    cells = [text[c.start:c.end].strip() for c in row.cells]
    numbers = [i for i, v in enumerate(cells) if is_figure_cell(v)]
    years = [int(cells[i]) for i in numbers if re.fullmatch(r"(?:19|20)\d\d", cells[i])]
    if not years or len(years) != len(numbers):
        return False
    return all(i + 1 < len(cells) and cells[i + 1].startswith("年") for i in numbers) or \
        (len(years) >= 2 and years == sorted(set(years)))


def figures(text: str, table: Table, *, doc_year: int | None, context: str = "",
            default_period: str | None = None) -> Iterator[TableFigure]:
    """Every number cell of a table, read with its row label and column header, row by row as the reader asks (a
    caller out of time stops mid-table). `context` is the text just before the table (its title and a 单位：亿元
    line); `default_period` the document's own (its title's 1-9月), for the columns whose headers and the table's
    title name none."""
    rows = table.rows
    first_data = next((i for i, r in enumerate(rows) if _data_row(text, r)), None)
    if first_data is None:
        return
    # 全县 2010.6 / 单位:个、万元 / 指标名称 本月 同比% …: a row of words only just below is the real header; what
    # came before it is the table's title block
    for i in range(first_data + 1, min(first_data + 4, len(rows) - 1)):
        if len(rows[i].cells) >= 2 and not any(is_figure_cell(text[c.start:c.end]) for c in rows[i].cells) \
                and _data_row(text, rows[i + 1]):
            context += "\n" + "\n".join(text[r.start:r.end] for r in rows[:i])
            rows, first_data = rows[i:], 1
            break
    ncols = max(c.col + c.span for r in rows for c in r.cells)
    # a row of one cell across the whole table above the header (2018年1-8月 / 单位:万元) is its title block
    while first_data > 1 and len(rows[0].cells) == 1 and rows[0].cells[0].span >= ncols > 1:
        context += "\n" + text[rows[0].start:rows[0].end]
        rows, first_data = rows[1:], first_data - 1
    # 产业结构 Structure alone on the row just above the data, where row labels stand, opens a block (a 增长速度 row
    # opens the next, 466_table): read with the rows, not as every column's header (a wrapped 增长% over the last
    # column is a header, 407_table)
    while first_data > 1 and len(rows[first_data - 1].cells) == 1 and rows[first_data - 1].cells[0].col == 0 and \
            _column_reading(text[rows[first_data - 1].start:rows[first_data - 1].end])[0] in {"growth_pct", "share_pct",
                                                                                          "index"}:
        first_data -= 1
    headers = rows[:first_data]
    col_header = ["" for _ in range(ncols)]
    months = ["" for _ in range(ncols)]   # a months row's period over the columns its cells span
    for r in headers:
        month_row = _months_row(text, r)
        for c in r.cells:
            for k in range(c.col, min(c.col + c.span, ncols)):
                if month_row and (bare := _BARE_MONTHS.fullmatch(text[c.start:c.end])):
                    months[k] = _period_of(bare.group())
                    continue
                # 本 月 止 累 计 / 位 次: spaces a yearbook or a pasted header puts inside a cell's words (455_table)
                col_header[k] = (col_header[k] + " " + _CJK_GAP.sub("", text[c.start:c.end])).strip()
    periods = [_period_of(h) or months[k] for k, h in enumerate(col_header)]
    for k, h in enumerate(col_header):  # 1-6月累计 | 累计 增长%: a bare 累计 is the cumulative period on its left,
        # and so is a share of it (1-4月 累计 | 增长(%) | 结构(%): 412_table, 443_table)
        if not periods[k] and re.search(r"累计|同比|增长|增速|±|进度|完成率|结构|构成|比重|占比", h):
            periods[k] = next((p for p in reversed(periods[:k]) if p.startswith("M1-") or p == "H1"), "")
    # the table's own period, from its title (2023年1-9月主要经济指标) or the document's, for columns that name none:
    # 本月/当月 is its last month, 累计 the months to it; a 目标/计划 column is the year's
    own = _title_period(context) or default_period or ""
    month = _last_month(own)
    # the year of the table's title, else the document's, else the one year its headers name (2011年 | 2011年为上年% |
    # 占地区生产总值比重%: every column is 2011's)
    header_years = {int(y) for h in col_header for y in re.findall(r"(20\d\d)\s*年", h)}
    table_year = _year_of(context) or doc_year or (header_years.pop() if len(header_years) == 1 else None)
    for k, h in enumerate(col_header):
        if periods[k] or re.search(r"目标|计划|任务|预期", h) or \
                re.search(r"上年|去年", h) and not re.search(r"同期|同月", h):   # 比上年同月增长 (455_table) has one
            continue  # a target, or last year's whole-year figure: no period
        if (named := _year_of(h)) is not None and table_year is not None and named < table_year:
            continue  # 2020年 | 2021年1-2月: an earlier year's column with no months is that whole year
        if re.search(r"累计|本年|本期|今年|1\s*[-—~～至到]\s*本月", h) and month:   # 本月止累计, 当月累计, 1-本月
            # (464_table): the months to it
            periods[k] = f"M1-M{month}" if month != 12 else ""
        elif re.search(r"本月|当月|单月", h):
            periods[k] = f"M{month}" if month else ""
        else:
            periods[k] = own
    for k, h in enumerate(col_header):  # 本月 | 同比% | 累计 | 同比%: a change column is the period on its left's
        if k and re.search(r"同比|增长|增速|增幅|±", h) and not _period_of(h) and not re.search(r"累计|本月|当月", h):
            periods[k] = periods[k - 1]
    unit_cols = {k for k, h in enumerate(col_header) if re.search(r"单位(?!数)", h)}   # 单位数 (个) counts units
    seq_col = _sequence_column(text, rows[first_data:], col_header)
    table_unit = None
    m = _UNIT_LINE.search(context[-200:]) or _UNIT_IN.search(context[-120:])
    if m:
        table_unit = m.group(1)
    # 单位:个、万元: one unit line for counts and amounts — each row takes the one its label calls for
    line = m.string[m.start():].split("\n")[0] if m and m.re is _UNIT_LINE else ""
    units = re.findall("|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True)), line)
    previous_unit: dict[int, str | None] = {}
    # a row whose label names what the rows under it measure — 增长速度 or 产业结构 alone on its row (466_table), or
    # 总产出指数(上年=100) / 总产出构成(%) with its own figures (467_table) — until a row names another reading
    # or a unit of its own (总产出(亿元)): for columns that say nothing of it (years, places)
    block_reading: dict[int, str | None] = {}
    for r in rows[first_data:]:
        ranked = None
        if seq_col is not None:  # the row numbers (序号 1, 2, 3…) are neither a label nor a figure
            if _RANK_HEADER.search(col_header[seq_col]):   # 排名 | 地区 | 生产总值(亿元): the place's rank (431_table)
                ranked = next((c for c in r.cells if c.col == seq_col), None)
            r = Row(r.start, r.end, [c for c in r.cells if c.col != seq_col])
        for n, cells in enumerate(_blocks(text, r.cells, unit_cols)):
            label_cells = [c for c in cells if not is_figure_cell(text[c.start:c.end]) and c.col not in unit_cols
                           and not (c.col > cells[0].col and _is_unit_text(text[c.start:c.end]))]
            first_figure = _first_figure_col(text, cells)
            row_label = " ".join(text[c.start:c.end] for c in label_cells if c.col < first_figure)
            if not row_label:
                continue
            label = _LABEL_MARK.sub("", row_label)
            reading, _ = _column_reading(label)
            if reading in {"index", "growth_pct", "share_pct"}:
                block_reading[n] = reading
            elif _unit_of(row_label):
                block_reading[n] = None
            if ranked is not None and n == 0:
                yield TableFigure(ranked.start, ranked.end, number(text[ranked.start:ranked.end].strip(".、 ")),
                                  "位", label, col_header[seq_col], r, "actual", "rank", own, table_year)
            unit_cell = next((text[c.start:c.end] for c in cells if c.col in unit_cols), None)
            if unit_cell is None:
                unit_cell = next((text[c.start:c.end] for c in cells[1:] if _is_unit_text(text[c.start:c.end])), None)
            # a row that names no unit has its block's (本地生产总值(亿元) above 第一产业 …)
            row_unit = _unit_of(unit_cell or "") or _unit_of(row_label) or \
                (_unit_for(label, units) if len(set(units)) > 1 and not row_label.startswith("其中") else
                 previous_unit.get(n) or table_unit)   # 其中:规模以上 is a part of the row above, in its unit
            previous_unit[n] = row_unit
            for c in cells:
                raw = text[c.start:c.end].strip()
                if not is_figure_cell(raw) or c.col in unit_cols or c.col < first_figure:
                    continue
                header = " ".join(dict.fromkeys(col_header[k] for k in range(c.col, min(c.col + c.span, ncols))
                                                if col_header[k]))
                basis, kind = _column_reading(header)
                if basis == "level" and block_reading.get(n):
                    basis = block_reading[n]
                unit = "%" if basis in {"growth_pct", "pct_of_plan", "share_pct", "index"} or raw.endswith("%") else \
                    ("个百分点" if basis == "pp_change" else "位" if basis == "rank" else
                     # no unit anywhere (企业个数 56, 价格指数 103.2): '' — read all the same, the reader decides
                     (_unit_of(header) or row_unit or ""))
                if unit == "%" and basis == "level":
                    # a % in an amount's row (规模工业增加值 % 8.1) is its growth; in a 构成 table or a 率/比重 row, a share
                    amount = re.search(r"值|收入|投资|总额|销售|产量|利润|税", label) and \
                        not re.search(r"率|比重|占|比例|强度|构成", label + context[-60:])
                    # a table titled by a rate of growth (表1 上半年,全区规上工业产值增速 / 单位:%) holds growths
                    # (指标:工业增加值_同比增长(%), 461_table: the caption names the rate and its unit)
                    titled = re.search(r"(?:增速|增幅|增长(?:率|情况)?)(?:\s*[（(]%[)）])?\s*(?:\n|$)", context[-80:]) and \
                        not re.search(r"率|比重|占|比例|强度|构成", label)
                    basis = "growth_pct" if amount or titled else "share_pct"
                value = number(raw.rstrip("%"))
                if basis == "index":
                    value, basis, unit = round(value - 100, 10), "growth_pct", "%"
                period = next((periods[k] for k in range(c.col, min(c.col + c.span, ncols)) if periods[k]), "")
                if re.fullmatch(r"M\d+", period) and re.search(r"累计$", label):
                    period = "M1-" + period if period != "M1" else period   # months as columns, a 累计 row: to date
                year = _year_of(header) or table_year
                if year and re.search(r"上年|去年", header) and basis not in {"growth_pct", "pp_change"}:
                    year -= 1  # 上年同期 / 上年实际: last year's figure (比上年增长% is this year's growth)
                named = label
                if (by_year := _ROW_YEAR.fullmatch(label)) is not None:
                    # 年份 | 地区生产总值（亿元） | …: a year per row, an indicator per column
                    named, year = _UNIT_IN.sub("", header).strip() or label, int(by_year.group(1))
                yield TableFigure(c.start, c.end, value, unit, named, header, r, kind, basis, period, year,
                                  kind == "actual" and bool(re.search(r"预计|预估", header)))


_RANK_HEADER = re.compile(r"排名|名次|位次|排序|排位")


def _sequence_column(text: str, rows: list[Row], col_header: list[str]) -> int | None:
    """The first column when it numbers the rows: headed 序号/编号/No., or holding 1, 2, 3… down the rows while a
    later column holds the words (the indicator)."""
    firsts = [r.cells[0] for r in rows if r.cells]
    if not firsts:
        return None
    col = firsts[0].col
    if col < len(col_header) and re.fullmatch(r"\s*(?:序号|编号|序|No\.?|NO\.?)\s*", col_header[col]):
        return col
    values = [text[c.start:c.end].strip().rstrip(".、") for c in firsts if c.col == col]
    numbered = len(values) >= 2 and all(v.isdigit() for v in values) and \
        [int(v) for v in values] == list(range(int(values[0]), int(values[0]) + len(values)))
    worded = all(any(not is_figure_cell(text[c.start:c.end]) for c in r.cells[1:]) for r in rows if r.cells)
    return col if numbered and worded else None


def _first_figure_col(text: str, cells: list[Cell]) -> int:
    return next((c.col for c in cells if is_figure_cell(text[c.start:c.end])), 10**6)


def _blocks(text: str, cells: list[Cell], unit_cols: set[int]) -> list[list[Cell]]:
    """A row's blocks: a statistics sheet often sets two indicators side by side (指标 单位 1-8月 增长% 指标 单位 …);
    a word cell after a figure opens the next block, with its own label and unit."""
    blocks: list[list[Cell]] = [[]]
    seen_figure = False
    for c in cells:
        words = text[c.start:c.end]
        if seen_figure and not is_figure_cell(words) and c.col not in unit_cols and not _is_unit_text(words) \
                and not re.fullmatch(r"[—–\-－/…]+|[*＊#]|[\d.,\-\s]+", words.strip()):   # 27446-3: a garbled number
            blocks.append([])
            seen_figure = False
        blocks[-1].append(c)
        seen_figure = seen_figure or is_figure_cell(words)
    return blocks


def _is_unit_text(cell: str) -> bool:
    return cell.strip("（）() ") in _UNIT_WORDS or bool(re.fullmatch(r"[万亿]?[元户家个项亩人吨件]|%", cell.strip()))


def _unit_for(label: str, units: list[str]) -> str:
    """Of a unit line's several units, the one a row's label calls for: an amount's money unit, else the count's."""
    money = [u for u in units if u.endswith("元")]
    counts = [u for u in units if not u.endswith("元") and u != "%"]
    if money and (re.search(r"值|收入|投资|总额|额|利润|税|销售|资金", label) or not counts):
        return money[0]
    return counts[0] if counts else units[0]


def _unit_of(words: str) -> str | None:
    words = words.strip()
    if short := re.search(r"[（(]\s*([万亿])\s*[)）]", words):
        return short.group(1) + "元"   # 第一产业(亿) (432_table): 亿 for 亿元, as prose writes 突破3600亿 (333_plan)
    if words.strip("（）() ") in _UNIT_WORDS:
        return words.strip("（）() ")
    m = _UNIT_IN.search(words) or _UNIT_LINE.search(words)
    if m:
        return m.group(1)
    # a header of two rows whose second names the unit (1-8月 / 亿元): the unit is one of the header's words
    return next((w.strip("（）()") for w in words.split() if w.strip("（）()") in _UNIT_WORDS), None)


def _column_reading(header: str) -> tuple[str, str]:
    """(basis, kind) from a column's header words (figures() has joined the words a header spaces: 位 次, 435_table)."""
    kind = "target" if re.search(r"目标|计划|任务|预期", header) and not re.search(r"完成|进度|占", header) else "actual"
    if re.search(r"进度|完成率|完成(?:年度|全年)?(?:目标|计划|任务)?(?:的)?%|占(?:年度|全年)", header):
        return "pct_of_plan", "actual"
    if re.search(r"位次|排名|排位|名次", header):
        return "rank", kind     # 增速位次 3: the rank among the areas compared
    if re.search(r"为上年%|为上年的%|上年\s*=\s*100|以上年为100|发展速度", header):
        return "index", kind    # 2011年为上年% 112: an index on last year (= 100), a growth of 12 %
    if re.search(r"百分点", header):
        return "pp_change", kind
    if re.search(r"同比|增长|增速|增幅|±|比上年|比去年|涨跌|涨幅|跌幅", header):   # 涨跌幅度(%): prices (424_table)
        return "growth_pct", kind
    if re.search(r"比重|占比|比例|结构|构成|率", header):   # 结构(%) (443_table, 412_table), 产销率(%) (445_table)
        return "share_pct", kind
    return "level", kind


def _period_of(header: str) -> str:
    if bare := _BARE_MONTHS.fullmatch(header):   # a monthly sheet's 11 | 1-11 columns (_months_row)
        first, last = bare.groups()
        return f"M{int(first)}" if last is None else timing.month_range(first, last) or ""
    m = _MONTHS.search(header)
    if m and int(m.group(1)) == 1:
        return f"M1-M{int(m.group(2))}" if int(m.group(2)) != 12 else ""
    if re.search(r"上半年", header):
        return "H1"
    if re.search(r"前三季度", header):
        return "M1-M9"
    m = re.search(r"(?<![\d\-—至到])(\d{1,2})\s*月(?:份)?(?!\s*[-—至到])", header)
    if m and re.search(r"本月|当月|单月|月份", header + "月份"):
        return f"M{int(m.group(1))}"
    said = timing.period(header)   # the prose's other ways: 一至八月, 前8个月, 1-3季度, 一季度
    return said or ""


def _title_period(context: str) -> str:
    """The period a table's title names (its short lines just before it; a paragraph's sentence is no title): 1-9月,
    上半年, 前三季度, 9月 as a column header names them; 一季度 as a sentence does."""
    title = " ".join(line for line in context.strip().split("\n")[-3:] if len(line.strip()) <= 50)
    dated = re.search(r"(?<!\d)20\d\d\s*[.．/]\s*(\d{1,2})(?!\d)", title)   # 全县 2010.6: a monthly table, to date
    return _period_of(title) or timing.period(title) or \
        (timing.month_range("1", dated.group(1)) or "" if dated and 1 <= int(dated.group(1)) <= 12 else "")


def _last_month(period: str) -> int | None:
    """The last month a period code covers: M1-M9 → 9, M9 → 9, H1 → 6, Q3 → 9."""
    m = re.fullmatch(r"M(?:\d+-M)?(\d+)", period)
    if m:
        return int(m.group(1))
    return {"H1": 6, "H2": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}.get(period)


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])")
_NAMED_YEAR = re.compile(r"(20\d\d)\s*年|" + timing.FIVE_YEAR.pattern)


def _year_of(words: str) -> int | None:
    """The last year a title or header names: 2023年, a five-year plan's last (“十三五”年均增长(%) → 2020, 330_plan —
    after the document title's 2035年远景目标), or a header that is a year alone (2002 | 2003 | …, 416_table)."""
    # 按2020年不变价格计算: the base of the prices, not the figure's year (480_table, a 统计公报's GDP table)
    named = [m for m in _NAMED_YEAR.finditer(words) if not re.match(r"\s*(?:不变|可比)价", words[m.end():])]
    if named:
        last = named[-1]
        return int(last.group(1)) if last.group(1) else timing.FIVE_YEAR_END[last.group()]
    # a year standing as a word of its own: a header that is a year alone (2002 | 2003 | …, 416_table), or a header
    # of two rows whose other row names the indicator (工业企业单位数 (个) over 2000 | 2005 | …, 468_table; 2008 | 2009
    # over 社会消费品零售总额 (亿元) | 增长 (%), 465_table)
    years = re.findall(r"(?:^|\s)((?:19|20)\d\d)(?=\s|$)", words)
    return int(years[-1]) if years else None
