#!/bin/bash
# new-current-uuid --clear-bitmap skips the initial sync of zeroed disks;
# invalidate and invalidate-remote force a full sync in each direction.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 64
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"

step "two new zeroed disks: new-current-uuid --clear-bitmap, no initial sync"
hd_a new-current-uuid r0 --clear-bitmap || fail "new-current-uuid --clear-bitmap"
hd_a wait-sync r0 --timeout 30 || fail "not UpToDate on both sides"
[ "$(hd_status_field alpha r0 bytes_sent)" -lt 65536 ] || fail "data was sent"
[ "$(hd_status_field alpha r0 current_uuid)" = "$(hd_status_field beta r0 current_uuid)" ] ||
	fail "the two nodes have different generations"
hd_a primary r0 || fail "primary without --force after clear-bitmap"
dd if=/dev/urandom of=/dev/hadisk0 bs=1M count=4 oflag=direct status=none
hd_a secondary r0
cmp_backing

step "beta invalidates its data: full sync from alpha"
head -c 4096 /dev/urandom | dd of=/dev/ram1 bs=4096 seek=100 oflag=direct status=none
hd_b invalidate r0 || fail "invalidate"
hd_b wait-sync r0 --timeout 300 || fail "no sync after invalidate"
dmesg | grep -q "full resync to beta" || fail "not a full resync"
cmp_backing

step "alpha invalidates beta's data: full sync again"
head -c 4096 /dev/urandom | dd of=/dev/ram1 bs=4096 seek=200 oflag=direct status=none
hd_a invalidate-remote r0 || fail "invalidate-remote"
sleep 1
hd_a wait-sync r0 --timeout 300 || fail "no sync after invalidate-remote"
[ "$(dmesg | grep -c 'full resync to beta')" -ge 2 ] || fail "no second full resync"
cmp_backing

step "refusals"
hd_a primary r0
out=$(hd_a invalidate r0 2>&1) && fail "invalidate on a Primary"
echo "$out"
echo "$out" | grep -q "Primary" || fail "the refusal does not say Primary"
hd_a secondary r0
hd_b disconnect r0
out=$(hd_b invalidate-remote r0 2>&1) && fail "invalidate-remote while StandAlone"
echo "$out"
echo "invalidate: ok"
