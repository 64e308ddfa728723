#!/bin/bash
# hadiskd's Prometheus metrics ('metrics 127.0.0.1:9942;'): both daemons
# answer GET /metrics with the documented names, role 1 on the Primary and
# 0 on the Secondary, connected 1, the disk states, the heartbeat path and
# the peer up, and the write latency histogram from debugfs; another path
# gets a 404. status --json and events --json carry "schema_version": 1.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 64
load_hadisk
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug ||
	fail "cannot mount debugfs"
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a new-current-uuid r0 --clear-bitmap || fail "new-current-uuid"
hd_a primary r0 || fail "primary alpha"

D=$HADISK_TMP
conf() {	# conf NODE PEER LOCAL PEER-ADDRESS
	cat > "$D/hadiskd-$1.conf" <<EOC
daemon {
    node $1;
    peer $2;
    heartbeat-interval 200ms;
    heartbeat-timeout 2s;
    path $3:7790 $4:7790;
    metrics 127.0.0.1:9942;
}
resource r0 {
    policy manual;
}
EOC
}
conf alpha beta 10.99.0.1 10.99.0.2
conf beta alpha 10.99.0.2 10.99.0.1
# ip netns exec gives the command its own mount namespace with a fresh
# /sys: debugfs (the latency histograms) is mounted again in there.
start_d() {	# start_d NODE: ip netns exec and sh exec, so $! is hadiskd
	local ns=${1:0:1}
	ip netns exec "$ns" sh -c 'mount -t debugfs none /sys/kernel/debug && exec "$@"' sh \
		"$HADISKD" --foreground --config "$D/hadiskd-$1.conf" \
		--socket /run/hadiskd-$ns.sock > "$D/d-$1.log" 2>&1 &
	echo $! > "$D/d-$1.pid"
}
scrape() {	# scrape NODE [PATH]: the answer's body
	in_ns "$1" busybox wget -qO- "http://127.0.0.1:9942${2:-/metrics}"
}
# has NODE LINE: the node's metrics have this exact sample line
has() { grep -qxF -- "$2" "$D/m-$1.txt" || fail "$1: no line '$2' in its metrics"; }
got() { scrape "$1" > "$D/m-$1.txt" && grep -qxF -- "$2" "$D/m-$1.txt"; }
show_logs() { for n in alpha beta; do echo "--- hadiskd $n"; sed 's/^/  /' "$D/d-$n.log"; done; }
trap 'show_logs' EXIT

step "both daemons start with metrics; the peer comes up"
start_d alpha
start_d beta
wait_for "alpha's peer up in its metrics" 20 got alpha "hadisk_peer_up 1"
wait_for "beta's peer up in its metrics" 20 got beta "hadisk_peer_up 1"
grep -q "metrics on http://127.0.0.1:9942/metrics" "$D/d-alpha.log" ||
	fail "the metrics address is not logged"

step "some writes on the Primary, for the counters and the latency histogram"
dd if=/dev/urandom of="$HD_DEV_A" bs=4k count=256 oflag=direct status=none
scrape alpha > "$D/m-alpha.txt"
scrape beta > "$D/m-beta.txt"
sed 's/^/  /' "$D/m-alpha.txt"

step "the documented names, with # HELP and # TYPE"
for m in hadisk_role hadisk_connected hadisk_disk_state hadisk_peer_disk_state \
	 hadisk_out_of_sync_bytes hadisk_resync_rate_bytes_per_second \
	 hadisk_bytes_sent_total hadisk_bytes_received_total \
	 hadisk_heartbeat_path_up hadisk_peer_up hadisk_write_latency_seconds; do
	for n in alpha beta; do
		grep -q "^# HELP $m " "$D/m-$n.txt" || fail "$n: no # HELP $m"
		grep -q "^# TYPE $m " "$D/m-$n.txt" || fail "$n: no # TYPE $m"
	done
done
has alpha "# TYPE hadisk_write_latency_seconds histogram"
has alpha "# TYPE hadisk_bytes_sent_total counter"

