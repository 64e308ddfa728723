#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: one VM run of tests/bench/vm-bench.sh (raw brd, TCP limits,
# DRBD 8.4, hadisk C/A/disconnected, resyncs), then the report.
#
# Writes build/bench/: results.json (every figure + the setup), table.txt
# (the table and the ratios against issue 6's targets, also printed),
# chart.png (+ chart.dat), threads.txt (context switches per write by
# thread), hostload.txt, raw/ (everything the VM wrote).
#
# Settings (environment, forwarded into the VM): BENCH_RUNTIME,
# BENCH_TCP_RUNTIME, BENCH_REGION_MB, BENCH_RESYNC_MB, BENCH_INCR_MB,
# BENCH_VETH_MTU, BENCH_ONLY -- see tests/bench/vm-bench.sh. BENCH_MEM sets
# the VM's memory in MiB (default 3072), BENCH_SMP its CPUs (default 2),
# BENCH_WAIT_IDLE how long to wait for other VMs on the host to end first
# (default 120 s). After the VM, tests/bench/failover.sh measures the
# failover time in two VMs (BENCH_FAILOVER_TRIALS, default 5;
# BENCH_FAILOVER=0 skips it), then tests/bench/rdma.sh the same fio jobs
# over RDMA (soft-RoCE) and over TCP in two other VMs, the rows
# hadisk-C-rdma and hadisk-C-tcp-2vm (BENCH_RDMA_RUNTIME, default
# BENCH_RUNTIME or 10 s per job; BENCH_RDMA_SPAN_MB, default 64;
# BENCH_RDMA=0 skips it; skipped too when hadisk_rdma.ko is not built).
#
# Exit status: 0 when every measurement ran (missed targets are reported,
# not failures); the VM's status otherwise.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
OUT=build/bench
VMOUT=build/vm/out/bench

rm -rf "$OUT"
mkdir -p "$OUT/bin"

# The VM sees this tree live: snapshot the module and the tool, so that a
# rebuild during the run cannot swap them under the bench.
for try in 1 2 3; do
	cp hadisk.ko userspace/hadiskctl/hadiskctl "$OUT/bin/" 2>/dev/null &&
		modinfo "$OUT/bin/hadisk.ko" > /dev/null 2>&1 &&
		"$OUT/bin/hadiskctl" --help > /dev/null 2>&1 && break
	[ $try -eq 3 ] && { echo "bench: hadisk.ko or hadiskctl missing or broken (make first)" >&2; exit 2; }
	sleep 5
done

# Other VMs on this host take CPU from ours: record the host's load.
(
	while :; do
		echo "$(date +%s) $(cut -d' ' -f1 /proc/loadavg) $(pgrep -c qemu-system)"
		sleep 5
	done
) > "$OUT/hostload.txt" 2>/dev/null &
sampler=$!
trap 'kill $sampler 2>/dev/null' EXIT
trap 'kill $sampler 2>/dev/null; exit 130' INT TERM

args=""
for v in BENCH_RUNTIME BENCH_TCP_RUNTIME BENCH_REGION_MB BENCH_RESYNC_MB \
	BENCH_INCR_MB BENCH_VETH_MTU BENCH_ONLY; do
	eval "val=\${$v:-}"
	# shellcheck disable=SC2154
	[ -n "$val" ] && args="$args $v=$(echo "$val" | tr ' ' ',')"
done

# Every other VM on this 2-CPU host steals time from ours and from the
# wakeups a replicated write is made of: wait a while for them to end.
wait_idle=${BENCH_WAIT_IDLE:-120}
others=$(pgrep -c qemu-system)
if [ "$others" -gt 0 ]; then
	echo "bench: $others other VM(s) running; waiting up to ${wait_idle}s for them to end (BENCH_WAIT_IDLE)"
	t=0
	while [ "$(pgrep -c qemu-system)" -gt 0 ] && [ $t -lt "$wait_idle" ]; do
		sleep 5
		t=$((t + 5))
	done
	others=$(pgrep -c qemu-system)
	[ "$others" -gt 0 ] &&
		echo "bench: WARNING: $others other VM(s) still running: expect noisy figures"
