"""After an edit, only the parks whose observation files changed are computed again (analysis.analyse with the
previous analysis) — and the tables are exactly those computing everything again gives."""
from __future__ import annotations

import random
import shutil

import pandas as pd
import pytest

from conftest import copy_data, edit
from parkmetrics import loader, metrics, synth
from parkmetrics.analysis import TABLES, analyse, changed_parks

OBS = "data/observations"


def assert_same_as_full(root, previous):
    """The spliced analysis equals a full one of the same files; returns the parks that were computed again."""
    ds = loader.load_dataset(root)
    parks = changed_parks(previous, ds, metrics.indicator_frame(ds.indicators))
    spliced = analyse(ds, previous)
    full = analyse(loader.load_dataset(root))
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(spliced, name), getattr(full, name), obj=name)
    return parks, spliced


def _replace_row(path, needle, new_line):
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if needle in line)
    lines[i] = new_line
    path.write_text("\n".join(lines), encoding="utf-8")


EDITS = {
    "a figure changed": (lambda r: edit(r / OBS / "linxiang_2022_plan.csv", ",420,亿元,", ",421,亿元,"), {"linxiang"}),
    "a file removed": (lambda r: (r / OBS / "jiangyou_2022_plan.csv").unlink(), {"jiangyou"}),
    "a file added": (lambda r: shutil.copy(r / OBS / "zhengyang_2022_plan.csv", r / OBS / "a_copy.csv"),
                     {"zhengyang"}),    # read first: its rows are kept, the original's become the duplicates
    "a row broken": (lambda r: edit(r / OBS / "linxiang_2022_plan.csv", ",420,亿元,", ",四百二十X,亿元,"), {"linxiang"}),
    "nothing changed": (lambda r: None, set()),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_an_edit_recomputes_the_parks_it_touches_and_gives_the_full_tables(tmp_path, case):
    root = copy_data(tmp_path / "root")
    previous = analyse(loader.load_dataset(root))
    change, expected = EDITS[case]
    change(root)
    parks, _ = assert_same_as_full(root, previous)
    assert parks == expected


def test_edits_in_a_row_each_splice_onto_the_last(tmp_path):
    root = copy_data(tmp_path / "root")
    current = analyse(loader.load_dataset(root))
    for case in ("a figure changed", "a file removed", "a file added"):
        EDITS[case][0](root)
        parks, current = assert_same_as_full(root, current)
        assert parks == EDITS[case][1]


def test_spliced_text_columns_gather_a_bounded_number_of_pieces(tmp_path):
    """Each splice leaves text columns in more Arrow chunks; beyond SPLICE_PIECES_MAX they are joined again."""
    root = copy_data(tmp_path / "root")
    current = analyse(loader.load_dataset(root))
    csv, most = root / OBS / "linxiang_2022_plan.csv", 0
    for n in range(12):
        figures = (",420,亿元,", ",421,亿元,")
        edit(csv, figures[n % 2], figures[1 - n % 2])     # a new version of the file each time
        _, current = assert_same_as_full(root, current)
        pieces = [metrics.pieces_of(values) for name in TABLES for _, values in getattr(current, name).items()
                  if isinstance(values.dtype, pd.StringDtype)]
        assert max(pieces) <= metrics.SPLICE_PIECES_MAX
        most = max(most, *pieces)
    assert most > 2        # the splices did leave pieces, and they were joined before passing the bound


def test_parks_yaml_or_the_catalogue_changed_means_everything_again(tmp_path):
    root = copy_data(tmp_path / "root")
    previous = analyse(loader.load_dataset(root))
    with open(root / "data/indicators.yaml", "a", encoding="utf-8") as f:
        f.write("\n")
    ds = loader.load_dataset(root)
    assert changed_parks(previous, ds, metrics.indicator_frame(ds.indicators)) is None
    with open(root / "parks.yaml", "a", encoding="utf-8") as f:
        f.write("\n")
    previous, ds = analyse(ds), loader.load_dataset(root)
    assert changed_parks(previous, ds, metrics.indicator_frame(ds.indicators)) is None


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_on_a_synthetic_root(tmp_path, seed):
    """Figures changed, rows deleted and made duplicates of each other, in a few files of a 12-park root."""
    rng = random.Random(seed)
    root = tmp_path / "synth"
    synth.write_root(root, parks=12, indicators=8, years=4, bad_rows=0.02, seed=seed)
    previous = analyse(loader.load_dataset(root))
    files = sorted((root / OBS).glob("*.csv"))
    touched = rng.sample(files, 2)
    for path in touched:
        lines = path.read_text(encoding="utf-8").split("\n")
        body = [i for i in range(1, len(lines)) if lines[i]]
        for i in rng.sample(body, 3):
            cells = lines[i].split(",")
            action = rng.choice(["figure", "delete", "duplicate"])
            if action == "figure" and cells[8].replace(".", "", 1).isdigit():
                old = cells[8]
                cells[8] = f"{float(old) * 2:g}"
                cells[15] = cells[15].replace(old, cells[8])
                lines[i] = ",".join(cells)
            elif action == "delete":
                lines[i] = ""
            else:
                lines[i] = lines[rng.choice(body)]
        path.write_text("\n".join(x for x in lines if x) + "\n", encoding="utf-8")
    parks, _ = assert_same_as_full(root, previous)
    assert parks and len(parks) <= 2


@pytest.mark.parametrize("per_batch", [1, 2])
def test_metrics_computed_a_few_parks_at_a_time_equal_all_at_once(tmp_path, monkeypatch, per_batch):
    from parkmetrics import analysis

    root = tmp_path / "synth"
    synth.write_root(root, parks=7, indicators=8, years=4, bad_rows=0.02, seed=per_batch)
    for data in (root, copy_data(tmp_path / "frozen")):
        ds = loader.load_dataset(data)
        ind = metrics.indicator_frame(ds.indicators)
        whole = analysis.compute_tables(ds.observations, ind)
        monkeypatch.setattr(analysis, "PARKS_PER_BATCH", per_batch)
        for name, table in analysis.compute_tables(ds.observations, ind).items():
            pd.testing.assert_frame_equal(table, whole[name], obj=name)
        monkeypatch.undo()
