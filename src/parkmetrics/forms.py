"""指标填报表: an Excel form per park and period, built from the park's targets, filled in by the park, read back
into candidate observation rows that go through the import page's review, validation, diff and save.

    data = build_form(ds, "linxiang", "2022-M1-M9")         # bytes of the .xlsx; form_file_name(...) names it
    got = read_form(data, ds, name="填报表.xlsx", expect_park="linxiang", expect_period="2022-M1-M9")
    got.problems                                            # FormProblem per cell: message("zh") → "F7：…"
    got.frame                                               # importing.review_frame's columns; held rows unticked
    rows = importing.observation_rows(got.frame, park_id=got.park_id, source_id=got.source["id"])
    importing.validate(root, got.source, rows); importing.diff(...); importing.save(...)

The workbook: one visible sheet (指标填报) with the cover rows (园区, 报告期, 填报日期, 填报单位, 填报人, 联系电话), a
header row and one row per indicator the park has a park-scope target for in that year (annual targets and targets
of the form's own period). The sheet is protected except the cells the park fills (本期数值, 同比增长, 预计, 备注 and
the cover's fill cells), which carry data validation. Hidden columns hold each row's park, indicator, year, period,
the basis of its figure and a checksum: one short hash per id and per protected cell, so an edit is named by its
cell. A very hidden sheet (_form) repeats the form's ids and each row's indicator and checksum.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from . import i18n, importing
from .loader import Dataset
from .model import BASIS_UNIT
from .periods import parse_period
from .units import UNITS, convert, same_family

FORMAT = "parkmetrics-form"
VERSION = 1
SHEET = "指标填报"
META_SHEET = "_form"
SOURCE_TYPE = "form"
ROWS_PER_PAGE = 30                 # one A4 landscape page per 30 indicators (fit to width, ceil(n/30) pages tall)
SCALE_OFF = 100                    # a figure 100× above or below its target is read in the wrong unit
MAX_BYTES = importing.MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 2000                    # a form has one row per indicator: a few dozen
_SALT = "parkmetrics-form-v1|"

# The columns of the form, left to right: (key, header, width in Excel units).
COLUMNS = [("no", "序号", 4), ("name", "指标", 24), ("note", "口径说明", 50), ("base", "目标（基本）", 13),
           ("stretch", "力争目标", 11), ("value", "本期数值", 10), ("unit", "单位", 5.5),
           ("growth", "同比增长", 8.5), ("estimate", "预计", 5), ("remark", "备注", 14),
           # hidden: the ids that keep the file machine-readable
           ("park_id", "park_id", 10), ("indicator_id", "indicator_id", 24), ("year", "year", 6),
           ("period", "period", 7), ("basis", "basis", 9), ("checksum", "checksum", 40)]
COL = {key: get_column_letter(i + 1) for i, (key, _, _) in enumerate(COLUMNS)}
VISIBLE = [key for key, _, _ in COLUMNS[:10]]
HIDDEN = ["park_id", "indicator_id", "year", "period", "basis"]
PROTECTED = ["name", "note", "base", "stretch", "unit"]      # what the park must not change: hashed per cell
CHECKED = HIDDEN + PROTECTED                                  # the checksum's parts, in this order
FILL = ["value", "growth", "estimate", "remark"]
QUOTED = ["name", "base", "stretch", "value", "unit", "growth", "estimate", "remark"]   # the row's text as quoted
HEADER_ROW, FIRST_ROW = 5, 6
# The cover: label cells, value cells (first, last of each merged range).
COVER = {"park": ("A2", "B2", "C2", "D2"), "period": ("E2", "E2", "F2", "G2"), "date": ("H2", "H2", "I2", "J2"),
         "issuer": ("A3", "B3", "C3", "D3"), "person": ("E3", "E3", "F3", "G3"), "phone": ("H3", "H3", "I3", "J3")}
COVER_LABELS = {"park": "园区", "period": "报告期", "date": "填报日期", "issuer": "填报单位", "person": "填报人",
                "phone": "联系电话"}
COVER_FILL = ("date", "issuer", "person", "phone")
YES, NO = "是", "否"
NA = "—"

# Bases a figure of the 本期数值 column can have, in order of preference when the targets do not say.
VALUE_BASES = ("level", "new_count", "rank", "share_pct", "change_abs")
NONNEGATIVE = {"level", "new_count", "rank", "share_pct"}
BASIS_UNIT_TEXT = {str(getattr(b, "value", b)): u for b, u in BASIS_UNIT.items()}   # "growth_pct" → "%"

BODY_FONT, HEAD_FONT = "SimSun", "SimHei"     # 宋体/黑体: on every Chinese Windows; fontconfig maps them to Noto CJK SC
GB2312 = 134


# --- messages -----------------------------------------------------------------------------------------------------

MESSAGES = i18n.FORM_PROBLEM   # a returned form's problems, worded in i18n
_COLUMN_EN = {"本期数值": "the figure (本期数值)", "同比增长": "the growth (同比增长)", "预计": "预计 (estimate)"}
_COVER_EN = {"date": "the date", "issuer": "the reporting unit", "person": "the person", "phone": "the phone"}
# Problems that hold back the whole form, a row, or only the figure in their cell.
FORM_LEVEL = {"unreadable", "not-a-form", "unknown-park", "wrong-park", "wrong-period", "cover-changed"}


@dataclass(frozen=True)
class FormProblem:
    """A problem in a returned form, named by its cell (F7) on the form's sheet."""
    code: str
    cell: str
    args: dict = field(default_factory=dict)
    row: int | None = None          # the form's row number it holds back (None: the cover or the whole form)

    @property
    def holds_form(self) -> bool:
        return self.code in FORM_LEVEL

    def message(self, lang: str = "zh") -> str:
        """"F7：「约300」不是数字…" (zh) or "F7: “约300” is not a number…" (en)."""
        zh, en = MESSAGES[self.code]
        text = (en if lang == "en" else zh).format_map(_Args(self.args))
        return f"{self.cell}: {text}" if lang == "en" else f"{self.cell}：{text}"

    def format(self, name: str, lang: str = "zh") -> str:
        """`FILE!F7: code: message` — one line, as the CLI prints it (zh: Chinese, then the English, as the
        loader's problems)."""
        zh, en = (t.format_map(_Args(self.args)) for t in MESSAGES[self.code])
        return f"{name}!{self.cell}: {self.code}: " + (en if lang == "en" else f"{zh} | {en}")


