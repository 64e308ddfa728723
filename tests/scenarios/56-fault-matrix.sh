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
# timeout: 720
. "$HADISK_ROOT/tests/scenarios/lib.sh"

ACK=$HADISK_ROOT/build/tools/ackcheck
[ -x "$ACK" ] || fail "$ACK is not built (make tools)"
SEED=5656
AREA=40M		# ackcheck's blocks: 10 activity-log extents, al-extents 7
DIRTY_SEEK=44		# MiB: where the resync state's out-of-sync data goes
DIRTY_MB=4
COUNT=${FM_COUNT:-60}	# blocks per cell
FA=/sys/kernel/debug/hadisk/hadisk0/fault
FB=/sys/kernel/debug/hadisk/hadisk1/fault

setup_two_nodes 64
cat > "$HD_CONF" <<C
resource $RES {
    protocol C;
    net { connect-interval 500ms; data-integrity-alg crc32c; }
    disk { al-extents 7; resync-rate-min 1M; resync-rate-max 2M; }
    on alpha { node-id 0; address $IP_A:$PORT; disk $DISK_A; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
load_hadisk
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug

conn() { hd_status_field "$1" $RES connection; }
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
RANGES=()		# FROM:UPTO of every acknowledged run
CELLS=0
SUMMARY=$HADISK_TMP/summary
: > "$SUMMARY"

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
# (error), or either; the acknowledged blocks are verified on the Primary.
writer_wait() {
	local rc=0 n last
	wait $W_PID || rc=$?
	n=$(wc -l < "$W_REPORT")
	last=$(tail -n 1 "$W_REPORT")
	W_RESULT="acked $n/$COUNT"
	case "$1:$rc" in
	ok:0|any:0) ;;
	error:0) cat "$W_OUT"; fail "the injected error was not returned to the writer" ;;
	error:1|any:1)
		grep -q "Input/output error" "$W_OUT" || { cat "$W_OUT"; fail "the writer failed, not with EIO"; }
		W_RESULT="$W_RESULT, EIO returned" ;;
	*) cat "$W_OUT"; fail "the writer failed (status $rc, $n of $COUNT blocks acknowledged)" ;;
	esac
	[ "$n" -eq 0 ] || RANGES+=("$W_FROM:$last")
}

# verify_ranges DEV: every acknowledged block written so far is intact.
verify_ranges() {
	local r
	for r in "${RANGES[@]}"; do
		"$ACK" verify "$1" --from "${r%%:*}" --upto "${r##*:}" --seed $SEED --area $AREA >/dev/null ||
			fail "acknowledged blocks ${r%%:*}..${r##*:} are not intact on $1"
	done
}

# enter STATE: connected, resyncing or disconnected (from connected, in sync).
enter() {
	case "$1" in
	connected) both_connected || fail "not connected before the cell" ;;
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
	corrupt-data) echo "corrupt-data 3" > $f ;;
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
	hd_a disconnect $RES >/dev/null 2>&1 || true
	hd_b disconnect $RES >/dev/null 2>&1 || true
	hd_a connect $RES || fail "connect alpha"
	hd_b connect $RES || fail "connect beta"
	wait_for "both connected again" 60 eval 'case "$(conn alpha)" in Connected|SyncSource) true ;; *) false ;; esac'
	hd_a wait-sync $RES --timeout 180 || fail "no sync after recovery"
	local oos
	oos=$(hd_status_field alpha $RES out_of_sync_bytes)
	[ "$oos" = 0 ] || fail "in sync, yet $oos bytes out of sync"
}

# cell FAULT STATE SIDE EXPECT
cell() {
	local fault=$1 state=$2 side=$3 expect=$4 f=$FA at hit
	[ "$side" = S ] && f=$FB
	CELLS=$((CELLS + 1))
	step "cell $CELLS: $fault, $state, on the $([ "$side" = S ] && echo Secondary || echo Primary)"
	enter "$state"
	writer_start
	sleep 0.3
	at=$(conn alpha)
	arm "$fault" "$side"
	if [ "$fault" = fail-read ]; then
		if dd if=$HD_DEV_A of=/dev/null bs=4k count=1 skip=2000 iflag=direct status=none 2>/dev/null; then
			# in a resync the SyncSource's own reads may take it first
			[ "$(injected $f fail-read)" -ge 1 ] || fail "an injected read error was not returned"
			W_READ="read error taken by the resync"
		else
			W_READ="read EIO returned"
		fi
	fi
	writer_wait "$expect"
	hit=$(injected $f "${fault/link-cut/drop-link}")
	[ "$fault" = link-cut ] && hit=-
	recover
	verify_ranges $HD_DEV_A
	cmp_backing >/dev/null
	printf '%-13s %-12s %-9s %-10s injected %-3s %s%s: ok\n' "$fault" "$state" \
		"$([ "$side" = S ] && echo Secondary || echo Primary)" "($at)" "$hit" "$W_RESULT" \
		"$([ "$fault" = fail-read ] && echo ", $W_READ")" | tee -a "$SUMMARY"
	W_READ=""
}

for state in connected resyncing disconnected; do
	for fault in corrupt-data drop-link delay-ms fail-md; do
		for side in P S; do
			exp=ok
			# an activity-log write that fails fails the application's write
			[ "$fault$side" = fail-mdP ] && exp=any
			cell $fault $state $side $exp
		done
	done
	cell fail-write $state S ok
	cell link-cut $state P ok
	cell fail-write $state P error
	cell fail-read $state P ok
done

step "switchover: every acknowledged block on beta"
hd_a secondary $RES
hd_b primary $RES || fail "promote beta"
verify_ranges $HD_DEV_B
hd_b secondary $RES
cmp_backing
echo "digest errors counted: alpha $(hd_status_field alpha $RES digest_errors), beta $(hd_status_field beta $RES digest_errors)"
hd_a down $RES
hd_b down $RES
unload_hadisk

echo
echo "fault         state        armed on  (alpha)   result"
cat "$SUMMARY"
echo "fault matrix: $CELLS cells, ${#RANGES[@]} acknowledged runs verified on both nodes: ok"
