#!/usr/bin/env bash
# tests/dist.sh BUILD_DIR: the release tarball.  make distcheck in
# BUILD_DIR (the tarball unpacked read-only, configured --enable-werror,
# built, make check passed, installed, uninstalled without leftovers), and
# the tarball holds every file git tracks but .gitignore and .ci/ (so the
# suites, fixtures, fuzz corpus and spawn/lib/* are all there).  Speaks
# TAP.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${1:?usage: tests/dist.sh BUILD_DIR}
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
[ -f "$BUILD/Makefile" ] || { echo "Bail out! $BUILD is not configured"; exit 1; }

echo "# dist: make distcheck in $BUILD (configure, build, make check, install, uninstall)"
t0=$(date +%s)
if make -C "$BUILD" -j"$(nproc)" distcheck >"$BUILD/distcheck.out" 2>&1; then
	ok "make distcheck passes ($(($(date +%s) - t0)) s)"
else
	grep -E 'error|Error|FAIL|ERROR' "$BUILD/distcheck.out" | head -15 | sed 's/^/#   /'
	bad "make distcheck failed: see $BUILD/distcheck.out"
fi
tarball=$(ls -t "$BUILD"/reviews-*.tar.gz 2>/dev/null | head -1)
if [ -z "$tarball" ]; then
	bad "no tarball in $BUILD"
elif ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
	bad "not a git checkout: cannot hold the tarball against the tracked files"
else
	top=$(basename "$tarball" .tar.gz)
	missing=$(comm -23 <(git -C "$ROOT" ls-files | grep -vE '^(\.gitignore$|\.ci/)' | sort) \
		<(tar tzf "$tarball" | sed "s|^$top/||" | sort))
	if [ -z "$missing" ]; then
		ok "$(basename "$tarball") ships every tracked file ($(git -C "$ROOT" ls-files | wc -l) files, .gitignore and .ci/ aside)"
	else
		bad "$(basename "$tarball") lacks $(wc -l <<<"$missing") tracked files: $(echo $missing | cut -c1-300)"
	fi
fi
echo "1..$n"
[ "$failed" = 0 ]
