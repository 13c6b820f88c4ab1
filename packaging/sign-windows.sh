#!/usr/bin/env bash
# sign-windows.sh FILE — Authenticode-signs a Windows .exe in place with
# osslsigncode, when a certificate is configured; otherwise does nothing.
#
#   WINDOWS_SIGN_PFX       path of the code-signing certificate and key (PKCS#12 .pfx)
#   WINDOWS_SIGN_PASSWORD  its password (may be empty)
#   WINDOWS_SIGN_TIMESTAMP optional RFC 3161 timestamp server URL
#
# Check a signed file with: osslsigncode verify -in FILE (add -CAfile CERT.pem
# for a certificate that is not in the system's trust store).
set -euo pipefail
file=$1
if [ -z "${WINDOWS_SIGN_PFX:-}" ]; then
  exit 0
fi
ts=()
if [ -n "${WINDOWS_SIGN_TIMESTAMP:-}" ]; then ts=(-ts "$WINDOWS_SIGN_TIMESTAMP"); fi
osslsigncode sign -pkcs12 "$WINDOWS_SIGN_PFX" -pass "${WINDOWS_SIGN_PASSWORD:-}" \
  -h sha256 -n LoyaltyDesk -i https://loyaltydesk.ru "${ts[@]}" \
  -in "$file" -out "$file.signed"
mv "$file.signed" "$file"
echo "sign-windows: signed $file"
