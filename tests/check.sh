#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The body of `make check`: the unit tests, then every VM scenario.  Prints
# each suite's results and, as its last line, "N passed, M failed" over
# both.  Exits non-zero if anything failed or a suite could not run (a suite
# that cannot run counts as one failure).
#
# Env: SCENARIOS="name ..." runs only those VM scenarios; CRASH_TESTS=0
# skips the two-VM crash tests (tests/crash/run.sh).

# Also when started as "sh tests/check.sh": re-run under bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$ROOT" || exit 1
RESULTS=build/test-results
mkdir -p "$RESULTS"

total_pass=0 total_fail=0
summary=()

# count_suite NAME FILE RC: add FILE's PASS/FAIL lines to the totals; a
# suite that failed (RC != 0) without any FAIL line counts one failure.
count_suite() {
	local name=$1 file=$2 rc=$3 p=0 f=0
	if [ -f "$file" ]; then
		p=$(grep -c '^PASS ' "$file")
		f=$(grep -c '^FAIL ' "$file")
	fi
	local note=""
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		note=" (the suite did not run to the end: exit status $rc)"
	elif [ "$rc" -eq 0 ] && [ $((p + f)) -eq 0 ]; then
		f=1
		note=" (the suite reported no results)"
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	summary+=("$name: $p passed, $f failed$note")
	if [ -f "$file" ] && grep -q '^FAIL ' "$file"; then
		summary+=("$(sed -n 's/^FAIL /    FAIL /p' "$file")")
	fi
}

t0=$(date +%s)

echo "=== unit tests"
if [ -f tests/unit/Makefile ]; then
	rm -f "$RESULTS/unit.txt"
	make -C tests/unit check
	count_suite unit "$RESULTS/unit.txt" $?
else
	echo "tests/unit/Makefile not present: no unit tests"
	summary+=("unit: none")
fi

echo "=== VM scenarios"
rm -f "$RESULTS/vm.txt"
# shellcheck disable=SC2086
bash tests/vm/run-scenarios.sh ${SCENARIOS:-}
count_suite vm "$RESULTS/vm.txt" $?

if [ "${CRASH_TESTS:-1}" = 1 ]; then
	echo "=== crash tests (two VMs)"
	rm -f "$RESULTS/crash.txt"
	bash tests/crash/run.sh
	count_suite crash "$RESULTS/crash.txt" $?
fi

echo
echo "=== results ($(($(date +%s) - t0))s)"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
