#!/bin/bash
# The link is cut in the middle of writes: the Primary keeps writing; the
# link comes back: the peer is resynced from the bitmap; disks identical.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 128
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a primary r0 --force || fail "primary"
hd_a wait-sync r0 --timeout 300 || fail "no initial sync"

step "start writing on the Primary, then cut the link mid-write"
fio --name=cut --filename=/dev/hadisk0 --direct=1 --ioengine=libaio \
    --rw=randwrite --bs=4k --iodepth=4 --size=32M --offset=16M \
    --time_based --runtime=40 --output=/tmp/fio.txt &
FIO=$!
sleep 4
link_down
a_connecting() { [ "$(hd_status_field alpha r0 connection)" = Connecting ]; }
a_oos() { [ "$(hd_status_field alpha r0 out_of_sync_bytes)" != 0 ]; }
wait_for "alpha notices the cut" 30 a_connecting
echo "alpha: $(hd_a status r0 | head -3)"
wait_for "out-of-sync data recorded" 20 a_oos
[ "$(hd_status_field alpha r0 peer_disk)" = DUnknown ] || fail "peer disk should be DUnknown"
wait $FIO || { cat /tmp/fio.txt; fail "the writer got an error"; }
grep -q "err= 0" /tmp/fio.txt || { cat /tmp/fio.txt; fail "fio reported errors"; }
oos=$(hd_status_field alpha r0 out_of_sync_bytes)
echo "out of sync while cut: $oos bytes"
step "restore the link: bitmap-based resync"
sent0=$(hd_status_field alpha r0 bytes_sent)
link_up
hd_a wait-sync r0 --timeout 300 || fail "no resync after the link came back"
sent1=$(hd_status_field alpha r0 bytes_sent)
resent=$((sent1 - sent0))
echo "resync sent $resent bytes for $oos out-of-sync bytes"
[ "$resent" -lt $((oos * 11 / 10 + 1048576)) ] || fail "resync sent far more than the out-of-sync data"
[ "$resent" -lt $((128 * 1048576)) ] || fail "resync looks like a full sync"
dmesg | grep -q "bitmap-based resync to" || fail "no bitmap-based resync in the log"
hd_a secondary r0 || fail "secondary"
step "backing devices identical"
cmp_backing
echo "link cut: ok"
