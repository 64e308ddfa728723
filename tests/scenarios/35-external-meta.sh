#!/bin/bash
# External metadata (meta-disk /dev/X): the whole backing device holds
# data; the metadata lives on the other device and persists.
# timeout: 400
. "$HADISK_ROOT/tests/scenarios/lib.sh"

META=none setup_two_nodes 64
awk 'BEGIN { n = 0 } /meta-disk none;/ { sub(/none/, n++ ? "/dev/ram3" : "/dev/ram2") } { print }' \
	/etc/hadisk/r0.conf > /tmp/r0.conf && mv /tmp/r0.conf /etc/hadisk/r0.conf
grep meta-disk /etc/hadisk/r0.conf
hd_a create-md r0 || fail "create-md alpha (external)"
hd_b create-md r0 || fail "create-md beta (external)"
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
[ "$(hd_status_field alpha r0 metadata)" = /dev/ram2 ] || fail "status does not name the metadata device"
[ "$(hd_status_field alpha r0 size_bytes)" = "$(blockdev --getsize64 /dev/ram0)" ] ||
	fail "with external metadata the whole backing device holds data"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a primary r0 --force || fail "primary"
hd_a wait-sync r0 --timeout 300 || fail "no sync"
dd if=/dev/urandom of=/dev/hadisk0 bs=1M count=8 oflag=direct status=none
gen=$(hd_status_field alpha r0 current_uuid)
hd_a secondary r0
hd_a down r0; hd_b down r0
step "up again: the external metadata kept the generation; no resync"
hd_a up r0 || fail "up alpha again"
hd_b up r0 || fail "up beta again"
hd_a wait-sync r0 --timeout 60 || fail "not in sync"
[ "$(hd_status_field alpha r0 current_uuid)" = "$gen" ] || fail "generation lost"
[ "$(hd_status_field alpha r0 bytes_sent)" -lt 1048576 ] || fail "data was resent"
cmp_devs /dev/ram0 /dev/ram1
hd_a down r0; hd_b down r0
step "the wrong kind: internal metadata where the config says external"
out=$(hd_a up r0 --config <(sed 's|meta-disk /dev/ram2;|meta-disk internal;|' /etc/hadisk/r0.conf) 2>&1) &&
	fail "attach with a wrong meta-disk succeeded"
echo "$out"
echo "external metadata: ok"
