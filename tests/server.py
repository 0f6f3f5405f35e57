"""A real Streamlit server on a free loopback port, for browser tests and benchmarks."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` on a free loopback port; ready once /_stcore/health answers."""

    def __init__(self, root: Path, script: Path = APP, warm: bool = False):
        """warm=True starts it as `python -m parkmetrics serve` (imports and data loaded before the first
        visitor, as scripts/run.sh does); otherwise as plain `streamlit run`."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = os.environ | {"PARKMETRICS_ROOT": str(root)}
        options = ["--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false"]
        command = ([sys.executable, "-m", "parkmetrics", "serve", "--root", str(root), "--", *options] if warm
                   else [sys.executable, "-m", "streamlit", "run", str(script), *options])
        self.proc = subprocess.Popen(command, cwd=script.parent, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        started = time.monotonic()
        while time.monotonic() - started < 60:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        self.ready_after = time.monotonic() - started
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("streamlit did not start within 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
