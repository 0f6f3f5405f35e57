"""A real Streamlit server on a free loopback port, for browser tests and benchmarks."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

APP = Path(__file__).resolve().parent.parent / "app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` on a free loopback port; ready once /_stcore/health answers. Its stdout and
    stderr go to `self.log` (a file), so a test can assert that no Traceback reached the server log."""

    def __init__(self, root: Path, script: Path = APP, warm: bool = False, log: Path | None = None,
                 env: dict[str, str] | None = None):
        """warm=True starts it as `python -m parkmetrics serve` (imports and data loaded before the first
        visitor, as scripts/run.sh does); otherwise as plain `streamlit run`. `env`: extra environment
        variables for the server (e.g. {"PARKMETRICS_EDITOR": "1"})."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = os.environ | {"PARKMETRICS_ROOT": str(root)} | (env or {})
        options = ["--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false"]
        command = ([sys.executable, "-m", "parkmetrics", "serve", "--root", str(root), "--", *options] if warm
                   else [sys.executable, "-m", "streamlit", "run", str(script), *options])
        self.log = Path(log) if log else Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
        self._log_file = open(self.log, "wb")
        self.proc = subprocess.Popen(command, cwd=script.parent, env=env, stdout=self._log_file,
                                     stderr=subprocess.STDOUT)
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
        raise RuntimeError("streamlit did not start within 60 s:\n" + self.log.read_text(errors="replace")[-2000:])

    def log_text(self) -> str:
        """What the server printed so far (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def peak_rss_mb(self) -> float:
        """The server process's peak resident memory (VmHWM) so far, in MB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc status")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log_file.close()


# --- many browser sessions against one server (tests/test_browser.py, scripts/bench.py --concurrency) ----------

# A finished script run, as the server announces it to the browser: a ForwardMsg `script_finished` on the app's
# WebSocket. (Watching the DOM's data-test-script-state missed runs: when "running" and "finished" reach the
# frontend in one batch, React renders once and the attribute never changes.)
RUN_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


def finished_run(payload: bytes | str) -> bool:
    """Whether one WebSocket frame from Streamlit's server reports a completed script run."""
    if not isinstance(payload, bytes):
        return False
    try:
        msg = ForwardMsg.FromString(payload)
    except DecodeError:
        return False
    return msg.WhichOneof("type") == "script_finished" and msg.script_finished in RUN_DONE


# The frontend has applied the finished run (polling, not requestAnimationFrame: background tabs get no frames).
DRAWN = "document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state') === 'notRunning'"

START_PATHS = ["/", "/park?park=linxiang&indicator=industrial_output", "/compare", "/tracker", "/sources",
               "/park?park=zhengyang&section=同比变化", "/compare?tab=数据覆盖&lang=en", "/park?park=jiangyou"]


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (our own browsers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class Session:
    """One browser tab on the app, driven one widget change at a time (it knows when its rerun has finished)."""

    def __init__(self, browser, url: str, n: int):
        self.context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.finished = 0                                   # completed script runs seen on the WebSocket
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.n, self.k, self.url = n, n, url
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.reloaded: list[str] = []
        self.runs, self.started = 0, 0.0

    def _frame(self, payload: bytes | str) -> None:
        if finished_run(payload):
            self.finished += 1

    def begin(self, path: str) -> None:
        self.runs, self.started = self.finished, time.monotonic()
        self.page.goto(self.url + path, wait_until="commit")

    def act(self) -> None:
        """Start one widget change: the language, a select box of the page (another option), or another tab."""
        page, self.k = self.page, self.k + 1
        self.runs, self.started = self.finished, time.monotonic()
        main = page.locator('[data-testid="stMain"]')
        boxes = main.get_by_role("combobox").count()
        tabs = main.locator('[role="tab"][aria-selected="false"]').count()
        choices = ["lang"] + [f"box{i}" for i in range(boxes)] + (["tab"] if tabs else [])
        choice = choices[self.k % len(choices)]
        if choice.startswith("box"):
            main.get_by_role("combobox").nth(int(choice[3:])).click()
            options = page.locator('[role="option"][aria-selected="false"]')
            try:
                options.first.wait_for(timeout=3_000)
                options.nth(self.k % options.count()).click()
                return
            except Exception:  # noqa: BLE001 — a select box with a single option: change the language instead
                page.keyboard.press("Escape")
                choice = "lang"
        if choice == "lang":   # the language not shown now (the link's lang= may lag the page on a loaded machine)
            page.locator('[data-testid="stSidebar"]').get_by_role("radio", checked=False).first.click()
        else:
            main.locator('[role="tab"][aria-selected="false"]').nth(self.k % tabs).click()

    def navigate(self, label: str | re.Pattern, path: str, artifacts: Path | None = None) -> None:
        """Follow a sidebar link (an interaction that lands on a known page). A tab that shows no such link
        within 30 s (seen once in a full CI run: a loaded machine, a tab that never drew its sidebar again) is
        recorded in `self.reloaded` with what it showed, and goes to `path` by address, as its user would."""
        self.runs, self.started = self.finished, time.monotonic()
        try:
            self.page.locator('[data-testid="stSidebar"]').get_by_role("link", name=label).click(timeout=30_000)
        except Exception:  # noqa: BLE001 — recorded, and the session goes on by address
            shown = self.page.locator("body").inner_text(timeout=5_000)[:200].replace("\n", " ")
            self.reloaded.append(f"session {self.n}: no sidebar link {label!r} after 30 s; the page showed: {shown!r}")
            if artifacts:
                artifacts.mkdir(exist_ok=True)
                self.page.screenshot(path=str(artifacts / f"session_{self.n}_without_sidebar_link.png"))
            self.runs, self.started = self.finished, time.monotonic()
            self.page.goto(self.url + path, wait_until="commit")

    def wait(self, timeout: float = 60_000) -> None:
        """Until the server has finished a script run for this tab since the last action, and the page shows it."""
        deadline = time.monotonic() + timeout / 1000
        while self.finished <= self.runs and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)                 # lets Playwright deliver the WebSocket frames
        try:
            if self.finished <= self.runs:
                raise TimeoutError
            self.page.wait_for_function(DRAWN, timeout=max(deadline - time.monotonic(), 1) * 1000, polling=100)
            self.latencies.append(time.monotonic() - self.started)
        except Exception as exc:  # noqa: BLE001 — a session that never finished is a result, not a crash
            self.failures.append(f"session {self.n}: no finished run after {timeout / 1000:.0f} s ({exc.__class__.__name__})")

    def exceptions(self) -> int:
        return self.page.locator('[data-testid="stException"]').count()

    def text(self) -> str:
        return self.page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")

    def close(self) -> None:
        self.context.close()


def run_sessions(browser, url: str, n: int, seconds: float, on_halfway=None, check_after_edit=None,
                 on_end=None, artifacts: Path | None = None) -> dict:
    """n sessions against one server for `seconds`, driven round-robin: every session starts a widget change,
    then each waits for its rerun to finish. Halfway, `on_halfway()` runs (a data edit) and every session's next
    interaction is the sidebar link 总览, whose text `check_after_edit(text)` must accept."""
    sessions = [Session(browser, url, i) for i in range(n)]
    for s in sessions:                                    # all started at once
        s.begin(START_PATHS[s.n % len(START_PATHS)])
    for s in sessions:
        s.wait(60_000)
    first_draw = [s.latencies.pop() for s in sessions if s.latencies]   # goto → first finished run
    start, edited, rounds, exceptions, unseen = time.monotonic(), False, 0, 0, []
    while time.monotonic() - start < seconds or (on_halfway and not edited):
        elapsed = time.monotonic() - start
        # halfway, or earlier if another round of widget changes would run past the end (a loaded machine)
        if on_halfway and not edited and (elapsed > seconds / 2 or (rounds and elapsed * (rounds + 1) / rounds > seconds)):
            on_halfway()
            edited = True
            for s in sessions:
                s.navigate(re.compile(r"^(?:总览|Overview)$"), "/", artifacts)   # in whichever language it shows
            for s in sessions:
                s.wait()
                if check_after_edit and not check_after_edit(s.text()):
                    unseen.append(s.n)
        else:
            for s in sessions:
                try:
                    s.act()
                except Exception as exc:  # noqa: BLE001
                    s.failures.append(f"session {s.n}: action failed ({exc.__class__.__name__}: {str(exc)[:80]})")
                    s.runs = 10**9       # nothing to wait for
            for s in sessions:
                if s.runs < 10**9:
                    s.wait()
        exceptions += sum(s.exceptions() for s in sessions)
        rounds += 1
    latencies = sorted(x for s in sessions for x in s.latencies)
    result = {"sessions": n, "seconds": time.monotonic() - start, "rounds": rounds, "interactions": len(latencies),
              "drawn": len(first_draw), "first_draw_max": max(first_draw, default=None),
              "p50": latencies[len(latencies) // 2] if latencies else None,
              "p95": latencies[int(len(latencies) * 0.95)] if latencies else None,
              "exceptions": exceptions, "failures": [f for s in sessions for f in s.failures],
              "dialogs": [d for s in sessions for d in s.dialogs], "edit_unseen_by": unseen, "edited": edited,
              "reloaded": [r for s in sessions for r in s.reloaded]}
    if on_end:
        on_end(result)                                    # before the tabs close (their CPU time goes with them)
    for s in sessions:
        s.close()
    return result
