#!/bin/bash
# hadiskd: heartbeats over two paths, one path cut (still up, logged), both
# cut (peer lost); policy manual recommends and does not promote; bad
# configuration values are refused with FILE:LINE and the fix.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 64
# a second, independent heartbeat path
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
hd_a primary r0 || fail "primary alpha"

D=$HADISK_TMP
conf() {	# conf NODE PEER LOCAL1 PEER1 LOCAL2 PEER2 [RESOURCE-LINES]
	cat > "$D/hadiskd-$1.conf" <<EOC
# hadiskd of $1
daemon {
    node $1;
    peer $2;
    heartbeat-interval 200ms;
    heartbeat-timeout 2s;
    path $3:7790 $4:7790;
    path $5:7790 $6:7790;
}
resource r0 {
    ${7:-policy manual;}
}
EOC
}
conf alpha beta 10.99.0.1 10.99.0.2 10.98.0.1 10.98.0.2
conf beta alpha 10.99.0.2 10.99.0.1 10.98.0.2 10.98.0.1
start_d() {	# start_d NODE: ip netns exec execs, so $! is hadiskd
	local ns=${1:0:1}
	ip netns exec "$ns" "$HADISKD" --foreground --config "$D/hadiskd-$1.conf" \
		--socket /run/hadiskd-$ns.sock > "$D/d-$1.log" 2>&1 &
	echo $! > "$D/d-$1.pid"
}
hs() {		# hs NODE KEY: a field of the node's hadiskd status
	HADISKD_SOCKET=/run/hadiskd-${1:0:1}.sock in_ns "$1" "$HADISKCTL" ha-status |
		_hd_json_field "$2"
}
hs_is() { local v; v=$(hs "$1" "$2") || return 1; echo "$1 $2=$v"; [ "$v" = "$3" ]; }
show_logs() { for n in alpha beta; do echo "--- hadiskd $n"; sed 's/^/  /' "$D/d-$n.log"; done; }
trap 'show_logs' EXIT

step "both daemons start; both paths come up"
start_d alpha
start_d beta
wait_for "path 1 up on alpha" 15 hs_is alpha paths.0.state up
wait_for "path 2 up on alpha" 15 hs_is alpha paths.1.state up
wait_for "path 1 up on beta" 15 hs_is beta paths.0.state up
wait_for "path 2 up on beta" 15 hs_is beta paths.1.state up
HADISKD_SOCKET=/run/hadiskd-b.sock in_ns beta "$HADISKCTL" ha-status
hs_is beta peer_state up
hs_is beta resources.0.peer_view.role Primary || fail "beta does not see alpha Primary"
hs_is alpha resources.0.active true || fail "alpha (Primary) does not hold the active token"
hs_is beta resources.0.active false
rtt=$(hs beta paths.0.rtt_us)
[ "$rtt" != null ] && [ "$rtt" -gt 0 ] || fail "no round trip measured on path 1: $rtt"
echo "  path 1 rtt ${rtt} us"

step "cut path 2: the peer is still up, path 2 is down, and it is logged"
ip -n a link set va2 down
wait_for "path 2 down on beta" 10 hs_is beta paths.1.state down
hs_is beta paths.0.state up || fail "path 1 went down too"
hs_is beta peer_state up || fail "the peer is lost with one path left"
grep -q "heartbeat path 2 (10.98.0.2:7790 -> 10.98.0.1:7790) is down: nothing heard for .* s; the peer is still heard on 1 of 2 paths" "$D/d-beta.log" ||
	fail "path 2 going down is not logged"
ip -n a link set va2 up
wait_for "path 2 up again on beta" 10 hs_is beta paths.1.state up
grep -q "heartbeat path 2 .* is up" "$D/d-beta.log" || fail "path 2 back not logged"

