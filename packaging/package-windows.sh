#!/usr/bin/env bash
# package-windows.sh — cross-builds the Windows program from Linux with
# mingw-w64 (cgo: Fyne's GL driver and SQLite) through `fyne package`, which
# also embeds the icon and the manifest, then wraps it in an NSIS installer
# (PK-01): dist/LoyaltyDesk-VERSION-setup.exe. When a signing certificate is
# configured (see packaging/sign-windows.sh) both .exe files are signed.
source "$(dirname "$0")/common.sh"
mkdir -p build/windows

trap 'rm -f LoyaltyDesk.exe' EXIT
# The camera driver is C++; static libgcc and libstdc++ keep the MinGW DLLs
# out of the installer (test-packages.sh checks the .exe's imports).
CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ CGO_ENABLED=1 \
  CGO_LDFLAGS="-static-libgcc -static-libstdc++" \
  fyne_package -os windows --release --name LoyaltyDesk
mv LoyaltyDesk.exe build/windows/loyaltydesk.exe
packaging/sign-windows.sh build/windows/loyaltydesk.exe

out="dist/LoyaltyDesk-$version-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 \
  -DVERSION="$version" -DVERSION4="$(packaging/version.sh --four)" \
  -DEXE="$PWD/build/windows/loyaltydesk.exe" -DICON="$PWD/assets/icons/loyaltydesk.ico" \
  -DOUTFILE="$PWD/$out" packaging/windows/installer.nsi
packaging/sign-windows.sh "$out"
echo "package-windows: $out"
