#!/usr/bin/env bash
# install-tools.sh — builds the pinned packaging commands into build/tools
# (nothing is installed system-wide): fyne (fyne.io/tools, the version that
# matches Fyne v2.8) and nfpm (the .deb packager). Quiet when they are there.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$PWD/build/tools"
mkdir -p "$tools"
install() { # name module@version
  local name=$1 mod=$2 stamp="$tools/.$1.version"
  if [ -x "$tools/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$mod" ]; then return; fi
  echo "install-tools.sh: building $mod"
  GOFLAGS= GOBIN="$tools" go install "$mod"
  echo "$mod" > "$stamp"
}
install fyne fyne.io/tools/cmd/fyne@v1.7.4
# nfpm v2.46–v2.48 need a module the proxy refuses; v2.45.2 builds .debs fine.
install nfpm github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
