#!/usr/bin/env bash
# test-packages.sh — checks what `make release` built (PK-01), as a user would
# meet it:
#   - the .deb installs with apt-get (dependencies resolved), `loyaltydesk
#     version` prints the version, the desktop entry and icons are in place,
#     and the installed program starts under Xvfb and shows its window
#     (screenshot: build/package-test/installed.png); the package is removed
#     again at the end;
#   - the .tar.xz holds the binary, the desktop entry and the icon;
#   - the Windows program and installer are valid PE files, and signing them
#     with a self-made test certificate gives a signature osslsigncode verifies.
# Needs root (apt-get) and is not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(packaging/version.sh)
deb="dist/loyaltydesk_${version}_amd64.deb"
tarxz="dist/loyaltydesk-$version-linux-amd64.tar.xz"
setup="dist/LoyaltyDesk-$version-setup.exe"
exe="build/windows/loyaltydesk.exe"
out=build/package-test
rm -rf "$out"; mkdir -p "$out"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "test-packages: FAIL: $*" >&2; exit 1; }
pass=0
ok() { echo "test-packages: ok: $*"; pass=$((pass + 1)); }

for f in "$deb" "$tarxz" "$setup" "$exe"; do [ -f "$f" ] || fail "$f is missing; run make release first"; done
packaging/install-deps.sh --screens --package

# --- the .deb ---------------------------------------------------------------
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null
trap 'kill $(jobs -p) 2>/dev/null || true; $sudo dpkg -r loyaltydesk >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
got=$(/usr/bin/loyaltydesk version)
[ "$got" = "LoyaltyDesk $version" ] || fail "installed loyaltydesk version printed '$got'"
ok "apt-get installed $deb; loyaltydesk version: $got"
[ -f /usr/share/applications/ru.loyaltydesk.app.desktop ] || fail "no desktop entry"
grep -q '^Exec=loyaltydesk' /usr/share/applications/ru.loyaltydesk.app.desktop || fail "desktop entry does not start loyaltydesk"
[ -f /usr/share/icons/hicolor/256x256/apps/loyaltydesk.png ] || fail "no icon"
ok "desktop entry and icons installed"
deps=$(dpkg-deb -f "$deb" Depends)
for d in libgl1 libx11-6 libc6; do [[ "$deps" == *"$d"* ]] || fail "Depends lacks $d: $deps"; done
ok "declares its runtime libraries: $deps"

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
HOME="$work/home" XDG_CONFIG_HOME="$work/config" DISPLAY=$display LANG=ru_RU.UTF-8 LANGUAGE=ru \
  /usr/bin/loyaltydesk >"$work/app.log" 2>&1 &
app=$!
win=""
for _ in $(seq 100); do
  win=$(DISPLAY=$display xdotool search --name '^LoyaltyDesk' 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  kill -0 "$app" 2>/dev/null || { cat "$work/app.log" >&2; fail "the installed program exited"; }
  sleep 0.2
done
[ -n "$win" ] || { cat "$work/app.log" >&2; fail "no window appeared"; }
sleep 2
DISPLAY=$display import -window "$win" "$out/installed.png"
[ -f "$work/home/.local/share/loyaltydesk/loyaltydesk.db" ] || fail "no database in the per-user data folder"
kill "$app"; wait "$app" 2>/dev/null || true
ok "the installed program showed its window ($out/installed.png) and made its database in ~/.local/share/loyaltydesk"

# --- the .tar.xz ------------------------------------------------------------
list=$(tar -tJf "$tarxz")
for want in usr/local/bin/loyaltydesk share/applications/ share/pixmaps/; do
  grep -q "$want" <<<"$list" || fail "$tarxz lacks $want"
done
ok "$tarxz holds the binary, the desktop entry and the icon"

# --- Windows ----------------------------------------------------------------
file "$exe" | grep -q 'PE32+ executable (GUI) x86-64' || fail "$exe: $(file "$exe")"
file "$setup" | grep -q 'PE32 executable' || fail "$setup: $(file "$setup")"
ok "$(file -b "$exe" | cut -d, -f1) / installer: $(file -b "$setup" | cut -d, -f1)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=LoyaltyDesk test signing" \
  -addext "extendedKeyUsage=codeSigning" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -out "$work/test.pfx" -passout pass:test
cp "$setup" "$work/setup.exe"
WINDOWS_SIGN_PFX="$work/test.pfx" WINDOWS_SIGN_PASSWORD=test packaging/sign-windows.sh "$work/setup.exe" >/dev/null
osslsigncode verify -CAfile "$work/cert.pem" -in "$work/setup.exe" >"$work/verify.log" 2>&1 \
  || { cat "$work/verify.log" >&2; fail "osslsigncode verify"; }
grep -q "Signature verification: ok" "$work/verify.log" || { cat "$work/verify.log" >&2; fail "no good signature"; }
ok "installer signed with a test certificate; osslsigncode verify: ok"

echo "test-packages: $pass passed, 0 failed"
