#!/usr/bin/env bash
# version.sh — prints the version from FyneApp.toml, the one place it is written.
# version.sh --four prints it as the four numbers Windows resources want (0.1.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
v=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
if [ "${1:-}" = "--four" ]; then
  IFS=. read -r a b c _ <<<"${v%%-*}"
  echo "${a:-0}.${b:-0}.${c:-0}.0"
else
  echo "$v"
fi
