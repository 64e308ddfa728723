#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 1500
#
# The benchmark itself, run as root inside one VM by tests/bench/run.sh
# (through tests/vm/run-vm.sh). Measures, in this order and in one boot:
#
#   raw        the backing device alone (brd)
#   tcp        loopback TCP: 4 KiB ping-pong round trip (sockperf), stream
#              bandwidth (iperf3) -- the path DRBD uses
#   tcp-veth   the same over the veth pair between two namespaces -- the
#              path hadisk uses
#   drbd84-C   the kernel's DRBD 8.4, protocol C, peer over loopback
#   hadisk-C, hadisk-A, hadisk-disconnected (the Primary alone)
#
# Raw results go to the results share ($HADISK_VM_RESULTS, which is
# build/vm/out/bench on the host): fio/*.json, tcp/*, metrics.tsv (figures
# measured here: target, metric, value), ctx/* (/proc/stat and per-thread
# context switch snapshots around each QD1 run), setup.env.
# tests/bench/report.py turns them into build/bench/results.json.
#
# Settings, as KEY=VALUE arguments (run.sh forwards its BENCH_* environment):
# BENCH_RUNTIME (s per fio job, default 10),
# BENCH_TCP_RUNTIME (s per TCP measurement, default 8), BENCH_REGION_MB
# (the span fio writes, default 256), BENCH_RESYNC_MB (device size and full
# resync size, default 1024), BENCH_INCR_MB (written while disconnected,
# default 64), BENCH_VETH_MTU (default 65535), BENCH_ONLY (space-separated
# phases to run: raw tcp drbd hadisk; default all).
set -u
for a in "$@"; do
	case "$a" in BENCH_*=*) export "$a" ;; esac
done

R=${HADISK_VM_RESULTS:?run this through tests/bench/run.sh}
ROOT=${HADISK_ROOT:?}
# The module and the tool as run.sh snapshot them, copied into this VM's
# own memory: the host tree may be rebuilt while the bench runs.
BIN=/tmp/bench-bin
mkdir -p $BIN
if [ -f "$ROOT/build/bench/bin/hadiskctl" ]; then
	cp "$ROOT/build/bench/bin/hadiskctl" "$ROOT/build/bench/bin/hadisk.ko" $BIN/
else
	cp "$ROOT/userspace/hadiskctl/hadiskctl" "$ROOT/hadisk.ko" $BIN/
