#!/usr/bin/env bash
# Set up everything the tests need and run them all: Debian's chromium and CJK fonts (when root), .venv with
# the pinned test requirements, then pytest. Browser tests are never skipped: without chromium they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt chromium fonts-noto-cjk fonts-arphic-ukai libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui poppler-utils fonts-liberation2
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: treated as a failure" >&2
  exit 1
fi
exit "$status"
