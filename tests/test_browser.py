"""The real app in Debian's chromium against a real Streamlit server (Playwright)."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

# Draws a character with the given font into a canvas and compares it with a codepoint no font has: if they
# match, the browser is drawing a .notdef box ("tofu") instead of the character.
NOT_TOFU = """([text, font]) => {
  const c = document.createElement('canvas'); c.width = 80; c.height = 80;
  const g = c.getContext('2d');
  const draw = (ch) => { g.clearRect(0, 0, 80, 80); g.font = '48px ' + font; g.fillText(ch, 8, 60);
                         return Array.from(g.getImageData(0, 0, 80, 80).data).join(','); };
  const box = draw('\\u{10FFFD}');
  return Array.from(text).filter(ch => ch.trim()).every(ch => draw(ch) !== box);
}"""


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def chart_titles(page: Page) -> list[str]:
    return page.locator(".js-plotly-plot .gtitle").all_text_contents()


def test_deep_link_first_on_a_fresh_server_renders_the_full_page(fresh_server, page: Page):
    started = time.monotonic()
    page.goto(f"{fresh_server.url}/park?park=jiangyou&indicator=high_tech_enterprises_new&lang=en")
    chart = page.locator(".js-plotly-plot").first
    expect(chart).to_be_visible(timeout=30_000)
    print(f"deep link: first chart visible after {time.monotonic() - started:.1f} s")
    expect(page.locator("h1").first).to_have_text("Park profile")
    sidebar = page.locator('[data-testid="stSidebar"]')
    for label in ("Overview", "Park profile", "Cross-park comparison", "Target tracker", "Data and sources"):
        expect(sidebar.get_by_role("link", name=label)).to_be_visible()
    expect(page.get_by_text("Sichuan Jiangyou High-tech Industrial Park").first).to_be_visible()
    assert chart_titles(page)[0].startswith("Sichuan Jiangyou High-tech Industrial Park: Newly certified high-tech")
    expect(page).to_have_title(re.compile("Park profile"))
    no_exception(page)
    shot(page, "deep_link_park_en")


def test_overview_renders_park_names_as_chinese_text(server, page: Page):
    page.goto(server.url)
    for name in ("重庆市正阳工业园区（黔江高新区）", "四川江油高新技术产业园区", "湖南临湘高新技术产业开发区"):
        heading = page.get_by_role("heading", name=name)
        expect(heading).to_be_visible(timeout=30_000)
        font = heading.evaluate("el => getComputedStyle(el).fontFamily")
        assert font.startswith('"Noto Sans CJK SC"'), font     # SC first, or Han characters take JP forms
        assert page.evaluate(NOT_TOFU, [name, font]), f"{name} draws as boxes in {font}"
    expect(page.get_by_text("所有数据均通过校验")).to_be_visible()
    no_exception(page)
    shot(page, "overview_zh")


@pytest.mark.parametrize("path, heading, charts", [
    ("/", "总览", 0), ("/park", "园区画像", 1), ("/compare", "园区对比", 2), ("/tracker", "目标跟踪", 0),
    ("/sources", "数据与来源", 0), ("/compare?lang=en", "Cross-park comparison", 2)])
def test_every_page_opens_and_draws(server, page: Page, path, heading, charts):
    page.goto(server.url + path)
    expect(page.locator("h1").first).to_have_text(heading, timeout=30_000)
    if charts:
        expect(page.locator(".js-plotly-plot")).to_have_count(charts, timeout=30_000)
        font = page.locator(".js-plotly-plot .gtitle").first.evaluate("el => getComputedStyle(el).fontFamily")
        assert "Noto Sans CJK SC" in font
        titles = chart_titles(page)
        assert all(titles) and page.evaluate(NOT_TOFU, [titles[0], '"Noto Sans CJK SC"'])
    page.wait_for_timeout(500)
    no_exception(page)
    shot(page, "page_" + (path.strip("/").replace("?", "_").replace("=", "_") or "overview"))


def test_changing_a_widget_updates_the_chart_and_the_url(server, page: Page):
    page.goto(server.url + "/compare")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    assert chart_titles(page)[0] == "规上工业总产值：各园区2022年目标与实际"
    page.get_by_role("combobox", name="指标", exact=True).click()
    page.get_by_role("option", name="规上工业增加值").click()
    expect(page.locator(".js-plotly-plot .gtitle").first).to_have_text(re.compile("^规上工业增加值："))
    expect(page).to_have_url(re.compile("indicator=industrial_value_added"))
    no_exception(page)
    shot(page, "compare_value_added")


def test_language_toggle_switches_labels_and_the_url(server, page: Page):
    page.goto(server.url + "/tracker")
    expect(page.locator("h1").first).to_have_text("目标跟踪", timeout=30_000)
    page.get_by_role("radio", name="English").click()
    expect(page.locator("h1").first).to_have_text("Target tracker")
    expect(page).to_have_url(re.compile("lang=en"))
    page.get_by_role("link", name="Overview").click()
    expect(page.locator("h1").first).to_have_text("Overview")      # the sidebar link carries the language
    no_exception(page)


def test_a_comparison_tab_draws_its_chart_and_goes_into_the_url(server, page: Page):
    page.goto(server.url + "/compare")
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=30_000)
    page.get_by_role("tab", name="数据覆盖").click()
    expect(page.locator(".js-plotly-plot .gtitle").last).to_have_text(re.compile("^数据覆盖：园区 × 指标"))
    expect(page).to_have_url(re.compile("tab="))
    no_exception(page)
    shot(page, "compare_coverage_tab")