class _Args(dict):
    def __missing__(self, key: str) -> str:
        return ""


class FormError(ValueError):
    """The form cannot be built (unknown park, a period that is not one, no targets that year)."""

    def __init__(self, message_zh: str, message_en: str):
        self.message_zh, self.message_en = message_zh, message_en
        super().__init__(f"{message_zh} / {message_en}")


# --- periods --------------------------------------------------------------------------------------------------------

_PERIOD_ARG = re.compile(r"^\s*(\d{4})(?:\s*-\s*(\S+))?\s*$")


def parse_form_period(text: str) -> tuple[int, str]:
    """'2023-M1-M9' → (2023, 'M1-M9'); '2023' → (2023, '') the full year; FormError otherwise."""
    m = _PERIOD_ARG.match(text or "")
    period = parse_period(m.group(2)) if m else None
    if m is None or period is None or not 1990 <= int(m.group(1)) <= 2100:
        raise FormError(f"报告期「{text}」无效：应写作 2023、2023-M1-M9、2023-H1 或 2023-Q3",
                        f"period {text!r} is not one: write 2023, 2023-M1-M9, 2023-H1 or 2023-Q3")
    return int(m.group(1)), "" if period.full_year else period.code


def period_text(year: int, period: str) -> str:
    """(2022, 'M1-M9') → '2022年1-9月'; (2022, '') → '2022年全年'."""
    return f"{year}年{i18n.period_label(period, 'zh') or '全年'}"


def period_text_en(year: int, period: str) -> str:
    """(2022, 'M1-M9') → '2022 Jan–Sep'; (2022, '') → '2022 (full year)'."""
    return f"{year} {i18n.period_label(period, 'en')}" if period else f"{year} (full year)"


def period_arg(year: int, period: str) -> str:
    return f"{year}-{period}" if period else str(year)


# --- what the form holds ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormRow:
    indicator_id: str
    name: str
    note: str
    base: str
    stretch: str
    basis: str          # the basis of the 本期数值 figure ("" when the indicator takes no figure of its own)
    unit: str           # the unit the 本期数值 column asks for
    growth: bool        # does the indicator take a 同比增长 figure (growth_pct)?
    reference: float | None   # the value the figure is checked against for its scale (a target, else last actual)
    reference_text: str
    reference_kind: str        # "target" or "actual"


