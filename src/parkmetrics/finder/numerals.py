"""Numbers as Chinese documents write them: Arabic (half- or full-width), Chinese numerals, fractions.

Why not cn2an at run time: it refuses bare 百/千 (百亿, 千亩), costs ~0.5 s to import and pulls in `proces`;
the numerals a planning document uses are integers below 10^8, which the 20 lines below read. The tests check this
reader against cn2an on every integer up to 100,000 (cn2an is a dev dependency).
"""
from __future__ import annotations

import functools
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


# Characters only Traditional Chinese writes, frequent in any economic text (億元, 產值, 規模, 實現, 增長…): a text
# with them is read through OpenCC's t2s, character by character (web pages republish documents converted).
_TRADITIONAL = frozenset("億產業實現規總長與區發會為這個們國來時經點從對開當後進過萬質創數據資獲營於")


@functools.lru_cache(maxsize=None)
def _simplified(ch: str) -> str:
    """One character as Simplified Chinese (OpenCC t2s), kept when the conversion is not one character."""
    import opencc  # only for a text that writes Traditional characters

    out = _t2s(opencc).convert(ch)
    return out if len(out) == 1 else ch


@functools.lru_cache(maxsize=1)
def _t2s(opencc):
    return opencc.OpenCC("t2s")


def analysis_view(text: str) -> str:
    """A same-length copy of `text` for pattern matching: each character NFKC-normalised on its own (５６.８％ →
    56.8%, ，→ ,), kept as is when NFKC would change the length, and — in a text that writes Traditional
    characters (規模以上工業總產值) — as Simplified Chinese. Offsets found in it point into `text`."""
    chars = set(text)
    convert = {ch: _simplified(ch) for ch in chars if ord(ch) > 0x2E7F} if chars & _TRADITIONAL else {}
    out = []
    for ch in text:
        norm = unicodedata.normalize("NFKC", convert.get(ch, ch))
        out.append(norm if len(norm) == 1 else ch)
    return "".join(out)


def parse_arabic(raw: str) -> float:
    return float(raw.replace(",", ""))
