"""All-or-nothing saves (write.save, importing.save): parks.yaml (a new park, the source entry) and
data/observations/<source>.csv change together or not at all — through a full disk, a failure between the two
files, a crash at any moment (100 SIGKILLs), and a retry after it."""
from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, copy_data
from parkmetrics import importing, write
from parkmetrics.loader import load_dataset

CSV = "data/observations/pk1_2022_summary.csv"


def park(n: int) -> dict:
    return importing.park_entry(id=f"pk{n}", name_zh=f"测试园区{n}", name_en=f"Test Park {n}", province="湖南省",
                                city="岳阳市", county="临湘市", level="省级", kind="高新区", color="#123456")


def source(n: int) -> dict:
    return importing.source_entry(id=f"pk{n}_2022_summary", file=f"pk{n}.txt", title=f"测试园区{n}2022年工作总结",
                                  issuer="测试园区管委会", date="2023-01-06", type="summary", park=f"pk{n}",
                                  scope="park")


def rows(n: int) -> list[dict]:
    base = {"park_id": f"pk{n}", "scope": "park", "year": 2022, "kind": "actual", "comparator": "=",
            "basis": "level", "source": f"pk{n}_2022_summary"}
    return [base | {"indicator_id": "industrial_output", "value": 400 + n, "unit": "亿元",
                    "quote": f"全年完成规模工业总产值{400 + n}亿元"},
            base | {"indicator_id": "fixed_asset_investment", "value": 80 + n, "unit": "亿元",
                    "quote": f"完成固定资产投资{80 + n}亿元"},
            base | {"indicator_id": "above_scale_enterprises_new", "value": 10 + n % 50, "unit": "家",
                    "basis": "new_count", "quote": f"新增规模工业企业{10 + n % 50}家"}]


@pytest.fixture
def editor(monkeypatch):
    monkeypatch.setenv(write.EDITOR_ENV, "1")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the root, by relative path (temporary files and the journal included)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def temporaries(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.name.endswith(".tmp")
            or p.name == write.JOURNAL]


def saved(root: Path, n: int) -> tuple[bool, bool]:
    """(the source is in parks.yaml, its CSV exists) as the files stand (no recovery)."""
    text = (root / "parks.yaml").read_text(encoding="utf-8")
    return f"- id: pk{n}_2022_summary\n" in text, (root / f"data/observations/pk{n}_2022_summary.csv").exists()


# --- a full disk, or any failure while writing: a clear refusal, nothing written ------------------------------


class Disk:
    """os.write on files under `root` fails with ENOSPC from the `fail_at`-th call (after writing `partial` bytes
    of that call, as a disk that fills up half-way does); other writes go through."""

    def __init__(self, root: Path, fail_at: int, partial: int = 7, code: int = errno.ENOSPC):
        self.root, self.fail_at, self.partial, self.code, self.calls = str(root.resolve()), fail_at, partial, code, 0
        self.real = os.write

    def __call__(self, fd, data):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if not target.startswith(self.root):
            return self.real(fd, data)
        self.calls += 1
        if self.calls >= self.fail_at:
            if self.partial:
                self.real(fd, bytes(data[:self.partial]))
            raise OSError(self.code, os.strerror(self.code))
        return self.real(fd, data)


@pytest.mark.parametrize("fail_at", [1, 2, 3])   # the CSV, parks.yaml, the journal: each write a save makes
@pytest.mark.parametrize("with_park", [False, True])
def test_a_full_disk_is_a_clear_refusal_with_nothing_written(data_copy, editor, monkeypatch, fail_at, with_park):
    if not with_park:
        write.add_park(data_copy, park(1))
    before = snapshot(data_copy)
    disk = Disk(data_copy, fail_at)
    with monkeypatch.context() as patched:
        patched.setattr(os, "write", disk)
        with pytest.raises(write.DiskFull) as exc:
            importing.save(data_copy, source(1), rows(1), park=park(1) if with_park else None)
    assert disk.calls == fail_at
    assert exc.value.message_zh.startswith("磁盘已满：未写入任何文件") and "parks.yaml" in exc.value.message_zh \
        and CSV in exc.value.message_zh
    assert exc.value.message_en.startswith("the disk is full: nothing was written") and CSV in exc.value.message_en
    assert isinstance(exc.value, write.WriteRefused) and isinstance(exc.value, OSError)
    assert snapshot(data_copy) == before                     # not a byte changed, no temporary file, no journal
    # with space again, the same save goes through
    importing.save(data_copy, source(1), rows(1), park=park(1) if with_park else None)
    ds = load_dataset(data_copy)
    assert ds.problems == [] and "pk1_2022_summary" in ds.sources and (ds.observations["source"] ==
                                                                       "pk1_2022_summary").sum() == 3


