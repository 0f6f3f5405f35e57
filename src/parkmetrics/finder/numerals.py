"""Numbers as Chinese documents write them: Arabic (half- or full-width), Chinese numerals, fractions.

Why not cn2an at run time: it refuses bare 百/千 (百亿, 千亩), costs ~0.5 s to import and pulls in `proces`;
the numerals a planning document uses are integers below 10^8, which the 20 lines below read. The tests check this
reader against cn2an on every integer up to 100,000 (cn2an is a dev dependency).
"""
from __future__ import annotations

import unicodedata

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = "".join(CN_DIGITS) + "十百千万"


def cn_to_int(text: str) -> int | None:
    """二十六 → 26, 两 → 2, 十五 → 15, 一百二十 → 120, 百 → 100, 一万零五 → 10005; None if not a numeral."""
    if not text or any(ch not in CN_CHARS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * CN_SMALL_UNITS[ch]  # 十五: an implicit 一
            digit = None
        elif ch == "万":
            section += digit or 0
            total += (section or 1) * 10_000
            section, digit = 0, None
    return total + section + (digit or 0)


def analysis_view(text: str) -> str:
    """A same-length copy of `text` for pattern matching: each character NFKC-normalised on its own (５６.８％ →
    56.8%, ，→ ,), kept as is when NFKC would change the length. Offsets found in it point into `text`."""
    out = []
    for ch in text:
        norm = unicodedata.normalize("NFKC", ch)
        out.append(norm if len(norm) == 1 else ch)
    return "".join(out)


def parse_arabic(raw: str) -> float:
    return float(raw.replace(",", ""))
