#!/usr/bin/env bash
# package-linux.sh — builds the Linux release binary and packs it two ways
# (PK-01): dist/loyaltydesk-VERSION-linux-amd64.tar.xz from `fyne package`
# (binary, desktop entry, icon, and a Makefile to install them) and
# dist/loyaltydesk_VERSION_amd64.deb from nfpm, with its runtime dependencies.
source "$(dirname "$0")/common.sh"
mkdir -p build/linux

CGO_ENABLED=1 go build -tags migrated_fynedo -trimpath -ldflags "-s -w" -o build/linux/loyaltydesk .
rm -f LoyaltyDesk.tar.xz
fyne_package -os linux --release --exe build/linux/loyaltydesk --name LoyaltyDesk
mv LoyaltyDesk.tar.xz "dist/loyaltydesk-$version-linux-amd64.tar.xz"

VERSION=$version ARCH=amd64 "$tools/nfpm" package --config packaging/linux/nfpm.yaml \
  --packager deb --target "dist/loyaltydesk_${version}_amd64.deb"
echo "package-linux: dist/loyaltydesk-$version-linux-amd64.tar.xz dist/loyaltydesk_${version}_amd64.deb"
