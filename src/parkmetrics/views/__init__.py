"""Display tables, texts and figures built from an Analysis: pure functions, so pages only lay them out.

One module per page (park, compare, tracker, sources, peers, home: the overview) over `common`, which they
share; every public name is also reachable here as `views.NAME`, which is how pages and reports call them."""
from __future__ import annotations

from .common import (HEADLINE_INDICATORS, CMP_TEXT, fmt_number, fmt_figure, data_date, park_facts, targets_by_scope,
                     latest_actual_year, column_of, is_partial, fmt_actual, fmt_ratio, in_table_order, targets_table,
                     fmt_pct, source_title, when_label, documents_status, scope_note, display, named, quote_source,
                     indicators_of, default_year, years_of, level_text, indicator_label, ALL, is_rate, matrix_columns,
                     families, park_table, PARK_PICKER_MAX, find_parks, picker_options, filter_options, many_parks,
                     cards_for_all, fmt_count, park_sources, is_flag, latest_final_year)
from .park import (headline_rows, trend_inputs, tasks_table, yoy_table, no_pace_explained, pace_table, figure_choices,
                   trend_figure)
from .compare import (comparison_rows, per_km2_rows, sources_behind, missing_parks, compare_figure, ambition_rows,
                      ambition_figure, status_figure, coverage_figure, per_km2_figure, compare_due, DEFAULT_TOP,
                      MEASURES, rank_values, rank_measures, rank_counts, ranked_figure, distribution_figure,
                      status_counts_figure, coverage_counts_figure, ambition_spread_figure)
from .tracker import (tracked_targets)
from .sources import (sources_table, observations_table, check_detail, checks_table)
from .peers import (peer_view, PEER_RANKED_MIN, peer_default_year, peer_reason, peer_figure)
from .home import (headline, overview_status_figure, overview_coverage_figure, MOVERS_TOP, glance, park_counts,
                   sources_summary, status_totals, mover_indicators, mover_years, movers, movers_counts,
                   movers_figure, movers_distribution_figure)
