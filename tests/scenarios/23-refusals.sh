#!/bin/bash
# Peers that must be refused: another resource, another protocol version,
# another replication protocol. Status says why on the refusing node.
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

FAKE=$HADISK_ROOT/build/tools/fakepeer
setup_two_nodes 64
load_hadisk

step "a peer speaking another wire protocol version (beta accepts, a fake alpha connects)"
hd_b up r0 || fail "up beta"
out=$(ip netns exec a $FAKE --connect 10.99.0.2:7789 --bind 10.99.0.1 --version 99)
echo "fake peer got: $out"
echo "$out" | grep -q "^REFUSE .*versions 99..99" || fail "the fake peer was not refused for its version"
err=$(hd_status_field beta r0 last_error)
echo "beta last_error: $err"
echo "$err" | grep -q "versions 99..99" || fail "status does not say why"
dmesg | grep -q "refused: peer speaks protocol versions 99" || fail "not logged"

step "a peer that is another resource"
out=$(ip netns exec a $FAKE --connect 10.99.0.2:7789 --bind 10.99.0.1 --resource r7)
echo "fake peer got: $out"
echo "$out" | grep -q "^REFUSE .*'r7'" || fail "the fake peer was not refused for its name"
hd_status_field beta r0 last_error | grep -q "'r7'" || fail "status does not name the other resource"

step "a connector refuses a listener of another version (alpha connects to a fake beta)"
hd_b down r0 || fail "down beta"
ip netns exec b $FAKE --listen 10.99.0.2:7789 --version 7 --node-id 1 --peer-node-id 0 \
	> /tmp/fake.out &
sleep 0.5
hd_a up r0 || fail "up alpha"
# The fake beta answers once, so last_error soon says "connection refused"
# again: the kernel log keeps the refusal.
a_refused() { dmesg | grep -q "connection to beta refused: peer speaks protocol versions 7..7"; }
wait_for "alpha refuses the fake beta" 30 a_refused
wait || true
cat /tmp/fake.out
grep -q "^REFUSE" /tmp/fake.out || fail "the fake beta did not receive a refusal"
hd_a down r0 || fail "down alpha"

step "two real nodes with different replication protocols"
sed 's/protocol C;/protocol A;/' /etc/hadisk/r0.conf > /tmp/r0-A.conf
hd_a up r0 || fail "up alpha"
ip netns exec b $HADISK_ROOT/userspace/hadiskctl/hadiskctl --config /tmp/r0-A.conf --node beta up r0 ||
	fail "up beta"
b_proto() { hd_status_field beta r0 last_error | grep -q "protocol"; }
wait_for "the protocol mismatch is reported" 30 b_proto
echo "beta: $(hd_status_field beta r0 last_error)"
[ "$(hd_status_field alpha r0 connection)" = Connecting ] || fail "alpha connected anyway"
echo "refusals: ok"