fi

echo "bench: one VM, about 10 minutes; progress below (raw results in $VMOUT)"
start=$(date +%s)
# shellcheck disable=SC2086
bash tests/vm/run-vm.sh --live --name bench --mem "${BENCH_MEM:-3072}" --smp "${BENCH_SMP:-2}" \
	tests/bench/vm-bench.sh $args
rc=$?
end=$(date +%s)
kill $sampler 2>/dev/null

cp -r "$VMOUT" "$OUT/raw"
{
	echo "host_cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "host_cpus=$(nproc)"
	echo "qemu=$(qemu-system-x86_64 --version | awk 'NR==1 {print $4}') tcg,thread=multi"
	echo "hadisk_commit=$(git describe --always --dirty 2>/dev/null)"
	echo "hadisk_ko_sha256=$(sha256sum "$OUT/bin/hadisk.ko" | cut -c1-16)"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "duration_s=$((end - start))"
	echo "other_vms_at_start=$others"
	echo "vm_rc=$rc"
} > "$OUT/host.env"

# Issue 6 part 2, two VMs: failover time (tests/bench/failover.sh writes
# $OUT/failover.env, which report.py reads). BENCH_FAILOVER=0 skips it.
if [ "${BENCH_FAILOVER:-1}" != 0 ]; then
	echo "bench: failover time, two VMs, ${BENCH_FAILOVER_TRIALS:-5} trials (about 6 minutes; log in build/crash/bench-failover.log)"
	mkdir -p build/crash
	if bash tests/bench/failover.sh > build/crash/bench-failover.log 2>&1; then
		grep -a 'failover: kill' build/crash/bench-failover.log | sed 's/^==== \[ *[0-9.]*s\] /bench: /'
	else
		echo "bench: the failover measurement failed; see build/crash/bench-failover.log" >&2
		tail -n 30 build/crash/bench-failover.log >&2
		[ $rc -ne 0 ] || rc=1
	fi
fi

# Issue 9: hadisk-C over RDMA beside TCP, two VMs (soft-RoCE carries
# nothing between the namespaces of one 6.1 kernel). tests/bench/rdma.sh
# writes $OUT/rdma.env, which report.py reads. BENCH_RDMA=0 skips it.
if [ "${BENCH_RDMA:-1}" != 0 ] && [ ! -f hadisk_rdma.ko ]; then
	echo "bench: hadisk_rdma.ko is not built (kernel without CONFIG_INFINIBAND?): no RDMA rows"
elif [ "${BENCH_RDMA:-1}" != 0 ]; then
	echo "bench: hadisk-C over RDMA and over TCP, two VMs (about 5 minutes; log in build/crash/bench-rdma.log)"
	mkdir -p build/crash
	if bash tests/bench/rdma.sh > build/crash/bench-rdma.log 2>&1; then
		grep -a '] rdma: ' build/crash/bench-rdma.log | sed 's/^==== \[ *[0-9.]*s\] /bench: /'
	else
		echo "bench: the RDMA measurement failed; see build/crash/bench-rdma.log" >&2
		tail -n 30 build/crash/bench-rdma.log >&2
		[ $rc -ne 0 ] || rc=1
	fi
fi

python3 tests/bench/report.py "$OUT" || { echo "bench: report failed" >&2; [ $rc -ne 0 ] || rc=1; }
if [ -s "$OUT/chart.dat" ]; then
	gnuplot -e "dat='$OUT/chart.dat'; out='$OUT/chart.png'" tests/bench/chart.gp ||
		echo "bench: gnuplot failed" >&2
fi
[ -f "$OUT/table.txt" ] && cat "$OUT/table.txt"
echo "bench: $OUT/results.json $OUT/chart.png ($((end - start)) s, VM status $rc)"
exit $rc
