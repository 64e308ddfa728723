#!/bin/bash
# Metadata survives down/up and a module reload: no new full sync; the
# bitmap of a disconnected period survives too, and the resync sends at
# most 1.1 x what was written (plus metadata).
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 128
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a primary r0 --force || fail "primary"
hd_a wait-sync r0 --timeout 300 || fail "initial sync"
dd if=/dev/urandom of=/dev/hadisk0 bs=1M count=8 oflag=direct status=none
uuid=$(hd_status_field alpha r0 current_uuid)
echo "data generation: $uuid"
hd_a status r0

step "down both, up both: same generation, UpToDate, no resync"
fulls=$(dmesg | grep -c "full resync to" || true)
hd_a secondary r0
hd_a down r0 || fail "down alpha"
hd_b down r0 || fail "down beta"
hd_a dump-md r0 || fail "dump-md"
hd_a dump-md r0 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["activity_log"]["clean"], d
assert "consistent" in d["flags"] and "uptodate" in d["flags"], d["flags"]
print("dump-md: clean log, flags", d["flags"])'
hd_a up r0 || fail "up alpha again"
hd_b up r0 || fail "up beta again"
hd_a wait-connect r0 --timeout 60 || fail "no reconnection"
hd_a wait-sync r0 --timeout 30 || fail "not in sync"
[ "$(hd_status_field alpha r0 current_uuid)" = "$uuid" ] || fail "generation changed"
[ "$(hd_status_field alpha r0 disk)" = UpToDate ] || fail "alpha not UpToDate"
[ "$(hd_status_field beta r0 disk)" = UpToDate ] || fail "beta not UpToDate"
[ "$(hd_status_field alpha r0 bytes_sent)" -lt 1048576 ] || fail "data was resent after up"
[ "$(dmesg | grep -c "full resync to" || true)" = "$fulls" ] || fail "a full resync after a clean down/up"

step "reload the module: still the same generation"
hd_a down r0; hd_b down r0
unload_hadisk
load_hadisk
hd_a up r0 || fail "up alpha after reload"
hd_b up r0 || fail "up beta after reload"
hd_a wait-sync r0 --timeout 60 || fail "not in sync after reload"
[ "$(hd_status_field alpha r0 current_uuid)" = "$uuid" ] || fail "generation lost in reload"
[ "$(hd_status_field alpha r0 bytes_sent)" -lt 1048576 ] || fail "data was resent after reload"

step "beta goes away; alpha writes X = 24 MiB; alpha goes down and up (bitmap on disk)"
hd_b down r0 || fail "down beta"
hd_a primary r0 || fail "primary"
X=$((24 * 1048576))
dd if=/dev/urandom of=/dev/hadisk0 bs=1M count=24 seek=32 oflag=direct status=none
oos=$(hd_status_field alpha r0 out_of_sync_bytes)
echo "out of sync: $oos bytes for $X written"
[ "$oos" -ge "$X" ] || fail "fewer out-of-sync bytes than written"
hd_a secondary r0
hd_a down r0 || fail "down alpha"
hd_a up r0 || fail "up alpha"
[ "$(hd_status_field alpha r0 out_of_sync_bytes)" = "$oos" ] || fail "bitmap not persisted"
step "beta returns: bitmap-based resync of about X"
hd_b up r0 || fail "up beta"
sent0=0
hd_a wait-sync r0 --timeout 300 || fail "no resync"
sent=$(hd_status_field alpha r0 bytes_sent)
echo "resync sent $sent bytes for X = $X"
[ "$sent" -le $((X * 11 / 10 + 1048576)) ] || fail "resync sent more than 1.1 X (+1 MiB)"
[ "$sent" -ge "$X" ] || fail "resync sent less than X"
dmesg | grep -q "bitmap-based resync to" || fail "not a bitmap-based resync"
cmp_backing
echo "metadata persistence: ok"
