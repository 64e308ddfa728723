#!/bin/bash
# The udev rule creates /dev/hadisk/by-res/<resource>/<volume>, and removes
# it with the device; tested with systemd-udevd.
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

UDEVD=/lib/systemd/systemd-udevd
[ -x $UDEVD ] || fail "systemd-udevd not found (package udev)"
mkdir -p /etc/udev/rules.d /run/udev
cp "$HADISK_ROOT/scripts/udev/65-hadisk.rules" /etc/udev/rules.d/
$UDEVD --daemon || fail "cannot start systemd-udevd"
udevadm control --reload

setup_two_nodes 64
load_hadisk
step "attach: the link appears"
hd_a up r0 || fail "up alpha"
udevadm settle --timeout=30
link=/dev/hadisk/by-res/r0/0
[ -L $link ] || { ls -lR /dev/hadisk 2>&1; fail "$link missing"; }
[ "$(readlink -f $link)" = /dev/hadisk0 ] || fail "$link points to $(readlink -f $link)"
cat /sys/block/hadisk0/hadisk/resource | grep -qx r0 || fail "sysfs resource name wrong"
step "the link works for IO"
hd_a primary r0 --force || fail "primary"
dd if=/dev/urandom of=/tmp/blk bs=4k count=8 status=none
dd if=/tmp/blk of=$link bs=4k oflag=direct status=none || fail "write through the link"
cmp -n 32768 /tmp/blk /dev/ram0 || fail "data written through the link is not on the backing device"
hd_a secondary r0
step "detach: the link goes away"
hd_a down r0 || fail "down"
udevadm settle --timeout=30
[ ! -e $link ] || fail "$link still exists after down"
echo "udev links: ok"
