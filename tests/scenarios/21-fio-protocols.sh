#!/bin/bash
# fio with --verify=crc32c under protocols A, B and C; disks identical.
# timeout: 900
. "$HADISK_ROOT/tests/scenarios/lib.sh"

load_hadisk
for P in A B C; do
	PROTOCOL=$P setup_two_nodes 64
	step "protocol $P: up, initial sync"
	hd_a up r0 || fail "up alpha"
	hd_b up r0 || fail "up beta"
	hd_a wait-connect r0 --timeout 60 || fail "no connection"
	[ "$(hd_status_field alpha r0 protocol)" = $P ] || fail "protocol is not $P"
	hd_a primary r0 --force || fail "primary"
	hd_a wait-sync r0 --timeout 300 || fail "no sync"
	step "protocol $P: fio random writes with crc32c verification"
	fio --name=verify --filename=/dev/hadisk0 --direct=1 --ioengine=libaio \
	    --rw=randwrite --bs=4k --bssplit=4k/60:16k/20:64k/20 --iodepth=16 \
	    --size=48M --verify=crc32c --verify_fatal=1 --do_verify=1 \
	    --randrepeat=1 --output=/tmp/fio-$P.txt || {
		cat /tmp/fio-$P.txt; fail "fio verify failed under protocol $P"; }
	grep -E "write:|err=" /tmp/fio-$P.txt | head -3
	hd_a wait-sync r0 --timeout 60 || fail "not in sync after fio"
	[ "$(hd_status_field alpha r0 writes_unacked)" = 0 ] || fail "writes left unacked"
	step "protocol $P: backing devices identical"
	hd_a secondary r0 || fail "secondary"
	cmp_backing
	hd_a down r0 || fail "down alpha"
	hd_b down r0 || fail "down beta"
	ip netns del a
	ip netns del b
done
echo "fio verify under A, B, C: ok"
