#!/usr/bin/env bash
# Vendor YASGUI, the SPARQL editor of `isgraph serve` (/sparql in a browser), from the npm
# registry: the built files of @zazuko/yasgui, checked against the registry's integrity.
#
#     bash tools/vendor_yasgui.sh            # the version below
#     bash tools/vendor_yasgui.sh 4.6.3 sha512-…   # another one: give its dist.integrity
#                                                  # (npm view @zazuko/yasgui@4.6.3 dist.integrity)
#
# It writes isgraph/web/assets/yasgui/yasgui.min.js and yasgui.min.css (the source maps are
# left out: 3.5 MB that a reader never needs); then update VERSION and the SHA-256 sums in
# isgraph/web/assets/yasgui/README.md, which tests/test_assets.py checks.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-4.6.2}"
integrity="${2:-sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@zazuko/yasgui@$version" >/dev/null)
tarball="$work/zazuko-yasgui-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
    echo "vendor_yasgui: integrity mismatch: expected $integrity, got $actual" >&2
    exit 1
fi
tar -xzf "$tarball" -C "$work"
cp "$work/package/build/yasgui.min.js" "$work/package/build/yasgui.min.css" isgraph/web/assets/yasgui/
echo "$version" > isgraph/web/assets/yasgui/VERSION
sha256sum isgraph/web/assets/yasgui/yasgui.min.js isgraph/web/assets/yasgui/yasgui.min.css
