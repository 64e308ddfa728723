#!/bin/bash
# hadiskctl switchover through hadiskd: stop services here, wait until in
# sync, demote here, promote there and start its services, every step
# timed; the data written on alpha is on beta; a failing start hook on the
# target rolls everything back; hadiskctl failover with the peer alive.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

D=$HADISK_TMP
setup_two_nodes 64
ip link add va2 netns a type veth peer name vb2 netns b
ip -n a addr add 10.98.0.1/24 dev va2
ip -n b addr add 10.98.0.2/24 dev vb2
ip -n a link set va2 up
ip -n b link set vb2 up
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a new-current-uuid r0 --clear-bitmap || fail "new-current-uuid"

for n in alpha beta; do
	cat > "$D/start-$n" <<EOH
#!/bin/sh
echo "start \$HADISK_RESOURCE" >> $D/hook-$n.log
[ ! -e $D/fail-$n ] || { echo "start hook of $n: failing on purpose" >&2; exit 1; }
EOH
	cat > "$D/stop-$n" <<EOH
#!/bin/sh
echo "stop \$HADISK_RESOURCE" >> $D/hook-$n.log
EOH
	chmod +x "$D/start-$n" "$D/stop-$n"
done
conf() {	# conf NODE PEER LOCAL1 PEER1 LOCAL2 PEER2 DEV
	cat > "$D/hadiskd-$1.conf" <<EOC
daemon {
    node $1;
    peer $2;
    heartbeat-interval 200ms;
    heartbeat-timeout 2s;
    path $3:7790 $4:7790;
    path $5:7790 $6:7790;
}
resource r0 {
    policy manual;
    start-hook $D/start-$1;
    stop-hook $D/stop-$1;
    hook-timeout 5s;
    service-ip 10.99.0.100/24 $7;
}
EOC
}
conf alpha beta 10.99.0.1 10.99.0.2 10.98.0.1 10.98.0.2 va
conf beta alpha 10.99.0.2 10.99.0.1 10.98.0.2 10.98.0.1 vb
start_d() {
	local ns=${1:0:1}
	ip netns exec "$ns" "$HADISKD" --foreground --config "$D/hadiskd-$1.conf" \
		--socket /run/hadiskd-$ns.sock > "$D/d-$1.log" 2>&1 &
	echo $! > "$D/d-$1.pid"
}
hs() { HADISKD_SOCKET=/run/hadiskd-${1:0:1}.sock in_ns "$1" "$HADISKCTL" ha-status | _hd_json_field "$2"; }
hs_is() { local v; v=$(hs "$1" "$2") || return 1; echo "$1 $2=$v"; [ "$v" = "$3" ]; }
hctl() { local n=$1; shift; HADISKD_SOCKET=/run/hadiskd-${n:0:1}.sock in_ns "$n" "$HADISKCTL" "$@"; }
ip_on() { ip -n "$1" addr show | grep -q "inet 10.99.0.100/24"; }
show_logs() { for n in alpha beta; do echo "--- hadiskd $n"; sed 's/^/  /' "$D/d-$n.log"; done; }
trap 'show_logs' EXIT

start_d alpha
start_d beta
wait_for "path 1 up on beta" 15 hs_is beta paths.0.state up
wait_for "path 1 up on alpha" 15 hs_is alpha paths.0.state up

step "hadiskctl failover on alpha while beta is a live Secondary: promote, start hook, service IP"
hctl alpha failover r0 || fail "failover alpha"
hd_status_is alpha r0 role Primary || fail "alpha not Primary"
ip_on a || fail "no service IP on alpha"
dd if=/dev/urandom of=/dev/hadisk0 bs=1M count=8 oflag=direct status=none || fail "write on alpha"
sum_a=$(md5_dev /dev/hadisk0 8M)

step "switchover alpha -> beta"
wait_for "beta sees alpha Primary" 10 hs_is beta resources.0.peer_view.role Primary
out=$(hctl alpha switchover r0) || { echo "$out"; fail "switchover failed"; }
echo "$out"
for s in "stop hook" "service address 10.99.0.100/24 down on va" "wait until in sync: in sync with beta" \
	 "demote (SECONDARY)" "promote beta and start its services: beta: promoted, services started" \
	 "switchover of r0 to beta done in"; do
	echo "$out" | grep -qF "$s" || fail "the switchover's output lacks '$s'"
done
echo "$out" | grep -qE '^\[ *[0-9.]+s\] ok +[0-9]+ ms  ' || fail "steps are not timed"
hd_status_is beta r0 role Primary || fail "beta not Primary"
hd_status_is alpha r0 role Secondary || fail "alpha not Secondary"
ip_on b || fail "no service IP on beta"
! ip_on a || fail "the service IP is still on alpha"
grep -q "stop r0" "$D/hook-alpha.log" || fail "alpha's stop hook did not run"
grep -q "start r0" "$D/hook-beta.log" || fail "beta's start hook did not run"
[ "$(md5_dev /dev/hadisk1 8M)" = "$sum_a" ] || fail "beta does not have alpha's data"
echo "  beta has alpha's 8 MiB"

step "switchover beta -> alpha with alpha's start hook failing: rolled back, beta Primary again"
touch "$D/fail-alpha"
wait_for "alpha sees beta Primary" 10 hs_is alpha resources.0.peer_view.role Primary
rc=0
out=$(hctl beta switchover r0 2>&1) || rc=$?
echo "$out"
[ $rc -eq 3 ] || fail "the failed switchover exited $rc, not 3"
echo "$out" | grep -q "start hook of alpha: failing on purpose\|start hook .*start-alpha failed: exit status 1" ||
	grep -q "start hook .*start-alpha failed: exit status 1" "$D/d-alpha.log" || fail "the hook's failure is not reported"
wait_for "beta Primary again" 15 hd_status_is beta r0 role Primary
hd_status_is alpha r0 role Secondary || fail "alpha stayed Primary"
wait_for "service IP back on beta" 10 ip_on b
! ip_on a || fail "the service IP is on alpha"
echo "  rolled back: beta Primary with its services"

step "switchover beta -> alpha, hook fixed"
rm -f "$D/fail-alpha"
hctl beta switchover r0 || fail "switchover back"
hd_status_is alpha r0 role Primary || fail "alpha not Primary"
ip_on a || fail "no service IP on alpha"
[ "$(md5_dev /dev/hadisk0 8M)" = "$sum_a" ] || fail "alpha's data changed"
echo "hadiskd switchover: ok"
