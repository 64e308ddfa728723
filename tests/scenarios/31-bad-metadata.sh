#!/bin/bash
# Attach refuses missing, damaged or foreign-version metadata with a clear
# error and never writes to it.
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 64
load_hadisk
SB=$(( $(blockdev --getsize64 /dev/ram0) / 4096 * 4096 - 4096 ))
md_sum() { dd if=/dev/ram0 bs=4096 skip=$(( $(blockdev --getsize64 /dev/ram0) / 4096 - 40 )) count=40 iflag=direct status=none | md5sum; }

refused() {	# refused DESC PATTERN
	local before after out rc=0
	before=$(md_sum)
	out=$(hd_a up r0 2>&1) || rc=$?
	echo "  [$1] exit $rc: $out"
	[ $rc = 3 ] || fail "$1: up exited $rc, not 3"
	echo "$out" | grep -qE "$2" || fail "$1: the message does not match /$2/"
	after=$(md_sum)
	[ "$before" = "$after" ] || fail "$1: the refused attach wrote to the metadata"
	[ "$(hd_a status --json)" = "[]" ] || fail "$1: a resource was left behind"
	[ ! -e /dev/hadisk0 ] || fail "$1: /dev/hadisk0 left behind"
}

step "a bad checksum (one flipped bit in the superblock)"
printf '\x01' | dd of=/dev/ram0 bs=1 seek=$((SB + 130)) conv=notrunc,fsync status=none
refused "bad checksum" "bad checksum.*dump-md"
out=$(hd_a dump-md r0 2>&1) && fail "dump-md accepted a bad superblock"
echo "$out" | grep -q "checksum" || fail "dump-md does not say checksum"

step "another format version"
hd_a create-md r0 --force >/dev/null
printf '\x07' | dd of=/dev/ram0 bs=1 seek=$((SB + 4)) conv=notrunc,fsync status=none
refused "version" "version"

step "no metadata at all"
hd_a wipe-md r0 --force >/dev/null || fail "wipe-md"
refused "no metadata" "no hadisk metadata.*create-md"

step "create-md refuses to overwrite good metadata without --force"
hd_a create-md r0 >/dev/null || fail "create-md on a wiped disk"
out=$(hd_a create-md r0 2>&1) && fail "create-md overwrote metadata without --force"
echo "$out"
echo "$out" | grep -q -- "--force" || fail "the refusal does not mention --force"
hd_a up r0 || fail "up with good metadata"
out=$(hd_a create-md r0 --force 2>&1) && fail "create-md on an attached disk"
echo "$out"
echo "$out" | grep -qi "in use\|busy" || fail "create-md does not say the disk is in use"
hd_a down r0
echo "bad metadata: refused, untouched"
