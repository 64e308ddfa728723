#!/bin/bash
# on-io-error detach (the default): the Primary's backing disk fails under
# a mounted ext4 that is being written; the application sees no error
# (reads and writes go to the peer), status says Diskless and counts the
# errors and the reads served by the peer; the peer tracks what the failed
# disk lacks. The repaired disk is re-attached under the running
# filesystem and resynced from the peer (the Primary pulls what it lacks),
# and the backing disks end identical. Then the same on the Secondary:
# its disk fails, it goes Diskless, the Primary goes on alone, and the
# re-attached disk is resynced. An allocation failure on the receiving
# side, or of a resync request, resets the link and the blocks are
# resynced. Last, the failed disk is replaced by another device
# (create-md on it, attach): a full resync under the mounted filesystem.
# timeout: 900
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 64
load_hadisk
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug
modprobe dm-mod || fail "modprobe dm-mod"
SECTORS=$(blockdev --getsz $DISK_A)
RAW_A=$DISK_A
dmsetup create hdfail --table "0 $SECTORS linear $RAW_A 0" || fail "dmsetup create"
dmsetup mknodes hdfail
DM=/dev/mapper/hdfail
[ -b $DM ] || fail "no $DM"

# dm_table linear|error: what the backing device of alpha does
dm_table() {
	local t="0 $SECTORS linear $RAW_A 0"
	[ "$1" = error ] && t="0 $SECTORS error"
	dmsetup suspend hdfail || fail "dmsetup suspend"
	dmsetup load hdfail --table "$t" || fail "dmsetup load $1"
	dmsetup resume hdfail || fail "dmsetup resume"
}
both_connected() {
	hd_status_is alpha $RES connection Connected && hd_status_is beta $RES connection Connected
}
field() { hd_status_field "$@"; }

