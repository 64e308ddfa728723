#!/bin/bash
# Online verify finds blocks that differ and resyncs them; a checksum-based
# resync sends only the marked blocks that really differ.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 64
sed -i 's/^    protocol C;/    protocol C;\n    net { checksum-resync yes; }/' /etc/hadisk/r0.conf
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a primary r0 --force || fail "primary"
hd_a wait-sync r0 --timeout 300 || fail "initial sync"
dd if=/dev/urandom of=/dev/hadisk0 bs=1M count=16 oflag=direct status=none

step "corrupt three blocks of beta's disk behind hadisk's back"
for b in 10 2000 3000; do
	head -c 4096 /dev/urandom | dd of=/dev/ram1 bs=4096 seek=$b oflag=direct status=none
done
step "verify finds exactly those blocks"
hd_a verify r0 --wait --timeout 300 || fail "verify"
hd_a status r0
found=$(hd_status_field alpha r0 verify.out_of_sync_bytes)
[ "$found" = 12288 ] || fail "verify found $found bytes out of sync, not 12288"
[ "$(hd_status_field alpha r0 out_of_sync_bytes)" -ge 12288 ] || fail "not marked out of sync"
step "verify --resync: the peer is repaired from this node"
hd_a verify r0 --resync --wait --timeout 300 || fail "verify --resync"
hd_a wait-sync r0 --timeout 120 || fail "no resync after verify"
cmp_backing
hd_a verify r0 --wait --timeout 300 || fail "second verify"
[ "$(hd_status_field alpha r0 verify.out_of_sync_bytes)" = 0 ] || fail "still out of sync after the resync"

step "checksum resync: beta away, alpha rewrites 16 MiB unchanged and 1 MiB new"
hd_b disconnect r0 || fail "disconnect beta"
dd if=/dev/hadisk0 of=/tmp/same bs=1M count=16 iflag=direct status=none
dd if=/tmp/same of=/dev/hadisk0 bs=1M oflag=direct status=none
dd if=/dev/urandom of=/dev/hadisk0 bs=1M count=1 seek=40 oflag=direct status=none
oos=$(hd_status_field alpha r0 out_of_sync_bytes)
echo "marked out of sync: $oos bytes"
[ "$oos" -ge $((17 * 1048576)) ] || fail "the rewrite was not marked"
sent0=$(hd_status_field alpha r0 bytes_sent)
hd_b connect r0 || fail "connect beta"
hd_a wait-sync r0 --timeout 300 || fail "no resync"
sent=$(( $(hd_status_field alpha r0 bytes_sent) - sent0 ))
echo "checksum resync sent $sent bytes for $oos marked"
[ "$sent" -lt $((3 * 1048576)) ] || fail "the checksum resync sent the unchanged blocks"
[ "$sent" -ge 1048576 ] || fail "the checksum resync did not send the new MiB"
cmp_backing
echo "verify and checksum resync: ok"