def _num(v: float) -> str:
    """A number as a person writes it: 296.2, 405970, 0.0005 — never 1e-05 or 296.20000000000002."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return str(int(v))
    text = format(Decimal(repr(float(v))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


_BASIS_WORDS = {"new_count": ("新增", ""), "growth_pct": ("增长", ""), "change_abs": ("净增", ""),
                "growth_multiple": ("增长", ""), "pct_of_plan": ("完成计划的", ""), "reduction_pct": ("降低", ""),
                "pp_change": ("提高", "")}


def target_text(basis: str, comparator: str, value: float, unit: str, approximate: bool = False,
                baseline_year: object = None, period: str = "") -> str:
    """A target as the form prints it: ≥4亿元, 增长7.5%, 新增26家, 前3位, 降低13.5%, 约1500亩."""
    cmp_ = "" if comparator in ("=", None, "") else comparator
    if basis == "rank":
        text = f"前{_num(value)}位" if comparator in ("≤", "<") else f"第{_num(value)}位"
    else:
        before, _ = _BASIS_WORDS.get(basis, ("", ""))
        if cmp_ == "≈":
            text = f"{before}约{_num(value)}{unit}"
        else:
            text = f"{before}{cmp_}{_num(value)}{unit}"
    if approximate and cmp_ != "≈":
        text += "左右"
    if baseline_year is not None and not (isinstance(baseline_year, float) and math.isnan(baseline_year)) \
            and baseline_year is not pd.NA:
        text += f"（较{int(baseline_year)}年）"
    if period:
        text += f"（{i18n.period_label(period, 'zh')}）"
    return text


def _first_sentence(text: str, limit: int = 60) -> str:
    """The 口径 note's first sentence (what is counted; the rest explains how parks differ), at most `limit`
    characters: a longer one is cut at a clause (；，) before the limit, with …"""
    text = re.sub(r"\s+", "", text or "")
    m = re.search(r"。", text)
    first = text[:m.start() + 1] if m else text
    if len(first) <= limit:
        return first
    cut = max(first.rfind(ch, 0, limit) for ch in "；，、")
    return (first[:cut] if cut > limit // 2 else first[:limit - 1]) + "…"


def targets_of(ds: Dataset, park_id: str, year: int, period: str = "") -> pd.DataFrame:
    """The park's park-scope targets for the year: annual ones and those of the form's own period."""
    obs = ds.observations
    if obs.empty:
        return obs
    # compared as they are (categorical or text), not cast to str: a page asks this on every rerun
    rows = ((obs["park_id"] == park_id) & (obs["kind"] == "target") & (obs["scope"] == "park")
            & (obs["year"] == year) & (obs["period"].isin(["", period]) | obs["period"].isna()))
    return obs[rows.fillna(False).to_numpy(dtype=bool)]


def has_form(ds: Dataset, park_id: str, year: int, period: str = "") -> bool:
    """Whether a form for the year and period would have a row: a park-scope target of a catalogue indicator."""
    return any(str(i) in ds.indicators for i in targets_of(ds, park_id, year, period)["indicator_id"].unique())


def target_years(ds: Dataset, park_id: str) -> list[int]:
    """The years the park has park-scope targets for (the years a form can be built for), latest first."""
    obs = ds.observations
    if obs.empty:
        return []
    rows = ((obs["park_id"] == park_id) & (obs["kind"] == "target") & (obs["scope"] == "park"))
    return sorted({int(y) for y in obs.loc[rows.fillna(False).to_numpy(dtype=bool), "year"].dropna()}, reverse=True)


def _reference(ds: Dataset, park_id: str, indicator_id: str, year: int, basis: str, unit: str,
               targets: pd.DataFrame) -> tuple[float | None, str, str]:
    """What a figure's scale is checked against: a target of the figure's basis (base tier first), else the
    park's latest full-year actual of that basis before the year."""
    same = targets[(targets["basis"].astype(str) == basis)]
    if len(same):
        same = same.assign(_tier=(same["target_level"].astype(str) != "base").astype(int)).sort_values("_tier")
        t = same.iloc[0]
        try:
            return convert(float(t["value"]), str(t["unit"]), unit), f"{_num(float(t['value']))}{t['unit']}", "target"
        except Exception:  # noqa: BLE001 — a unit outside the family: no scale check, the loader has its say
            return None, "", ""
    obs = ds.observations
    rows = ((obs["park_id"].astype(str) == park_id) & (obs["indicator_id"].astype(str) == indicator_id)
            & (obs["kind"].astype(str) == "actual") & (obs["basis"].astype(str) == basis) & (obs["year"] < year)
            & (obs["period"].astype(str).replace({"nan": "", "None": ""}) == ""))
    last = obs[rows].sort_values("year")
    if len(last):
        a = last.iloc[-1]
        try:
            return (convert(float(a["value"]), str(a["unit"]), unit),
                    f"{int(a['year'])}年 {_num(float(a['value']))}{a['unit']}", "actual")
        except Exception:  # noqa: BLE001
            return None, "", ""
    return None, "", ""


def form_rows(ds: Dataset, park_id: str, year: int, period: str = "") -> list[FormRow]:
    """One row per indicator with a park-scope target in the year, in the order the targets were read."""
    targets = targets_of(ds, park_id, year, period)
    out = []
    for indicator_id in dict.fromkeys(targets["indicator_id"].astype(str)):
        ind = ds.indicators.get(indicator_id)
        if ind is None:
            continue
        own = targets[targets["indicator_id"].astype(str) == indicator_id]
        texts = {"base": [], "stretch": []}
        for t in own.itertuples(index=False):
            texts["stretch" if str(t.target_level) == "stretch" else "base"].append(target_text(
                str(t.basis), str(t.comparator), float(t.value), str(t.unit), bool(t.approximate),
                t.baseline_year, str(t.period) if str(t.period) not in ("", "nan", "None") else ""))
        bases = list(ind.bases)
        stated = [b for b in dict.fromkeys(own["basis"].astype(str)) if b in VALUE_BASES and b in bases]
        basis = stated[0] if stated else next((b for b in VALUE_BASES if b in bases), "")
        unit = ""
        if basis:
            unit = BASIS_UNIT_TEXT.get(basis) or ""
            if not unit:
                units = [str(u) for u in own.loc[own["basis"].astype(str) == basis, "unit"]]
                unit = next((u for u in units if u in ind.allowed_units()), ind.unit)
        reference, ref_text, ref_kind = (_reference(ds, park_id, indicator_id, year, basis, unit, own)
                                         if basis in ("level", "new_count") else (None, "", ""))
        out.append(FormRow(indicator_id, ind.name_zh, _first_sentence(ind.description_zh), "；".join(texts["base"]),
                           "；".join(texts["stretch"]), basis, unit, "growth_pct" in bases, reference, ref_text,
                           ref_kind))
    return out


# --- the checksum ---------------------------------------------------------------------------------------------------


