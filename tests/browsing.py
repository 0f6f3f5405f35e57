"""What the browser tests read from a page as its reader would: a finished run, a grid's cells, the main text."""
from __future__ import annotations

from playwright.sync_api import Page, expect


def settle(page: Page) -> None:
    """Wait for the script run that an interaction started to finish."""
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="running"]')).to_have_count(0, timeout=30_000)


def grid_rows(page: Page, key: str) -> list[list[str]]:
    """The cells of a st.dataframe, row by row (glide data grid draws on a canvas; its accessible table, which
    screen readers use, holds the cells as text)."""
    rows = page.locator(f'.st-key-{key} [role="row"]')
    # the grid draws after the script run ends (on a slow machine, seconds later): wait for its header and a row
    expect(rows.nth(1)).to_be_attached(timeout=30_000)
    return [row.locator('[role="gridcell"], [role="columnheader"]').all_inner_texts() for row in rows.all()]


def main_text(page: Page) -> str:
    """The main area's text as read, without the names of Material icons (drawn as ligatures, never read)."""
    return page.locator('[data-testid="stMain"]').evaluate(
        "m => { const c = m.cloneNode(true); c.querySelectorAll('[data-testid=stIconMaterial]').forEach(i => i.remove());"
        " return c.textContent; }")
