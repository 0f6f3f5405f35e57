"""On a phone, a chart laid out for 1000 px is never squeezed: the reader gets what it shows at the phone's own
font size (its title, a table of its points, its source line) and the figure itself as an image that scales to the
screen, one tap away."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from conftest import ARTIFACTS

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.0 Mobile/15E148 Safari/604.1")


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/compare?indicator=industrial_output&year=2022",
                                  "/park?park=linxiang&indicator=industrial_output"])
def test_a_phone_gets_whole_charts_that_fit_the_screen(server, browser: Browser, path):
    page = browser.new_page(viewport={"width": 390, "height": 844}, user_agent=IPHONE)
    try:
        page.goto(server.url + path)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for(timeout=60_000)
        expect(table.locator('[role="row"]').nth(1)).to_be_attached(timeout=30_000)
        header = table.locator('[role="columnheader"]').all_inner_texts()
        assert header[:3] == ["系列", "类别", "数值"], header
        cells = " ".join(table.locator('[role="gridcell"]').all_inner_texts())
        assert "390" in cells                                    # 临湘's 2022 规上工业总产值 target, readable
        size = page.get_by_text(re.compile("^来源：")).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 11
        page.get_by_text("查看图表图片（可放大、保存）").first.click()
        image = page.locator('[data-testid="stImage"] img').first
        image.wait_for(timeout=60_000)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        natural, shown = image.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
        assert natural >= 2 * shown       # the figure at its own size, 2×: sharp when zoomed
        assert 300 <= shown <= 390        # scaled to the screen: nothing clipped, no sideways scrolling
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"phone{path.split('?')[0].replace('/', '_')}.png", full_page=True)
    finally:
        page.close()
