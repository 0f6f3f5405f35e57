"""Units: normalise before any arithmetic, and refuse to compare units of different families."""
from __future__ import annotations

import math

# unit -> (family, factor to the family's canonical unit)
UNITS: dict[str, tuple[str, float]] = {
    "万亿元": ("money", 1e4), "亿元": ("money", 1.0), "万元": ("money", 1e-4), "元": ("money", 1e-8),
    "%": ("percent", 1.0),
    "个百分点": ("percentage_points", 1.0),
    "倍": ("multiple", 1.0),
    "位": ("rank", 1.0),
    "亩": ("area_mu", 1.0), "万亩": ("area_mu", 1e4),
    "平方公里": ("area_km2", 1.0), "公里": ("length_km", 1.0),
    "万平方米": ("floor_area", 1.0), "平方米": ("floor_area", 1e-4),
    "月": ("months", 1.0), "个月": ("months", 1.0),
    "吨标准煤/万元": ("energy_intensity", 1.0),
    "人": ("people", 1.0), "名": ("people", 1.0), "万人": ("people", 1e4),
    "亿美元": ("usd", 1.0), "万美元": ("usd", 1e-4), "美元": ("usd", 1e-8),
    "吨": ("mass", 1.0), "万吨": ("mass", 1e4),
    "亿千瓦时": ("electricity", 1.0), "万千瓦时": ("electricity", 1e-4), "千瓦时": ("electricity", 1e-8),
    "千米": ("length_km", 1.0),                                           # 电力电缆42748千米 (a 公报's output)
    "米": ("length_km", 1e-3),                                            # 硬化道路4条,2000米 (123_summary)
    "万千伏安": ("apparent_power", 1.0), "千伏安": ("apparent_power", 1e-4),  # 变压器2828.08万千伏安
    "万千瓦": ("power", 1.0), "千瓦": ("power", 1e-4),                     # 太阳能电池29458千瓦
    "千升": ("volume", 1.0),                                              # 啤酒82348.23千升
    "天": ("days", 1.0),                                                  # 空气质量优良天数达272天
    "微克/立方米": ("concentration", 1.0),                                  # PM2.5平均浓度47微克/立方米
}
# Counts of things: one family per thing, so 家 (enterprises) never meets 个 (projects) by accident.
for _count_unit in ("个", "家", "户", "项", "次", "人次", "家次", "件次", "批次", "场次", "份", "起", "套", "期", "栋", "件", "场", "批",
                    "座", "处", "条", "辆", "所", "台", "只", "棵", "盏", "头"):   # 树木1800棵, 路灯310盏, 生猪出栏…头
    UNITS[_count_unit] = (f"count:{_count_unit}", 1.0)
UNITS["万户"] = ("count:家", 1e4)
UNITS["万人次"] = ("count:人次", 1e4)
UNITS["万件"] = ("count:件", 1e4)
UNITS["万台"] = ("count:台", 1e4)
UNITS["万辆"] = ("count:辆", 1e4)
UNITS["万只"] = ("count:只", 1e4)
UNITS["万头"] = ("count:头", 1e4)
UNITS["万棵"] = ("count:棵", 1e4)
# 家 and 户 both count enterprises in these documents.
UNITS["户"] = ("count:家", 1.0)

UNIT_EN = {
    "亿元": "100 million yuan", "万元": "10,000 yuan", "元": "yuan", "%": "%", "个百分点": "percentage points", "倍": "times", "位": "rank",
    "亩": "mu", "平方公里": "km²", "万平方米": "10,000 m²", "平方米": "m²", "月": "months", "个月": "months", "吨标准煤/万元": "tce per 10,000 yuan", "人": "people",
    "名": "people", "个": "", "家": "enterprises", "户": "enterprises", "项": "items", "次": "times",
    "人次": "person-times", "家次": "visits", "件次": "cases", "份": "notices", "起": "cases", "套": "units",
    "期": "sessions", "栋": "buildings", "万人": "10,000 people", "亿美元": "100 million US dollars",
    "万美元": "10,000 US dollars", "美元": "US dollars", "吨": "tonnes", "万吨": "10,000 tonnes",
    "亿千瓦时": "100 million kWh", "万千瓦时": "10,000 kWh", "千瓦时": "kWh", "件": "items", "场": "events",
    "批": "batches", "座": "sites", "处": "sites", "条": "lines", "辆": "vehicles", "所": "institutions",
    "万户": "10,000 enterprises", "公里": "km", "千米": "km", "万千伏安": "10,000 kVA", "千伏安": "kVA", "万亿元": "trillion yuan", "万亩": "10,000 mu", "万人次": "10,000 person-times", "万件": "10,000 items",
    "台": "units", "万台": "10,000 units", "万辆": "10,000 vehicles", "批次": "groups", "场次": "sessions",
    "万千瓦": "10,000 kW", "千瓦": "kW", "千升": "kilolitres", "只": "pieces", "万只": "10,000 pieces", "天": "days", "微克/立方米": "μg/m³",
    "米": "m", "棵": "trees", "万棵": "10,000 trees", "盏": "lamps", "头": "head", "万头": "10,000 head",
}


class UnitMismatch(ValueError):
    """Two figures in units of different families were about to be compared."""


def family(unit: str) -> str:
    try:
        return UNITS[unit][0]
    except KeyError:
        raise UnitMismatch(f"unknown unit {unit!r}") from None


def convert(value: float, unit: str, to: str) -> float:
    """Convert `value` from `unit` to `to`; raise UnitMismatch across families."""
    if unit == to:
        return value
    (fam_a, fa), (fam_b, fb) = _lookup(unit), _lookup(to)
    if fam_a != fam_b:
        raise UnitMismatch(f"cannot compare {unit} with {to}")
    return value * fa / fb


def _lookup(unit: str) -> tuple[str, float]:
    if unit not in UNITS:
        raise UnitMismatch(f"unknown unit {unit!r}")
    return UNITS[unit]


def same_family(a: str, b: str) -> bool:
    return a in UNITS and b in UNITS and UNITS[a][0] == UNITS[b][0]


def is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
