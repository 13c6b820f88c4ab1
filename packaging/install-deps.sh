#!/usr/bin/env bash
# install-deps.sh — installs the system packages LoyaltyDesk needs to build (cgo: Fyne's
# OpenGL/GLFW driver and the embedded SQLite) and to run its tests and screenshots.
#
# Idempotent and quiet when everything is already there. Used by `make run`, `make test`
# and `make screenshots`.
#
#   packaging/install-deps.sh            build + run dependencies
#   packaging/install-deps.sh --test     also what the tests need (socat; pdftoppm from poppler-utils
#                                        rasterises printed cards to read them back)
#   packaging/install-deps.sh --screens  also Xvfb, ImageMagick and sqlite3 for `make screenshots`
#   packaging/install-deps.sh --windows  also mingw-w64 (gcc and g++: the camera driver is C++),
#                                        to cross-build the Windows binary
#   packaging/install-deps.sh --package  also what `make package-*` needs (mingw-w64, NSIS,
#                                        osslsigncode, xz); packaging/install-tools.sh adds
#                                        the fyne and nfpm commands
#
# Debian / Ubuntu are handled here. On other systems install the equivalents by hand:
#
#   Fedora:   sudo dnf install golang gcc pkgconf-pkg-config libX11-devel libXcursor-devel \
#               libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel mesa-libGL-devel \
#               wayland-devel libxkbcommon-devel
#             (tests/screenshots: xorg-x11-server-Xvfb ImageMagick)
#   macOS:    xcode-select --install   (Apple's clang, OpenGL and Cocoa come with it)
#             brew install go
#   Windows:  MSYS2 (https://www.msys2.org), then in the "MINGW64" shell:
#               pacman -S --needed mingw-w64-x86_64-go mingw-w64-x86_64-gcc \
#                 mingw-w64-x86_64-pkg-config make
#             and run `make run` from that shell (cgo needs the MinGW gcc on PATH).
set -euo pipefail

want=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
      libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev)
for arg in "$@"; do
  case "$arg" in
    --test) want+=(socat poppler-utils) ;;
    --screens) want+=(xvfb x11-utils imagemagick xdotool sqlite3) ;;
    --windows) want+=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64) ;;
    --package) want+=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 nsis osslsigncode xz-utils file openssl) ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

# Go itself: any Go >= 1.21 fetches the toolchain go.mod names (1.26) by itself.
if ! command -v go >/dev/null 2>&1; then
  echo "install-deps.sh: Go is not on PATH. Install Go 1.21 or newer (https://go.dev/dl/);" \
       "it fetches the Go 1.26 toolchain this project names by itself." >&2
  exit 1
fi

case "$(uname -s)" in
  Linux) ;;
  *) echo "install-deps.sh: $(uname -s) is not handled here; see the comments in this script" >&2; exit 0 ;;
esac
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps.sh: not a Debian/Ubuntu system; install the equivalents listed in $0" >&2
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps.sh: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-deps.sh: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
  $sudo apt-get update -qq
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