fi
CTL=$BIN/hadiskctl
KO=$BIN/hadisk.ko
RUNTIME=${BENCH_RUNTIME:-10}
TCP_RUNTIME=${BENCH_TCP_RUNTIME:-8}
REGION_MB=${BENCH_REGION_MB:-256}
DEV_MB=${BENCH_RESYNC_MB:-1024}
INCR_MB=${BENCH_INCR_MB:-64}
VETH_MTU=${BENCH_VETH_MTU:-65535}
ONLY=${BENCH_ONLY:-raw tcp drbd hadisk}
ONLY=${ONLY//,/ }

mkdir -p "$R/fio" "$R/tcp" "$R/ctx" "$R/resync"
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs none /sys/kernel/debug 2>/dev/null
: > "$R/metrics.tsv"
START=$EPOCHREALTIME
failures=0

log() { printf '[%6.1fs] %s\n' "$(echo "$EPOCHREALTIME - $START" | bc)" "$*"; }
fail() { log "FAILED: $*"; failures=$((failures + 1)); echo "$*" >> "$R/failures"; }
note() { log "NOTE: $*"; echo "$*" >> "$R/notes"; }
metric() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$R/metrics.tsv"; }
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { echo "$2 - $1" | bc -l; }

# ---------------------------------------------------------------- setup --
{
	echo "kernel=$(uname -r)"
	echo "cpus=$(nproc)"
	echo "mem_mb=$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)"
	echo "fio=$(fio --version)"
	echo "sockperf=$(sockperf --version 2>&1 | awk '/version/ {print $3; exit}')"
	echo "iperf3=$(iperf3 --version 2>&1 | awk 'NR==1 {print $2}')"
	echo "drbd_utils=$(dpkg-query -W -f='${Version}' drbd-utils 2>/dev/null)"
	echo "fio_runtime_s=$RUNTIME"
	echo "tcp_runtime_s=$TCP_RUNTIME"
	echo "fio_region_mb=$REGION_MB"
	echo "device_mb=$DEV_MB"
	echo "incr_mb=$INCR_MB"
	echo "veth_mtu=$VETH_MTU"
	echo "vm_start_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$R/setup.env"

# fio on CPU 0, the TCP client on CPU 0 and its server on the last CPU:
# under TCG a wakeup across vCPUs costs far more than one on the same vCPU,
# and leaving placement to chance makes round trips bimodal.
NCPU=$(nproc)
FIO_CPU=0
PEER_CPU=$((NCPU - 1))

sysstat() { awk '/^ctxt/ {c=$2} /^intr/ {i=$2} END {print c, i}' /proc/stat; }
threads() { grep -H -e '^Name:' -e 'voluntary_ctxt_switches' /proc/[0-9]*/task/[0-9]*/status 2>/dev/null; }

# fio TARGET JOB DEV [extra fio args]: one job, JSON into fio/TARGET-JOB.json.
# The QD1 job is bracketed by /proc/stat and per-thread snapshots: context
# switches and interrupts, system-wide, over the writes it completed.
run_fio() {
	local target=$1 job=$2 dev=$3
	shift 3
	local args=(--name="$target-$job" --filename="$dev" --direct=1 --ioengine=libaio
		--cpus_allowed="$FIO_CPU"
		--size="${REGION_MB}M" --time_based --runtime="$RUNTIME"
		--randrepeat=0 --norandommap --output-format=json)
	case "$job" in
	4k_qd1) args+=(--rw=randwrite --bs=4k --iodepth=1 --lat_percentiles=1
		--percentile_list=50:99) ;;
	4k_qd16) args+=(--rw=randwrite --bs=4k --iodepth=16) ;;
	1m_seq) args+=(--rw=write --bs=1M --iodepth=8) ;;
	esac
	local out="$R/fio/$target-$job.json"
	if [ "$job" = 4k_qd1 ]; then
		threads > "$R/ctx/$target.threads.before"
		local s0 s1 lat=/sys/kernel/debug/hadisk/hadisk0/latency
		case "$target" in hadisk*) [ -w $lat ] && echo 0 > $lat ;; esac
		s0=$(sysstat)
		fio "${args[@]}" "$@" > "$out" 2> "$out.err"
		local rc=$?
		s1=$(sysstat)
		threads > "$R/ctx/$target.threads.after"
		echo "$s0 $s1" > "$R/ctx/$target.stat"
		# where a write's time goes: hadisk's per-stage histograms
		case "$target" in hadisk*) [ -r $lat ] && cp $lat "$R/ctx/$target.latency" ;; esac
	else
		fio "${args[@]}" "$@" > "$out" 2> "$out.err"
		local rc=$?
	fi
	if [ $rc -ne 0 ]; then
		mv -f "$out" "${out%.json}.failed.json"
		fail "fio $target $job (rc $rc): $(head -n 2 "$out.err")"
		return 1
	fi
	python3 - "$out" "$target" "$job" <<'EOF'
import json, sys
w = json.load(open(sys.argv[1]))["jobs"][0]["write"]
job = sys.argv[3]
if job == "4k_qd1":
    print("%-20s %-8s %8.0f IOPS  mean %7.1f us  p50 %7.1f  p99 %7.1f" % (sys.argv[2], job,
          w["iops"], w["lat_ns"]["mean"] / 1e3,
          w["lat_ns"]["percentile"]["50.000000"] / 1e3,
          w["lat_ns"]["percentile"]["99.000000"] / 1e3))
elif job == "4k_qd16":
    print("%-20s %-8s %8.0f IOPS" % (sys.argv[2], job, w["iops"]))
