#!/bin/bash
# Peer authentication and wire integrity, with fault injection:
# a peer without the secret, or with another, is refused and counted, and
# the secret appears nowhere (status, log, ps); with data-integrity-alg a
# packet corrupted on arrival is detected, the link drops and the block is
# resynced; without it the same corruption reaches the disk (found by
# verify). Backing write and read failures and a dropped link, injected.
# timeout: 900
. "$HADISK_ROOT/tests/scenarios/lib.sh"

SECRET="s3cr3t-$RANDOM-hadisk"
# conf NET_BODY_A [NET_BODY_B]: alpha's config (and beta's, in its own file)
conf() {
	local f
	for f in "$HD_CONF:$1" "/etc/hadisk/r0-beta.conf:${2-$1}"; do
		cat > "${f%%:*}" <<C
resource $RES {
    net { connect-interval 500ms; ${f#*:} }
    disk { on-io-error pass_on; }
    on alpha { node-id 0; address $IP_A:$PORT; disk $DISK_A; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
		chmod 600 "${f%%:*}"
	done
}
hdb() { hd_b "$@" --config /etc/hadisk/r0-beta.conf; }
both_connected() {
	hd_status_is alpha $RES connection Connected && hd_status_is beta $RES connection Connected
}
err_has() { # NODE TEXT
	local e
	e=$(hd_status_field "$1" $RES last_error) || return 1
	echo "$1: $e"
	case "$e" in *"$2"*) return 0 ;; esac
	return 1
}
reconnect() {
	hd_a disconnect $RES >/dev/null 2>&1 || true
	hdb disconnect $RES >/dev/null 2>&1 || true
	hd_a connect $RES || fail "connect alpha"
	hdb connect $RES || fail "connect beta"
}

setup_two_nodes 64
load_hadisk
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug
conf "shared-secret \"$SECRET\";" ""
hd_a up $RES || fail "up alpha"
hdb up $RES || fail "up beta"

step "a peer without the secret is refused"
wait_for "alpha refuses beta" 30 err_has alpha "shared-secret"
[ "$(hd_status_field alpha $RES auth)" = true ] || fail "status does not say auth is on"

step "a peer with another secret is refused, and counted"
conf "shared-secret \"$SECRET\";" "shared-secret \"not-$SECRET\";"
reconnect
wait_for "authentication fails" 30 err_has alpha "authentication failed"
n=$(hd_status_field alpha $RES auth_failures)
[ "$n" -ge 1 ] || fail "auth_failures is $n"
sleep 2
[ "$(hd_status_field alpha $RES connection)" = Connecting ] || fail "a wrong secret connected"

step "the same secret connects; the secret appears nowhere"
conf "shared-secret \"$SECRET\"; cram-hmac-alg sha256;"
reconnect
wait_for "connected" 60 both_connected
hd_a primary $RES --force || fail "primary"
hd_a wait-sync $RES --timeout 120 || fail "no initial sync"
for where in "$(hd_a status $RES --json)" "$(hd_a status $RES)" "$(hdb status $RES --json)" \
	"$(dmesg)" "$(ps auxww)" "$(hd_a events $RES --count 1 --timeout 1 2>&1 || true)"; do
	case "$where" in *"$SECRET"*) fail "the secret shows up somewhere: ${where:0:200}" ;; esac
done

step "without a digest, a byte corrupted on arrival reaches beta's disk (verify finds it)"
F=/sys/kernel/debug/hadisk/hadisk1/fault
echo "corrupt-data 1" > $F || fail "arm corrupt-data"
dd if=/dev/urandom of=$HD_DEV_A bs=4k count=1 seek=100 oflag=direct status=none || fail "write"
grep -q "corrupt-data *0 *1" $F || { cat $F; fail "the fault did not fire"; }
hd_a verify $RES --wait || fail "verify"
v=$(hd_status_field alpha $RES verify.out_of_sync_bytes)
echo "verify found $v bytes"
[ "$v" = 4096 ] || fail "verify found $v bytes out of sync, expected the corrupted 4096"

step "with data-integrity-alg crc32c the corruption is detected and resynced"
conf "shared-secret \"$SECRET\"; data-integrity-alg crc32c;" "shared-secret \"$SECRET\";"
reconnect
wait_for "digest on one side only is refused" 30 err_has alpha "data-integrity-alg"
conf "shared-secret \"$SECRET\"; data-integrity-alg crc32c;"
reconnect
wait_for "connected" 60 both_connected
hd_a wait-sync $RES --timeout 120 || true
echo "corrupt-data 1" > $F
dd if=/dev/urandom of=$HD_DEV_A bs=4k count=8 seek=200 oflag=direct status=none || fail "write with digest"
wait_for "beta counts the bad digest" 30 eval '[ "$(hd_status_field beta $RES digest_errors)" -ge 1 ]'
dmesg | grep -q "data digest mismatch" || fail "no digest line in the log"
wait_for "reconnected" 60 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync after the digest error"
hd_a secondary $RES
cmp_backing
hd_a primary $RES || fail "primary"

step "injected backing write and read errors reach the application (on-io-error pass_on); a dropped link recovers"
FA=/sys/kernel/debug/hadisk/hadisk0/fault
echo "fail-write 1" > $FA
dd if=/dev/zero of=$HD_DEV_A bs=4k count=1 seek=300 oflag=direct status=none 2>/dev/null &&
	fail "an injected write error was not returned"
echo "fail-read 1" > $FA
dd if=$HD_DEV_A of=/dev/null bs=4k count=1 skip=300 iflag=direct status=none 2>/dev/null &&
	fail "an injected read error was not returned"
dd if=$HD_DEV_A of=/dev/null bs=4k count=1 skip=300 iflag=direct status=none || fail "read after the fault"
echo drop-link > $FA
wait_for "reconnected after drop-link" 60 both_connected
echo "fail-md 1" > $FA
echo "clear" > $FA
grep -q "fail-md *0" $FA || fail "clear did not disarm"
cat $FA
dd if=/dev/urandom of=$HD_DEV_A bs=1M count=2 seek=8 oflag=direct status=none || fail "write"
hd_a wait-sync $RES --timeout 120 || fail "not in sync"
hd_a secondary $RES
cmp_backing
hd_a down $RES
hdb down $RES
echo "auth, digest, faults: ok"
