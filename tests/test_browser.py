"""The real app in Debian's chromium against a real Streamlit server (Playwright)."""
from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from conftest import ARTIFACTS, copy_data, edit
from server import Server, run_sessions

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
    for label in ("Overview", "Park profile", "Cross-park comparison", "Peers", "Target tracker", "Data and sources",
                  "Import"):
        expect(sidebar.get_by_role("link", name=label)).to_be_visible()
    expect(page.get_by_text("Sichuan Jiangyou High-tech Industrial Park").first).to_be_visible()
    # the chart title names the park (its short name when the full one would wrap), the indicator and the year
    assert chart_titles(page)[0].startswith("Jiangyou: Newly certified high-tech enterprises targets (2022")
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
    ("/", "总览", 2), ("/park", "园区画像", 1), ("/compare", "园区对比", 2), ("/tracker", "目标跟踪", 0),
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
    assert chart_titles(page)[0] == "规上工业总产值：各园区2022年目标（尚无实际数据）"
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
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Park plans and results")).to_be_visible()     # the same run, not one later
    expect(sidebar.get_by_text("园区目标与实绩")).to_have_count(0)
    page.get_by_role("link", name="Overview").click()
    expect(page.locator("h1").first).to_have_text("Overview")      # the sidebar link carries the language
    no_exception(page)


def test_a_comparison_tab_draws_its_chart_and_goes_into_the_url(server, page: Page):
    page.goto(server.url + "/compare")
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=30_000)
    page.get_by_role("tab", name="数据覆盖").click()
    expect(page.locator(".js-plotly-plot .gtitle").last).to_have_text(re.compile("^2022年数据覆盖：园区 × 指标"))
    expect(page).to_have_url(re.compile("tab="))
    no_exception(page)
    shot(page, "compare_coverage_tab")


# --- text is text, in the real browser ------------------------------------------------------------------------

MD_LINK = "[Log in again](https://evil.example/phish)"
PAYLOADS = [MD_LINK, "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "javascript:alert(1)", ":red[x]",
            "$x$", '<a href="https://evil.example/a">a</a>']

# Every link in the page, HTML and SVG (Plotly draws <a xlink:href> in its texts), and every injected element.
EVIL = """() => {
  const links = Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href') || a.getAttribute('xlink:href') || '');
  return {links: links.filter(h => h.includes('evil.example') || h.startsWith('javascript')),
          imgs: document.querySelectorAll('img[src="x"]').length,
          scripts: Array.from(document.querySelectorAll('script')).filter(s => s.textContent.includes('alert(1)')).length,
          katex: document.querySelectorAll('.katex').length,
          red: Array.from(document.querySelectorAll('[data-testid=stMarkdownContainer] span[style*="color"]')).length};
}"""


def _yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)          # a JSON string is a valid YAML double-quoted scalar


def injection_data(root: Path) -> Path:
    """The shipped data, with payloads in a park's name, its short name (chart ticks), positioning, a source
    title, an indicator description, every 临湘 quote and note, and 临湘's tasks."""
    copy_data(root)
    edit(root / "parks.yaml", "    name_zh: 四川江油高新技术产业园区\n",
         f"    name_zh: {_yaml_str('四川江油高新技术产业园区 ' + MD_LINK + ' <img src=x onerror=alert(1)>')}\n")
    edit(root / "parks.yaml", "    short_name_zh: 江油高新区\n",
         f"    short_name_zh: {_yaml_str('江油<a href=' + chr(34) + 'https://evil.example/a' + chr(34) + '>a</a>')}\n")
    edit(root / "parks.yaml", "positioning: 全省首批“5+1”重点特色园区；省级绿色园区；争创国家级高新区",
         "positioning: " + _yaml_str("javascript:alert(1) :red[x] $x$ <script>alert(1)</script> 全省首批"))
    edit(root / "parks.yaml", "    title: 临湘高新区2022年工作计划\n",
         f"    title: {_yaml_str('临湘高新区2022年工作计划' + MD_LINK)}\n")
    indicators = root / "data/indicators.yaml"               # industrial_output's description, a folded block
    text = indicators.read_text(encoding="utf-8")
    text = re.sub(r"    description_zh: >-\n(      .*\n)+", lambda m: "    description_zh: " + _yaml_str(
        MD_LINK + " <img src=x onerror=alert(1)> :red[x] $x$") + "\n", text, count=1)
    indicators.write_text(text, encoding="utf-8")
    for path in [root / "data/observations/linxiang_2022_plan.csv", root / "data/tasks.csv"]:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            if row["park_id"] == "linxiang":
                row["quote"] += " " + MD_LINK + " <img src=x onerror=alert(1)>"
                if "note" in row:
                    row["note"] = "<script>alert(1)</script> " + MD_LINK
                if "task_zh" in row:
                    row["task_zh"] += " <script>alert(1)</script> " + MD_LINK
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return root


