#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The RDMA transport end to end, on soft-RoCE between two VMs. In Linux
# 6.1 rdma_rxe carries traffic only in the initial network namespace (its
# UDP socket on port 4791 and its route lookups are in init_net), so the
# one-VM, two-namespace layout of tests/scenarios/ cannot carry RDMA (see
# tests/scenarios/25-rdma.sh, which proves that and the clear errors);
# here each node is a VM of its own and rxe0 sits on its eth0.
#
#  1. Both VMs: modprobe rdma_rxe and rdma_cm, 'rdma link add rxe0 type
#     rxe netdev eth0', insmod hadisk_rdma.ko; net { transport rdma; }.
#  2. up, connect over RDMA (status "transport": "rdma" on both), alpha
#     Primary --force: the full initial sync over RDMA.
#  3. ext4 on alpha with files; roles switched; beta mounts it and checks
#     them, writes more; switched back; alpha checks; fsck.
#  4. fio --verify=crc32c under protocols A, B and C (down, up, connect).
#  5. A link cut mid-write: alpha's eth0 drops every packet (netem loss
#     100%: a dead cable or switch; the interface stays up, see below);
#     detected within ping-interval + ping-timeout (1 s + 2 s); the link
#     back: reconnect over RDMA, bitmap-based resync of about what was
#     written.
#
# Why not 'ip link set eth0 down' as the one-VM scenarios do: with rdma_rxe
# in Linux 6.1, after its interface went down and up, a node's RDMA CM
# connection requests still leave and are answered, but the answers never
# complete a connection (the peer logs its REP timing out, CM reject reason
# 4) until the rxe device is deleted and added again; TCP is not affected.
# Documentation/rdma.md has the evidence.
#  6. The same fio jobs (4 KiB QD1, 1 MiB sequential, 10 s each; the
#     bench's shapes, tests/crash/perf.sh) over RDMA and then over TCP in
#     the same two VMs: metrics only.
#  7. RDMA on one node and TCP on the other, both ways: no connection, and
#     each connecting node's status says why.
#  8. Both data areas byte-identical (cmp of the images on the host).
set -u
. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$CRASH_LIB/perf.sh"
crash_init
crash_config
sed -i 's/connect-interval 1s; }/connect-interval 1s; transport rdma; }/' "$CRASH_DIR/r0.conf"
grep -q "transport rdma;" "$CRASH_DIR/r0.conf" || fail "transport rdma not in r0.conf"
[ -f "$ROOT/hadisk_rdma.ko" ] || fail "hadisk_rdma.ko is not built (make module; CONFIG_INFINIBAND)"
make_images 160

step "boot alpha and beta; soft-RoCE rxe0 on eth0; load hadisk_rdma.ko"
vm_boot alpha beta
for n in alpha beta; do
	vm_must "$n" 60 '
		modprobe rdma_rxe && modprobe rdma_cm && modprobe sch_netem &&
		rdma link add rxe0 type rxe netdev eth0 &&
		insmod "$HADISK_ROOT/hadisk_rdma.ko" &&
		wait_until "rxe0 ACTIVE" 20 sh -c "rdma link show | grep -q \"rxe0/1 state ACTIVE\"" &&
		rdma link show'
done

step "connect over RDMA; alpha Primary --force: full initial sync"
for n in alpha beta; do
	vm_must "$n" 60 'hd create-md r0 --force >/dev/null && hd up r0'
done
vm_must alpha 90 'hd wait-connect r0 --timeout 80 && show'
vm_must alpha 10 '[ "$(st transport)" = rdma ] && echo "alpha: transport=$(st transport)"'
vm_must beta 10 '[ "$(st transport)" = rdma ] && echo "beta: transport=$(st transport)"'
t0=$SECONDS
vm_must alpha 600 'hd primary r0 --force && hd wait-sync r0 --timeout 580 && show'
metric initial_sync_seconds $((SECONDS - t0))
vm_must alpha 10 'data_bytes'
DATA_BYTES=$VM_REPLY
metric data_bytes "$DATA_BYTES"