else:
    print("%-20s %-8s %8.1f MB/s" % (sys.argv[2], job, w["bw_bytes"] / 1e6))
EOF
}

fio_set() { # TARGET DEV: the three jobs
	log "fio: $1 on $2 (${RUNTIME}s per job, ${REGION_MB} MiB span)"
	run_fio "$1" 4k_qd1 "$2"
	run_fio "$1" 4k_qd16 "$2"
	run_fio "$1" 1m_seq "$2"
	if [ -d /sys/kernel/debug/hadisk ] && [ "${1#hadisk}" != "$1" ]; then
		mkdir -p "$R/debugfs/$1"
		cp -r /sys/kernel/debug/hadisk/. "$R/debugfs/$1/" 2>/dev/null
	fi
}

# fill DEV: write all of DEV once (allocated brd pages, as raw's were).
fill() {
	dd if=/dev/zero of="$1" bs=1M oflag=direct status=none 2>/dev/null
	[ "$(blockdev --getsize64 "$1")" -gt 0 ] || fail "fill $1"
}

# Write the whole fio span once, so every target runs on allocated brd pages.
precondition() {
	dd if=/dev/zero of="$1" bs=1M count="$REGION_MB" oflag=direct status=none ||
		fail "precondition $1"
}

# ------------------------------------------------------------- network --
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a addr add 10.99.0.1/24 dev va
ip -n b addr add 10.99.0.2/24 dev vb
ip -n a link set va mtu "$VETH_MTU"
ip -n b link set vb mtu "$VETH_MTU"
for n in a b; do
	ip -n $n link set lo up
done
ip -n a link set va up
ip -n b link set vb up
ip link set lo up

modprobe brd rd_nr=4 rd_size=$((DEV_MB * 1024)) || { fail "modprobe brd"; exit 1; }

# The background: context switches per second of the idle VM.
s0=$(sysstat)
sleep 3
s1=$(sysstat)
echo "idle_ctxsw_per_s=$(( (${s1% *} - ${s0% *}) / 3 ))" >> "$R/setup.env"

# ----------------------------------------------------------------- raw --
if want raw; then
	log "raw: /dev/ram0"
	precondition /dev/ram0
	fio_set raw /dev/ram0
fi

# ----------------------------------------------------------------- tcp --
# pingpong FILE SERVER_CPU: sockperf, client on FIO_CPU
pingpong() {
	taskset -c "$2" "${s[@]}" sockperf server --tcp -i "$addr" -p 11111 > "$1.server" 2>&1 &
	local sp=$!
	sleep 1
	taskset -c "$FIO_CPU" "${c[@]}" sockperf ping-pong --tcp -i "$addr" -p 11111 -m 4096 \
		-t "$TCP_RUNTIME" --full-rtt > "$1" 2>&1 ||
		fail "sockperf $t"
	kill "$sp" 2>/dev/null
	wait "$sp" 2>/dev/null
	grep -E 'avg-rtt|percentile (50|99)\.000' "$1" | sed 's/\x1b\[[0-9;]*m//g; s/^/  /'
}
# tcp_pair TARGET CLIENT_NS SERVER_NS ADDR
tcp_pair() {
	local t=$1 addr=$4 c=() s=()
	# "-": the initial namespace (ip netns exec execs: $! is the server)
	[ "$2" = - ] || c=(ip netns exec "$2")
	[ "$3" = - ] || s=(ip netns exec "$3")
	log "tcp: $t ($addr, ping-pong 4 KiB ${TCP_RUNTIME}s across vCPUs $FIO_CPU/$PEER_CPU, then on one vCPU; stream ${TCP_RUNTIME}s)"
	pingpong "$R/tcp/$t.sockperf" "$PEER_CPU"
	[ "$PEER_CPU" != "$FIO_CPU" ] && pingpong "$R/tcp/$t.samecpu.sockperf" "$FIO_CPU"
	# The stream: iperf3 is CPU-bound under TCG, so give it its best
	# chance -- zero-copy sends (-Z), 1 MiB writes, placement left to the
	# scheduler, the better of two runs -- to be an upper bound.
	local i
	for i in 1 2; do
		"${s[@]}" iperf3 -s -1 -B "$addr" > "$R/tcp/$t.iperf3-server" 2>&1 &
		local ip=$!
		sleep 1
		"${c[@]}" iperf3 -c "$addr" -t "$TCP_RUNTIME" -Z -l 1M -J > "$R/tcp/$t.iperf3.$i.json" 2>&1 ||
			fail "iperf3 $t"
		wait "$ip" 2>/dev/null
		python3 -c 'import json,sys; print("  stream %.1f MB/s" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 8e6))' \
			"$R/tcp/$t.iperf3.$i.json" || fail "iperf3 $t output"
	done
}
if want tcp; then
	# loopback in the initial namespace, where DRBD 8.4's sockets live
	tcp_pair tcp - - 127.0.0.1
	tcp_pair tcp-veth a b 10.99.0.2