step "the values: role, connection, disk states, path, peer"
has alpha 'hadisk_role{resource="r0"} 1'
has beta 'hadisk_role{resource="r0"} 0'
has alpha 'hadisk_connected{resource="r0"} 1'
has beta 'hadisk_connected{resource="r0"} 1'
has alpha 'hadisk_disk_state{resource="r0",state="UpToDate"} 1'
has alpha 'hadisk_disk_state{resource="r0",state="Inconsistent"} 0'
has alpha 'hadisk_peer_disk_state{resource="r0",state="UpToDate"} 1'
has beta 'hadisk_disk_state{resource="r0",state="UpToDate"} 1'
has alpha 'hadisk_out_of_sync_bytes{resource="r0"} 0'
has alpha 'hadisk_resync_rate_bytes_per_second{resource="r0"} 0'
has alpha 'hadisk_heartbeat_path_up{path="1",local="10.99.0.1:7790",peer="10.99.0.2:7790"} 1'
sent=$(sed -n 's/^hadisk_bytes_sent_total{resource="r0"} //p' "$D/m-alpha.txt")
recv=$(sed -n 's/^hadisk_bytes_received_total{resource="r0"} //p' "$D/m-beta.txt")
echo "  alpha sent $sent bytes, beta received $recv"
[ -n "$sent" ] && [ "$sent" -ge 1048576 ] || fail "alpha's bytes sent: '$sent' (1 MiB written)"
[ -n "$recv" ] && [ "$recv" -ge 1048576 ] || fail "beta's bytes received: '$recv' (1 MiB written)"

step "the write latency histogram (debugfs hadisk0)"
[ -r /sys/kernel/debug/hadisk/hadisk0/latency ] || fail "no debugfs latency file"
total=$(sed -n 's/^total *\([0-9]*\) .*/\1/p' /sys/kernel/debug/hadisk/hadisk0/latency)
cnt=$(sed -n 's/^hadisk_write_latency_seconds_count{resource="r0",stage="total"} //p' "$D/m-alpha.txt")
inf=$(sed -n 's/^hadisk_write_latency_seconds_bucket{resource="r0",stage="total",le="+Inf"} //p' "$D/m-alpha.txt")
echo "  debugfs total count $total, metrics _count $cnt, +Inf bucket $inf"
[ -n "$cnt" ] && [ "$cnt" -ge 256 ] || fail "_count of stage total: '$cnt' (256 writes)"
[ "$inf" = "$cnt" ] || fail "the +Inf bucket ($inf) is not the _count ($cnt)"
grep -q '^hadisk_write_latency_seconds_sum{resource="r0",stage="total"} [0-9.]*$' "$D/m-alpha.txt" ||
	fail "no _sum of stage total"
# cumulative: every bucket's count at least the one before
awk -F'} ' '/^hadisk_write_latency_seconds_bucket\{resource="r0",stage="total"/ {
	if ($2 + 0 < prev) { print "not cumulative: " $0; exit 1 } prev = $2 + 0; n++ }
	END { if (n < 2) { print "too few buckets"; exit 1 } }' "$D/m-alpha.txt" ||
	fail "the buckets are not cumulative"
first=$(sed -n 's/^hadisk_write_latency_seconds_bucket{resource="r0",stage="total",le="\([^"]*\)"}.*/\1/p' "$D/m-alpha.txt" | head -1)
echo "  first bucket le=$first"
awk -v le="$first" 'BEGIN { exit !(le + 0 > 0 && le + 0 < 0.01) }' ||
	fail "the first bucket's le ($first) is not in seconds"

step "another path: 404"
expect_fail "GET /nothing" scrape alpha /nothing
out=$(in_ns alpha "$_HD_PY" -c '
import socket
s = socket.create_connection(("127.0.0.1", 9942))
s.sendall(b"GET /other HTTP/1.0\r\n\r\n")
print(s.recv(4096).decode().splitlines()[0])')
echo "  $out"
[ "$out" = "HTTP/1.0 404 Not Found" ] || fail "unexpected answer: $out"

step "status --json and events --json carry schema_version 1"
in_ns alpha "$HADISKCTL" status --json > "$D/st.json"
grep -q '"schema_version":1}' "$D/st.json" || fail "status --json has no schema_version"
[ "$(hd_status_field alpha r0 schema_version)" = 1 ] || fail "schema_version is not 1"
in_ns beta "$HADISKCTL" events r0 --json --count 1 --timeout 20 > "$D/ev.json" &
evpid=$!
sleep 1
hd_a secondary r0 || fail "secondary alpha"
wait "$evpid" || fail "no event"
cat "$D/ev.json"
grep -q '^{"event":.*"schema_version":1}$' "$D/ev.json" || fail "the event has no schema_version"

step "Secondary now: alpha's role metric follows"
wait_for "alpha role 0" 10 got alpha 'hadisk_role{resource="r0"} 0'

step "stopping the daemons: SIGTERM, exit 0"
kill -TERM "$(cat "$D/d-alpha.pid")" "$(cat "$D/d-beta.pid")"
wait "$(cat "$D/d-alpha.pid")" || fail "alpha's hadiskd exit status $?"
wait "$(cat "$D/d-beta.pid")" || fail "beta's hadiskd exit status $?"
trap - EXIT
echo "hadiskd metrics: ok"
