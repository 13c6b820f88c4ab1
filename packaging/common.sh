# common.sh — sourced by the package-*.sh scripts: goes to the repository root,
# installs what packaging needs, and sets
#   version  the version from FyneApp.toml
#   tools    the folder of the pinned fyne and nfpm commands
# fyne_package ARGS… runs `fyne package` and puts FyneApp.toml back afterwards
# (fyne raises its Build number on every run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
packaging/install-deps.sh --package
packaging/install-tools.sh
version=$(packaging/version.sh)
tools=$PWD/build/tools
mkdir -p build dist

fyne_package() {
  local keep
  keep=$(mktemp)
  cp FyneApp.toml "$keep"
  local rc=0
  "$tools/fyne" package "$@" || rc=$?
  cp "$keep" FyneApp.toml
  rm -f "$keep"
  return $rc
}
