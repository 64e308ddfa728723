#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The soak test, inside one VM (started by tests/soak/run.sh): two nodes in
# two namespaces (tests/scenarios/lib.sh), protocol C with the crc32c data
# digest; fio with crc32c verification (verify_backlog) writes on the
# Primary without a pause, while at random intervals one of these faults
# is injected and recovered from:
#
#   link-cut           the link is cut for 1-5 s, then restored
#   corrupt-data       one replicated block is corrupted on arrival at the
#                      Secondary: the digest catches it, the link drops,
#                      the block is resynced
#   switchover         fio stops after its current run, the Primary is
#                      demoted, the other node promoted, and fio there first
#                      verifies everything the previous run wrote
#   secondary-restart  hadiskctl down, then up, of the Secondary
#   disk-failure       a write of one node's backing device fails (fault
#                      injection, Primary or Secondary at random): with
#                      on-io-error detach it goes Diskless, fio on the
#                      Primary goes on without an error, then the disk
#                      is re-attached (hadiskctl attach) and resynced
#
# After each fault the pair must be connected and in sync again within
# 180 s.  At the end: a final sync, the last fio run verified on both nodes,
# the two backing disks compared.  Writes summary (one line per fault kind
# and the verdict) to $HADISK_VM_RESULTS.
#
# Usage: soak-inside.sh MINUTES [SEED]
. "$HADISK_ROOT/tests/scenarios/lib.sh"

MINUTES=${1:-10}
SEED=${2:-$((${EPOCHREALTIME/./} % 100000))}
RANDOM=$SEED
OUT=$HADISK_VM_RESULTS
SUMMARY=$OUT/summary
FIO_DIR=$OUT/fio
mkdir -p "$FIO_DIR"
: > "$SUMMARY"

declare -A N=([link-cut]=0 [corrupt-data]=0 [switchover]=0 [secondary-restart]=0 [disk-failure]=0)
DIGEST_SEEN=0		# digest errors counted by the receivers
VERIFIED=0		# fio runs verified again on a new Primary
MISMATCH=()		# every data mismatch found
VERDICT_REASON=""
T_START=${EPOCHREALTIME/./}

