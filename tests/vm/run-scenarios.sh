#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run VM scenarios sequentially, one fresh VM each, and report PASS/FAIL.
#
# Usage: tests/vm/run-scenarios.sh [NAME...]
#   NAME is a scenario's basename without .sh (tests/scenarios/NAME.sh);
#   without names, every tests/scenarios/NN-*.sh runs (other .sh files
#   there are libraries the scenarios source).
#
# A scenario fails if it exits non-zero (124: it hit its deadline) or if the
# kernel log of its VM shows a warning, BUG, oops, lockup, hung task or
# memory-debugging report.  On failure its output and the end of its kernel
# log are printed.  Results: build/vm/out/NAME/ for each scenario and a
# summary (lines "PASS name" / "FAIL name") in build/test-results/vm.txt.
#
# Env: HADISK_SCENARIO_DIR  where scenarios live (default tests/scenarios)
#      HADISK_VM_SUMMARY    summary file (default build/test-results/vm.txt)
#      HADISK_BAD_KLOG_EXTRA  more kernel log patterns that fail a scenario
#                           (an extended regular expression)
#      HADISK_VM_BUILD, HADISK_VM_KERNEL, ... are run-vm.sh's (the debug
#      kernel of tests/debug/check-debug.sh).  A non-empty kmemleak report
#      (run-vm.sh HADISK_VM_KMEMLEAK=1) fails the scenario too.
# Also when started as "sh run-...": re-run under bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

SELF=$(readlink -f "$0")
VMDIR=$(dirname "$SELF")
ROOT=$(cd "$VMDIR/../.." && pwd)
SDIR=${HADISK_SCENARIO_DIR:-$ROOT/tests/scenarios}
SUMMARY=${HADISK_VM_SUMMARY:-$ROOT/build/test-results/vm.txt}

# Kernel log lines that fail a scenario whatever its exit status.
BAD_KLOG='WARNING:|BUG:|Oops|general protection|soft lockup|hard LOCKUP|hung_task|blocked for more than|KASAN|UBSAN|kernel BUG|list_add corruption|refcount_t:'
[ -n "${HADISK_BAD_KLOG_EXTRA:-}" ] && BAD_KLOG="$BAD_KLOG|$HADISK_BAD_KLOG_EXTRA"
VMBUILD=${HADISK_VM_BUILD:-$ROOT/build/vm}

scripts=()
if [ $# -eq 0 ]; then
	for f in "$SDIR"/[0-9][0-9]-*.sh; do
		[ -e "$f" ] || continue
		scripts+=("$f")
	done
	[ ${#scripts[@]} -gt 0 ] || { echo "run-scenarios: no scenarios in $SDIR" >&2; exit 1; }
else
	for n in "$@"; do
		n=${n%.sh}
		n=${n##*/}
		[ -f "$SDIR/$n.sh" ] || { echo "run-scenarios: no scenario $SDIR/$n.sh" >&2; exit 1; }
		scripts+=("$SDIR/$n.sh")
	done
fi

mkdir -p "$(dirname "$SUMMARY")"
tmp=$(mktemp "$SUMMARY.XXXXXX")

# The first VM would build it anyway; building it here keeps that time out
# of the first scenario's and reports a broken setup once.
if ! sh "$VMDIR/mkinitramfs.sh" >/dev/null; then
	echo "run-scenarios: cannot build the VM initramfs" >&2
	for f in "${scripts[@]}"; do echo "FAIL $(basename "$f" .sh)"; done > "$SUMMARY"
	rm -f "$tmp"
	exit 1
fi

pass=0 failn=0
t_all=$(date +%s)
for f in "${scripts[@]}"; do
	name=$(basename "$f" .sh)
	out="$VMBUILD/out/$name"
	t0=$(date +%s)
	# In the background, so that an interruption reaches the VM at once.
	bash "$VMDIR/run-vm.sh" -q --name "$name" "$f" &
	vm=$!
	trap 'kill -TERM $vm 2>/dev/null; wait $vm; rm -f "$tmp"; echo "run-scenarios: interrupted" >&2; exit 130' INT TERM HUP
	wait $vm
	rc=$?
	trap - INT TERM HUP
	secs=$(($(date +%s) - t0))

	reasons=()
	[ $rc -eq 0 ] || reasons+=("exit status $rc$([ $rc -eq 124 ] && echo ' (deadline)')")
	klog="$out/dmesg"
	[ -s "$klog" ] || klog="$out/console.log"
	bad=""
	if [ -s "$klog" ]; then
		bad=$(grep -a -E "$BAD_KLOG" "$klog" | head -n 5)
	else
		reasons+=("no kernel log")
	fi
	[ -z "$bad" ] || reasons+=("kernel log: $(printf '%s' "$bad" | head -n 1 | sed 's/^\[[^]]*\] *//')")
	leaks=""
	if [ -s "$out/kmemleak" ]; then
		leaks=$(head -n 60 "$out/kmemleak")
		reasons+=("kmemleak: $(grep -c '^unreferenced object' "$out/kmemleak") suspected leaks ($out/kmemleak): $(head -n 1 "$out/kmemleak")")
	fi

	if [ ${#reasons[@]} -eq 0 ]; then
		echo "PASS $name (${secs}s)"
		echo "PASS $name" >> "$tmp"
		pass=$((pass + 1))
		continue
	fi
	echo "FAIL $name (${secs}s)"
	echo "FAIL $name" >> "$tmp"
	failn=$((failn + 1))
	for r in "${reasons[@]}"; do echo "    reason: $r"; done
	echo "---- output of $name ($out/output) ----"
	if [ -f "$out/output" ]; then
		lines=$(wc -l < "$out/output")
		if [ "$lines" -gt 400 ]; then
			echo "[... first $((lines - 400)) lines omitted ...]"
			tail -n 400 "$out/output"
		else
			cat "$out/output"
		fi
	else
		echo "(no output)"
	fi
	if [ -n "$bad" ]; then
		echo "---- kernel log lines that failed $name ----"
		printf '%s\n' "$bad"
	fi
	if [ -n "$leaks" ]; then
		echo "---- kmemleak report of $name (first 60 lines of $out/kmemleak) ----"
		printf '%s\n' "$leaks"
	fi
	echo "---- last 60 lines of the kernel log of $name ($klog) ----"
	tail -n 60 "$klog" 2>/dev/null | tr -d '\r'
	echo "---- end of $name ----"
done

chmod 644 "$tmp"
mv -f "$tmp" "$SUMMARY"
echo "vm: $pass passed, $failn failed ($(($(date +%s) - t_all))s)"
[ $failn -eq 0 ]
