#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make soak MINUTES=N: one VM (tests/vm/run-vm.sh) running
# tests/soak/soak-inside.sh for N minutes (default 10): fio with crc32c
# verification on the Primary while link cuts, corrupted packets, role
# switches and Secondary restarts come at random intervals.
#
# Usage: tests/soak/run.sh [MINUTES] [SEED]
# Prints one line per fault kind (how many it survived), the data
# mismatches and a verdict.  Results in build/soak/: summary, output (the
# soak's log), dmesg, console.log, fio/ (the last fio runs' reports).
# Exit status 0 only when the soak ran to its end without a data mismatch,
# a missed recovery or a kernel warning.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
MINUTES=${1:-10}
SEED=${2:-}
case "$MINUTES" in ''|*[!0-9]*|0) echo "soak: MINUTES must be a positive number, not '$MINUTES'" >&2; exit 2 ;; esac
OUT=$ROOT/build/soak
VMOUT=$ROOT/build/vm/out/soak
BAD_KLOG='WARNING:|BUG:|Oops|general protection|soft lockup|hard LOCKUP|hung_task|blocked for more than|KASAN|UBSAN|kernel BUG|list_add corruption|refcount_t:'

# setup (~1 min), the final sync and checks, and a loaded host's slowness
timeout=$((MINUTES * 60 + 900))
echo "soak: $MINUTES minutes in one VM (deadline ${timeout}s); log: $VMOUT/output"
t0=$(date +%s)
bash "$ROOT/tests/vm/run-vm.sh" --live -q --name soak --timeout $timeout \
	"$ROOT/tests/soak/soak-inside.sh" "$MINUTES" $SEED
rc=$?

rm -rf "$OUT"
mkdir -p "$OUT"
cp -a "$VMOUT"/. "$OUT"/ 2>/dev/null
klog=$OUT/dmesg
[ -s "$klog" ] || klog=$OUT/console.log
bad=""
[ -s "$klog" ] && bad=$(grep -a -E "$BAD_KLOG" "$klog" | head -n 5)

echo "---- soak summary ($(($(date +%s) - t0)) s in all) ----"
if [ -s "$OUT/summary" ]; then
	grep -v '^verdict:' "$OUT/summary"
else
	echo "no summary: the soak did not reach its end (exit status $rc); the end of its log:"
	tail -n 40 "$OUT/output" 2>/dev/null
fi
if [ -n "$bad" ]; then
	echo "kernel log:"
	printf '  %s\n' "$bad"
fi
if [ $rc -eq 0 ] && [ -z "$bad" ] && grep -q '^verdict: PASS' "$OUT/summary" 2>/dev/null; then
	echo "verdict: PASS" | tee -a "$OUT/verdict"
	exit 0
fi
why="exit status $rc$([ $rc -eq 124 ] && echo ' (deadline)')"
[ -z "$bad" ] || why="$why, kernel warnings"
grep '^verdict: FAIL' "$OUT/summary" 2>/dev/null | sed 's/^verdict: FAIL *//' | grep . >/dev/null &&
	why="$why, $(sed -n 's/^verdict: FAIL *//p' "$OUT/summary")"
[ $rc -ne 0 ] || [ -n "$bad" ] || why="$why, no PASS verdict"
echo "verdict: FAIL ($why); see $OUT/output and $OUT/dmesg" | tee -a "$OUT/verdict"
exit 1
