#!/bin/bash
# hadiskd, policy automatic with a witness: never two Primaries when the
# links between two live nodes are cut (alpha keeps the witness's lease);
# no promotion while the witness is unreachable; once it is back, beta is
# promoted, and its start hook, which hangs, is killed at its deadline
# (services not started, service IP not brought up: the safe outcome).
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
ip netns exec w "$HADISKD" --witness --foreground --listen 0.0.0.0:7791 > "$D/d-witness.log" 2>&1 &
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
[ \$HADISK_NODE = beta ] || exit 0
echo \$\$ > $D/hook-beta.pid
exec sleep 100		# hangs
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
    witness-lease 6s;
}
resource r0 {
    policy automatic;
    start-hook $D/start-$1;
    stop-hook $D/stop-$1;
    hook-timeout 2s;
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
while [ $((SECONDS - WITNESS_T0)) -lt 11 ]; do sleep 0.5; done
hctl alpha failover r0 || fail "failover on alpha"
wait_for "alpha active" 10 hs_is alpha resources.0.active true
wait_for "beta sees alpha active" 10 hs_is beta resources.0.peer_view.active true
hd_a wait-sync r0 --timeout 60 || fail "not in sync"

step "cut every link between the two live nodes (replication and both heartbeat paths): never two Primaries"
ip -n a link set va down
ip -n a link set va2 down
wait_for "beta loses alpha" 10 hs_is beta peer_state lost
wait_for "beta's refusal" 10 grep -q "r0: peer alpha lost on all paths for .* s; no promotion: the witness gives the active token to alpha" "$D/d-beta.log"
for i in $(seq 1 8); do
	[ "$(hd_status_field beta r0 role)" = Secondary ] || fail "beta was promoted while alpha holds the token"
	[ "$(hd_status_field alpha r0 role)" = Primary ] || fail "alpha lost its role"
	sleep 1
done
hs_is alpha resources.0.active true || fail "alpha no longer holds the token"
hs_is beta resources.0.active false
echo "  8 s with the links cut: alpha Primary and active, beta Secondary"

step "alpha dies and beta cannot reach the witness: no promotion"
kill -KILL "$(cat "$D/d-alpha.pid")"
hd_a down r0 || fail "down alpha"
ip -n a addr del 10.99.0.100/24 dev va
ip -n a link set aw down
ip -n b link set bw down
wait_for "beta says the witness is unreachable" 15 grep -q "r0: peer alpha lost on all paths for .* s; no promotion: the witness is unreachable: no promotion without its agreement" "$D/d-beta.log"
for i in $(seq 1 5); do
	[ "$(hd_status_field beta r0 role)" = Secondary ] || fail "beta was promoted without the witness"
	sleep 1
done
echo "  beta still Secondary without the witness"

step "the witness is back: beta is promoted; its start hook hangs and is killed at its 2 s deadline"
ip -n b link set bw up
wait_for "beta Primary" 20 hd_status_is beta r0 role Primary
wait_for "the hook killed" 15 grep -q "start hook $D/start-beta did not finish within its deadline of 2.0 s (hook-timeout): killed it" "$D/d-beta.log"
grep -q "this node is Primary but its services did not start: the data is safe" "$D/d-beta.log" || fail "no advice after the failed hook"
pid=$(cat "$D/hook-beta.pid")
! kill -0 "$pid" 2>/dev/null || fail "the hung hook (pid $pid) still runs"
! ip -n b addr show dev vb | grep -q "10.99.0.100" || fail "the service IP came up although the services did not start"
hs_is beta resources.0.services_started false || fail "services reported started"
sleep 7		# more than the lease: renewed all along
hd_status_is beta r0 role Primary || fail "beta did not stay Primary"
hs_is beta resources.0.active true || fail "beta does not hold the active token"
! grep -q "demoting this node" "$D/d-beta.log" || fail "beta demoted itself"
echo "hadiskd: no two Primaries, no promotion without the witness, hook deadline: ok"
