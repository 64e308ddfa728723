#!/bin/bash
# Unloading the module leaves nothing behind, after 'down' and without it.
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

nothing_left() {
	[ ! -e /sys/module/hadisk ] || fail "module still loaded"
	ls /dev/hadisk* 2>/dev/null && fail "device nodes left behind"
	ls -d /sys/block/hadisk* 2>/dev/null && fail "block devices left behind"
	grep -w hadisk /proc/devices && fail "block major still registered"
	# the backing devices are free again: an exclusive open succeeds
	python3 - <<'P' || fail "a backing device is still held"
import os
for d in ("/dev/ram0", "/dev/ram1"):
    os.close(os.open(d, os.O_RDWR | os.O_EXCL))
P
}

setup_two_nodes 64
load_hadisk
step "up both nodes, sync, write, then down both"
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a primary r0 --force || fail "primary"
hd_a wait-sync r0 --timeout 120 || fail "no sync"
dd if=/dev/urandom of=/dev/hadisk0 bs=64k count=16 oflag=direct status=none
hd_a secondary r0 || fail "secondary"
hd_a down r0 || fail "down alpha"
hd_b down r0 || fail "down beta"
[ "$(hd_a status --json)" = "[]" ] || fail "alpha still lists resources"
[ "$(cat /sys/module/hadisk/refcnt)" = 0 ] || fail "module refcount not 0"
step "rmmod after down"
unload_hadisk
nothing_left

step "rmmod with both resources still up and connected"
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
[ "$(cat /sys/module/hadisk/refcnt)" = 0 ] || fail "module refcount not 0"
unload_hadisk
nothing_left
echo "unload: nothing left behind"
