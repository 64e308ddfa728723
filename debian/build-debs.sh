#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the Debian packages hadisk-dkms and hadisk-utils ('make deb').
#
# Usage: sh debian/build-debs.sh [OUTDIR]     (default build/deb)
#
# dpkg-buildpackage works on a copy of the sources, never in this tree
# (its clean step and its output in the parent directory would touch what
# others work on): the working tree's files (tracked, or untracked and not
# ignored: what 'make' builds here) are copied to build/deb-src/hadisk-VERSION
# and built there with 'dpkg-buildpackage -us -uc -b'.  The .deb files
# end up in OUTDIR, the build's log in OUTDIR/build.log.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/deb}
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
cd "$ROOT"
for t in dpkg-buildpackage dpkg-parsechangelog dh; do
	command -v $t >/dev/null || { echo "deb: $t is missing (apt-get install dpkg-dev debhelper; scripts/deps.sh does)" >&2; exit 1; }
done
VERSION=$(dpkg-parsechangelog -l debian/changelog -S Version)
SRC=$ROOT/build/deb-src
STAGE=$SRC/hadisk-$VERSION
rm -rf "$SRC"
mkdir -p "$STAGE" "$OUT"
if git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null 2>&1; then
	# The working tree's files, tracked or not (but not ignored): what
	# 'make' builds here.
	git -C "$ROOT" ls-files -z -c -o --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\n" "$f"; done' sh |
		grep -v '^build/' | tar -c -T - | tar -x -C "$STAGE"
else
	tar -c --exclude=./build --exclude=./.git . | tar -x -C "$STAGE"
fi
rm -f "$OUT"/hadisk-*.deb "$OUT"/hadisk_*.buildinfo "$OUT"/hadisk_*.changes
echo "deb: building hadisk $VERSION in ${STAGE#"$ROOT"/} (log: ${OUT#"$ROOT"/}/build.log)"
if ! (cd "$STAGE" && dpkg-buildpackage -us -uc -b) > "$OUT/build.log" 2>&1; then
	tail -n 30 "$OUT/build.log" >&2
	echo "deb: dpkg-buildpackage failed (whole log: $OUT/build.log)" >&2
	exit 1
fi
mv "$SRC"/*.deb "$OUT"/
mv "$SRC"/*.buildinfo "$SRC"/*.changes "$OUT"/ 2>/dev/null || true
rm -rf "$SRC"
for d in "$OUT"/*.deb; do
	echo "deb: $(basename "$d") ($(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version), $(du -k "$d" | cut -f1) KiB)"
done
