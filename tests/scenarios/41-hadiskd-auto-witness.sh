#!/bin/bash
# hadiskd, policy automatic with a witness: failover through the control
# socket starts the services (start hook, service IP) on alpha; when
# alpha's daemon and links vanish, beta gets the active token from the
# witness once alpha's lease expired, promotes itself, runs its start hook
# and brings the service IP up. All datagrams carry a SipHash MAC.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

D=$HADISK_TMP
# the witness, in its own namespace w, joined to a and to b
ip netns add w
ip -n w link set lo up

setup_two_nodes 64
ip link add va2 netns a type veth peer name vb2 netns b
ip -n a addr add 10.98.0.1/24 dev va2
ip -n b addr add 10.98.0.2/24 dev vb2
ip -n a link set va2 up
ip -n b link set vb2 up
ip link add wa netns w type veth peer name aw netns a
ip link add wb netns w type veth peer name bw netns b
ip -n w addr add 10.97.1.3/24 dev wa
ip -n a addr add 10.97.1.1/24 dev aw
ip -n w addr add 10.97.2.3/24 dev wb
ip -n b addr add 10.97.2.2/24 dev bw
for l in "w wa" "w wb" "a aw" "b bw"; do set -- $l; ip -n "$1" link set "$2" up; done
# one key for the two nodes and the witness: every datagram authenticated
od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$D/key"
chmod 600 "$D/key"
ip netns exec w "$HADISKD" --witness --foreground --listen 0.0.0.0:7791 \
	--key-file "$D/key" > "$D/d-witness.log" 2>&1 &
echo $! > "$D/d-witness.pid"
WITNESS_T0=$SECONDS

load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a new-current-uuid r0 --clear-bitmap || fail "new-current-uuid"

for n in alpha beta; do
	cat > "$D/start-$n" <<EOH
#!/bin/sh
echo "\$1 \$2 \$HADISK_RESOURCE \$HADISK_NODE" >> $D/hook-$n.log
EOH
	cat > "$D/stop-$n" <<EOH
#!/bin/sh
echo "\$1 \$2" >> $D/hook-$n.log
EOH
	chmod +x "$D/start-$n" "$D/stop-$n"
done
conf() {	# conf NODE PEER LOCAL1 PEER1 LOCAL2 PEER2 WITNESS DEV
	cat > "$D/hadiskd-$1.conf" <<EOC
daemon {
    node $1;
    peer $2;
    heartbeat-interval 200ms;
    heartbeat-timeout 2s;
    path $3:7790 $4:7790;
    path $5:7790 $6:7790;
    witness $7:7791;
    witness-lease 2s;
    key-file $D/key;
}
resource r0 {
    policy automatic;
    start-hook $D/start-$1;
    stop-hook $D/stop-$1;
    hook-timeout 5s;
    service-ip 10.99.0.100/24 $8;
}
EOC
}
conf alpha beta 10.99.0.1 10.99.0.2 10.98.0.1 10.98.0.2 10.97.1.3 va
conf beta alpha 10.99.0.2 10.99.0.1 10.98.0.2 10.98.0.1 10.97.2.3 vb
start_d() {
	local ns=${1:0:1}
	ip netns exec "$ns" "$HADISKD" --foreground --config "$D/hadiskd-$1.conf" \
		--socket /run/hadiskd-$ns.sock > "$D/d-$1.log" 2>&1 &
	echo $! > "$D/d-$1.pid"
}
hs() { HADISKD_SOCKET=/run/hadiskd-${1:0:1}.sock in_ns "$1" "$HADISKCTL" ha-status | _hd_json_field "$2"; }
hs_is() { local v; v=$(hs "$1" "$2") || return 1; echo "$1 $2=$v"; [ "$v" = "$3" ]; }
hctl() { local n=$1; shift; HADISKD_SOCKET=/run/hadiskd-${n:0:1}.sock in_ns "$n" "$HADISKCTL" "$@"; }
show_logs() { for n in witness alpha beta; do echo "--- hadiskd $n"; sed 's/^/  /' "$D/d-$n.log"; done; }
trap 'show_logs' EXIT