dev_of() { [ "$1" = alpha ] && echo $HD_DEV_A || echo $HD_DEV_B; }
fault_of() { [ "$1" = alpha ] && echo /sys/kernel/debug/hadisk/hadisk0/fault || echo /sys/kernel/debug/hadisk/hadisk1/fault; }
other() { [ "$1" = alpha ] && echo beta || echo alpha; }
# st NODE KEY: a top-level scalar of the status (bash alone: python's start
# costs seconds under TCG on a loaded host)
st() {
	local j
	j=$(hd "$1" status $RES --json) || return 1
	[[ $j =~ \"$2\":\"?([^\",\}]*) ]] || { echo "no $2 in: $j" >&2; return 1; }
	echo "${BASH_REMATCH[1]}"
}
conn() { st "$1" connection; }
# hd NODE ARGS: lib.sh's, through nsenter (no mount namespace to set up:
# several times faster than ip netns exec under TCG)
hd() {
	local ns=a node=alpha
	case "$1" in beta|b) ns=b node=beta ;; esac
	shift
	nsenter --net=/run/netns/$ns "$HADISKCTL" --node $node "$@"
}

# ---------------------------------------------------------------- summary

summary() {
	local rc=$? k runs fails
	trap - EXIT ERR
	set +e
	runs=$(cat "$OUT/runs" 2>/dev/null || echo 0)
	fails=$(cat "$OUT/fio-failed" 2>/dev/null || true)
	[ -z "$fails" ] || MISMATCH+=("fio run $fails reported errors (see fio/run-$fails.txt)")
	{
		echo "soak: $MINUTES minutes asked, $(( (${EPOCHREALTIME/./} - T_START) / 1000000 )) s run, seed $SEED"
		echo "fio: $runs runs completed (crc32c, verify_backlog), $VERIFIED verified again on the other node (after each switchover and at the end)"
		for k in link-cut corrupt-data switchover secondary-restart disk-failure; do
			printf 'survived %-18s %d\n' "$k" "${N[$k]}"
		done
		echo "digest errors detected: $DIGEST_SEEN (one per corrupt-data)"
		echo "data mismatches: ${#MISMATCH[@]}"
		for k in "${MISMATCH[@]}"; do echo "  mismatch: $k"; done
		if [ $rc -eq 0 ] && [ ${#MISMATCH[@]} -eq 0 ]; then
			echo "verdict: PASS"
		else
			[ $rc -eq 0 ] && rc=1
			echo "verdict: FAIL${VERDICT_REASON:+ ($VERDICT_REASON)}"
		fi
	} | tee "$SUMMARY"
	exit $rc
}
trap summary EXIT

# ------------------------------------------------------------------- fio

# Run N writes 4 MiB at random in region N % 4 (8 MiB each), which is
# zeroed first: fio's crc32c header cannot tell a block of an earlier run
# from one of this run, a zeroed block it can (a lost write shows).
FIO_ARGS=(--direct=1 --ioengine=libaio --rw=randwrite --bs=4k --iodepth=4
	--size=8M --io_size=4M --verify=crc32c --verify_backlog=128
	--verify_fatal=1 --randrepeat=0)

# fio_job DEV RUN [EXTRA...]: run number RUN of the job on DEV.
fio_job() {
	local dev=$1 run=$2
	shift 2
	fio --name=soak --filename="$dev" "${FIO_ARGS[@]}" --offset=$((run % 4 * 8))M \
		--randseed="$run" "$@"
}

# zero_region DEV RUN: zero the region run RUN writes.
zero_region() {
	blkdiscard -z -o $(($2 % 4 * 8 * 1048576)) -l $((8 * 1048576)) "$1" 2>/dev/null ||
		dd if=/dev/zero of="$1" bs=1M count=8 seek=$(($2 % 4 * 8)) oflag=direct status=none
}

# fio_loop NODE: runs of the job on NODE's device until $OUT/stop exists;
# $OUT/runs holds the last completed run, $OUT/fio-failed a failed one.
fio_loop() {
	local dev run
	dev=$(dev_of "$1")
	trap - ERR
	set +e
	while [ ! -e "$OUT/stop" ]; do
		run=$(( $(cat "$OUT/runs") + 1 ))
		if ! zero_region "$dev" $run; then
			echo "zeroing run $run's region failed" > "$FIO_DIR/run-$run.txt"
			echo $run > "$OUT/fio-failed"
			exit 1
		fi
		if ! fio_job "$dev" $run --output="$FIO_DIR/run-$run.txt" >/dev/null 2>&1; then
			echo $run > "$OUT/fio-failed"
			exit 1
		fi
		grep -q "err= 0" "$FIO_DIR/run-$run.txt" || { echo $run > "$OUT/fio-failed"; exit 1; }
		echo $run > "$OUT/runs"
		# keep the last few logs only
		rm -f "$FIO_DIR/run-$((run - 5)).txt"
	done
}

fio_start() {
	rm -f "$OUT/stop"
	fio_loop "$1" &
	FIO_PID=$!
}

fio_stop() {
	touch "$OUT/stop"
	wait $FIO_PID || true
	FIO_PID=""
	[ ! -s "$OUT/fio-failed" ] || { VERDICT_REASON="fio verification failed"; exit 1; }
}

fio_check() {
	if [ -s "$OUT/fio-failed" ]; then
		echo "fio run $(cat "$OUT/fio-failed") failed:"
		tail -n 30 "$FIO_DIR/run-$(cat "$OUT/fio-failed").txt"
		VERDICT_REASON="fio verification failed"
		exit 1
	fi
}

# verify_last NODE: the last completed run's blocks, read on NODE's device.
verify_last() {
	local run
	run=$(cat "$OUT/runs")
	[ "$run" -gt 0 ] || return 0
	if ! fio_job "$(dev_of "$1")" "$run" --verify_only --output="$FIO_DIR/verify-$run-$1.txt" >/dev/null 2>&1 ||
		! grep -q "err= 0" "$FIO_DIR/verify-$run-$1.txt"; then
		tail -n 30 "$FIO_DIR/verify-$run-$1.txt"
		MISMATCH+=("fio run $run does not verify on $1")
		VERDICT_REASON="data mismatch"
		exit 1
	fi
	VERIFIED=$((VERIFIED + 1))
}

# ---------------------------------------------------------------- recovery

in_sync() {
	[ "$(conn alpha)" = Connected ] && [ "$(conn beta)" = Connected ] &&
		[ "$(st alpha disk)" = UpToDate ] && [ "$(st beta disk)" = UpToDate ]
}

recovered() { # KIND
	VERDICT_REASON="no recovery from $1 within 180 s"
	wait_for "connected and in sync after $1" 180 in_sync
	VERDICT_REASON=""
	N[$1]=$((N[$1] + 1))
	fio_check
}

# ------------------------------------------------------------------ faults

f_link_cut() {
	local s=$((RANDOM % 5 + 1))
	step "link-cut for $s s"
	link_down
	sleep $s
	link_up
	recovered link-cut
}

f_corrupt() {
	local f d0 d1
	f=$(fault_of "$SEC")
	d0=$(st "$SEC" digest_errors)
	step "corrupt-data: one block on arrival at $SEC"
	echo "corrupt-data 1" > "$f"
	# fio keeps writing: the next replicated block takes it
	VERDICT_REASON="the corrupted block was not detected"
	wait_for "the digest error on $SEC" 60 eval "[ \"\$(st $SEC digest_errors)\" -gt $d0 ]"
	VERDICT_REASON=""
	d1=$(st "$SEC" digest_errors)
	DIGEST_SEEN=$((DIGEST_SEEN + d1 - d0))
	recovered corrupt-data
}

f_switchover() {
	step "switchover: $PRI -> $SEC"
	fio_stop
	hd_a wait-sync $RES --timeout 180 || { VERDICT_REASON="no sync before the switchover"; exit 1; }
	hd "$PRI" secondary $RES
	hd "$SEC" primary $RES
	local p=$PRI
	PRI=$SEC
	SEC=$p
	verify_last "$PRI"
	fio_start "$PRI"
	recovered switchover
}

f_disk_failure() {
	local node=$PRI f
	[ $((RANDOM % 2)) -eq 0 ] && node=$SEC
	f=$(fault_of "$node")
	step "disk-failure: a write of $node's backing device fails"
	echo "fail-write 1" > "$f"
	VERDICT_REASON="$node did not detach its failing disk"
	wait_for "$node Diskless" 60 eval "[ \"\$(st $node disk)\" = Diskless ]"
	VERDICT_REASON=""
	fio_check
	sleep $((RANDOM % 3 + 1))
	hd "$node" attach $RES || { VERDICT_REASON="re-attach on $node refused"; exit 1; }
	recovered disk-failure
}

f_sec_restart() {
	step "secondary-restart: down and up of $SEC"
	hd "$SEC" down $RES
	sleep $((RANDOM % 3 + 1))
	hd "$SEC" up $RES
	recovered secondary-restart
}

# ------------------------------------------------------------------- setup

step "setup: seed $SEED, $MINUTES minutes"
setup_two_nodes 64
cat > "$HD_CONF" <<C
resource $RES {
    protocol C;
    net { connect-interval 500ms; data-integrity-alg crc32c; }
    on alpha { node-id 0; address $IP_A:$PORT; disk $DISK_A; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
load_hadisk
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug
hd_a up $RES
hd_b up $RES
hd_a wait-connect $RES --timeout 60
hd_a new-current-uuid $RES --clear-bitmap
hd_a wait-sync $RES --timeout 60
PRI=alpha
SEC=beta
hd $PRI primary $RES
echo 0 > "$OUT/runs"
rm -f "$OUT/fio-failed"
fio_start $PRI

END=$((${EPOCHREALTIME/./} + MINUTES * 60 * 1000000))
while [ "${EPOCHREALTIME/./}" -lt $END ]; do
	sleep $((RANDOM % 10 + 3))
	fio_check
	[ "${EPOCHREALTIME/./}" -lt $END ] || break
	case $((RANDOM % 5)) in
	0) f_link_cut ;;
	1) f_corrupt ;;
	2) f_switchover ;;
	3) f_sec_restart ;;
	4) f_disk_failure ;;
	esac
	echo "  $(hd "$PRI" status $RES | head -n 1)"
done

step "the end: stop fio, final sync, verify on both nodes, compare the disks"
fio_stop
hd_a wait-sync $RES --timeout 300 || { VERDICT_REASON="no final sync"; exit 1; }
verify_last "$PRI"
hd "$PRI" secondary $RES
hd "$SEC" primary $RES
verify_last "$SEC"
hd "$SEC" secondary $RES
n=$(st alpha size_bytes)
if ! (_HD_NO_ABORT=1; cmp_devs $DISK_A $DISK_B "$n"); then
	MISMATCH+=("the backing disks differ after the final sync")
	VERDICT_REASON="data mismatch"
	exit 1
fi
hd_a down $RES
hd_b down $RES
unload_hadisk
