"""#19: what a newcomer met on the pages, each item as the reader sees it in Debian's chromium (frozen data)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def settle(page: Page) -> None:
    """Wait for the script run an interaction started to finish."""
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="running"]')).to_have_count(0, timeout=30_000)


def select_text(page: Page, label: str) -> str:
    """The text a select box shows (its chosen option, as the reader sees it)."""
    return page.get_by_role("combobox", name=label, exact=True).input_value()


def test_1_switching_the_language_relabels_the_select_boxes(server, page: Page):
    page.goto(server.url + "/park?park=linxiang&indicator=tech_industry_trade_revenue")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    settle(page)
    assert select_text(page, "园区") == "湖南临湘高新技术产业开发区"
    assert select_text(page, "指标") == "技工贸总收入"
    page.get_by_role("radio", name="English").click()
    expect(page.locator("h1").first).to_have_text("Park profile")
    settle(page)
    assert select_text(page, "Park") == "Hunan Linxiang High-tech Zone"
    assert select_text(page, "Indicator") == "Total technology, industry and trade revenue"
    page.get_by_role("radio", name="中文").click()
    expect(page.locator("h1").first).to_have_text("园区画像")
    settle(page)
    assert select_text(page, "园区") == "湖南临湘高新技术产业开发区"
    assert select_text(page, "指标") == "技工贸总收入"
    expect(page).to_have_url(re.compile("park=linxiang"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "newcomer_1_language_back_to_zh.png"), full_page=True)


def ticks(page: Page, axis: str) -> list[str]:
    """The tick labels of the last chart on the page (Plotly draws them as SVG text)."""
    return page.locator(f".js-plotly-plot >> nth=-1 >> .{axis}tick text").all_text_contents()


def test_2_the_status_matrix_shows_the_chosen_year_and_the_district_apart(server, page: Page):
    page.goto(server.url + "/compare?tab=status&year=2022")
    expect(page.locator(".js-plotly-plot .gtitle").last).to_have_text(re.compile("^2022年目标完成状态"),
                                                                       timeout=30_000)
    settle(page)
    assert "卷烟及配套产业产值" not in ticks(page, "y")          # a 2025 target of the district
    page.get_by_role("combobox", name="年份", exact=True).click()
    page.get_by_role("option", name="2025", exact=True).click()
    expect(page.locator(".js-plotly-plot .gtitle").last).to_have_text(re.compile("^2025年目标完成状态"))
    settle(page)
    assert "卷烟及配套产业产值" in ticks(page, "y")
    assert ticks(page, "x")[:2] == ["正阳（黔江高新区）", "黔江区（区级）"]
    page.screenshot(path=str(ARTIFACTS / "newcomer_2_status_2025.png"), full_page=True)
