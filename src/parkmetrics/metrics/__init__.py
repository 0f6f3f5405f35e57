"""Metrics: target attainment, year-on-year change, pace to multi-year targets and self-checks.

`rules` holds the scalar rules (one target, one actual), `tables` the functions over the whole dataset built from
them. Every public name of both is reachable as `metrics.NAME`."""
from __future__ import annotations

from .rules import (Thresholds, THRESHOLDS, STATUS_CODES, PACE_CODES, CHECK_CODES, meets, attainment_ratio, classify,
                    implied_level, implied_previous, implied_previous_from_multiple, nominal_change_pct, cagr,
                    pace_class, assess_target, accumulates, schedule_class, assess_progress)
from .tables import (ATTAINMENT_COLUMNS, CHECK_COLUMNS, CHECK_NAMES, CODED, FLAG_NAMES, KEY, PACE_COLUMNS,
                     SHARE_RELATIONS, SPLICE_PIECES_MAX, YOY_COLUMNS, attainment, checks, coverage, detail_args,
                     indicator_frame, pace, pieces_of, splice, stack, with_periods, yoy)