def _norm(value: object) -> str:
    """A cell's content as compared: text stripped, NFKC, numbers as written (2022, not 2022.0)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _num(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _h(value: object) -> str:
    return hashlib.sha256((_SALT + _norm(value)).encode("utf-8")).hexdigest()[:6]


def checksum(cells: dict[str, object]) -> str:
    """v1:<hash>.<hash>… — one short hash per id and protected cell (CHECKED order), so an edit names its cell."""
    return f"v{VERSION}:" + ".".join(_h(cells.get(k)) for k in CHECKED)


def _parts(text: object) -> list[str] | None:
    m = re.fullmatch(rf"v{VERSION}:((?:[0-9a-f]{{6}}\.){{{len(CHECKED) - 1}}}[0-9a-f]{{6}})", _norm(text))
    return m.group(1).split(".") if m else None


# --- building the workbook ----------------------------------------------------------------------------------------


def form_title(ds: Dataset, park_id: str, year: int, period: str) -> str:
    park = ds.parks[park_id]
    return f"{park.short_name_zh or park.name_zh}{period_text(year, period)}主要指标填报表"


def form_file_name(ds: Dataset, park_id: str, year: int, period: str) -> str:
    """指标填报表_临湘高新区_2022年1-9月.xlsx — safe on every file system."""
    park = ds.parks[park_id]
    name = f"指标填报表_{park.short_name_zh or park.name_zh}_{period_text(year, period)}.xlsx"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)


def _font(size: float = 9, bold: bool = False, head: bool = False, color: str | None = None) -> Font:
    return Font(name=HEAD_FONT if head else BODY_FONT, size=size, bold=bold, charset=GB2312, color=color)


_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL_CELL = PatternFill("solid", fgColor="FFF7D6")      # the cells the park fills: pale yellow
_HEAD = PatternFill("solid", fgColor="D9E2F3")
_LOCKED_NA = PatternFill("solid", fgColor="E7E6E6")
_LABEL = PatternFill("solid", fgColor="F2F2F2")
_UNLOCKED = Protection(locked=False)


def _width(text: str) -> float:
    """Text width in Excel column units at 9 pt: a Han character ≈ 1.72 units (宋体 9 pt is 12 px; a unit is the
    7 px of a Calibri digit), anything else ≈ 0.95. LibreOffice sets them a little tighter."""
    return sum(1.72 if unicodedata.east_asian_width(ch) in "WFA" else 0.95 for ch in text)


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(_width(text) / max(width - 1.0, 1.0)))


def build_form(ds: Dataset, park_id: str, period: str) -> bytes:
    """The .xlsx form for a park and a period ('2023-M1-M9', '2023'): FormError when the park is unknown, the
    period is not one, or the park has no target that year."""
    year, code = parse_form_period(period)
    if park_id not in ds.parks:
        raise FormError(f"未知园区 {park_id}（parks.yaml 中没有）", f"unknown park {park_id!r} (not in parks.yaml)")
    rows = form_rows(ds, park_id, year, code)
    if not rows:
        years = "、".join(map(str, target_years(ds, park_id))) or "无"
        raise FormError(f"{park_id} 没有 {year} 年的园区目标，无从生成填报表（有目标的年份：{years}）",
                        f"{park_id} has no park targets for {year}: nothing to build a form from "
                        f"(years with targets: {years})")
    park = ds.parks[park_id]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    widths = {key: w for key, _, w in COLUMNS}
    for key, _, w in COLUMNS:
        ws.column_dimensions[COL[key]].width = w
    for key in HIDDEN + ["checksum"]:
        ws.column_dimensions[COL[key]].hidden = True
    last_col = COL["remark"]

    # title and cover
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"] = form_title(ds, park_id, year, code)
    ws["A1"].font = _font(15, bold=True, head=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    cover_values = {"park": park.name_zh, "period": period_text(year, code)}
    for key, (label_cell, label_end, value_cell, end) in COVER.items():
        if label_end != label_cell:
            ws.merge_cells(f"{label_cell}:{label_end}")
        ws[label_cell] = COVER_LABELS[key]
        ws[label_cell].font = _font(10, bold=True, head=True)
        ws[label_cell].fill = _LABEL
        ws[label_cell].alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(f"{value_cell}:{end}")
        cell = ws[value_cell]
        cell.value = cover_values.get(key)
        cell.font = _font(10)
        cell.alignment = Alignment(horizontal="left", vertical="center", shrink_to_fit=True)
        if key in COVER_FILL:
            cell.fill = _FILL_CELL
            cell.protection = _UNLOCKED
        for row in ws[f"{label_cell}:{end}"]:
            for c in row:
                c.border = _BOX
    ws[COVER["date"][2]].number_format = "yyyy-mm-dd"
    ws[COVER["phone"][2]].number_format = "@"
    for r in (2, 3):
        ws.row_dimensions[r].height = 19
    ws.merge_cells(f"A4:{last_col}4")
    ws["A4"] = ("填报说明：只填浅黄色单元格。本期数值为" + (f"{period_text(year, code)}累计数" if code else "全年数")
                + "，按“单位”列填写，只填数字；同比增长填百分数的数字（增长8.5%填 8.5，下降填负数）；"
                "预计数在“预计”列选“是”。灰色“—”表示该指标不填此项。请勿改动其他单元格、插入或删除行。")
    ws["A4"].font = _font(8.5)
    ws["A4"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[4].height = 24

    # header
    for key, header, _ in COLUMNS:
        cell = ws[f"{COL[key]}{HEADER_ROW}"]
        cell.value = header + ("(%)" if key == "growth" else "")
        if key in VISIBLE:
            cell.font = _font(9.5, bold=True, head=True)
            cell.fill = _HEAD
            cell.border = _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 20

    # data rows
    value_dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                              showErrorMessage=True, errorTitle="请填数字",
                              error="本期数值只填数字（不写单位或文字），单位见“单位”列。", promptTitle="本期数值",
                              prompt="只填数字，单位见“单位”列", showInputMessage=True)
    signed_dv = DataValidation(type="decimal", operator="between", formula1="-1000000000000000",
                               formula2="1000000000000000", allow_blank=True, showErrorMessage=True,
                               errorTitle="请填数字", error="本期数值只填数字（不写单位或文字），单位见“单位”列。")
    growth_dv = DataValidation(type="decimal", operator="greaterThan", formula1="-100", allow_blank=True,
                               showErrorMessage=True, errorTitle="请填百分数的数字",
                               error="同比增长只填百分数的数字：增长8.5%填 8.5，下降3%填 -3。", promptTitle="同比增长(%)",
                               prompt="增长8.5%填 8.5，下降填负数", showInputMessage=True)
    estimate_dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True, showErrorMessage=True,
                                 errorTitle="请选择", error="预计：请选择“是”或“否”。")
    date_dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                             showErrorMessage=True, errorTitle="请填日期", error="填报日期：如 2022-10-15。")
    for dv in (value_dv, signed_dv, growth_dv, estimate_dv, date_dv):
        ws.add_data_validation(dv)
    date_dv.add(COVER["date"][2])

    meta_rows = []
    for n, row in enumerate(rows):
        r = FIRST_ROW + n
        cells = {"no": n + 1, "name": row.name, "note": row.note, "base": row.base or NA,
                 "stretch": row.stretch or NA, "unit": row.unit or NA, "park_id": park_id,
                 "indicator_id": row.indicator_id, "year": year, "period": code, "basis": row.basis}
        cells["checksum"] = checksum(cells)
        for key, _, _ in COLUMNS:
            cell = ws[f"{COL[key]}{r}"]
            if key in cells:
                cell.value = cells[key]
            if key not in VISIBLE:
                cell.number_format = "@"
                continue
            cell.font = _font(9)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="center", wrap_text=key in ("name", "note", "base", "stretch",
                                                                             "remark"),
                                       horizontal="center" if key in ("no", "unit", "estimate") else
                                       ("right" if key in ("value", "growth") else "left"))
        fillable = {"value": bool(row.basis), "growth": row.growth, "estimate": True, "remark": True}
        for key, open_ in fillable.items():
            cell = ws[f"{COL[key]}{r}"]
            if open_:
                cell.fill = _FILL_CELL
                cell.protection = _UNLOCKED
            else:
                cell.value = NA
                cell.fill = _LOCKED_NA
                cell.alignment = Alignment(horizontal="center", vertical="center")
        if row.basis:
            (value_dv if row.basis in NONNEGATIVE else signed_dv).add(f"{COL['value']}{r}")
            ws[f"{COL['value']}{r}"].number_format = "General"
        if row.growth:
            growth_dv.add(f"{COL['growth']}{r}")
            ws[f"{COL['growth']}{r}"].number_format = 'General"%"'
        estimate_dv.add(f"{COL['estimate']}{r}")
        # Excel fits no row to its wrapped text when it opens a file, nor does LibreOffice: the height is set
        lines = max(_lines(str(cells[k]), widths[k]) for k in ("name", "note", "base", "stretch"))
        ws.row_dimensions[r].height = 3.5 + 12.5 * lines
        meta_rows.append((r, row.indicator_id, cells["checksum"]))
    last_row = FIRST_ROW + len(rows) - 1

    # protection: the sheet (fill cells unlocked), the structure (the hidden sheet stays hidden)
    ws.protection.sheet = True
    ws.protection.formatColumns = True     # True = not allowed: the hidden columns stay hidden
    ws.protection.formatRows = False       # a park may make a row taller for a long 备注
    ws.protection.insertRows = True
    ws.protection.deleteRows = True
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
    wb.security = WorkbookProtection(lockStructure=True)
    ws.freeze_panes = f"C{FIRST_ROW}"

    # print: A4 landscape, fit to width, one page per 30 indicators, the header row on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = max(1, math.ceil(len(rows) / ROWS_PER_PAGE))
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.35
    ws.page_margins.top = ws.page_margins.bottom = 0.45
    ws.page_margins.header = ws.page_margins.footer = 0.2
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 8
    ws.oddFooter.right.text = form_title(ds, park_id, year, code)
    ws.oddFooter.right.size = 8

    # the hidden sheet: the form's ids and each row's indicator and checksum
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    for r, (k, v) in enumerate([("format", FORMAT), ("version", VERSION), ("park_id", park_id), ("year", year),
                                ("period", code), ("sheet", SHEET), ("first_row", FIRST_ROW),
                                ("last_row", last_row), ("cover", _h(park.name_zh) + "." + _h(period_text(year, code))),
                                ("built", dt.date.today().isoformat())], start=1):
        meta.cell(r, 1, k)
        meta.cell(r, 2, v).number_format = "@"
    for i, (r, indicator_id, check) in enumerate(meta_rows, start=12):
        meta.cell(i, 1, r)
        meta.cell(i, 2, indicator_id)
        meta.cell(i, 3, check)
    meta.protection.sheet = True
    wb.properties.title = form_title(ds, park_id, year, code)
    wb.properties.creator = "parkmetrics"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading a returned form --------------------------------------------------------------------------------------


@dataclass
class FormImport:
    """A returned form as candidate rows: the import page's table (importing.COLUMNS), the source entry, the
    problems by cell, the form's text (one line per filled row: the quotes, at the frame's start/end offsets)."""
    name: str
    park_id: str | None = None
    year: int | None = None
    period: str = ""
    source: dict = field(default_factory=dict)
    frame: pd.DataFrame = field(default_factory=lambda: _frame([]))
    cells: list[str] = field(default_factory=list)      # per frame row: the cell its figure was read from (F7)
    problems: list[FormProblem] = field(default_factory=list)
    text: str = ""

    @property
    def blocked(self) -> bool:
        """Nothing in the form can be imported (not a form, another park or period)."""
        return any(p.holds_form for p in self.problems)

    def rows(self) -> list[dict]:
        """The accepted candidates as observation records (importing.observation_rows)."""
        if self.blocked or not self.park_id:
            return []
        return importing.observation_rows(self.frame, park_id=self.park_id, source_id=self.source.get("id", ""))

    def messages(self, lang: str = "zh") -> list[str]:
        return [p.message(lang) for p in self.problems]

    def problems_of(self, i: int) -> list[FormProblem]:
        """The problems about frame row i (its cell's, and its form row's)."""
        cell = self.cells[i]
        row = int(re.sub(r"\D", "", cell)) if cell else None
        return [p for p in self.problems if p.cell == cell or (p.row is not None and p.row == row
                                                               and p.code in ROW_LEVEL)]


ROW_LEVEL = {"target-changed", "hidden-edited", "bad-choice"}


def _frame(records: list[dict]) -> pd.DataFrame:
    """Candidate rows with importing.review_frame's columns and dtypes."""
    frame = pd.DataFrame(records).reindex(columns=importing.COLUMNS)
    text = [c for c in importing.COLUMNS if c not in ("accept", "estimate", "approximate", "year", "baseline_year",
                                                      "start", "end", "value", "confidence")]
    for c in text:
        frame[c] = pd.Series([None if v is None or (isinstance(v, float) and math.isnan(v)) or v == "" else str(v)
                              for v in frame[c]], dtype=object)
    for c in ("accept", "estimate", "approximate"):
        frame[c] = pd.Series([bool(v) if v is not None and v == v else False for v in frame[c]], dtype=bool)
    for c in ("year", "baseline_year", "start", "end"):
        frame[c] = pd.array([None if v is None or v != v else int(v) for v in frame[c]], dtype="Int64")
    for c in ("value", "confidence"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    return frame.reset_index(drop=True)


def source_id_for(ds: Dataset, park_id: str, year: int, period: str) -> str:
    """lx_2022_m1_m9_form: the park's prefix, the year, the period, 'form'."""
    prefix = importing.park_prefix(park_id, [(s.id, s.park) for s in ds.sources.values()])
    return "_".join(p for p in (prefix, str(year), period.lower().replace("-", "_"), SOURCE_TYPE) if p)


_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:,\d{3})*|\d*)(?:\.\d+)?$")


