#!/bin/bash
# Write latency histograms in debugfs: every replicated write is counted
# in each stage (local disk, peer ack, total), the activity-log misses in
# al-wait; writing to the file clears it; detach removes it.
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 64
load_hadisk
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug ||
	fail "cannot mount debugfs"
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a primary r0 --force || fail "primary"
hd_a wait-sync r0 --timeout 120 || fail "no initial sync"
F=/sys/kernel/debug/hadisk/hadisk0/latency
[ -f $F ] || fail "$F does not exist"
echo reset > $F || fail "cannot clear $F"
# field STAGE COLUMN: count (2), mean (3), p50 (4), p90 (5), p99 (6)
field() { awk -v s="$1" -v c="$2" '$1 == s { print $c; exit }' $F; }
[ "$(field total 2)" = 0 ] || { cat $F; fail "not cleared"; }

step "300 writes of 4 KiB over 40 MiB (10 activity-log extents)"
for i in $(seq 0 299); do printf 'seek=%d\n' $((i * 34)); done > /tmp/seeks
n=0
while read -r s; do
	dd if=/dev/zero of=$HD_DEV_A bs=4k count=1 "$s" oflag=direct status=none ||
		fail "write $s"
	n=$((n + 1))
done < /tmp/seeks
cat $F
[ "$(field total 2)" = "$n" ] || fail "total counts $(field total 2) writes, $n were made"
[ "$(field local 2)" = "$n" ] || fail "local counts $(field local 2) writes, $n were made"
[ "$(field peer-ack 2)" = "$n" ] || fail "peer-ack counts $(field peer-ack 2) writes, $n were made"
al=$(field al-wait 2)
[ "$al" -ge 1 ] && [ "$al" -lt "$n" ] || fail "al-wait counts $al: expected the misses only"
p50=$(field total 4)
[ "$p50" -ge 1 ] || fail "total p50 is $p50"
step "clear, detach"
echo 0 > $F
[ "$(field total 2)" = 0 ] || fail "not cleared"
hd_a secondary r0
hd_a down r0 || fail "down"
[ ! -e /sys/kernel/debug/hadisk/hadisk0 ] || fail "the directory outlives the device"
hd_b down r0
echo "latency stats: ok"