def test_any_other_write_failure_is_a_refusal_naming_the_reason(data_copy, editor, monkeypatch):
    write.add_park(data_copy, park(1))
    before = snapshot(data_copy)
    with monkeypatch.context() as patched:
        patched.setattr(os, "write", Disk(data_copy, 2, code=errno.EIO))
        with pytest.raises(write.WriteFailed) as exc:
            importing.save(data_copy, source(1), rows(1))
    assert not isinstance(exc.value, write.DiskFull) and not exc.value.pending
    assert "写入失败" in exc.value.message_zh and "未写入任何文件" in exc.value.message_zh
    assert "nothing was written" in exc.value.message_en and os.strerror(errno.EIO) in exc.value.message_en
    assert snapshot(data_copy) == before


def test_a_full_disk_on_a_single_file_write_leaves_it_as_it_was(data_copy, editor, monkeypatch):
    path = write.write_observations(data_copy, "lx_2022_summary", rows(1), overwrite=False)
    before = snapshot(data_copy)
    with monkeypatch.context() as patched:
        patched.setattr(os, "write", Disk(data_copy, 1, partial=100))
        with pytest.raises(write.DiskFull):
            write.write_observations(data_copy, "lx_2022_summary", rows(2), overwrite=True)
        with pytest.raises(write.DiskFull):
            write.add_source(data_copy, source(2) | {"park": "linxiang"})
    assert snapshot(data_copy) == before and path.exists()


# --- a failure or a crash between the two files ------------------------------------------------------------------


class Crash(BaseException):
    """A crash, as far as the code under test can tell: nothing after it runs (not an Exception)."""


def test_a_crash_after_the_commit_point_is_completed_by_the_next_save_or_load(data_copy, editor, monkeypatch):
    before = snapshot(data_copy)
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise Crash()   # parks.yaml is in place, the CSV is not: the half-save of issue 17
        return real(src, dst)
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replace)
        with pytest.raises(Crash):
            importing.save(data_copy, source(1), rows(1), park=park(1))
    assert saved(data_copy, 1) == (True, False)                      # half-way on disk…
    assert (data_copy / write.JOURNAL).exists()                      # …with the journal that completes it
    journal = json.loads((data_copy / write.JOURNAL).read_text(encoding="utf-8"))
    assert sorted(f["target"] for f in journal["files"]) == sorted(["parks.yaml", "data/observations/pk1_2022_summary.csv"])
    assert write.recover(data_copy) == "completed"
    assert saved(data_copy, 1) == (True, True) and temporaries(data_copy) == []
    ds = load_dataset(data_copy)
    assert ds.problems == [] and "pk1" in ds.parks and (ds.observations["source"] == "pk1_2022_summary").sum() == 3
    # the retry the editor makes is not refused as "exists": the save is there exactly as it would write it
    after = snapshot(data_copy)
    assert importing.save(data_copy, source(1), rows(1), park=park(1)) == []       # nothing left to write
    assert snapshot(data_copy) == after
    assert set(after) - set(before) == {CSV}


def crash_at_the_first_rename(monkeypatch, root, **kw) -> None:
    """A save that dies after its journal is committed, at the first rename (the journal names every file)."""
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise Crash()
        return real(src, dst)
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replace)
        with pytest.raises(Crash):
            importing.save(root, source(1), rows(1), **kw)


def test_the_page_reads_complete_an_interrupted_save_before_answering(data_copy, editor, monkeypatch):
    crash_at_the_first_rename(monkeypatch, data_copy, park=park(1))
    assert (data_copy / write.JOURNAL).exists() and saved(data_copy, 1) == (False, False)
    monkeypatch.delenv(write.EDITOR_ENV)            # a viewer's read completes it too: it only finishes renames
    assert importing.existing(data_copy, "pk1_2022_summary") == {"source": True, "csv": True}
    assert not (data_copy / write.JOURNAL).exists() and temporaries(data_copy) == []


