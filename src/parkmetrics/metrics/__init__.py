"""Metrics: target attainment, year-on-year change, pace to multi-year targets and self-checks.

`rules` holds the scalar rules (one target, one actual); the functions over the whole dataset are built from them:
`attainment`, `change` (year-on-year change, pace), `checks`, over `frames` (what every table is built with:
periods parsed, coverage, splicing a park's rows) and `sql` (the DuckDB engine, the scalar rules as
its macros). Every public name is reachable as `metrics.NAME`."""
from __future__ import annotations

from .rules import (Thresholds, THRESHOLDS, STATUS_CODES, PACE_CODES, CHECK_CODES, meets, attainment_ratio, classify,
                    implied_level, implied_previous, implied_previous_from_multiple, nominal_change_pct, cagr,
                    pace_class, progress_class, assess_target, accumulates, schedule_class, assess_progress)
from .attainment import ATTAINMENT_COLUMNS, FLAG_NAMES, attainment
from .change import PACE_COLUMNS, YOY_COLUMNS, pace, yoy
from .checks import CHECK_COLUMNS, CHECK_NAMES, SHARE_RELATIONS, checks, detail_args
from .frames import (KEY, SPLICE_PIECES_MAX, coverage, indicator_frame, pieces_of, splice, stack,
                     with_periods)
