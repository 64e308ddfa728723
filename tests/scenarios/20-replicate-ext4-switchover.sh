#!/bin/bash
# ext4 on the Primary, a tree of files, roles switched, mounted on the
# other node: same checksums; the backing devices identical byte for byte.
# timeout: 500
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 128
load_hadisk
step "up both nodes"
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
[ "$(hd_status_field alpha r0 connection)" = Connected ] || fail "not Connected"
step "promote alpha with --force: full initial sync to beta"
hd_a primary r0 --force || fail "primary --force"
hd_a wait-sync r0 --timeout 300 || fail "initial sync did not finish"
[ "$(hd_status_field beta r0 disk)" = UpToDate ] || fail "beta not UpToDate"
[ "$(hd_status_field beta r0 peer_role)" = Primary ] || fail "beta does not see alpha as Primary"
step "mkfs.ext4 on alpha, write a tree"
mkfs.ext4 -q -F /dev/hadisk0 || fail "mkfs"
mkdir -p /mnt/a /mnt/b
mount /dev/hadisk0 /mnt/a || fail "mount on alpha"
write_tree /mnt/a /tmp/manifest
umount /mnt/a || fail "umount"
[ "$(hd_status_field alpha r0 out_of_sync_bytes)" = 0 ] || fail "out of sync after writes"
step "switch roles: alpha Secondary, beta Primary"
hd_a secondary r0 || fail "secondary alpha"
hd_b primary r0 || fail "primary beta (without --force: it is UpToDate)"
mount /dev/hadisk1 /mnt/b || fail "mount on beta"
check_tree /mnt/b /tmp/manifest || fail "checksums differ on beta"
step "write more on beta, switch back, read on alpha"
echo "written on beta" > /mnt/b/from-beta
dd if=/dev/urandom of=/mnt/b/blob bs=1M count=8 status=none
sha256sum /mnt/b/from-beta /mnt/b/blob | sed 's|/mnt/b/||' > /tmp/m2
umount /mnt/b
hd_b secondary r0 || fail "secondary beta"
hd_a primary r0 || fail "primary alpha"
mount -o ro /dev/hadisk0 /mnt/a || fail "mount on alpha again"
(cd /mnt/a && sha256sum -c --quiet /tmp/m2) || fail "beta's files differ on alpha"
check_tree /mnt/a /tmp/manifest || fail "first tree differs"
umount /mnt/a
fsck.ext4 -fn /dev/hadisk0 || fail "fsck"
step "backing devices identical"
cmp_backing
echo "switchover: ok"
