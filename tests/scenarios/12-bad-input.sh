#!/bin/bash
# Bad input gets a clear error naming the problem, and changes nothing.
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

CTL=$HADISK_ROOT/userspace/hadiskctl/hadiskctl
setup_two_nodes 64
load_hadisk

no_resources() {
	[ "$(hd_a status --json)" = "[]" ] || fail "a resource was left behind: $(hd_a status)"
	ls /dev/hadisk* 2>/dev/null && fail "a device was left behind"
	return 0
}

# expect_err DESC EXIT_CODE PATTERN CMD... : fails with that code and message
expect_err() {
	local desc=$1 code=$2 pat=$3 out rc
	shift 3
	rc=0
	out=$("$@" 2>&1) || rc=$?
	echo "  [$desc] exit $rc: $out"
	[ "$rc" = "$code" ] || fail "$desc: exit code $rc, expected $code"
	echo "$out" | grep -qiE "$pat" || fail "$desc: message does not match /$pat/"
}

step "missing config file"
expect_err "missing config" 2 "/etc/hadisk/nope.conf.*(--config|No such)" \
	ip netns exec a $CTL --node alpha up nope
no_resources

step "unreadable config (not root)"
cp /etc/hadisk/r0.conf /tmp/secret.conf; chmod 600 /tmp/secret.conf
expect_err "unreadable config" 2 "secret.conf" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	$CTL --config /tmp/secret.conf --node alpha up r0

step "unknown key"
sed 's/address 10.99.0.1/adress 10.99.0.1/' /etc/hadisk/r0.conf > /tmp/bad.conf
expect_err "unknown key" 2 "bad.conf:[0-9]+.*adress" \
	ip netns exec a $CTL --config /tmp/bad.conf --node alpha up r0
no_resources

step "node not in the config"
expect_err "unknown node" 2 "gamma" \
	ip netns exec a $CTL --node gamma up r0
no_resources

step "backing device that does not exist"
sed 's|/dev/ram0|/dev/nonexistent|' /etc/hadisk/r0.conf > /tmp/nodev.conf
expect_err "no such disk" 3 "/dev/nonexistent.*(does not exist|check)" \
	ip netns exec a $CTL --config /tmp/nodev.conf --node alpha up r0
no_resources

step "backing device in use (mounted)"
mkfs.ext4 -q -F /dev/ram0 && mkdir -p /mnt/x && mount /dev/ram0 /mnt/x
expect_err "disk in use" 3 "/dev/ram0.*in use" \
	ip netns exec a $CTL --node alpha up r0
umount /mnt/x
no_resources
hd_a create-md r0 --force >/dev/null || fail "create-md again after mkfs"

step "minor already taken"
hd_a up r0 || fail "up alpha"
sed 's/resource r0/resource r9/; s|/dev/ram0|/dev/ram2|' /etc/hadisk/r0.conf > /tmp/r9.conf
expect_err "minor taken" 3 "minor 0 is in use" \
	ip netns exec a $CTL --config /tmp/r9.conf --node alpha up r9
[ "$(hd_a status --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] ||
	fail "the failed up left a resource behind"

step "resource name too long"
long=r$(printf '%070d' 0)
sed "s/resource r0/resource $long/" /etc/hadisk/r0.conf > /tmp/long.conf
expect_err "long name" 2 "(too long|63)" \
	ip netns exec a $CTL --config /tmp/long.conf --node alpha up $long

step "detaching an open device"
hd_a primary r0 --force || fail "primary"
exec 9</dev/hadisk0
hd_a secondary r0 && fail "secondary while open succeeded"
hd_a disconnect r0 || fail "disconnect"
expect_err "detach open" 3 "open" hd_a detach r0
exec 9<&-
[ -b /dev/hadisk0 ] || fail "the failed detach removed the device"

step "a non-root caller"
expect_err "not root" 6 "permission denied" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	$CTL --config /etc/hadisk/r0.conf --node alpha secondary r0
[ "$(hd_status_field alpha r0 role)" = Primary ] || fail "role changed"
hd_a secondary r0 || fail "secondary"
hd_a down r0 || fail "down"
no_resources
echo "bad input: every case refused clearly"
