#!/usr/bin/env bash
# Set up .venv and open the dashboard on the shipped data at http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
# `parkmetrics serve` is `streamlit run app.py` with the imports and the data loaded before the first visitor.
exec .venv/bin/python -m parkmetrics serve -- "$@"