cat > "$HD_CONF" <<C
resource $RES {
    net { connect-interval 500ms; }
    on alpha { node-id 0; address $IP_A:$PORT; disk $DM; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
hd_a create-md $RES --force >/dev/null || fail "create-md alpha"
hd_b create-md $RES --force >/dev/null || fail "create-md beta"
hd_a up $RES || fail "up alpha"
hd_b up $RES || fail "up beta"
wait_for "connected" 60 both_connected
hd_a primary $RES --force || fail "primary"
hd_a wait-sync $RES --timeout 180 || fail "initial sync"
[ "$(field alpha $RES on_io_error)" = detach ] || fail "the default policy is not detach"
[ "$(field alpha $RES detached_on_error)" = false ] || fail "detached before any error"

mkfs.ext4 -q -F $HD_DEV_A || fail "mkfs"
mkdir -p /mnt/a
mount $HD_DEV_A /mnt/a || fail "mount"
TREE_FILES=20 write_tree /mnt/a/before $HADISK_TMP/m.before
sync

step "the Primary's backing disk fails under a mounted, busy ext4"
dm_table error
# writes and reads go on without an error
TREE_FILES=20 write_tree /mnt/a/during $HADISK_TMP/m.during 
sync || fail "sync while the disk fails"
sync; echo 3 > /proc/sys/vm/drop_caches
check_tree /mnt/a/before $HADISK_TMP/m.before || fail "reading old files while the disk fails"
check_tree /mnt/a/during $HADISK_TMP/m.during || fail "reading new files while the disk fails"
dd if=/dev/urandom of=/mnt/a/big bs=1M count=8 conv=fsync status=none ||
	fail "a large write while the disk fails returned an error"
md5_big=$(md5sum < /mnt/a/big)
wait_for "alpha is Diskless" 30 hd_status_is alpha $RES disk Diskless
[ "$(field alpha $RES detached_on_error)" = true ] || fail "detached_on_error is not set"
n=$(field alpha $RES local_io_errors)
[ "$n" -ge 1 ] || fail "local_io_errors is $n"
r=$(field alpha $RES remote_reads)
[ "$r" -ge 1 ] || fail "remote_reads is $r: reads did not go to the peer"
wait_for "beta sees alpha Diskless" 30 hd_status_is beta $RES peer_disk Diskless
hd_status_is beta $RES disk UpToDate || fail "beta is not UpToDate"
dmesg | grep -q "detached (on-io-error detach)" || fail "no detach line in the kernel log"
hd_a status $RES
echo "alpha: $n local IO errors, $r reads served by beta"

step "re-attach refuses a disk that still fails, and changes nothing"
expect_fail "re-attach on a failing disk" hd_a attach $RES
hd_status_is alpha $RES disk Diskless || fail "a failed re-attach changed the disk state"
TREE_FILES=5 write_tree /mnt/a/still $HADISK_TMP/m.still || fail "writing after a failed re-attach"

step "the repaired disk is re-attached under the running filesystem and resynced"
dm_table linear
hd_a attach $RES || fail "re-attach"
TREE_FILES=10 write_tree /mnt/a/resyncing $HADISK_TMP/m.resyncing || fail "writing during the resync"
hd_a wait-sync $RES --timeout 300 || fail "the re-attached disk did not sync"
wait_for "alpha UpToDate" 60 hd_status_is alpha $RES disk UpToDate
[ "$(field alpha $RES detached_on_error)" = false ] || fail "detached_on_error stays set"
[ "$(field alpha $RES out_of_sync_bytes)" = 0 ] || fail "alpha still has blocks out of sync"
wait_for "beta's bitmap is clear" 30 eval '[ "$(field beta $RES out_of_sync_bytes)" = 0 ]'
dmesg | grep -q "pulled" || fail "no pulled resync in the log"
sync; echo 3 > /proc/sys/vm/drop_caches
for t in before during still resyncing; do check_tree /mnt/a/$t $HADISK_TMP/m.$t || fail "files $t"; done
[ "$(md5sum < /mnt/a/big)" = "$md5_big" ] || fail "the large file changed"
umount /mnt/a || fail "umount"
hd_a secondary $RES || fail "secondary"
cmp_devs $RAW_A $DISK_B "$(field alpha $RES size_bytes)"
echo "primary detach and re-attach: backing disks identical"

step "the Secondary's disk fails: it goes Diskless, the Primary goes on"
hd_b primary $RES || fail "beta primary"
mount $HD_DEV_B /mnt/a || fail "mount on beta"
dm_table error
TREE_FILES=20 write_tree /mnt/a/beta1 $HADISK_TMP/m.beta1 || fail "writing on beta while alpha's disk fails"
sync
wait_for "alpha (Secondary) is Diskless" 60 hd_status_is alpha $RES disk Diskless
hd_status_is beta $RES connection Connected || fail "the link dropped"
TREE_FILES=10 write_tree /mnt/a/beta2 $HADISK_TMP/m.beta2 || fail "writing on beta"
sync
o=$(field beta $RES out_of_sync_bytes)
[ "$o" -gt 0 ] || fail "beta does not track what alpha's disk lacks ($o)"
dm_table linear
hd_a attach $RES || fail "re-attach on the Secondary"
wait_for "alpha resynced" 300 hd_status_is alpha $RES disk UpToDate
hd_b wait-sync $RES --timeout 300 || fail "sync after the Secondary's re-attach"
check_tree /mnt/a/beta1 $HADISK_TMP/m.beta1 || fail "beta1"
umount /mnt/a || fail "umount beta"
hd_b secondary $RES || fail "beta secondary"
cmp_devs $RAW_A $DISK_B "$(field alpha $RES size_bytes)"
echo "secondary detach and re-attach: backing disks identical"

step "an allocation failure while receiving resets the link; the blocks are resynced"
hd_a primary $RES || fail "alpha primary"
FB=/sys/kernel/debug/hadisk/hadisk1/fault
echo "fail-alloc-peer 1" > $FB || fail "arm fail-alloc-peer"
dd if=/dev/urandom of=$HD_DEV_A bs=64k count=16 seek=40 oflag=direct status=none ||
	fail "a write failed when the peer could not allocate"
grep -q "fail-alloc-peer *0 *1" $FB || { cat $FB; fail "the allocation fault did not fire"; }
wait_for "reconnected" 60 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync after the allocation failure"
FA=/sys/kernel/debug/hadisk/hadisk0/fault
hd_b disconnect $RES || fail "disconnect beta"
dd if=/dev/urandom of=$HD_DEV_A bs=64k count=16 seek=80 oflag=direct status=none || fail "write"
echo "fail-alloc-resync 1" > $FA || fail "arm fail-alloc-resync"
hd_b connect $RES || fail "connect beta"
wait_for "reconnected" 60 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync after a failed resync allocation"
grep -q "fail-alloc-resync *0 *1" $FA || { cat $FA; fail "the resync allocation fault did not fire"; }
cmp_devs $RAW_A $DISK_B "$(field alpha $RES size_bytes)"

step "the failed disk is replaced by another one: create-md on it, attach: a full resync"
mount $HD_DEV_A /mnt/a || fail "mount"
dm_table error
TREE_FILES=20 write_tree /mnt/a/replaced $HADISK_TMP/m.replaced
sync
wait_for "alpha is Diskless" 30 hd_status_is alpha $RES disk Diskless
step "attach refuses a smaller disk and another minor, changing nothing"
SMALL=/dev/mapper/hdsmall
dmsetup create hdsmall --table "0 $((SECTORS / 2)) linear /dev/ram3 0" || fail "dmsetup create hdsmall"
dmsetup mknodes hdsmall
sed -i "s|disk $DM;|disk $SMALL;|" "$HD_CONF"
hd_a create-md $RES --force >/dev/null || fail "create-md on the smaller disk"
expect_fail "attach a smaller disk" hd_a attach $RES
grep -q "$SMALL holds .* the replacement must be at least as large" "$EXPECT_FAIL_FILE" || fail "the smaller-disk refusal does not name the disk and say it is too small"
hd_status_is alpha $RES disk Diskless || fail "a refused smaller disk changed the disk state"
[ "$(field alpha $RES backing_device)" = $DM ] || fail "a refused smaller disk became the backing device"
sed -i "s|disk $SMALL;|disk $DM;|; s|minor 0;|minor 5;|" "$HD_CONF"
expect_fail "attach with another minor" hd_a attach $RES
grep -q "not minor 5" "$EXPECT_FAIL_FILE" || fail "the minor refusal does not name the minor"
sed -i "s|minor 5;|minor 0;|" "$HD_CONF"
hd_status_is alpha $RES disk Diskless || fail "a refused minor changed the disk state"
dmsetup remove hdsmall || fail "the refused smaller disk is still held"
TREE_FILES=5 write_tree /mnt/a/refused $HADISK_TMP/m.refused || fail "writing after the refused attaches"

NEW=/dev/ram2
[ -b $NEW ] || fail "no $NEW"
dd if=/dev/zero of=$NEW bs=1M count=4 status=none
sed -i "s|disk $DM;|disk $NEW;|" "$HD_CONF"
hd_a create-md $RES --force >/dev/null || fail "create-md on the replacement disk"
hd_a attach $RES || fail "attach the replacement disk"
hd_a wait-sync $RES --timeout 300 || fail "the replacement disk did not sync"
wait_for "alpha UpToDate" 60 hd_status_is alpha $RES disk UpToDate
[ "$(field alpha $RES backing_device)" = $NEW ] || fail "status does not show the new disk"
sync; echo 3 > /proc/sys/vm/drop_caches
check_tree /mnt/a/replaced $HADISK_TMP/m.replaced || fail "files written while Diskless"
check_tree /mnt/a/refused $HADISK_TMP/m.refused || fail "files written after the refused attaches"
check_tree /mnt/a/beta1 $HADISK_TMP/m.beta1 || fail "older files"
umount /mnt/a || fail "umount"
hd_a secondary $RES
cmp_devs $NEW $DISK_B "$(field alpha $RES size_bytes)"
echo "replacement disk: identical to the peer's"
hd_a down $RES
hd_b down $RES
dmsetup remove hdfail
echo "io error detach: ok"