step "ext4 on alpha with files; roles switched; beta checks them"
vm_must alpha 300 '
	mkfs.ext4 -q -F $DEV && mkdir -p /mnt/d && mount $DEV /mnt/d &&
	for i in $(seq 1 40); do
		dd if=/dev/urandom of=/mnt/d/f$i bs=4k count=$((i * 3)) status=none || exit 1
	done &&
	(cd /mnt/d && sha256sum f* > /tmp/m1) && cp /tmp/m1 $R/m1 &&
	umount /mnt/d && hd secondary r0 && show'
# The manifests travel through the host: each VM writes its results share.
m1=$(cat "$(vm_file alpha m1)") || fail "no manifest from alpha"
vm_must beta 300 "printf '%s\n' '$m1' > /tmp/m1"'
	hd primary r0 && mkdir -p /mnt/d && mount $DEV /mnt/d &&
	(cd /mnt/d && sha256sum -c --quiet /tmp/m1) &&
	dd if=/dev/urandom of=/mnt/d/blob bs=1M count=8 status=none &&
	(cd /mnt/d && sha256sum blob > $R/m2) &&
	umount /mnt/d && hd secondary r0 && show && echo "beta: the files of alpha intact"'
m2=$(cat "$(vm_file beta m2)") || fail "no manifest from beta"
vm_must alpha 300 "printf '%s\n' '$m2' > /tmp/m2"'
	hd primary r0 && mount -o ro $DEV /mnt/d &&
	(cd /mnt/d && sha256sum -c --quiet /tmp/m1 && sha256sum -c --quiet /tmp/m2) &&
	umount /mnt/d && fsck.ext4 -fn $DEV && hd secondary r0 &&
	echo "alpha: every file intact, fsck clean"'

