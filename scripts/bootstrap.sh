#!/usr/bin/env bash
# Shared set-up: a virtualenv in .venv with the project, its dev tools and every
# plugin distribution in the repository, pinned by constraints.txt.
# Sourced by scripts/serve and scripts/test; safe to run repeatedly.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PYTHON_BIN="${PYTHON_BIN:-python3}"

as_root() {
  if [ "$(id -u)" = "0" ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2; return 1; fi
}

apt_install() {
  if [ -z "${_APT_UPDATED:-}" ]; then
    as_root apt-get update -qq
    _APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

plugin_dists() {
  local dir
  for dir in "$ROOT"/plugins/*/ "$ROOT"/docs/examples/*/; do
    [ -f "$dir/pyproject.toml" ] && echo "${dir%/}"
  done
  return 0
}

bootstrap_venv() {
  if ! "$PYTHON_BIN" -c 'import sys; assert sys.version_info[:2] >= (3, 11)' 2>/dev/null; then
    echo "Python 3.11 or newer is required ($PYTHON_BIN)." >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON_BIN" -m venv "$VENV" 2>/dev/null; then
      apt_install python3-venv
      "$PYTHON_BIN" -m venv "$VENV"
    fi
  fi
  local stamp="$VENV/.fashionistar-installed"
  local digest
  digest="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" $(plugin_dists | sed 's|$|/pyproject.toml|') | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return 0
  fi
  echo "==> installing into $VENV"
  local log="$VENV/install.log"
  local args=(-e "$ROOT[dev]")
  local dist
  while read -r dist; do [ -n "$dist" ] && args+=(-e "$dist"); done < <(plugin_dists)
  if ! { "$VENV/bin/python" -m pip install --upgrade pip &&
    "$VENV/bin/python" -m pip install -c "$ROOT/constraints.txt" "${args[@]}"; } >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "installation failed; full log: $log" >&2
    exit 1
  fi
  echo "$digest" > "$stamp"
}