fi

# ---------------------------------------------------------------- drbd --
drbd_line() { awk -v m="$1:" '$1 == m {print; exit}' /proc/drbd; }
drbd_wait() { # MINOR PATTERN TIMEOUT_S: poll /proc/drbd every 0.1 s
	local end=$(( $(date +%s) + $3 ))
	while [ "$(date +%s)" -lt $end ]; do
		case "$(drbd_line "$1")" in *$2*) return 0 ;; esac
		sleep 0.1
	done
	return 1
}
if want drbd; then
	log "drbd84-C: two resources in one kernel over 127.0.0.1, /dev/ram2 -> /dev/ram3"
	modprobe drbd usermode_helper=/bin/true || fail "modprobe drbd"
	head -n 1 /proc/drbd | sed 's/^/drbd_module=/' | tr -d '()' >> "$R/setup.env"
	ok=1
	# Both backing devices written in full first: a resync onto fresh
	# brd pages pays brd's page allocation, which the raw limit does not.
	fill /dev/ram2
	fill /dev/ram3
	for m in 2 3; do
		drbdsetup new-resource "d$m" &&
		drbdsetup new-minor "d$m" "$m" 0 &&
		drbdmeta --force "/dev/drbd$m" v08 "/dev/ram$m" internal create-md > /dev/null &&
		drbdsetup attach "$m" "/dev/ram$m" "/dev/ram$m" internal \
			--c-plan-ahead=0 --resync-rate=4000M || ok=0
	done
	drbdsetup connect d2 ipv4:127.0.0.1:7790 ipv4:127.0.0.1:7791 --protocol=C || ok=0
	drbdsetup connect d3 ipv4:127.0.0.1:7791 ipv4:127.0.0.1:7790 --protocol=C || ok=0
	if [ $ok -eq 1 ] && drbd_wait 2 cs:Connected 60; then
		size=$(( $(cat /sys/block/drbd2/size) * 512 ))
		log "drbd84-C: full resync of $((size >> 20)) MiB (--c-plan-ahead=0 --resync-rate=4000M)"
		t0=$(now)
		drbdsetup primary 2 --force || fail "drbd primary --force"
		(while sleep 2; do drbd_line 2; done) > "$R/resync/drbd84-C.samples" 2>&1 &
		sp=$!
		if drbd_wait 2 ds:UpToDate/UpToDate 900; then
			t1=$(now)
			kill $sp 2>/dev/null
			s=$(elapsed "$t0" "$t1")
			metric drbd84-C full_resync_MBps "$(echo "$size / $s / 1000000" | bc -l)"
			metric drbd84-C full_resync_s "$s"
			log "drbd84-C: full resync $(printf '%.1f' "$s") s"
			precondition /dev/drbd2
			fio_set drbd84-C /dev/drbd2
		else
			kill $sp 2>/dev/null
			fail "drbd resync did not finish: $(cat /proc/drbd)"
		fi
	else
		fail "drbd did not connect: $(cat /proc/drbd)"
	fi
	cat /proc/drbd > "$R/drbd.proc"
	drbdsetup down d2
	drbdsetup down d3
	rmmod drbd || fail "rmmod drbd"