step "cut both paths: the peer is lost; policy manual recommends and does not promote"
t0=${EPOCHREALTIME/./}
ip -n a link set va down
ip -n a link set va2 down
wait_for "peer lost on beta" 10 hs_is beta peer_state lost
echo "  peer lost after $(( (${EPOCHREALTIME/./} - t0) / 1000 )) ms (timeout 2000 ms)"
grep -q "peer alpha lost on all 2 paths" "$D/d-beta.log" || fail "peer loss not logged"
wait_for "the recommendation" 10 grep -q "r0: peer alpha lost on all paths for .* s; to take over run: hadiskctl failover r0" "$D/d-beta.log"
hs beta resources.0.recommendation | grep -q "hadiskctl failover r0" || fail "no recommendation in ha-status"
sleep 3
[ "$(hd_status_field beta r0 role)" = Secondary ] || fail "policy manual promoted beta"
[ "$(hd_status_field alpha r0 role)" = Primary ] || fail "alpha is no longer Primary"
echo "  beta is still Secondary"

step "links back: the peer is heard again, the recommendation is gone"
ip -n a link set va up
ip -n a link set va2 up
wait_for "peer up on beta" 15 hs_is beta peer_state up
wait_for "recommendation cleared" 10 hs_is beta resources.0.recommendation null
grep -q "peer alpha is heard again" "$D/d-beta.log" || fail "the peer's return is not logged"

step "the control socket: an unknown command is refused clearly"
out=$(in_ns beta "$_HD_PY" -c '
import socket
s = socket.socket(socket.AF_UNIX)
s.connect("/run/hadiskd-b.sock")
s.sendall(b"bogus\n")
print(s.recv(4096).decode().strip())')
echo "  $out"
case "$out" in "error: unknown command 'bogus' (known: status, failover RES"*) ;; *) fail "unexpected answer" ;; esac
step "failover is refused while the peer is alive and Primary"
expect_fail "failover with a live Primary" env HADISKD_SOCKET=/run/hadiskd-b.sock ip netns exec b "$HADISKCTL" failover r0
grep -q "alive and Primary" "$EXPECT_FAIL_FILE" || fail "the refusal does not say why"

step "stopping the daemons: SIGTERM, exit 0, nothing demoted"
kill -TERM "$(cat "$D/d-alpha.pid")" "$(cat "$D/d-beta.pid")"
wait "$(cat "$D/d-alpha.pid")" || fail "alpha's hadiskd exit status $?"
wait "$(cat "$D/d-beta.pid")" || fail "beta's hadiskd exit status $?"
[ "$(hd_status_field alpha r0 role)" = Primary ] || fail "stopping hadiskd demoted alpha"

step "two different keys: the datagrams are dropped (bad MAC, logged once per 30 s), the peer is never heard"
od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$D/key-a"
od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$D/key-b"
chmod 600 "$D/key-a" "$D/key-b"
sed -i "s|^daemon {|daemon {\n    key-file $D/key-a;|" "$D/hadiskd-alpha.conf"
sed -i "s|^daemon {|daemon {\n    key-file $D/key-b;|" "$D/hadiskd-beta.conf"
start_d alpha
start_d beta
wait_for "alpha drops beta's datagrams" 10 grep -q "dropping a datagram: bad MAC: the sender uses another key (logged once per 30 s)" "$D/d-alpha.log"
sleep 3
hs_is alpha paths.0.received 0 || fail "alpha accepted a datagram with the wrong key"
[ "$(hs alpha peer_state)" != up ] || fail "alpha hears beta with the wrong key"
[ "$(grep -c "dropping a datagram" "$D/d-alpha.log")" -le 2 ] || fail "drops are not rate-limited"
kill -TERM "$(cat "$D/d-alpha.pid")" "$(cat "$D/d-beta.pid")"
wait "$(cat "$D/d-alpha.pid")" "$(cat "$D/d-beta.pid")" || true
chmod 644 "$D/key-a"
rc=0
out=$(in_ns alpha "$HADISKD" --foreground --config "$D/hadiskd-alpha.conf" --socket /run/hadiskd-x.sock 2>&1) || rc=$?
echo "  $out"
[ $rc -eq 2 ] && echo "$out" | grep -q "key-a is readable by group or others: chmod 600 it" || fail "a readable key-file was accepted (exit $rc)"
sed -i "/key-file/d" "$D/hadiskd-alpha.conf" "$D/hadiskd-beta.conf"