@pytest.fixture(scope="module")
def injection_server(tmp_path_factory):
    root = injection_data(tmp_path_factory.mktemp("injection") / "root")
    srv = Server(root)
    yield srv
    srv.stop()
    assert "Traceback" not in srv.log_text(), srv.log_text()[-3000:]


def main_text(page: Page) -> str:
    """The main area's text as the reader sees it (ui.md's invisible word joiners removed)."""
    return page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")


def _open(page: Page, url: str, dialogs: list) -> None:
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stSidebar"]').get_by_role("link", name="总览")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(800)                    # let images fail to load and handlers (would) run


def _assert_inert(page: Page, dialogs: list) -> None:
    found = page.evaluate(EVIL)
    assert found == {"links": [], "imgs": 0, "scripts": 0, "katex": 0, "red": 0}, found
    assert dialogs == []
    no_exception(page)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_link_payloads_are_shown_as_text(server, page: Page, payload):
    """The payload in every parameter a page reads (park, indicator, year, family, lang): each unknown value gets
    its notice with the payload shown as text; an unknown language silently falls back to 中文."""
    dialogs: list = []
    value = quote(payload)
    for path, params in (("/park", ("park", "indicator")), ("/compare", ("family", "indicator", "year"))):
        _open(page, f"{server.url}{path}?" + "&".join(f"{p}={value}" for p in (*params, "lang")), dialogs)
        expect(page.locator('[data-testid="stAlertContentWarning"]')).to_have_count(len(params))
        notices = [n.replace("\u2060", "") for n in
                   page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()]
        for param, notice in zip(params, notices):
            assert f"{param}={payload}" in notice, notice
        expect(page.locator("h1").first).to_have_text("园区画像" if path == "/park" else "园区对比")
        _assert_inert(page, dialogs)


