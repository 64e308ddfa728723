#!/bin/bash
# Fault matrix: each injected fault (corrupt-data with the crc32c digest on,
# drop-link, delay-ms, fail-md, fail-write on the Secondary, a link cut) in
# each state (connected, resyncing, disconnected), armed on the Primary and
# on the Secondary, while ackcheck writes and records every acknowledged
# block; then recovery (clear, reconnect, wait-sync) and: every acknowledged
# block intact on the Primary, the backing disks identical.  fail-write and
# fail-read on the Primary return the error to the application (no
# on-io-error policy yet): nothing acknowledged is lost and the disks are
# identical after recovery.  At the end a switchover, and every acknowledged
# block of the whole run is verified on the other node.
# timeout: 1200
. "$HADISK_ROOT/tests/scenarios/lib.sh"

ACK=$HADISK_ROOT/build/tools/ackcheck
[ -x "$ACK" ] || fail "$ACK is not built (make tools)"
SEED=5656
# 40 MiB disks: 10 activity-log extents of 4 MiB, of which al-extents 7.
# ackcheck's blocks in the first 8 MiB, the resync state's out-of-sync
# data at 8-10 MiB, cold extents (activity-log misses) at 12-40 MiB.
# After each cell the first 10 MiB (all but the few cold blocks) are
# compared; the whole data area after each state and at the end (reading
# is slow under TCG).
AREA=8M
DIRTY_SEEK=8		# MiB
DIRTY_MB=2
CMP_CELL=10M
COUNT=40		# blocks per cell
FA=/sys/kernel/debug/hadisk/hadisk0/fault
FB=/sys/kernel/debug/hadisk/hadisk1/fault

setup_two_nodes 40
cat > "$HD_CONF" <<C
resource $RES {
    protocol C;
    net { connect-interval 500ms; data-integrity-alg crc32c; }
    disk { al-extents 7; resync-rate-min 1M; resync-rate-max 1M; on-io-error pass_on; }
    on alpha { node-id 0; address $IP_A:$PORT; disk $DISK_A; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
load_hadisk
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug

# hd NODE ARGS: lib.sh's, through nsenter (no mount namespace to set up:
# several times faster than ip netns exec under TCG)
hd() {
	local ns=a node=alpha
	case "$1" in beta|b) ns=b node=beta ;; esac
	shift
	nsenter --net=/run/netns/$ns "$HADISKCTL" --node $node "$@"
}

# st NODE KEY: a top-level scalar of the status (bash alone: python's start
# costs seconds under TCG on a loaded host)
st() {
	local j
	j=$(hd "$1" status $RES --json) || return 1
	[[ $j =~ \"$2\":\"?([^\",\}]*) ]] || { echo "no $2 in: $j" >&2; return 1; }
	echo "${BASH_REMATCH[1]}"
}
conn() { st "$1" connection; }
both_connected() { [ "$(conn alpha)" = Connected ] && [ "$(conn beta)" = Connected ]; }
not_connected() { case "$(conn alpha)" in Connected|SyncSource|SyncTarget) return 1 ;; esac; }
syncing() { [ "$(conn alpha)" = SyncSource ]; }
injected() { awk -v k="$2" '$1 == k { print $3 }' "$1"; }

hd_a up $RES || fail "up alpha"
hd_b up $RES || fail "up beta"
hd_a wait-connect $RES --timeout 60 || fail "no connection"
hd_a new-current-uuid $RES --clear-bitmap || fail "new-current-uuid --clear-bitmap"
hd_a wait-sync $RES --timeout 60 || fail "not UpToDate on both nodes"
hd_a primary $RES || fail "primary"
[ -f $FA ] && [ -f $FB ] || fail "no fault files in debugfs"

NEXT=1			# the next ackcheck block number
CELLS=0
COLD=0
SUMMARY=$HADISK_TMP/summary
: > "$SUMMARY"
SIZE=$(st alpha size_bytes)

# writer_start: ackcheck writes COUNT blocks on the Primary in the background.
writer_start() {
	W_FROM=$NEXT
	W_REPORT=$HADISK_TMP/acked.$W_FROM
	W_OUT=$HADISK_TMP/writer.$W_FROM
	: > "$W_REPORT"
	"$ACK" write $HD_DEV_A --count $COUNT --start $W_FROM --seed $SEED \
		--area $AREA --report "$W_REPORT" > "$W_OUT" 2>&1 &
	W_PID=$!
	NEXT=$((NEXT + COUNT))
}

# writer_wait ok|error|any: its exit status must be 0 (ok), an IO error
# (error), or either.  W_LAST: the last acknowledged block (W_FROM - 1: none).
writer_wait() {
	local rc=0 n
	wait $W_PID || rc=$?
	n=$(wc -l < "$W_REPORT")
	W_LAST=$((W_FROM + n - 1))
	[ "$n" -eq 0 ] || [ "$(tail -n 1 "$W_REPORT")" = $W_LAST ] || fail "the acknowledgements are not in order"
	W_RESULT="acked $n/$COUNT"
	case "$1:$rc" in
	ok:0|any:0) ;;
	error:0) cat "$W_OUT"; fail "the injected error was not returned to the writer" ;;
	error:1|any:1)
		grep -q "Input/output error" "$W_OUT" || { cat "$W_OUT"; fail "the writer failed, not with EIO"; }
		W_RESULT="$W_RESULT, EIO returned" ;;
	*) cat "$W_OUT"; fail "the writer failed (status $rc, $n of $COUNT blocks acknowledged)" ;;
	esac
}

