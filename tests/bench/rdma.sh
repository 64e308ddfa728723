#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hadisk-C over RDMA (soft-RoCE) beside TCP, in two VMs (issue 9): the
# bench's fio jobs over 'transport rdma;' and then over 'transport tcp;'
# between the same two VMs of the crash-test harness (tests/crash/lib.sh:
# 1 vCPU each under TCG, joined by qemu's -netdev dgram), protocol C.
#
# Why two VMs: in Linux 6.1 rdma_rxe carries traffic only in the initial
# network namespace (Documentation/rdma.md), so the one-VM, two-namespace
# layout of tests/bench/vm-bench.sh cannot carry RDMA. The TCP control is
# measured in the same VMs because the two-VM path (two guests, qemu's UDP
# between them) is not the one-VM veth path: compare hadisk-C-rdma with
# hadisk-C-tcp-2vm, not with the one-VM rows.
#
#  1. Both VMs: rdma_rxe, rdma_cm, 'rdma link add rxe0 type rxe netdev
#     eth0', hadisk_rdma.ko; r0 with 'transport rdma;', protocol C.
#  2. create-md, up, connect over RDMA (no initial sync: both images are
#     zeroed, new-current-uuid --clear-bitmap), alpha Primary.
#  3. The fio jobs of tests/crash/perf.sh (the bench's shapes: 4 KiB random
#     writes QD1 and QD16, 1 MiB sequential writes QD8), BENCH_RDMA_RUNTIME
#     s each over the first BENCH_RDMA_SPAN_MB MiB, on alpha.
#  4. Both nodes down, 'transport tcp;', up, connected over TCP: the same
#     jobs.
#  5. Down; the two data areas byte-identical.
#
# Usage: tests/bench/rdma.sh               (called by tests/bench/run.sh)
# Env:   BENCH_RDMA_RUNTIME (s per fio job; default BENCH_RUNTIME, else 10),
#        BENCH_RDMA_SPAN_MB (default 64; the images are 32 MiB larger),
#        and those of tests/crash/lib.sh (CRASH_SMP, CRASH_MEM, ...).
# Writes build/bench/rdma.env (rdma_METRIC and tcp_METRIC for the metrics
# of tests/bench/report.py: 4k_qd1_lat_us, 4k_qd1_p50_us, 4k_qd1_p99_us,
# 4k_qd1_iops, 4k_qd16_iops, 1m_seq_MBps; and how it was measured) and
# build/bench/rdma-fio/ (fio's JSON); report.py reads rdma.env (targets
# hadisk-C-rdma and hadisk-C-tcp-2vm). When build/bench/raw exists (a
# one-VM run), the report is regenerated with these rows.
set -u
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
OUTB=$ROOT/build/bench
RUNTIME=${BENCH_RDMA_RUNTIME:-${BENCH_RUNTIME:-10}}
SPAN=${BENCH_RDMA_SPAN_MB:-64}
. "$ROOT/tests/crash/lib.sh"
. "$CRASH_LIB/perf.sh"
mkdir -p "$OUTB"
sh "$ROOT/tests/vm/mkinitramfs.sh" > /dev/null || { echo "rdma: cannot build the VM initramfs" >&2; exit 1; }
crash_init bench-rdma
[ -f "$ROOT/hadisk_rdma.ko" ] || fail "hadisk_rdma.ko is not built (make module; CONFIG_INFINIBAND)"
crash_config
sed -i 's/connect-interval 1s; }/connect-interval 1s; transport rdma; }/' "$CRASH_DIR/r0.conf"
grep -q "transport rdma;" "$CRASH_DIR/r0.conf" || fail "transport rdma not in r0.conf"
make_images $((SPAN + 32))
# Allocated on the host before the VMs write (qemu opens them with
# cache=none): no measurement pays the host filesystem's first touch.
for n in "${NODES[@]}"; do
	dd if=/dev/zero of="$CRASH_DIR/$n.img" bs=1M count=$((SPAN + 32)) conv=notrunc,fsync status=none ||
		fail "cannot fill $n.img"
done
load0=$(cut -d' ' -f1 /proc/loadavg)
others=$(pgrep -c qemu-system)

step "rdma bench: boot alpha and beta; soft-RoCE rxe0 on eth0; load hadisk_rdma.ko"
vm_boot alpha beta
for n in alpha beta; do
	vm_must "$n" 60 '
		modprobe rdma_rxe && modprobe rdma_cm &&
		rdma link add rxe0 type rxe netdev eth0 &&
		insmod "$HADISK_ROOT/hadisk_rdma.ko" &&
		wait_until "rxe0 ACTIVE" 20 sh -c "rdma link show | grep -q \"rxe0/1 state ACTIVE\"" &&
		rdma link show'
done
vm_must alpha 10 'echo "kernel=$(uname -r) fio=$(fio --version) cpus=$(nproc) mem_mb=$(($(awk "/MemTotal/ {print \$2}" /proc/meminfo) / 1024))"'
vm_info=$(tail -n 1 <<< "$VM_REPLY")