step "daemons up; both Secondary; heartbeats on both paths"
start_d alpha
start_d beta
wait_for "path 1 up on beta" 15 hs_is beta paths.0.state up
wait_for "path 2 up on beta" 15 hs_is beta paths.1.state up
# the witness grants nothing in its first 10 s (a restarted witness must
# not hand out a token a node may still hold)
while [ $((SECONDS - WITNESS_T0)) -lt 11 ]; do sleep 0.5; done

step "hadiskctl failover r0 on alpha (beta is alive but Secondary): witness token, PRIMARY, start hook, service IP"
hctl alpha failover r0 || fail "failover on alpha"
[ "$(hd_status_field alpha r0 role)" = Primary ] || fail "alpha is not Primary"
grep -q "^start r0 r0 alpha" "$D/hook-alpha.log" || fail "alpha's start hook did not run"
ip -n a addr show dev va | grep -q "inet 10.99.0.100/24" || fail "no service IP on alpha"
wait_for "alpha active" 10 hs_is alpha resources.0.active true
wait_for "beta sees alpha active" 10 hs_is beta resources.0.peer_view.active true
hs_is alpha resources.0.witness.answer granted || fail "alpha has no lease"
hd_a wait-sync r0 --timeout 60 || fail "not in sync"

step "alpha vanishes: its hadiskd killed, its resource down, all its links cut"
ms_of() { date -d "${1/T/ }" +%s%3N; }	# a log timestamp, in ms
t_kill=$(date +%s%3N)
kill -KILL "$(cat "$D/d-alpha.pid")"
hd_a down r0 || fail "down alpha"
ip -n a addr del 10.99.0.100/24 dev va	# what a dead node no longer has
ip -n a link set va down
ip -n a link set va2 down
ip -n a link set aw down
wait_for "beta Primary" 30 hd_status_is beta r0 role Primary
# from beta's own log: polling through hadiskctl is slow on a loaded host
t_pro=$(grep "ok .* promote (PRIMARY)" "$D/d-beta.log" | tail -1 | cut -d' ' -f1)
[ -n "$t_pro" ] || fail "no promotion in beta's log"
ms=$(( $(ms_of "$t_pro") - t_kill ))
echo "  beta Primary ${ms} ms after alpha's hadiskd was killed (heartbeat-timeout 2000 ms, witness-lease 2000 ms)"
[ $ms -lt 6000 ] || fail "promotion took ${ms} ms after the kill, more than timeout + lease + 2 s"
wait_for "beta's start hook" 10 grep -q "^start r0 r0 beta" "$D/hook-beta.log"
wait_for "service IP on beta" 10 sh -c "ip -n b addr show dev vb | grep -q 'inet 10.99.0.100/24'"
ip -n b addr show dev vb
grep -q "witness: r0: active token granted to beta" "$D/d-witness.log" || fail "the witness did not log the grant to beta"
grep -q "promoting this node: policy automatic: peer alpha lost on all paths for .* s, the witness agrees" "$D/d-beta.log" ||
	fail "beta's log does not say why it promoted"
wait_for "beta active" 10 hs_is beta resources.0.active true
hs_is beta resources.0.services_started true
# the data is there: write through beta
dd if=/dev/urandom of=/dev/hadisk1 bs=4k count=16 oflag=direct status=none || fail "writing on beta"
grep -q "datagrams authenticated (key-file)" "$D/d-beta.log" || fail "beta does not use the key"
grep -q "listening on 0.0.0.0:7791, datagrams authenticated" "$D/d-witness.log" || fail "the witness does not use the key"
! grep -q "dropping a datagram" "$D/d-beta.log" "$D/d-witness.log" || fail "datagrams were dropped"
echo "hadiskd automatic failover with a witness: ok"