step "bad configuration values: FILE:LINE, what is wrong and the fix; no start"
bad() {		# bad DESC EXPECTED-TEXT: the file $D/bad.conf must be refused
	local rc=0 out
	out=$(in_ns alpha "$HADISKD" --foreground --config "$D/bad.conf" --socket /run/hadiskd-bad.sock 2>&1) || rc=$?
	echo "  $1: exit $rc: $out"
	[ $rc -eq 2 ] || fail "$1: exit status $rc, not 2"
	echo "$out" | grep -qF -- "$2" || fail "$1: the message lacks '$2'"
}
conf alpha beta 10.99.0.1 10.99.0.2 10.98.0.1 10.98.0.2 "policy automatik;"
cp "$D/hadiskd-alpha.conf" "$D/bad.conf"
bad "unknown policy" "bad.conf:11: unknown policy 'automatik': write 'policy manual;'"
conf alpha beta 10.99.0.1 10.99.0.2 10.98.0.1 10.98.0.2 "policy automatic;"
cp "$D/hadiskd-alpha.conf" "$D/bad.conf"
bad "automatic without fencing or witness" "bad.conf:10: resource r0: policy automatic needs 'fencing kernel;'"
conf alpha beta 10.99.0.1 10.99.0.2 10.98.0.1 10.98.0.2 "polcy manual;"
cp "$D/hadiskd-alpha.conf" "$D/bad.conf"
bad "a typo" "bad.conf:11: unknown key 'polcy' in resource r0: did you mean 'policy'?"
conf alpha beta 10.99.0.1 10.99.0.2 10.98.0.1 10.98.0.2 "start-hook /nonexistent/start;"
cp "$D/hadiskd-alpha.conf" "$D/bad.conf"
bad "a hook that does not exist" "bad.conf:11: resource r0: start-hook /nonexistent/start: No such file or directory: create it or fix the path"
sed 's/heartbeat-timeout 2s/heartbeat-timeout 300ms/' "$D/hadiskd-alpha.conf" > "$D/bad.conf"
bad "timeout below twice the interval" "bad.conf:6: heartbeat-timeout 300ms is less than twice heartbeat-interval 200ms"
sed 's/heartbeat-interval 200ms/heartbeat-interval 2 s/' "$D/hadiskd-alpha.conf" > "$D/bad.conf"
bad "two values" "bad.conf:5: 'heartbeat-interval' takes 1 value"
sed 's/heartbeat-interval 200ms/heartbeat-interval fast/' "$D/hadiskd-alpha.conf" > "$D/bad.conf"
bad "not a duration" "bad.conf:5: heartbeat-interval 'fast' is not a duration: write e.g. 500ms or 3s"
sed 's/10.98.0.2:7790;/10.98.0.300:7790;/' "$D/hadiskd-alpha.conf" > "$D/bad.conf"
bad "a bad address" "bad.conf:8: bad peer address '10.98.0.300:7790'"
sed 's/path 10.99.0.1:7790 10.99.0.2:7790;//' "$D/hadiskd-alpha.conf" | sed 's/path 10.98.0.1:7790 10.98.0.2:7790;//' > "$D/bad.conf"
bad "no path" "bad.conf:2: the daemon section has no 'path LOCAL:PORT PEER:PORT;'"
printf 'daemon {\n  peer beta;\n  path 10.99.0.1:7790 10.99.0.2:7790\n}\n' > "$D/bad.conf"
bad "a missing ';'" "bad.conf:4: 'path' is not ended: add ';' before '}'"
echo "hadiskd heartbeat: ok"