fi

# -------------------------------------------------------------- hadisk --
# Fresh ramdisks: the hadisk nodes start from zeroed, unallocated devices.
# /dev/ram2: the raw control measured again right beside hadisk-disconnected.
rmmod brd && modprobe brd rd_nr=3 rd_size=$((DEV_MB * 1024)) || fail "reload brd"
# written in full, as DRBD's (see there)
fill /dev/ram0
fill /dev/ram1

hconf() { # PROTOCOL
	mkdir -p /etc/hadisk
	cat > /etc/hadisk/r0.conf <<EOF
resource r0 {
    protocol $1;
    on alpha { node-id 0; address 10.99.0.1:7789; disk /dev/ram0; minor 0; meta-disk internal; }
    on beta  { node-id 1; address 10.99.0.2:7789; disk /dev/ram1; minor 1; meta-disk internal; }
}
EOF
}
A() { ip netns exec a "$CTL" --node alpha "$@"; }
B() { ip netns exec b "$CTL" --node beta "$@"; }
hjson() { # KEY: one field of alpha's status
	A status r0 --json | python3 -c 'import json,sys; v=json.load(sys.stdin)[0][sys.argv[1]]; print(json.dumps(v) if isinstance(v,(dict,list)) or v is None else v)' "$1"
}
hadisk_up() { # PROTOCOL [create]: up both nodes (creating their metadata)
	hconf "$1"
	if [ "${2:-}" = create ] && "$CTL" help create-md > /dev/null 2>&1; then
		A create-md r0 > "$R/create-md.out" 2>&1 && B create-md r0 >> "$R/create-md.out" 2>&1 ||
			{ cat "$R/create-md.out"; return 1; }
	fi
	A up r0 && B up r0 && A wait-connect r0 --timeout 60
}
hadisk_down() {
	B down r0
	A down r0
}