# verify DEV FROM UPTO: those acknowledged blocks are intact on DEV.
verify() {
	[ "$3" -ge "$2" ] || return 0
	"$ACK" verify "$1" --from "$2" --upto "$3" --seed $SEED --area $AREA >/dev/null ||
		fail "acknowledged blocks $2..$3 are not intact on $1"
}

# cold_write: one 4 KiB write to an extent out of the activity log: the
# extents 3-9 in turn (with 0-2 hot, ten extents for seven slots).
cold_write() {
	COLD=$((COLD + 1))
	dd if=/dev/urandom of=$HD_DEV_A bs=4k count=1 seek=$(( (3 + COLD % 7) * 1024 + COLD % 128 )) \
		oflag=direct status=none 2>/dev/null
}

# enter STATE: connected, resyncing or disconnected (from connected, in sync).
enter() {
	case "$1" in
	connected) ;;	# recover ended connected and in sync
	resyncing)
		link_down
		wait_for "alpha notices the cut" 30 not_connected
		dd if=/dev/urandom of=$HD_DEV_A bs=1M count=$DIRTY_MB seek=$DIRTY_SEEK oflag=direct status=none
		link_up
		wait_for "a resync" 30 syncing ;;
	disconnected)
		hd_a disconnect $RES
		hd_b disconnect $RES ;;
	esac
}

# arm FAULT SIDE: SIDE P (alpha, the Primary) or S (beta, the Secondary).
arm() {
	local f=$FA
	[ "$2" = S ] && f=$FB
	case "$1" in
	corrupt-data) echo "corrupt-data 1" > $f ;;
	drop-link) echo drop-link > $f ;;
	delay-ms) echo "delay-ms 30" > $f ;;
	fail-md) echo "fail-md 2" > $f ;;
	fail-write) echo "fail-write 1" > $f ;;
	fail-read) echo "fail-read 1" > $f ;;
	link-cut) link_down ;;
	esac
}

# recover: clear every fault, restore the link, reconnect, wait for sync.
recover() {
	echo clear > $FA
	echo clear > $FB
	link_up
	# beta reconnects by itself unless it was disconnected too
	hd_a disconnect $RES >/dev/null 2>&1 || true
	hd_a connect $RES || fail "connect alpha"
	[ "$(conn beta)" != StandAlone ] || hd_b connect $RES || fail "connect beta"
	wait_for "both connected again" 60 eval 'case "$(conn alpha)" in Connected|SyncSource) true ;; *) false ;; esac'
	hd_a wait-sync $RES --timeout 180 || fail "no sync after recovery"
	local oos
	oos=$(st alpha out_of_sync_bytes)
	[ "$oos" = 0 ] || fail "in sync, yet $oos bytes out of sync"
}

# tm WHAT: the time since the cell started
tm() { echo "  [+$(( (${EPOCHREALTIME/./} - C_T0) / 100000 ))ds] $*"; }

