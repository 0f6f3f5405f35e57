#!/usr/bin/env bash
# Create .venv and install pinned requirements, plus Debian packages when root.
# Usage: scripts/setup.sh REQUIREMENTS_FILE [DEBIAN_PACKAGE ...]
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=${1:-requirements.txt}
shift || true
python=${PYTHON:-$(command -v python3.11 || command -v python3)}

apt_install() {  # the Debian packages that are missing, when we are root; otherwise say what to install
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "apt-get install ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  fi
}

[ $# -gt 0 ] && apt_install "$@"
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then  # Debian's python3 needs python3-venv for this
    rm -rf .venv
    apt_install python3-venv
    "$python" -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