def _number(value: object, number_format: str = "") -> tuple[float | None, bool]:
    """(number, ok): a cell's number — a numeric cell, or text that is nothing but a number (1,234.5; full-width
    digits; a trailing % in the growth column). A cell with a real percent format (8.5% typed in Excel: 0.085)
    is read back as the percentage it shows. (None, True) for a blank cell; (None, False) for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, (int, float)):
        v = float(value)
        if not math.isfinite(v):
            return None, False
        if re.search(r'%(?=(?:[^"]*"[^"]*")*[^"]*$)', number_format or ""):   # a % outside quotes
            v *= 100
        return v, True
    if isinstance(value, (dt.date, dt.datetime)):
        return None, False
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "").rstrip("%")
    text = text.replace("−", "-")
    if text and _NUMBER_TEXT.match(text) and any(ch.isdigit() for ch in text):
        v = float(text.replace(",", ""))
        return v, True
    return None, False


def _date(value: object) -> str | None:
    """A cover date as YYYY-MM-DD: a date cell, 2022-10-15, 2022/10/15, 2022.10.15 or 2022年10月15日."""
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _shown(cell) -> str:
    """A cell's text as the form shows it: numbers as written, the growth with its %, a date as YYYY-MM-DD."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return _date(value) or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fmt = cell.number_format or ""
        if '"%"' in fmt:
            return f"{_num(value)}%"
        if re.search(r'%(?=(?:[^"]*"[^"]*")*[^"]*$)', fmt):
            return f"{_num(value * 100)}%"
        return _num(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def _scale(value: float, row: FormRow) -> dict | None:
    """The unit-scale problem's arguments when the figure is ≥ 100× above or below its reference, else None."""
    ref = row.reference
    if ref is None or ref <= 0 or value <= 0:
        return None
    ratio = value / ref
    if 1 / SCALE_OFF < ratio < SCALE_OFF:
        return None
    hint_zh = hint_en = ""
    # the unit of the family that brings the figure nearest its reference, if that is within the bounds
    fits = sorted((abs(math.log(convert(value, u, row.unit) / ref)), u) for u in UNITS
                  if u != row.unit and same_family(u, row.unit))
    if fits and fits[0][0] < math.log(SCALE_OFF):
        u = fits[0][1]
        fixed = _num(round(convert(value, u, row.unit), 6))
        hint_zh = f"（若按“{u}”填写，即 {fixed}{row.unit}）"
        hint_en = f" (if it was written in {u}: {fixed} {row.unit})"
    return {"got": _num(value), "ref": row.reference_text, "factor": f"{max(ratio, 1 / ratio):,.0f}",
            "unit": row.unit, "hint": hint_zh, "hint_en": hint_en,
            "ref_label": "目标" if row.reference_kind == "target" else "上年实际",
            "ref_label_en": "the target" if row.reference_kind == "target" else "last year's actual"}


def read_form(data: bytes, ds: Dataset, *, name: str = "form.xlsx", expect_park: str | None = None,
              expect_period: str | None = None) -> FormImport:
    """A returned form as candidate rows, a source entry and the problems, each naming its cell. Never raises on
    a bad file: an unreadable or foreign workbook is a problem of the whole form. A figure with a problem is
    still a row when it has a number (unticked, for the editor to decide); valid figures are ticked."""
    name = Path(name).name
    out = FormImport(name=name)

    def form_problem(code: str, cell: str = "—", **args) -> FormImport:
        out.problems.append(FormProblem(code, cell, args))
        return out

    if len(data) > MAX_BYTES:
        return form_problem("unreadable", why=f"larger than {importing.MAX_UPLOAD_MB} MB")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return form_problem("unreadable", why="not an .xlsx workbook / 不是 .xlsx 工作簿")
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 — any reading failure is this file's problem, never a traceback
        return form_problem("unreadable", why=type(exc).__name__)
    if META_SHEET not in wb.sheetnames or SHEET not in wb.sheetnames:
        return form_problem("not-a-form", why=f"no hidden sheet {META_SHEET} / 缺少隐藏工作表 {META_SHEET}")
    meta_ws = wb[META_SHEET]
    meta = {str(meta_ws.cell(r, 1).value): meta_ws.cell(r, 2).value for r in range(1, 11)}
    if meta.get("format") != FORMAT:
        return form_problem("not-a-form", why=f"{META_SHEET}!B1 ≠ {FORMAT}")
    try:
        park_id, year = str(meta["park_id"]), int(meta["year"])
        period = _norm(meta.get("period"))
        first, last = int(meta["first_row"]), int(meta["last_row"])
    except (KeyError, TypeError, ValueError):
        return form_problem("not-a-form", why=f"{META_SHEET} ids unreadable / 编号无法读取")
    if not FIRST_ROW <= first <= last < first + MAX_ROWS or parse_period(period) is None:
        return form_problem("not-a-form", why=f"{META_SHEET} ids out of range / 编号超出范围")
    out.park_id, out.year, out.period = park_id, year, period
    ws = wb[SHEET]
    park_cell, period_cell = COVER["park"][2], COVER["period"][2]

    # the whole form: the park and the period (the cover cells are protected and hashed as well)
    if park_id not in ds.parks:
        form_problem("unknown-park", park_cell, got=park_id)
    if expect_park and expect_park != park_id:
        def shown_name(pid, lang):
            p = ds.parks.get(pid)
            return pid if p is None else (f"{p.short_name_zh or p.name_zh}（{pid}）" if lang == "zh" else
                                          f"{p.short_name_en or p.name_en} ({pid})")
        form_problem("wrong-park", park_cell, got=shown_name(park_id, "zh"), want=shown_name(expect_park, "zh"),
                     got_en=shown_name(park_id, "en"), want_en=shown_name(expect_park, "en"))
    if expect_period:
        try:
            want = parse_form_period(expect_period)
        except FormError:
            want = None
        if want != (year, period):
            form_problem("wrong-period", period_cell, got=period_text(year, period),
                         want=period_text(*want) if want else expect_period, got_en=period_text_en(year, period),
                         want_en=period_text_en(*want) if want else expect_period)
    cover = _norm(meta.get("cover")).split(".")
    for key, expected in zip(("park", "period"), cover):
        cell = ws[COVER[key][2]]
        if _h(cell.value) != expected:
            form_problem("cover-changed", COVER[key][2], got=_norm(cell.value), label=COVER_LABELS[key],
                         label_en={"park": "park", "period": "period"}[key], ids=f"{park_id} {period_arg(year, period)}")
    if out.blocked:
        return out
    park = ds.parks[park_id]

    # the cover's fill cells: the source entry
    filled = {k: ws[COVER[k][2]].value for k in COVER_FILL}
    issuer = _norm(filled["issuer"])
    if not issuer:
        form_problem("cover-missing", COVER["issuer"][2], label=COVER_LABELS["issuer"], label_en=_COVER_EN["issuer"])
    date = _date(filled["date"]) if filled["date"] not in (None, "") else None
    if filled["date"] in (None, ""):
        form_problem("cover-missing", COVER["date"][2], label=COVER_LABELS["date"], label_en=_COVER_EN["date"])
    elif date is None:
        form_problem("bad-date", COVER["date"][2], got=_norm(filled["date"]))

    # the rows
    expected = {r.indicator_id: r for r in form_rows(ds, park_id, year, period)}
    meta_rows = {}
    for r in range(12, 12 + MAX_ROWS):
        n = meta_ws.cell(r, 1).value
        if n is None:
            break
        try:
            meta_rows[int(n)] = (_norm(meta_ws.cell(r, 2).value), _norm(meta_ws.cell(r, 3).value))
        except (TypeError, ValueError):
            continue
    records, cells, lines = [], [], []
    offset = 0
    for r in range(first, last + 1):
        got = {k: ws[f"{COL[k]}{r}"].value for k in CHECKED + ["checksum"]}
        meta_id, meta_check = meta_rows.get(r, ("", ""))
        indicator_id = meta_id or _norm(got["indicator_id"])
        row_problems = []
        parts = _parts(got["checksum"])
        if parts is None or _norm(got["checksum"]) != meta_check:
            row_problems.append(FormProblem("hidden-edited", f"{COL['checksum']}{r}",
                                            {"field": "checksum", "got": _norm(got["checksum"])[:40]}, r))
            parts = _parts(meta_check)
        for k, part in zip(CHECKED, parts or []):
            if _h(got[k]) == part:
                continue
            if k in HIDDEN:
                row_problems.append(FormProblem("hidden-edited", f"{COL[k]}{r}", {"field": k, "got": _norm(got[k])}, r))
            else:
                exp = expected.get(indicator_id)
                was = getattr(exp, k, None) if exp else None
                was = (was or NA) if k in ("base", "stretch", "unit") else was
                args = {"got": _norm(got[k]) or "（空）"}
                if was is not None and _h(was) == part:
                    args |= {"was": f"原为「{was}」，", "was_en": f"it read “{was}”, "}
                row_problems.append(FormProblem("target-changed", f"{COL[k]}{r}", args, r))
        if parts is None and not row_problems:
            row_problems.append(FormProblem("hidden-edited", f"{COL['checksum']}{r}", {"field": "checksum"}, r))
        out.problems.extend(row_problems)
        held = bool(row_problems)
        row = expected.get(indicator_id)
        basis = _norm(ws[f"{COL['basis']}{r}"].value) if not held else (row.basis if row else "")
        if row is None:   # the catalogue or the targets changed since the form was built: read it as the form says
            unit = _norm(ws[f"{COL['unit']}{r}"].value)
            row = FormRow(indicator_id, _norm(ws[f"{COL['name']}{r}"].value), "", "", "", basis,
                          "" if unit == NA else unit, True, None, "", "")

        value_cell, growth_cell = ws[f"{COL['value']}{r}"], ws[f"{COL['growth']}{r}"]
        est_cell, remark_cell = ws[f"{COL['estimate']}{r}"], ws[f"{COL['remark']}{r}"]
        estimate_text = _norm(est_cell.value)
        estimate = estimate_text == YES
        if estimate_text not in ("", YES, NO):
            out.problems.append(FormProblem("bad-choice", est_cell.coordinate, {"got": estimate_text}, r))
            held = True
        remark = _norm(remark_cell.value)
        figures = []
        for cell, column, fig_basis, unit, open_ in (
                (value_cell, "本期数值", basis, row.unit, bool(basis)),
                (growth_cell, "同比增长", "growth_pct", "%", row.growth)):
            if _norm(cell.value) in ("", NA):
                continue
            column_en = _COLUMN_EN[column]
            if not open_:
                out.problems.append(FormProblem("not-applicable", cell.coordinate, {
                    "column": column, "column_en": column_en, "got": _norm(cell.value),
                    "why": "目录不允许增长率" if column == "同比增长" else "目录中无此口径的数值",
                    "why_en": "the catalogue takes no growth rate" if column == "同比增长" else
                    "the catalogue takes no figure of this kind"}, r))
                continue
            value, ok = _number(cell.value, cell.number_format)
            if not ok:
                out.problems.append(FormProblem("not-a-number", cell.coordinate, {
                    "got": _norm(cell.value), "column": column, "column_en": column_en,
                    "unit": f"单位：{unit}" if column == "本期数值" else "百分数"}, r))
                figures.append((cell, fig_basis, unit, None, False))
                continue
            ok_figure = True
            if fig_basis in NONNEGATIVE and value < 0:
                out.problems.append(FormProblem("negative", cell.coordinate, {
                    "got": _num(value), "column": column, "column_en": column_en}, r))
                ok_figure = False
            elif fig_basis in ("level", "new_count") and (scale := _scale(value, row)):
                out.problems.append(FormProblem("unit-scale", cell.coordinate, scale, r))
                ok_figure = False
            figures.append((cell, fig_basis, unit, value, ok_figure))
        if not figures:
            continue
        shown = {k: _shown(ws[f"{COL[k]}{r}"]) for k in QUOTED}
        if shown["value"] in ("", NA):
            shown["unit"] = ""           # the unit stands after its figure: none without one
        quote = " ".join(t for t in shown.values() if t and t != NA)
        start, end = offset, offset + len(quote)
        lines.append(quote)
        offset = end + 1
        for cell, fig_basis, unit, value, ok_figure in figures:
            note = f"填报表 {SHEET}!{cell.coordinate}" + (f"；备注：{remark}" if remark else "")
            records.append({
                "accept": ok_figure and not held and value is not None, "indicator_id": indicator_id,
                "value": value, "unit": unit, "comparator": "=", "basis": fig_basis, "kind": "actual",
                "target_level": None, "estimate": estimate, "approximate": False, "period": period or None,
                "year": year, "note": note, "quote": quote, "indicator_text": row.name,
                "confidence": 1.0, "scope": "park", "baseline_year": None, "start": start, "end": end})
            cells.append(cell.coordinate)
    if not records:
        form_problem("no-figures", f"{COL['value']}{first}:{COL['growth']}{last}")
    out.frame, out.cells, out.text = _frame(records), cells, "\n".join(lines)

    title = f"{park.short_name_zh or park.name_zh}{period_text(year, period)}指标填报表"
    person = _norm(filled["person"])
    span = f"{cells[0]}…{cells[-1]}" if len(cells) > 1 else (cells[0] if cells else "")
    note = (f"填报表（{name}）：工作表「{SHEET}」{span}，每个数字的单元格见其 note"
            + (f"；填报人：{person}" if person else ""))
    out.source = importing.source_entry(id=source_id_for(ds, park_id, year, period), file=name, title=title,
                                        issuer=issuer, date=date or "", type=SOURCE_TYPE, park=park_id,
                                        scope="park", note=note)
    return out
