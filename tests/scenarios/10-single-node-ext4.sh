#!/bin/bash
# One node alone: ext4 on /dev/hadisk0, a tree of files, fsck, checksums.
# timeout: 400
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 128
load_hadisk
step "bring up alpha only (beta stays down: alpha keeps trying to connect)"
hd_a up r0 || fail "up failed"
[ -b /dev/hadisk0 ] || fail "/dev/hadisk0 was not created"
[ "$(hd_status_field alpha r0 disk)" = Inconsistent ] ||
	fail "a fresh disk should be Inconsistent"
step "promote with --force (no peer has data yet)"
hd_a primary r0 --force || fail "primary --force failed"
[ "$(hd_status_field alpha r0 role)" = Primary ] || fail "role is not Primary"
step "mkfs.ext4, mount, write a tree of files"
mkfs.ext4 -q -F /dev/hadisk0 || fail "mkfs.ext4 failed"
mkdir -p /mnt/a
mount /dev/hadisk0 /mnt/a || fail "mount failed"
write_tree /mnt/a /tmp/manifest
umount /mnt/a || fail "umount failed"
step "fsck.ext4 -fn on /dev/hadisk0 and on the backing device"
fsck.ext4 -fn /dev/hadisk0 || fail "fsck of /dev/hadisk0 found problems"
step "read the files back and compare checksums"
mount -o ro /dev/hadisk0 /mnt/a || fail "second mount failed"
check_tree /mnt/a /tmp/manifest || fail "checksums differ"
umount /mnt/a
step "the backing device holds the same bytes"
cmp_devs /dev/hadisk0 /dev/ram0
hd_a secondary r0 || fail "secondary failed"
hd_a down r0 || fail "down failed"
fsck.ext4 -fn /dev/ram0 || fail "fsck of the backing device found problems"
mount -o ro /dev/ram0 /mnt/a || fail "mounting the backing device failed"
check_tree /mnt/a /tmp/manifest || fail "checksums on the backing device differ"
umount /mnt/a
echo "single node ext4: ok"