for P in A B C; do
	step "protocol $P over RDMA: fio random writes with crc32c verification"
	for n in alpha beta; do
		vm_must "$n" 60 "hd down r0 && sed -i 's/protocol .;/protocol $P;/' /etc/hadisk/r0.conf && hd up r0"
	done
	vm_run alpha 600 "
		hd wait-connect r0 --timeout 60 && [ \"\$(st protocol)\" = $P ] &&
		hd primary r0 &&
		fio --name=verify --filename=\$DEV --direct=1 --ioengine=libaio \
		    --rw=randwrite --bs=4k --bssplit=4k/60:16k/20:64k/20 --iodepth=16 \
		    --size=32M --verify=crc32c --verify_fatal=1 --do_verify=1 \
		    --randrepeat=1 --output=/tmp/fio-$P.txt &&
		grep -E 'write:|err=' /tmp/fio-$P.txt | head -3 &&
		hd wait-sync r0 --timeout 60 && [ \"\$(st writes_unacked)\" = 0 ] &&
		hd secondary r0 && show" || { vm_run alpha 10 "cat /tmp/fio-$P.txt"; fail "fio verify under protocol $P"; }
done

step "link cut mid-write (alpha's eth0 drops everything): detected within the ping timeout"
vm_must alpha 30 'hd primary r0 && bg_start cut fio --name=cut --filename=$DEV --direct=1 --ioengine=libaio --rw=randwrite --bs=4k --iodepth=4 --size=32M --offset=16M --time_based --runtime=30'
sleep 4
vm_must alpha 60 '
	t0=${EPOCHREALTIME/./}
	tc qdisc add dev eth0 root netem loss 100%
	wait_until "the cut noticed" 30 is connection Connecting || exit 1
	ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
	echo "alpha: the cut noticed after $ms ms (ping-interval 1 s + ping-timeout 2 s)"
	echo $ms > $R/cut_ms
	grep -a "link to .* lost" $R/kmsg | tail -n 1
	[ $ms -le 6000 ]'
metric cut_detect_ms "$(cat "$(vm_file alpha cut_ms)")"
vm_must alpha 90 '
	wait_until "fio done" 80 test -e $R/bg/cut.rc &&
	[ "$(cat $R/bg/cut.rc)" = 0 ] && grep -q "err= 0" $R/bg/cut.out &&
	echo "alpha: out of sync while cut: $(st out_of_sync_bytes) bytes" &&
	st out_of_sync_bytes > $R/oos && st bytes_sent > $R/sent0 &&
	[ "$(cat $R/oos)" != 0 ]'

step "the link back: reconnect over RDMA, bitmap-based resync"
vm_must alpha 400 '
	tc qdisc del dev eth0 root &&
	hd wait-connect r0 --timeout 120 && hd wait-sync r0 --timeout 270 &&
	sent=$(( $(st bytes_sent) - $(cat $R/sent0) )) && oos=$(cat $R/oos) &&
	echo "alpha: resync sent $sent bytes for $oos out-of-sync bytes" &&
	[ $sent -lt $((oos * 11 / 10 + 1048576)) ] &&
	kmsg_has "bitmap-based resync to" && hd secondary r0 && show'

# perf T: the bench's fio jobs (tests/crash/perf.sh: 4 KiB random writes
# at QD1, 1 MiB sequential writes at QD8), 10 s each over the first 64 MiB,
# on alpha (Primary, protocol C), as metrics T_qd1_iops, T_qd1_lat_us,
# T_qd1_p99_us and T_seq_mbps. Information only (two 1-vCPU VMs under TCG,
# noisy): the same jobs over both transports in the same VMs. make bench's
# hadisk-C-rdma row comes from tests/bench/rdma.sh, which runs them too.
perf() {
	perf_fio alpha "$1" 10 64 4k_qd1 1m_seq
	metric "$1_qd1_iops" "${PERF[4k_qd1_iops]}"
	metric "$1_qd1_lat_us" "${PERF[4k_qd1_lat_us]}"
	metric "$1_qd1_p99_us" "${PERF[4k_qd1_p99_us]}"
	metric "$1_seq_mbps" "${PERF[1m_seq_MBps]}"
}

step "the same fio jobs over RDMA, then over TCP (metrics, no target)"
perf rdma
for n in alpha beta; do
	vm_must "$n" 60 "hd down r0 && sed -i 's/transport rdma;/transport tcp;/' /etc/hadisk/r0.conf && hd up r0"
done
vm_must alpha 90 'hd wait-connect r0 --timeout 80 && [ "$(st transport)" = tcp ] && show'
perf tcp

step "RDMA on one node, TCP on the other: each says why they do not connect"
vm_must beta 60 "hd down r0 && sed -i 's/transport tcp;/transport rdma;/' /etc/hadisk/r0.conf && hd up r0 && st transport"
vm_must alpha 60 '
	refused() { st last_error | grep -q "a peer on RDMA does not listen on TCP"; }
	wait_until "the TCP connection refused" 40 refused && echo "alpha (tcp): $(st last_error)"'
vm_must alpha 60 "hd down r0 && sed -i 's/transport tcp;/transport rdma;/' /etc/hadisk/r0.conf && hd up r0"
vm_must beta 60 "hd down r0 && sed -i 's/transport rdma;/transport tcp;/' /etc/hadisk/r0.conf && hd up r0 && st transport"
vm_must alpha 60 '
	refused() { st last_error | grep -q "refused the RDMA connection: nothing accepts RDMA there"; }
	wait_until "the RDMA connection refused" 40 refused && echo "alpha (rdma): $(st last_error)"'

step "down; the two data areas byte-identical"
for n in alpha beta; do
	vm_must "$n" 60 'hd down r0 && rmmod hadisk_rdma && echo "$NODE: down, hadisk_rdma unloaded"'
done
vm_shutdown alpha beta
images_identical
klog_check
crash_done
