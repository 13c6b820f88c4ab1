#!/usr/bin/env bash
# test-packages.sh — checks what `make release` built (PK-01), as a user would
# meet it:
#   - on a fresh, minimal Debian 12 (debootstrap, in a chroot) the .deb
#     installs with apt-get (its dependencies resolved from the archive),
#     `loyaltydesk version` prints the version, the desktop entry and icons are
#     in place, and the installed program starts under Xvfb and shows its
#     window (screenshot: build/package-test/installed.png);
#   - the .tar.xz holds the binary, the desktop entry and the icon;
#   - the Windows program and installer are valid PE files, and signing them
#     with a self-made test certificate gives a signature osslsigncode verifies.
# Needs root (debootstrap, chroot) and the Debian archive; not part of `make test`.
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
trap 'rm -rf "$work"' EXIT
fail() { echo "test-packages: FAIL: $*" >&2; exit 1; }
pass=0
ok() { echo "test-packages: ok: $*"; pass=$((pass + 1)); }

for f in "$deb" "$tarxz" "$setup" "$exe"; do [ -f "$f" ] || fail "$f is missing; run make release first"; done
packaging/install-deps.sh --screens --package

# --- the .deb, on a fresh Debian ---------------------------------------------
# A minimal Debian 12 made with debootstrap (cached in build/cache) stands in for
# a venue's new machine: it has no GL or X libraries, so the install proves the
# package's declared dependencies are enough.
[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
mirror=$(sed -n 's/^URIs: *//p; s/^deb \(http[^ ]*\) .*/\1/p' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
cache=build/cache/debian-bookworm-minbase.tar
if [ ! -f "$cache" ]; then
  mkdir -p build/cache
  debootstrap --variant=minbase bookworm "$work/boot" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
  tar -C "$work/boot" -cf "$cache" . && rm -rf "$work/boot"
fi
root=$work/root
mkdir -p "$root" && tar -C "$root" -xf "$cache"
mounts=()
bind() { mkdir -p "$root$2"; mount "${@:3}" "$1" "$root$2"; mounts=("$root$2" "${mounts[@]}"); }
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  for m in "${mounts[@]}"; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
bind proc /proc -t proc
bind /dev /dev --bind
bind /tmp/.X11-unix /tmp/.X11-unix --bind
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive "$@"; }
in_root apt-get update -qq >/dev/null
in_root apt-get install -y -qq "/tmp/$(basename "$deb")" >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log" >&2; fail "apt-get install ./$deb"; }
got=$(in_root loyaltydesk version)
[ "$got" = "LoyaltyDesk $version" ] || fail "installed loyaltydesk version printed '$got'"
ok "apt-get installed $deb on a fresh Debian 12; loyaltydesk version: $got"
[ -f "$root/usr/share/applications/ru.loyaltydesk.app.desktop" ] || fail "no desktop entry"
grep -q '^Exec=loyaltydesk' "$root/usr/share/applications/ru.loyaltydesk.app.desktop" || fail "desktop entry does not start loyaltydesk"
[ -f "$root/usr/share/icons/hicolor/256x256/apps/loyaltydesk.png" ] || fail "no icon"
ok "desktop entry and icons installed; Depends: $(dpkg-deb -f "$deb" Depends)"

display=$((90 + RANDOM % 100))
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
for _ in $(seq 50); do xdpyinfo -display ":$display" >/dev/null 2>&1 && break; sleep 0.1; done
in_root env DISPLAY=":$display" LANG=C.UTF-8 LANGUAGE=ru loyaltydesk >"$work/app.log" 2>&1 &
app=$!
win=""
for _ in $(seq 150); do
  win=$(DISPLAY=":$display" xdotool search --name '^LoyaltyDesk' 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  kill -0 "$app" 2>/dev/null || { cat "$work/app.log" >&2; fail "the installed program exited"; }
  sleep 0.2
done
[ -n "$win" ] || { cat "$work/app.log" >&2; fail "no window appeared"; }
sleep 3
DISPLAY=":$display" import -window "$win" "$out/installed.png"
[ -f "$root/root/.local/share/loyaltydesk/loyaltydesk.db" ] || fail "no database in the per-user data folder"
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
# Only Windows' own DLLs: libgcc / libstdc++ / libwinpthread are linked in.
if x86_64-w64-mingw32-objdump -p "$exe" | grep -i 'DLL Name: lib'; then
  fail "$exe needs MinGW DLLs that the installer does not ship"
fi
ok "$exe imports only system DLLs"
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
