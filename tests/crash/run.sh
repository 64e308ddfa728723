#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the two-VM crash scenarios one after the other and report PASS/FAIL.
#
# Usage: tests/crash/run.sh [NAME...]
#   NAME is a scenario's basename without .sh (tests/crash/NAME.sh, e.g.
#   10-failover); without names, every tests/crash/[0-9][0-9]-*.sh runs.
#
# A scenario fails if it exits non-zero, if it outlives its deadline
# (CRASH_SCENARIO_TIMEOUT, default 1200 s), or if the kernel log of any of
# its VM boots shows a warning, BUG, oops, lockup, hung task or
# memory-debugging report.  On failure the end of its output is printed.
# Results: build/crash/NAME/ (images, metrics, run-vm logs), its full output
# in build/crash/NAME.log, each VM boot in build/vm/out/crash-NAME-NODE-N/,
# and a summary (lines "PASS name" / "FAIL name") in
# build/test-results/crash.txt.
#
# Env: as tests/crash/lib.sh (CRASH_HADISK_KO, CRASH_TRIALS, ...).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

SELF=$(readlink -f "$0")
CDIR=$(dirname "$SELF")
ROOT=$(cd "$CDIR/../.." && pwd)
SUMMARY=${CRASH_SUMMARY:-$ROOT/build/test-results/crash.txt}
DEADLINE=${CRASH_SCENARIO_TIMEOUT:-1200}
BAD_KLOG='WARNING:|BUG:|Oops|general protection|soft lockup|hard LOCKUP|hung_task|blocked for more than|KASAN|UBSAN|kernel BUG|list_add corruption|refcount_t:'

scripts=()
if [ $# -eq 0 ]; then
	for f in "$CDIR"/[0-9][0-9]-*.sh; do
		[ -e "$f" ] && scripts+=("$f")
	done
	[ ${#scripts[@]} -gt 0 ] || { echo "crash: no scenarios in $CDIR" >&2; exit 1; }
else
	for n in "$@"; do
		n=${n%.sh}
		n=${n##*/}
		[ -f "$CDIR/$n.sh" ] || { echo "crash: no scenario $CDIR/$n.sh" >&2; exit 1; }
		scripts+=("$CDIR/$n.sh")
	done
fi

mkdir -p "$(dirname "$SUMMARY")" "$ROOT/build/crash"
tmp=$(mktemp "$SUMMARY.XXXXXX")

if ! sh "$ROOT/tests/vm/mkinitramfs.sh" >/dev/null; then
	echo "crash: cannot build the VM initramfs" >&2
	for f in "${scripts[@]}"; do echo "FAIL $(basename "$f" .sh)"; done > "$SUMMARY"
	rm -f "$tmp"
	exit 1
fi

pass=0 failn=0
t_all=$(date +%s)
for f in "${scripts[@]}"; do
	name=$(basename "$f" .sh)
	log=$ROOT/build/crash/$name.log
	t0=$(date +%s)
	echo "---- $name"
	# In the background, so that an interruption reaches it (and its
	# EXIT trap kills its VMs) at once.
	timeout -k 30 "$DEADLINE" bash "$f" > "$log" 2>&1 &
	pid=$!
	trap 'kill -TERM $pid 2>/dev/null; wait $pid; rm -f "$tmp"; echo "crash: interrupted" >&2; exit 130' INT TERM HUP
	wait $pid
	rc=$?
	trap - INT TERM HUP
	secs=$(($(date +%s) - t0))

	reasons=()
	[ $rc -eq 0 ] || reasons+=("exit status $rc$([ $rc -eq 124 ] && echo " (its ${DEADLINE}s deadline)")")
	bad=""
	for out in "$ROOT/build/vm/out/crash-$name-"{alpha,beta}-[0-9]*; do
		[ -d "$out" ] || continue
		for k in "$out/kmsg" "$out/dmesg" "$out/console.log"; do
			[ -s "$k" ] || continue
			b=$(grep -aE "$BAD_KLOG" "$k" | head -n 3)
			[ -n "$b" ] && bad+="$(basename "$out")/$(basename "$k"): $b"$'\n'
		done
	done
	[ -z "$bad" ] || reasons+=("kernel log: $(printf '%s' "$bad" | head -n 1)")

	if [ ${#reasons[@]} -eq 0 ]; then
		echo "PASS $name (${secs}s)"
		echo "PASS $name" >> "$tmp"
		pass=$((pass + 1))
		m=$ROOT/build/crash/$name/metrics
		[ -s "$m" ] && { sed 's/ /=/' "$m" | tr '\n' ' ' | fold -s -w 96; echo; } | sed 's/^/    /'
		continue
	fi
	echo "FAIL $name (${secs}s)"
	echo "FAIL $name" >> "$tmp"
	failn=$((failn + 1))
	for r in "${reasons[@]}"; do echo "    reason: $r"; done
	echo "---- output of $name ($log) ----"
	lines=$(wc -l < "$log")
	if [ "$lines" -gt 300 ]; then
		echo "[... first $((lines - 300)) lines omitted ...]"
		tail -n 300 "$log"
	else
		cat "$log"
	fi
	if [ -n "$bad" ]; then
		echo "---- kernel log lines that failed $name ----"
		printf '%s' "$bad"
	fi
	echo "---- end of $name ----"
done

chmod 644 "$tmp"
mv -f "$tmp" "$SUMMARY"
echo "crash: $pass passed, $failn failed ($(($(date +%s) - t_all))s)"
[ $failn -eq 0 ]