def test_a_failure_after_the_commit_point_says_the_save_completes_later(data_copy, editor, monkeypatch):
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) >= 2:
            raise OSError(errno.EIO, "I/O error (simulated)")
        return real(src, dst)
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replace)
        with pytest.raises(write.WriteFailed) as exc:
            importing.save(data_copy, source(1), rows(1), park=park(1))
    assert exc.value.pending and "将在下次保存或载入时完成" in exc.value.message_zh \
        and "completes at the next save or load" in exc.value.message_en
    assert write.load(data_copy).problems == [] and saved(data_copy, 1) == (True, True)


def test_a_failure_at_the_first_rename_abandons_the_save(data_copy, editor, monkeypatch):
    before = snapshot(data_copy)

    def replace(src, dst):
        raise OSError(errno.EROFS, "read-only file system (simulated)")
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replace)
        with pytest.raises(write.WriteFailed) as exc:
            importing.save(data_copy, source(1), rows(1))
    assert not exc.value.pending and "simulated" in str(exc.value)
    assert snapshot(data_copy) == before


def test_a_crash_before_the_commit_point_is_rolled_back(data_copy, editor):
    before = snapshot(data_copy)
    # what a save killed while writing its temporary files leaves behind (the old writer's mkstemp names too)
    (data_copy / f".parks.yaml.{'0' * 16}.save.tmp").write_text("sources: [half", encoding="utf-8")
    (data_copy / f"data/observations/.pk1_2022_summary.csv.{'a' * 16}.save.tmp").write_text("park_id\n")
    (data_copy / "data/observations/.pk1_2022_summary.csv.x1y2z3w4.tmp").write_text("park_id\n")
    (data_copy / "data/observations/.notes.tmp").write_text("an editor's own file")
    assert write.recover(data_copy) == "rolled back"
    assert snapshot(data_copy) == before | {"data/observations/.notes.tmp": b"an editor's own file"}
    assert write.recover(data_copy) is None


def test_a_hand_edited_journal_completes_nothing(data_copy, editor):
    before = snapshot(data_copy)
    (data_copy / write.JOURNAL).write_text("{not json", encoding="utf-8")
    (data_copy / f".parks.yaml.{'1' * 16}.save.tmp").write_text("sources: []", encoding="utf-8")
    assert write.recover(data_copy) == "rolled back"
    assert snapshot(data_copy) == before


def test_a_journal_cannot_move_a_file_from_elsewhere_into_the_data(data_copy, editor, tmp_path):
    before = snapshot(data_copy)
    outside = tmp_path / "evil.yaml"
    outside.write_text("parks: []\nsources: []\n", encoding="utf-8")
    (data_copy / write.JOURNAL).write_text(json.dumps({"format": 1, "files": [
        {"target": "parks.yaml", "staged": str(outside), "sha256": write.files._sha(outside.read_bytes())}]}),
        encoding="utf-8")
    assert write.recover(data_copy) == "rolled back"
    assert snapshot(data_copy) == before and outside.exists()


def test_a_journaled_file_that_does_not_match_is_not_renamed_into_place(data_copy, editor, monkeypatch):
    crash_at_the_first_rename(monkeypatch, data_copy)
    journal = json.loads((data_copy / write.JOURNAL).read_text(encoding="utf-8"))
    staged = data_copy / journal["files"][0]["staged"]
    staged.write_bytes(staged.read_bytes()[:-5])                       # not what the journal committed
    parks_before = (data_copy / "parks.yaml").read_bytes()
    with pytest.raises(OSError, match="does not match the journal"):
        write.recover(data_copy)
    assert (data_copy / "parks.yaml").read_bytes() == parks_before


# --- 100 SIGKILLs at random moments ----------------------------------------------------------------------------