# cell FAULT STATE SIDE EXPECT
cell() {
	local fault=$1 state=$2 side=$3 expect=$4 f=$FA at hit hit0 cold=ok
	[ "$side" = S ] && f=$FB
	# the injected counts only grow: the cell's are the difference
	hit0=$(injected $f "${fault/link-cut/drop-link}")
	CELLS=$((CELLS + 1))
	step "cell $CELLS: $fault, $state, on the $([ "$side" = S ] && echo Secondary || echo Primary)"
	C_T0=${EPOCHREALTIME/./}
	enter "$state"
	at=$(conn alpha)
	if [ "$fault$side" = fail-writeP ]; then
		arm "$fault" "$side"	# the writer takes it, whatever its speed
		writer_start
	else
		writer_start
		sleep 0.1
		arm "$fault" "$side"
	fi
	tm "$state ($at), writing, $fault armed"
	case $fault$side in
	fail-writeP|fail-readP) cold=- ;;	# the one armed error is the application's
	*) cold_write || cold=EIO ;;
	esac
	case "$cold:$fault$side" in
	*:fail-mdP) cold_write || cold="$cold+EIO" ;;	# one more for the second armed failure
	ok:*|-:*) ;;
	*) fail "a write out of the activity log failed with $fault on the $side side" ;;
	esac
	if [ "$fault" = fail-read ]; then
		if dd if=$HD_DEV_A of=/dev/null bs=4k count=1 skip=2000 iflag=direct status=none 2>/dev/null; then
			# in a resync the SyncSource's own reads may take it first
			[ "$(injected $f fail-read)" -ge 1 ] || fail "an injected read error was not returned"
			W_READ=", read error taken by the resync"
		else
			W_READ=", read EIO returned"
		fi
	fi
	writer_wait "$expect"
	tm "writer done: $W_RESULT"
	if [ $fault = fail-md ]; then
		# metadata is written at state changes: a link drop, still armed
		echo drop-link > $f
		sleep 1
	fi
	hit=$(( $(injected $f "${fault/link-cut/drop-link}") - hit0 ))
	case $fault in link-cut|delay-ms) hit=- ;; esac	# not counted
	recover
	tm "recovered"
	verify $HD_DEV_A $W_FROM $W_LAST
	cmp_devs $DISK_A $DISK_B $CMP_CELL >/dev/null
	tm "acknowledged blocks intact, backing disks identical (first $CMP_CELL)"
	# the blocks the writer did not get to (after an error), written now:
	# the final check covers every block number
	if [ $W_LAST -lt $((NEXT - 1)) ]; then
		"$ACK" write $HD_DEV_A --count $((NEXT - 1 - W_LAST)) --start $((W_LAST + 1)) \
			--seed $SEED --area $AREA >/dev/null || fail "writing the rest of the cell's blocks"
	fi
	printf '%-13s %-12s %-9s %-10s injected %-3s %s, cold write %s%s: ok\n' "$fault" "$state" \
		"$([ "$side" = S ] && echo Secondary || echo Primary)" "($at)" "$hit" "$W_RESULT" \
		"$cold" "${W_READ:-}" | tee -a "$SUMMARY"
	W_READ=""
}

# Arguments (run-vm.sh SCRIPT ARGS, to investigate): the states to run
# (default all three), and skip:FAULT:SIDE for cells to leave out.
STATES=() SKIP=" "
for a in "$@"; do
	case $a in skip:*) SKIP+="${a#skip:} " ;; *) STATES+=("$a") ;; esac
done
[ ${#STATES[@]} -gt 0 ] || STATES=(connected resyncing disconnected)
cell_unless_skipped() {
	case "$SKIP" in *" $1:$3 "*) echo "skipped: $1 on $3 ($2)" | tee -a "$SUMMARY"; return 0 ;; esac
	cell "$@"
}

for state in "${STATES[@]}"; do
	for fault in corrupt-data drop-link delay-ms fail-md; do
		for side in P S; do
			exp=ok
			# an activity-log write that fails fails the application's write
			[ "$fault$side" = fail-mdP ] && exp=any
			cell_unless_skipped $fault $state $side $exp
		done
	done
	cell_unless_skipped link-cut $state P ok
	cell_unless_skipped fail-write $state S ok
	cell_unless_skipped fail-write $state P error
	cell_unless_skipped fail-read $state P ok
	step "after the $state cells: the whole data areas"
	cmp_devs $DISK_A $DISK_B $SIZE
done

step "switchover: every acknowledged block of the run on both nodes"
hd_a wait-sync $RES --timeout 60 || fail "not in sync"
verify $HD_DEV_A 1 $((NEXT - 1))
hd_a secondary $RES
hd_b primary $RES || fail "promote beta"
verify $HD_DEV_B 1 $((NEXT - 1))
hd_b secondary $RES
cmp_devs $DISK_A $DISK_B $SIZE
echo "digest errors counted: alpha $(st alpha digest_errors), beta $(st beta digest_errors)"
hd_a down $RES
hd_b down $RES
unload_hadisk

echo
echo "fault         state        armed on  (alpha)      result"
cat "$SUMMARY"
echo "fault matrix: $CELLS cells, blocks 1..$((NEXT - 1)) verified on both nodes: ok"
