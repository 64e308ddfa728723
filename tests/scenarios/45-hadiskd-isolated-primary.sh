#!/bin/bash
# hadiskd, policy automatic with a witness: a live Primary isolated from
# its peer and from the witness stops believing it is active when its
# lease runs out, stops its services and demotes itself; only then (half a
# lease later at the earliest) is the other node granted the token and
# promoted. The two roles are sampled throughout: never two Primaries.
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
    witness-lease 4s;
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

step "daemons up; failover on alpha"
start_d alpha
start_d beta
wait_for "path 1 up on beta" 15 hs_is beta paths.0.state up
while [ $((SECONDS - WITNESS_T0)) -lt 11 ]; do sleep 0.5; done
hctl alpha failover r0 || fail "failover on alpha"
wait_for "alpha active" 10 hs_is alpha resources.0.active true
wait_for "beta sees alpha active" 10 hs_is beta resources.0.peer_view.active true
hd_a wait-sync r0 --timeout 60 || fail "not in sync"

step "alpha, alive, is cut from beta and from the witness"
ip -n a link set va down
ip -n a link set va2 down
ip -n a link set aw down
both=0 samples=0 t0=$SECONDS
while [ $((SECONDS - t0)) -lt 20 ]; do
	# beta first: once Primary it stays so; alpha Primary after that
	# is a real overlap
	rb=$(hd_status_is beta r0 role Primary >/dev/null && echo Primary || echo other)
	ra=$(hd_status_is alpha r0 role Primary >/dev/null && echo Primary || echo other)
	samples=$((samples + 1))
	[ "$ra" = Primary ] && [ "$rb" = Primary ] && both=$((both + 1))
	[ "$ra" = other ] && [ "$rb" = Primary ] && break
	sleep 0.1
done
echo "  $samples samples of both roles: alpha $ra, beta $rb"
[ $both -eq 0 ] || fail "both nodes were Primary in $both samples"
[ "$ra" = other ] && [ "$rb" = Primary ] || fail "no handover within 20 s: alpha $ra, beta $rb"
hd_status_is alpha r0 role Secondary || fail "alpha is not Secondary"
grep -q "r0: the witness's lease expired (no answer from the witness): this node no longer holds the active token" "$D/d-alpha.log" ||
	fail "alpha does not say it lost the token"
grep -q "r0: demoting this node: isolated from the peer and the witness (lease expired)" "$D/d-alpha.log" ||
	fail "alpha does not say why it demotes"
! grep -q "demoting this node" "$D/d-beta.log" || fail "beta demoted itself"
t_dem=$(grep "demote (SECONDARY)" "$D/d-alpha.log" | tail -1 | cut -d' ' -f1)
t_pro=$(grep "promote (PRIMARY)" "$D/d-beta.log" | tail -1 | cut -d' ' -f1)
echo "  alpha demoted at $t_dem, beta promoted at $t_pro"
[ -n "$t_dem" ] && [ -n "$t_pro" ] && [[ "$t_dem" < "$t_pro" ]] || fail "beta was promoted before alpha demoted"
grep -q "^stop r0" "$D/hook-alpha.log" || fail "alpha's stop hook did not run"
! ip -n a addr show dev va | grep -q 10.99.0.100 || fail "the service IP is still on alpha"
wait_for "service IP on beta" 10 sh -c "ip -n b addr show dev vb | grep -q 'inet 10.99.0.100/24'"
echo "hadiskd: an isolated Primary demotes itself before the other is promoted: ok"
