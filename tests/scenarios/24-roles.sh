#!/bin/bash
# Roles: only the Primary opens for writing; promotion needs UpToDate data.
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 64
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"

step "promoting an Inconsistent node without --force fails and says why"
out=$(hd_a primary r0 2>&1) && fail "primary without --force succeeded"
echo "$out"
echo "$out" | grep -q "Inconsistent" || fail "the refusal does not name the disk state"
echo "$out" | grep -q -- "--force" || fail "the refusal does not mention --force"
[ "$(hd_status_field alpha r0 role)" = Secondary ] || fail "role changed"

hd_a primary r0 --force || fail "primary --force"
hd_a wait-sync r0 --timeout 120 || fail "no sync"

step "opening the Secondary for writing fails"
out=$(dd if=/dev/zero of=/dev/hadisk1 bs=4k count=1 oflag=direct 2>&1) &&
	fail "a write open of the Secondary succeeded"
echo "$out"
echo "$out" | grep -qi "read-only" || fail "the error is not 'read-only'"
mkdir -p /mnt/b
mount /dev/hadisk1 /mnt/b 2>/dev/null && mount | grep -q "hadisk1.*rw" &&
	fail "the Secondary was mounted read-write"
umount /mnt/b 2>/dev/null || true
dmesg | grep -q "write open refused: resource r0 is Secondary" || fail "not logged"
step "reading the Secondary is allowed"
dd if=/dev/hadisk1 of=/dev/null bs=4k count=16 status=none || fail "read of the Secondary failed"

step "promoting while the peer is Primary fails"
out=$(hd_b primary r0 2>&1) && fail "a second Primary was allowed"
echo "$out"
echo "$out" | grep -q "Primary" || fail "the refusal does not say the peer is Primary"

step "demoting while open fails"
exec 9</dev/hadisk0
out=$(hd_a secondary r0 2>&1) && fail "secondary while open succeeded"
echo "$out"
echo "$out" | grep -q "open" || fail "the refusal does not say the device is open"
exec 9<&-
hd_a secondary r0 || fail "secondary after close"
step "after both are Secondary, beta (UpToDate) can be promoted without --force"
hd_b primary r0 || fail "primary beta"
echo "roles: ok"