step "connect over RDMA (no initial sync: zeroed images), alpha Primary"
pair_up
vm_must alpha 10 'hd secondary r0 && [ "$(st transport)" = rdma ] && echo "alpha: transport=$(st transport)"'
vm_must beta 10 '[ "$(st transport)" = rdma ] && echo "beta: transport=$(st transport)"'

declare -A FIG=()
JOBS=(4k_qd1 4k_qd16 1m_seq)
KEYS=(4k_qd1_lat_us 4k_qd1_p50_us 4k_qd1_p99_us 4k_qd1_iops 4k_qd16_iops 1m_seq_MBps)
measure() {	# measure TRANSPORT
	local k
	perf_fio alpha "$1" "$RUNTIME" "$SPAN" "${JOBS[@]}"
	for k in "${KEYS[@]}"; do FIG[$1_$k]=${PERF[$k]}; done
	mkdir -p "$OUTB/rdma-fio"
	cp "$(vm_file alpha perf)"/"$1"-*.json "$OUTB/rdma-fio/"
}

step "the bench's fio jobs over RDMA (${RUNTIME} s each, first ${SPAN} MiB)"
measure rdma

step "both nodes on TCP; the same fio jobs"
for n in alpha beta; do
	vm_must "$n" 60 "hd down r0 && sed -i 's/transport rdma;/transport tcp;/' /etc/hadisk/r0.conf && hd up r0"
done
vm_must alpha 90 'hd wait-connect r0 --timeout 80 && [ "$(st transport)" = tcp ] && show'
vm_must beta 10 '[ "$(st transport)" = tcp ] && echo "beta: transport=$(st transport)"'
measure tcp

step "down; the two data areas byte-identical"
for n in alpha beta; do
	vm_must "$n" 60 'hd down r0 && rmmod hadisk_rdma && echo "$NODE: down, hadisk_rdma unloaded"'
done
vm_shutdown alpha beta
images_identical
klog_check

{
	for t in rdma tcp; do
		for k in "${KEYS[@]}"; do echo "${t}_$k=${FIG[${t}_$k]}"; done
	done
	echo "runtime_s=$RUNTIME"
	echo "span_mb=$SPAN"
	for kv in $vm_info; do echo "vm_$kv"; done
	echo "vms=2"
	echo "protocol=C"
	echo "order=rdma tcp"
	echo "host_load_start=$load0"
	echo "host_load_end=$(cut -d' ' -f1 /proc/loadavg)"
	echo "other_vms_at_start=$others"
	echo "hadisk_commit=$(git -C "$ROOT" describe --always --dirty 2>/dev/null)"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$OUTB/rdma.env"
cp "$OUTB/rdma.env" "$CRASH_DIR/"
for t in rdma tcp; do
	metric "${t}_4k_qd1_lat_us" "${FIG[${t}_4k_qd1_lat_us]}"
	metric "${t}_4k_qd1_iops" "${FIG[${t}_4k_qd1_iops]}"
	metric "${t}_4k_qd16_iops" "${FIG[${t}_4k_qd16_iops]}"
	metric "${t}_1m_seq_MBps" "${FIG[${t}_1m_seq_MBps]}"
done
step "$(awk -v a="${FIG[rdma_4k_qd1_lat_us]}" -v b="${FIG[tcp_4k_qd1_lat_us]}" \
	-v c="${FIG[rdma_4k_qd16_iops]}" -v d="${FIG[tcp_4k_qd16_iops]}" \
	-v e="${FIG[rdma_1m_seq_MBps]}" -v f="${FIG[tcp_1m_seq_MBps]}" 'BEGIN {
	printf "rdma: 4k QD1 mean %s us vs tcp-2vm %s us (x%.2f); QD16 %s vs %s IOPS (x%.2f); 1M seq %s vs %s MB/s (x%.2f)",
		a, b, a / b, c, d, c / d, e, f, e / f }')"

if [ -d "$OUTB/raw" ]; then
	python3 "$ROOT/tests/bench/report.py" "$OUTB" > /dev/null && note "build/bench/results.json and table.txt regenerated with the RDMA rows"
elif [ -f "$OUTB/results.json" ]; then
	python3 - "$OUTB/results.json" "$OUTB/rdma.env" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
env = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[2]) if "=" in l)
names = {"rdma": "hadisk-C-rdma", "tcp": "hadisk-C-tcp-2vm"}
res["results"] = [r for r in res["results"] if r["target"] not in names.values()]
for t, target in names.items():
    for k in ("4k_qd1_lat_us", "4k_qd1_p50_us", "4k_qd1_p99_us", "4k_qd1_iops", "4k_qd16_iops", "1m_seq_MBps"):
        if env.get(t + "_" + k):
            res["results"].append({"target": target, "metric": k, "value": float(env[t + "_" + k])})
json.dump(res, open(sys.argv[1], "w"), indent=1)
PY
	note "merged into $OUTB/results.json"
fi
crash_done
