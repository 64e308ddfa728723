#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness itself, with stock kernel pieces only: brd disks, two network
# namespaces over veth, ext4 on a ram disk, and the lib.sh helpers (tree
# manifest, device compare, expect_fail, wait_for, the JSON field reader).
# timeout: 300

. "$HADISK_ROOT/tests/scenarios/lib.sh"

step "two nodes: brd disks, namespaces a and b, veth"
setup_two_nodes 64
[ "$(blockdev --getsize64 $DISK_A)" -eq $((64 * 1024 * 1024)) ] || fail "$DISK_A is not 64 MiB"
grep -q "address $IP_B:$PORT;" "$HD_CONF" || fail "$HD_CONF lacks beta's address"
grep -q "protocol C;" "$HD_CONF" || fail "$HD_CONF lacks the default protocol"
[ "$(ip netns exec a cat /proc/sys/kernel/hostname)" = hadisk-vm ] || fail "hostname"

step "the namespaces reach each other, and only through va/vb"
ping_from a $IP_B 2
ping_from b $IP_A 2
expect_fail "the init namespace has no route to $IP_B" busybox ping -c 1 -W 1 $IP_B

step "TCP on the replication port, b listening, a connecting"
in_ns b busybox nc -l -p $PORT </dev/null > "$HADISK_TMP/received" &
nc_pid=$!
wait_for "a listener on $IP_B:$PORT" 10 in_ns a bash -c "echo hello-from-alpha > /dev/tcp/$IP_B/$PORT"
wait $nc_pid
[ "$(cat "$HADISK_TMP/received")" = hello-from-alpha ] || fail "TCP payload lost"

step "link_down cuts the link, link_up restores it"
link_down
expect_fail "ping over a downed link" ping_from a $IP_B
link_up
wait_for "the link back up" 10 ping_from a $IP_B

step "ext4 on $DISK_A: write a tree, fsck, remount, verify"
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 $DISK_A
mkdir -p /mnt/a
mount $DISK_A /mnt/a
write_tree /mnt/a/tree
n=$(wc -l < "$TREE_MANIFEST")
[ "$n" -eq 200 ] || fail "manifest has $n files, not 200"
[ "$(du -sm /mnt/a/tree | cut -f1)" -ge 8 ] || fail "the tree is smaller than expected"
umount /mnt/a
fsck.ext4 -fn $DISK_A
mount $DISK_A /mnt/a
check_tree /mnt/a/tree "$TREE_MANIFEST"

step "check_tree notices a changed file"
printf 'x' | dd of=/mnt/a/tree/d03/f060 bs=1 seek=7 conv=notrunc status=none
expect_fail "check_tree after corrupting one file" check_tree /mnt/a/tree "$TREE_MANIFEST"
[[ $EXPECT_FAIL_ERR == *"1 of 200 files bad"* ]] || fail "check_tree reported: $EXPECT_FAIL_ERR"
umount /mnt/a

step "md5_dev and cmp_devs on identical and on differing disks"
dd if=$DISK_A of=$DISK_B bs=1M oflag=direct status=none
cmp_devs $DISK_A $DISK_B
[ "$(md5_dev $DISK_A)" = "$(md5_dev $DISK_B)" ] || fail "md5 differs after a copy"
[ "$(md5_dev $DISK_A 1M)" = "$(dd if=$DISK_A bs=1M count=1 status=none | md5sum | cut -d' ' -f1)" ] ||
	fail "md5_dev with a byte count"
# one byte at 5 MiB + 4097 on the second disk
printf '\xa5' | dd of=$DISK_B bs=1 seek=$((5 * 1048576 + 4097)) conv=notrunc,fsync status=none
expect_fail "cmp_devs over a changed byte" cmp_devs $DISK_A $DISK_B
[[ $EXPECT_FAIL_ERR == *"differ at offset $((5 * 1048576 + 4097)) "* ]] ||
	fail "cmp_devs named the wrong offset: $EXPECT_FAIL_ERR"
cmp_devs $DISK_A $DISK_B 5M
[ "$(md5_dev $DISK_A)" != "$(md5_dev $DISK_B)" ] || fail "md5_dev missed the change"
expect_fail "cmp_devs past the end of the disks" cmp_devs $DISK_A $DISK_B 65M

step "expect_fail and wait_for report what they should"
expect_fail "mounting a disk without a filesystem" mount /dev/ram3 /mnt/a
[[ $EXPECT_FAIL_ERR == *"/dev/ram3"* ]] || fail "expect_fail lost stderr: $EXPECT_FAIL_ERR"
(sleep 1; touch "$HADISK_TMP/flag") &
wait_for "a flag file" 10 test -e "$HADISK_TMP/flag"
expect_fail "wait_for giving up" wait_for "something that never happens" 1 false
[[ $EXPECT_FAIL_ERR == *"timed out after 1s waiting for something that never happens"* ]] ||
	fail "wait_for's message: $EXPECT_FAIL_ERR"
expect_fail "a failure inside a command substitution" bash -c \
	". $HADISK_ROOT/tests/scenarios/lib.sh; echo \"\$(fail inner)\"; echo not reached"
[[ $EXPECT_FAIL_ERR != *"not reached"* ]] || fail "fail in \$(...) did not stop the script"
expect_fail "an unchecked failing command" bash -c \
	". $HADISK_ROOT/tests/scenarios/lib.sh; false; echo not reached"
[[ $EXPECT_FAIL_ERR == *"command exited with status 1: false"* ]] ||
	fail "the ERR trap said: $EXPECT_FAIL_ERR"

step "status JSON fields"
json='[{"name":"r0","role":"Primary","connected":true,"peer":{"cstate":"Connected","node":"beta"},"sizes":[10,20]},{"name":"r1","role":"Secondary","extra":null}]'
[ "$(printf '%s' "$json" | _hd_json_field role)" = Primary ] || fail "json: role"
[ "$(printf '%s' "$json" | _hd_json_field peer.cstate)" = Connected ] || fail "json: peer.cstate"
[ "$(printf '%s' "$json" | _hd_json_field connected)" = true ] || fail "json: connected"
[ "$(printf '%s' "$json" | _hd_json_field sizes.1)" = 20 ] || fail "json: sizes.1"
[ "$(printf '%s' "$json" | _hd_json_field extra)" = null ] || fail "json: extra"
expect_fail "a missing key" _hd_json_field nosuchkey <<< "$json"

step "module helpers on a stock module (brd stands in for hadisk.ko)"
HADISK_KO=/nonexistent/hadisk.ko expect_fail "load_hadisk without a built module" load_hadisk
[[ $EXPECT_FAIL_ERR == *"is not built"* ]] || fail "load_hadisk said: $EXPECT_FAIL_ERR"
rmmod brd
[ ! -e /dev/ram0 ] || fail "/dev/ram0 still there after rmmod brd"

echo "harness selftest passed"
