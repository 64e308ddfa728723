# shellcheck shell=bash
# Split-brain scenarios' helpers (50-, 53-): sourced after lib.sh.

SAVE=/var/lib/hadisk-test
HOOKS=/tmp/hooks
mkdir -p $HOOKS
for h in split-brain pri-lost; do
	cat > $HOOKS/$h <<'H'
#!/bin/sh
echo "$HADISK_HOOK $HADISK_NODE $HADISK_RESOURCE peer=$HADISK_PEER role=$HADISK_ROLE" >> /tmp/hooks/calls
H
	chmod +x $HOOKS/$h
done

# conf NET_BODY [DISCARDED_DIR] [MORE_HANDLERS]: the resource file with
# this net { } body and a handlers { } section.
conf() {
	cat > "$HD_CONF" <<C
resource $RES {
    net { connect-interval 500ms; $1 }
    handlers { split-brain $HOOKS/split-brain; discarded-dir ${2:-$SAVE}; ${3:-} }
    on alpha { node-id 0; address $IP_A:$PORT; disk $DISK_A; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
}

# pattern FILE SEED MB: MB MiB of data that depends on SEED.
pattern() {
	head -c $(($3 * 1048576)) /dev/zero |
		openssl enc -aes-128-ctr -pass "pass:$2" -nosalt -pbkdf2 > "$1" 2>/dev/null ||
		fail "openssl"
}
# put NODE FILE OFFSET_MB: write FILE at OFFSET_MB of NODE's /dev/hadiskN
# (promoting it for the write, demoting it after).
put() {
	local dev=$HD_DEV_A
	[ "$1" = beta ] && dev=$HD_DEV_B
	hd "$1" primary $RES ${4:-} || fail "primary on $1"
	dd if="$2" of=$dev bs=1M seek="$3" oflag=direct conv=fsync status=none ||
		fail "write on $1"
	[ "${5:-}" = stay ] || hd "$1" secondary $RES || fail "secondary on $1"
}
# region DEV OFFSET_MB MB: checksum of a region.
region() {
	local direct=iflag=direct
	[ -b "$1" ] || direct=
	dd if="$1" bs=1M skip="$2" count="$3" $direct status=none | md5sum | cut -d' ' -f1
}
apart() {
	hd_status_is alpha $RES connection Connecting &&
		hd_status_is beta $RES connection Connecting
}
both_connected() {
	local a b
	a=$(hd_status_field alpha $RES connection) || return 1
	b=$(hd_status_field beta $RES connection) || return 1
	echo "alpha $a, beta $b"
	[ "$a" = Connected ] && [ "$b" = Connected ]
}
# split: cut the link; alpha writes A_MB MiB at 8M, beta B_MB at 24M and
# one MiB over alpha's start (8M).
split() {
	link_down
	wait_for "both nodes notice the cut" 30 apart
	pattern /tmp/a.bin "a$1$3" "$1"
	pattern /tmp/b.bin "b$2$3" "$2"
	pattern /tmp/b8.bin "b8$3" 1
	put alpha /tmp/a.bin 8
	put beta /tmp/b.bin 24
	put beta /tmp/b8.bin 8
	B24=$(region $HD_DEV_B 24 "$2")
}
reconnect_both() {
	hd_a disconnect $RES >/dev/null 2>&1 || true
	hd_b disconnect $RES >/dev/null 2>&1 || true
	hd_a connect $RES "$@" || fail "connect alpha"
	hd_b connect $RES || fail "connect beta"
}

