"""Row-by-row oracles for the set-wise engine (tests only)."""