CHILD = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {tests!r})
    from parkmetrics import importing, write
    from test_save_atomic import park, source, rows
    root, progress = sys.argv[1], sys.argv[2]
    fsync = os.fsync
    def slow_fsync(fd):            # a slow disk: the moments between the files' writes last longer
        time.sleep(0.004)
        return fsync(fd)
    for line in sys.stdin:
        first = int(line)
        pid = os.fork()
        if pid == 0:
            os.fsync = slow_fsync
            n = first
            try:
                while True:
                    with open(progress + ".tmp", "w") as f:
                        f.write(str(n))
                    os.replace(progress + ".tmp", progress)   # never read half-written
                    importing.save(root, source(n), rows(n), park=park(n))
                    n += 1
            finally:
                os._exit(1)
        print(pid, flush=True)
        os.waitpid(pid, 0)
        print("reaped", flush=True)
""")


@pytest.mark.slow
def test_100_random_sigkills_during_saves_leave_no_half_save(tmp_path, editor):
    root = copy_data(tmp_path / "root")
    progress = tmp_path / "progress"
    env = os.environ | {write.EDITOR_ENV: "1"}
    zygote = subprocess.Popen([sys.executable, "-c", CHILD.format(tests=str(ROOT / "tests")), str(root),
                               str(progress)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                              cwd=ROOT)
    rng = random.Random(17)
    first, outcomes, started = 0, {"clean": 0, "journal": 0, "temporaries": 0}, time.monotonic()
    try:
        for kill in range(100):
            progress.unlink(missing_ok=True)
            zygote.stdin.write(f"{first}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.02, 0.3))
            os.kill(pid, signal.SIGKILL)
            assert zygote.stdout.readline().strip() == "reaped"
            last = int(progress.read_text()) if progress.exists() else first
            # on disk, before any recovery: a half-save only ever stands beside the journal that completes it
            states = {n: saved(root, n) for n in range(first, last + 1)}
            half = [n for n, s in states.items() if s[0] != s[1]]
            journal = (root / write.JOURNAL).exists()
            assert not half or journal, (kill, half)
            outcomes["journal" if journal else "temporaries" if temporaries(root) else "clean"] += 1
            # the next load (write.load: recover, then load) sees every save whole or not at all
            ds = write.load(root)
            assert ds.problems == [] and temporaries(root) == [], (kill, ds.problems[:3])
            for n in range(first, last + 1):
                there = f"pk{n}_2022_summary" in ds.sources
                csv = root / f"data/observations/pk{n}_2022_summary.csv"
                assert there == csv.exists() == (f"pk{n}" in ds.parks), (kill, n)
                if there:
                    assert csv.read_text(encoding="utf-8") == write.observations_csv_text(rows(n),
                                                                                         f"pk{n}_2022_summary")
                    assert (ds.observations["source"] == f"pk{n}_2022_summary").sum() == 3
            # and the editor's retry of the interrupted save succeeds
            importing.save(root, source(last), rows(last), park=park(last))
            assert saved(root, last) == (True, True)
            first = last + 1
    finally:
        zygote.stdin.close()
        zygote.kill()
        zygote.wait()
    ds = load_dataset(root)
    elapsed = time.monotonic() - started
    print(f"\n100 SIGKILLs in {elapsed:.1f} s, {first} saves: killed with the journal committed "
          f"{outcomes['journal']}, while writing temporary files {outcomes['temporaries']}, between saves or while "
          f"planning {outcomes['clean']}; half-saves after recovery: 0")
    assert ds.problems == [] and len([s for s in ds.sources if s.startswith("pk")]) == first
    assert outcomes["journal"] + outcomes["temporaries"] > 0     # the kills did land inside saves
    assert elapsed < 90


def test_the_dashboard_completes_an_interrupted_save_before_it_shows_the_data(data_copy, editor, monkeypatch):
    """#17: the pages' own data load (serving.current_analysis) finishes a journaled save, so no viewer is shown a
    source without its rows, or the rows without their source."""
    from parkmetrics import serving

    crash_at_the_first_rename(monkeypatch, data_copy, park=park(1))
    assert (data_copy / write.JOURNAL).exists() and saved(data_copy, 1) == (False, False)
    monkeypatch.delenv(write.EDITOR_ENV)                        # a viewer's server
    served = serving.current_analysis(data_copy)
    assert not (data_copy / write.JOURNAL).exists() and saved(data_copy, 1) == (True, True)
    ds = served.analysis.dataset
    assert "pk1_2022_summary" in ds.sources and (ds.observations["source"] == "pk1_2022_summary").any()
