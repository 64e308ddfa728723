#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check that the VM runner reports failures: runs a set of small throw-away
# scenarios (one must pass, every other one must be reported FAIL) through
# tests/vm/run-scenarios.sh.  Not part of `make check`; takes ~3 minutes.
#
# Usage: tests/vm/selftest.sh

[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
DIR=$ROOT/build/vm/selftest
SUMMARY=$DIR/summary.txt
rm -rf "$DIR"
mkdir -p "$DIR"

scenario() { # NAME EXPECTED DESCRIPTION, body on stdin
	printf '#!/bin/bash\n# %s\n' "$3" > "$DIR/$1.sh"
	cat >> "$DIR/$1.sh"
	echo "$2 $1" >> "$DIR/expected.txt"
}

scenario sf-pass PASS "a clean scenario passes" <<'EOF'
. "$HADISK_ROOT/tests/scenarios/lib.sh"
step "nothing wrong"
echo "all good"
EOF

scenario sf-exit FAIL "a non-zero exit status fails" <<'EOF'
echo "exiting with 3"
exit 3
EOF

scenario sf-fail FAIL "lib.sh's fail, called inside a command substitution" <<'EOF'
. "$HADISK_ROOT/tests/scenarios/lib.sh"
step "fail in \$(...)"
echo "$(fail "deliberate failure")"
echo "not reached"
exit 0
EOF

scenario sf-warning FAIL "exit status 0, but WARNING: in the kernel log" <<'EOF'
echo "WARNING: test of the runner's kernel log check" > /dev/kmsg
exit 0
EOF

scenario sf-deadline FAIL "a scenario that outlives its deadline is killed" <<'EOF'
# timeout: 15
sleep 600
EOF

scenario sf-stuck FAIL "a process stuck in D state, immune to SIGKILL: the VM still ends" <<'EOF'
# timeout: 15
modprobe brd rd_nr=1 rd_size=16384
mkfs.ext4 -q /dev/ram0
mkdir -p /mnt/f
mount /dev/ram0 /mnt/f
fsfreeze -f /mnt/f
echo "writing to a frozen filesystem"
echo x > /mnt/f/blocked
EOF

scenario sf-panic FAIL "a kernel panic: no result from the VM" <<'EOF'
echo c > /proc/sysrq-trigger
sleep 60
EOF

echo "runner selftest: $(wc -l < "$DIR/expected.txt") scenarios in $DIR"
HADISK_SCENARIO_DIR=$DIR HADISK_VM_SUMMARY=$SUMMARY bash "$ROOT/tests/vm/run-scenarios.sh" \
	> "$DIR/runner.log" 2>&1
rc=$?
grep -E '^(PASS|FAIL) |reason:|^vm:' "$DIR/runner.log"

bad=0
while read -r want name; do
	got=$(awk -v n="$name" '$2 == n { print $1 }' "$SUMMARY" 2>/dev/null)
	if [ "$got" = "$want" ]; then
		echo "ok: $name reported $got"
	else
		echo "WRONG: $name reported '${got:-nothing}', expected $want"
		bad=1
	fi
done < "$DIR/expected.txt"

check_log() { # DESCRIPTION PATTERN
	if grep -q -E -- "$2" "$DIR/runner.log"; then
		echo "ok: $1"
	else
		echo "WRONG: $1 (no /$2/ in $DIR/runner.log)"
		bad=1
	fi
}
check_log "the runner exits non-zero" "^vm: 1 passed, 6 failed"
[ $rc -ne 0 ] || { echo "WRONG: run-scenarios.sh exited 0"; bad=1; }
check_log "the failing output is shown" "^exiting with 3"
check_log "fail's message is shown" "FAIL: deliberate failure"
check_log "the kernel warning is named" "reason: kernel log: WARNING: test"
check_log "the deadline is named" "reason: exit status 124 \(deadline\)"
check_log "blocked tasks are dumped for a stuck scenario" "state:D"
check_log "the panic is visible" "Kernel panic"

if [ $bad -eq 0 ]; then
	echo "runner selftest: ok"
else
	echo "runner selftest: FAILED (full log: $DIR/runner.log)"
fi
exit $bad