if want hadisk; then
	insmod "$KO" || { fail "insmod hadisk.ko"; exit 1; }
	# ---- protocol C: full resync, then fio
	log "hadisk-C: namespaces a/b over veth (mtu $VETH_MTU), /dev/ram0 -> /dev/ram1"
	if hadisk_up C create; then
		size=$(hjson size_bytes)
		log "hadisk-C: full resync of $((size >> 20)) MiB"
		t0=$(now)
		A primary r0 --force || fail "hadisk primary --force"
		(while sleep 2; do A status r0 --json; done) > "$R/resync/hadisk-C.samples" 2>&1 &
		sp=$!
		if A wait-sync r0 --timeout 900; then
			t1=$(now)
			kill $sp 2>/dev/null
			s=$(elapsed "$t0" "$t1")
			metric hadisk-C full_resync_MBps "$(echo "$size / $s / 1000000" | bc -l)"
			metric hadisk-C full_resync_s "$s"
			log "hadisk-C: full resync $(printf '%.1f' "$s") s"
			precondition /dev/hadisk0
			fio_set hadisk-C /dev/hadisk0

			# ---- incremental resync: INCR_MB of scattered, distinct
			# 4 KiB blocks written while the peer is away
			log "hadisk-C: incremental resync after $INCR_MB MiB of distinct 4 KiB blocks"
			B disconnect r0 || fail "beta disconnect"
			sleep 1
			fio --name=incr --filename=/dev/hadisk0 --direct=1 --ioengine=libaio \
				--rw=randwrite --bs=4k --iodepth=16 --size="${REGION_MB}M" \
				--io_size="${INCR_MB}M" --randrepeat=0 --output-format=json \
				> "$R/fio/hadisk-incr.json" 2>&1 || fail "fio incr"
			oos=$(hjson out_of_sync_bytes)
			b0=$(hjson bytes_sent)
			t0=$(now)
			B connect r0 || fail "beta connect"
			if A wait-sync r0 --timeout 300; then
				t1=$(now)
				b1=$(hjson bytes_sent)
				# a counter reset on reconnect counts from zero
				[ "$b1" -ge "$b0" ] && sent=$((b1 - b0)) || sent=$b1
				x=$((INCR_MB * 1024 * 1024))
				metric hadisk-C incr_resync_bytes_ratio "$(echo "$sent / $x" | bc -l)"
				metric hadisk-C incr_resync_sent_bytes "$sent"
				metric hadisk-C incr_out_of_sync_bytes "$oos"
				metric hadisk-C incr_resync_s "$(elapsed "$t0" "$t1")"
				log "hadisk-C: incremental resync sent $sent bytes for $x written (out of sync before: $oos)"
			else
				fail "incremental resync did not finish"
			fi
			# the replica must be byte-identical now (the Primary is idle)
			if cmp -n "$size" /dev/ram0 /dev/ram1 > /dev/null; then
				echo "replica_identical=yes" >> "$R/setup.env"
			else
				echo "replica_identical=NO" >> "$R/setup.env"
				fail "after the incremental resync /dev/ram0 and /dev/ram1 differ in the first $size bytes"
			fi
		else
			kill $sp 2>/dev/null
			fail "hadisk full resync did not finish: $(A status r0)"
		fi
	else
		fail "hadisk-C did not connect: $(A status r0 2>&1)"
	fi

	# ---- protocol A: same data, both nodes down and up again
	hadisk_down
	log "hadisk-A: down, protocol A, up"
	ok=0
	if hadisk_up A; then
		sleep 1
		if [ "$(hjson disk)" = UpToDate ]; then
			A wait-sync r0 --timeout 120 && A primary r0 && ok=1
		else
			# The data is the same as a moment ago, but the nodes came
			# back without it: promote by force, which resyncs it all.
			note "hadisk-A: after down/up both disks came back $(hjson disk)/$(hjson peer_disk): forced primary, full resync"
			size=$(hjson size_bytes)
			t0=$(now)
			if A primary r0 --force && A wait-sync r0 --timeout 900; then
				t1=$(now)
				s=$(elapsed "$t0" "$t1")
				metric hadisk-A full_resync_MBps "$(echo "$size / $s / 1000000" | bc -l)"
				metric hadisk-A full_resync_s "$s"
				log "hadisk-A: full resync $(printf '%.1f' "$s") s"
				ok=1
			fi
		fi
	fi
	if [ $ok -eq 1 ]; then
		fio_set hadisk-A /dev/hadisk0
	else
		fail "hadisk-A setup: $(A status r0 2>&1)"
	fi

	# ---- disconnected: the Primary alone, its peer down
	log "hadisk-disconnected: beta down"
	if B down r0; then
		fio_set hadisk-disconnected /dev/hadisk0
		# The host's load moves during a run: the disconnected target
		# is held against raw measured again right beside it.
		log "raw-late: /dev/ram2, the raw control beside hadisk-disconnected"
		precondition /dev/ram2
		run_fio raw-late 4k_qd1 /dev/ram2
		run_fio raw-late 4k_qd16 /dev/ram2
		# The floor of any stacking driver: device-mapper's linear
		# target, which only remaps, on the same pages (no target).
		if modprobe dm-mod && dmsetup create hdlin --table \
			"0 $(blockdev --getsz /dev/ram2) linear /dev/ram2 0" &&
			dmsetup mknodes hdlin; then
			log "dm-linear: device-mapper linear over /dev/ram2, the stacking floor"
			run_fio dm-linear 4k_qd1 /dev/mapper/hdlin
			run_fio dm-linear 4k_qd16 /dev/mapper/hdlin
			dmsetup remove hdlin
		else
			note "dm-linear: no device-mapper here; the stacking floor is not measured"
		fi
	else
		fail "beta down"
	fi
	A status r0 --json > "$R/hadisk.status.json"
	A down r0
	rmmod hadisk || fail "rmmod hadisk"
fi

log "done ($failures failures)"
[ $failures -eq 0 ]
