"""The finder's time grows linearly with the text, whatever the text (#17): hypothesis builds texts from runs of
figures, lists, numerals, year and period phrases and long runs of white space (what a blanked table leaves), and
the finder must read 8× the text in about 8× the time — a regular expression that backtracks over a run would
show as 64×. Times are compared within one process, as ratios (the fastest of three runs each)."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FROZEN
from parkmetrics.finder import find_candidates
from parkmetrics.loader import load_dataset

TOKENS = ["1家", "5亿元", "12.5", "增长5%", "8.3%", "一", "三十", "、", "，", "；", "。", "分别", "均", "同比", "新增",
          "力争", "实现", "完成年任务75亿元的23.7%", "2023年", "回顾2023年，", "1-9月", "今年以来", "第3位", "“", "”",
          "（", "）", "其中：", "\n", " " * 40, "\n" + " " * 40 + "\n", "一、", "工业总产值", "规上", "以上", "约",
          "倍", "个百分点", "十四五", "到2025年"]
GROWTH = 8      # the large text is the small one repeated this many times more
SLACK = 2.5     # linear within 2.5× (a quadratic step would be ~8×)


@pytest.fixture(scope="module")
def indicators():
    return load_dataset(FROZEN).indicators


def _seconds(text: str, indicators) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        find_candidates(text, indicators, doc_type="summary", year=2023)
        best = min(best, time.process_time() - started)
    return best


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=5, max_size=40))
def test_the_finders_time_is_linear_in_the_texts_length(indicators, tokens):
    """Longer two ways: the same passage repeated 8× (a list, a paste), and every token run 4× longer in place (a run
    of figures, of white space, of 、). The runs start at 64 repeats, past the 400 characters a figure looks back
    over, so a figure's own work no longer grows with its sentence: what remains must grow with the text."""
    copies = max(1, 2000 // len("".join(tokens)))
    small = "".join(tokens) * copies
    t_small = _seconds(small, indicators)
    t_large = _seconds(small * GROWTH, indicators)
    assert t_large <= GROWTH * SLACK * t_small + 0.05, \
        f"repeated: {len(small)} chars {t_small:.3f}s; {GROWTH}× {t_large:.3f}s ({t_large / t_small:.1f}×)"
    short, long = ("".join(t * n for t in tokens) for n in (64, 256))
    t_short, t_long = _seconds(short, indicators), _seconds(long, indicators)
    assert t_long <= 4 * SLACK * t_short + 0.05, \
        f"runs: {len(short)} chars {t_short:.3f}s; 4× longer runs {t_long:.3f}s ({t_long / t_short:.1f}×)"
