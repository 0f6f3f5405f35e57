"""Server-side chart export with kaleido 1.5: the figures the pages draw, as PNG (3×) and SVG, with a file name
that says park, indicator, year and language.

kaleido drives Debian's chromium (`/usr/bin/chromium`, found by itself; `BROWSER_PATH` overrides). Launching it
costs seconds, so one kaleido server runs per process: `warm()` starts it (the server calls it at start, the CLI
on first use) and every export reuses it. kaleido's sync server hands results back through one shared queue and
is not safe for concurrent callers (two Streamlit sessions would swap images), so exports are serialised by a lock.
"""
from __future__ import annotations

import copy
import re
import threading
import unicodedata

import plotly.graph_objects as go

from .. import charts

SCALE = 3  # the camera button's scale: 3000 × 1680 px for a 1000 × 560 figure
_LOCK = threading.Lock()
_WARM = False

# Characters Windows refuses in a file name, and its reserved device names.
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+|\s+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def export_name(park: str | None, indicator: str | None, year: object, lang: str, ext: str) -> str:
    """"临湘高新区_规上工业总产值_2022_zh.png": park, indicator, year and language, in the reader's words.

    Chinese stays (every current system shows it); what Windows forbids in a name (<>:"/\\|?* and control
    characters) and white space become "_"; no trailing dot or space; never a reserved device name (CON, NUL…);
    at most 120 characters before the extension. Parts that are None or empty are left out.
    """
    parts = [unicodedata.normalize("NFC", str(p)) for p in (park, indicator, year, lang) if p not in (None, "")]
    stem = _ILLEGAL.sub("_", "_".join(parts))
    stem = re.sub(r"_+", "_", stem).strip("_. ")[:120].rstrip("_. ") or "chart"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return f"{stem}.{ext.lstrip('.').lower()}"


def _kaleido():
    import kaleido  # imported on first use: the dashboard's pages never pay for it

    return kaleido


def warm() -> None:
    """Start the process's kaleido server and draw one tiny figure, so the browser is up before the first
    export (the first image otherwise takes ~3–8 s, later ones ~0.2 s). Safe to call again."""
    global _WARM
    with _LOCK:
        if _WARM:
            return
        k = _kaleido()
        # mathjax=False: no LaTeX in these charts, and no request to a CDN this machine may not reach.
        k.start_sync_server(mathjax=False, silence_warnings=True)
        tiny = go.Figure(layout=dict(template=charts.TEMPLATE, width=40, height=40))
        k.calc_fig_sync(tiny.to_dict(), opts=dict(format="png", width=40, height=40, scale=1))
        _WARM = True


def _explicit(fig: go.Figure) -> dict:
    """The figure as a dict with the report template set explicitly. Importing streamlit makes its "streamlit"
    template the default, whose colours are placeholders (#000001…): an image exported with it is near-black.
    The builders in charts.py set charts.TEMPLATE already; a figure without it gets it here."""
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    font = ((layout.get("template") or {}).get("layout") or {}).get("font") or {}
    if font.get("family") != charts.FONT:
        layout["template"] = copy.deepcopy(charts.TEMPLATE.to_plotly_json())
    return spec


def size(fig: go.Figure) -> tuple[int, int]:
    """The figure's own layout width and height (the builders always set them)."""
    return int(fig.layout.width or charts.WIDTH), int(fig.layout.height or charts.HEIGHT)


def render(fig: go.Figure, fmt: str, scale: float = SCALE) -> bytes:
    """`fig` as PNG (at `scale`) or SVG (vector, layout pixels), at its own width and height."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt!r} (png or svg)")
    warm()
    width, height = size(fig)
    spec = _explicit(fig)
    opts = dict(format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
    with _LOCK:
        data = _kaleido().calc_fig_sync(spec, opts=opts)
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def png(fig: go.Figure, scale: float = SCALE) -> bytes:
    return render(fig, "png", scale)


def svg(fig: go.Figure) -> bytes:
    return render(fig, "svg")