def test_data_payloads_are_shown_as_text(injection_server, page: Page):
    dialogs: list = []
    url = injection_server.url
    _open(page, url + "/", dialogs)
    headings = [h.replace("\u2060", "") for h in page.locator("h3").all_inner_texts()]
    assert f"四川江油高新技术产业园区 {MD_LINK} <img src=x onerror=alert(1)>" in headings
    _assert_inert(page, dialogs)
    shot(page, "injection_overview")
    _open(page, url + "/park?park=jiangyou&indicator=high_tech_enterprises_new", dialogs)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    assert "定位：javascript:alert(1) :red[x] $x$ <script>alert(1)</script> 全省首批" in main_text(page)
    # The title names the park (its short name when the full one would wrap), payloads shown as text
    assert chart_titles(page)[0].startswith((f"四川江油高新技术产业园区 {MD_LINK} <img src=x onerror=alert(1)>",
                                             '江油<a href="https://evil.example/a">a</a>：'))
    _assert_inert(page, dialogs)
    _open(page, url + "/park?park=linxiang&indicator=industrial_output&section=查看某个数字的原文", dialogs)
    page.get_by_text("口径说明").click()
    expect(page.locator("blockquote").first).to_be_visible()
    page.wait_for_timeout(500)
    text = main_text(page)
    assert f"{MD_LINK} <img src=x onerror=alert(1)> :red[x] $x$" in text           # the indicator description
    assert f"{MD_LINK} <img src=x onerror=alert(1)>" in page.locator("blockquote").first.inner_text().replace(
        "\u2060", "")                                                               # the quote
    assert "《临湘高新区2022年工作计划" + MD_LINK + "》" in text                         # the source line
    _assert_inert(page, dialogs)
    shot(page, "injection_park_quote")
    for path in ("/park?park=linxiang&section=重点任务", "/compare?tab=数据覆盖", "/tracker", "/sources"):
        _open(page, url + path, dialogs)
        page.wait_for_timeout(1500)               # charts and grids drawn
        _assert_inert(page, dialogs)
    tick = page.context.new_page()
    _open(tick, url + "/compare?family=enterprises", dialogs)
    expect(tick.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    assert any('江油<a href="https://evil.example/a">a</a>' in t for t in
               tick.locator(".js-plotly-plot .xtick text").all_text_contents())
    _assert_inert(tick, dialogs)


# --- many sessions at once (issue item 6) ------------------------------------------------------------------------


@pytest.mark.slow
def test_eight_sessions_for_thirty_seconds_with_a_data_edit(browser, tmp_path):
    """8 sessions change widgets (selects, tabs, language) round-robin against one server for 30 s; halfway a
    figure is edited in an observation CSV and every session sees it on its next interaction. No exception
    element, no dialog, no Traceback in the server log."""
    root = copy_data(tmp_path / "root")
    srv = Server(root, warm=True)
    csv_file = root / "data/observations/linxiang_2022_plan.csv"
    try:
        result = run_sessions(browser, srv.url, 8, 30,
                              on_halfway=lambda: edit(csv_file, ",420,亿元,", ",421,亿元,"),
                              check_after_edit=lambda text: "技工贸总收入：421亿元" in text
                              or "42.1 billion yuan" in text, artifacts=ARTIFACTS)
        peak = srv.peak_rss_mb()
    finally:
        srv.stop()
    print(f"8 sessions: {result['interactions']} interactions in {result['seconds']:.0f} s, p50 {result['p50']:.2f} s, "
          f"p95 {result['p95']:.2f} s, first draw ≤ {result['first_draw_max']:.1f} s, server peak RSS {peak:.0f} MB")
    for line in result["reloaded"]:     # a tab that lost its sidebar link went to the overview by address
        print(line)
    log = srv.log_text()
    assert result["edited"] and result["edit_unseen_by"] == []
    assert result["exceptions"] == 0 and result["dialogs"] == []
    assert result["failures"] == [], result["failures"]
    assert result["drawn"] == 8 and result["rounds"] >= 2    # widget changes before the edit, and the edit round
    assert "Traceback" not in log and "failed [ref" not in log, log[-3000:]


# --- every page and tab at 1440 and 390 px, in zh and en (issue 10) -----------------------------------------------

VIEWS = [("overview", "/"), ("park-yoy", "/park?park=zhengyang&section=yoy"),
         ("park-pace", "/park?park=zhengyang&section=pace"), ("park-quote", "/park?park=linxiang&section=quote"),
         ("park-tasks", "/park?park=linxiang&section=tasks"), ("compare-ambition", "/compare?tab=ambition"),
         ("compare-status", "/compare?tab=status"), ("compare-coverage", "/compare?tab=coverage"),
         ("compare-size_fair", "/compare?tab=size_fair"), ("tracker", "/tracker"), ("sources", "/sources")]

# The main area's content height (the app scrolls inside its own container, so a full-page screenshot needs the
# viewport set to it), whether anything but a chart box is wider than the viewport, and the sidebar state.
LAYOUT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = main.querySelector('[data-testid="stMainBlockContainer"]') || main;
  const vw = document.documentElement.clientWidth;
  const wide = Array.from(main.querySelectorAll('[data-testid="stMarkdownContainer"], [data-testid="stAlert"], '
      + 'h1, h2, h3, [data-testid="stTabs"] [role="tablist"], [data-testid="stDataFrame"], [data-testid="stCaptionContainer"]'))
    .filter(el => !(el.closest('[role="tablist"]') && !el.matches('[role="tablist"]')))  // tabs scroll in their list
    .filter(el => el.getBoundingClientRect().right > vw + 2).map(el => el.innerText.slice(0, 60));
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  return {height: Math.ceil(block.scrollHeight + 160), wide: wide,
          collapsed: sidebar ? sidebar.getAttribute('data-collapsed') : null};
}"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_and_tab_at_desktop_and_phone_width(server, browser, width, lang):
    """Every page and tab at 1440 px and 390 px in both languages: it draws without an exception, the sidebar
    starts collapsed on the phone (open on the desktop), no text block runs past the screen (charts scroll in
    their own box), the charts are there; a full-page screenshot of each goes to test-artifacts/ for a person to
    look at."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        for name, path in VIEWS:
            url = server.url + path + (("&" if "?" in path else "?") + "lang=en" if lang == "en" else "")
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            expect(page.locator("h1").first).to_be_visible(timeout=30_000)
            if name.startswith(("compare", "park")) and name != "compare-size_fair":
                expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
            page.wait_for_timeout(1200)
            no_exception(page)
            layout = page.evaluate(LAYOUT)
            assert layout["collapsed"] == ("true" if width < 600 else "false"), (name, layout["collapsed"])
            assert layout["wide"] == [], (name, layout["wide"])
            assert page.locator('[data-testid="stAlertContentWarning"]').count() == 0, name   # no false notice
            page.set_viewport_size({"width": width, "height": min(layout["height"], 12_000)})
            page.wait_for_timeout(400)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"view_{width}_{lang}_{name}.png"))
    finally:
        context.close()
