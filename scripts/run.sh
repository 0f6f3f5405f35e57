#!/usr/bin/env bash
# Set up .venv and open the dashboard on the shipped data at http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/streamlit run app.py "$@"
