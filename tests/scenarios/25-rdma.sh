#!/bin/bash
# The RDMA transport (hadisk_rdma.ko) on soft-RoCE (rdma_rxe) over the veth
# pair between the two namespaces: its clear errors (module not loaded, no
# RDMA device for the address, RDMA on one side and TCP on the other), the
# module held while in use, then the replication scenarios of part 2 over
# RDMA: ext4 with files and a role switch, fio verify under protocols A, B
# and C, a link cut detected within the ping timeout and recovered by a
# resync; backing disks identical.
#
# Linux 6.1's rdma_rxe carries no traffic between network namespaces: its
# UDP socket (port 4791) and its route lookups are in the initial namespace
# only. When the kernel shows exactly that (the socket in init_net, none in
# the namespaces), the scenario checks that the connect attempt fails with
# the error that says so, prints the evidence and stops there: the data path
# over RDMA runs between two VMs in tests/crash/80-rdma.sh. On a kernel
# whose rxe listens in the namespaces, it runs the data path here.
# timeout: 1500
. "$HADISK_ROOT/tests/scenarios/lib.sh"

HADISK_RDMA_KO=${HADISK_RDMA_KO:-$HADISK_ROOT/hadisk_rdma.ko}
[ -f "$HADISK_RDMA_KO" ] || fail "$HADISK_RDMA_KO is not built (make module; the kernel needs CONFIG_INFINIBAND)"

# set_transport T: net { transport T; } in the configuration of both nodes.
set_transport() {
	sed -i '/^    net {/,/^    }/d' "$HD_CONF"
	sed -i "s/^    protocol \(.\);/    protocol \1;\n    net {\n        transport $1;\n        ping-interval 1s;\n        ping-timeout 2s;\n    }/" "$HD_CONF"
}

# set_transport_on NODE T: a private copy of the configuration for NODE
# with transport T (the two nodes disagree on purpose).
conf_for() {
	sed "s/transport [a-z]*;/transport $2;/" "$HD_CONF" > "/etc/hadisk/$1.conf"
}

# rdma_evidence: why RDMA between the namespaces does not go through.
rdma_evidence() {
	echo "---- rdma link (each namespace)"
	in_ns a rdma link show || true
	in_ns b rdma link show || true
	echo "---- rxe packet counters"
	in_ns a rdma statistic show link rxeA/1 || true
	in_ns b rdma statistic show link rxeB/1 || true
	echo "---- UDP datagrams to no socket (RoCEv2 is UDP port 4791)"
	for n in a b; do
		echo "ns $n: $(in_ns $n awk '/^Udp:/ { if (h) print "NoPorts=" $4; h=1 }' /proc/net/snmp)"
	done
	echo "init_net: $(awk '/^Udp:/ { if (h) print "NoPorts=" $4; h=1 }' /proc/net/snmp)"
	echo "---- UDP sockets on 4791"
	grep -i ':12B7 ' /proc/net/udp || echo "init_net: none"
	for n in a b; do
		in_ns $n grep -i ':12B7 ' /proc/net/udp || echo "ns $n: none"
	done
	echo "---- status"
	hd_a status r0 || true
	hd_b status r0 || true
	echo "---- kernel log"
	dmesg | grep -iE 'rdma|rxe|hadisk' | tail -n 30
}

setup_two_nodes 128
load_hadisk
set_transport rdma
grep -q "transport rdma;" "$HD_CONF" || fail "transport rdma not in $HD_CONF"

step "CONNECT with transport rdma while hadisk_rdma is not loaded"
[ ! -d /sys/module/hadisk_rdma ] || fail "hadisk_rdma is already loaded"
expect_fail "up without hadisk_rdma" hd_a up r0
echo "$EXPECT_FAIL_ERR" | grep -q "the hadisk_rdma module is not loaded" ||
	fail "the error does not name the missing module"
echo "$EXPECT_FAIL_ERR" | grep -q "insmod hadisk_rdma.ko" ||
	fail "the error does not say how to load it"
hd_a down r0 || fail "down alpha"

step "load rdma_rxe, rdma_cm and hadisk_rdma.ko"
modprobe rdma_rxe || fail "modprobe rdma_rxe"
modprobe rdma_cm || fail "modprobe rdma_cm"
insmod "$HADISK_RDMA_KO" || fail "insmod $HADISK_RDMA_KO"
dmesg | grep -q "hadisk: transport rdma registered" || fail "rdma transport not registered"
echo "hadisk_rdma depends on: $(modinfo -F depends "$HADISK_RDMA_KO")"
echo "hadisk.ko depends on: '$(modinfo -F depends "$HADISK_KO")'"
case ",$(modinfo -F depends "$HADISK_KO")," in
*ib_core*|*rdma_cm*) fail "hadisk.ko must not depend on the RDMA stack" ;;
esac

step "no RDMA device for the configured address: clear errors"
expect_fail "beta listens on an address with no RDMA device" hd_b up r0
echo "$EXPECT_FAIL_ERR" | grep -q "no RDMA device has address $IP_B: create one with 'rdma link add rxe0 type rxe netdev vb'" ||
	fail "beta's error does not name the missing RDMA device and its fix"
hd_a up r0 || fail "up alpha (it connects: the error goes to status)"
a_no_dev() { hd_status_field alpha r0 last_error | grep -q "no RDMA device has address $IP_A: create one with 'rdma link add rxe0 type rxe netdev va'"; }
wait_for "alpha's last_error names the missing RDMA device" 20 a_no_dev
echo "alpha: $(hd_status_field alpha r0 last_error)"
[ "$(hd_status_field alpha r0 transport)" = rdma ] || fail "status does not say transport rdma"
hd_a down r0 || fail "down alpha"
hd_b down r0 || true

step "soft-RoCE: rxeA on va (namespace a), rxeB on vb (namespace b)"
in_ns a rdma link add rxeA type rxe netdev va || fail "rdma link add rxeA"
in_ns b rdma link add rxeB type rxe netdev vb || fail "rdma link add rxeB"
in_ns a rdma link show
rdma_active() { in_ns a rdma link show | grep -q "rxeA.*state ACTIVE" && in_ns b rdma link show | grep -q "rxeB.*state ACTIVE"; }
wait_for "both RDMA devices ACTIVE" 20 rdma_active

step "RDMA on alpha, TCP on beta: the connect attempt fails with a clear error"
conf_for beta tcp
hd_b up r0 -c /etc/hadisk/beta.conf || fail "up beta (tcp)"
[ "$(hd_status_field beta r0 transport)" = tcp ] || fail "beta should be on tcp"
hd_a up r0 || fail "up alpha (rdma)"
a_mixed() { hd_status_field alpha r0 last_error | grep -q "transport rdma: "; }
wait_for "alpha reports why RDMA to a TCP peer fails" 30 a_mixed
echo "alpha (rdma): $(hd_status_field alpha r0 last_error)"
[ "$(hd_status_field alpha r0 connection)" = Connecting ] || fail "alpha should still be Connecting"
hd_a down r0 || fail "down alpha"
hd_b down r0 || fail "down beta"
conf_for alpha tcp
hd_a up r0 -c /etc/hadisk/alpha.conf || fail "up alpha (tcp)"
hd_b up r0 || fail "up beta (rdma)"
a_refused() { hd_status_field alpha r0 last_error | grep -q "refused"; }
wait_for "alpha (tcp) reports the refused connection" 30 a_refused
echo "alpha (tcp): $(hd_status_field alpha r0 last_error)"
hd_a down r0 || fail "down alpha"
hd_b down r0 || fail "down beta"

step "both on RDMA: connect"
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
expect_fail "rmmod hadisk_rdma while resources use it" rmmod hadisk_rdma
[ -d /sys/module/hadisk_rdma ] || fail "hadisk_rdma was unloaded while in use"
rxe_in_init_net_only() {
	grep -qi ':12B7 ' /proc/net/udp &&
		! in_ns a grep -qi ':12B7 ' /proc/net/udp &&
		! in_ns b grep -qi ':12B7 ' /proc/net/udp
}
if rxe_in_init_net_only; then
	a_ns_hint() { hd_status_field alpha r0 last_error | grep -q "soft-RoCE in Linux 6.1 carries traffic only in the initial network namespace"; }
	wait_for "alpha's error about RDMA between namespaces" 30 a_ns_hint
	hd_a wait-connect r0 --timeout 10 && fail "connected over rxe between namespaces: run the data path here"
	rdma_evidence
	echo "rdma_rxe listens on UDP 4791 in the initial namespace only: no RDMA between namespaces in $(uname -r)"
	echo "last_error on alpha: $(hd_status_field alpha r0 last_error)"
	hd_a down r0 || fail "down alpha"
	hd_b down r0 || fail "down beta"
	rmmod hadisk_rdma || fail "rmmod hadisk_rdma after down"
	in_ns a rdma link delete rxeA || fail "rdma link delete rxeA"
	in_ns b rdma link delete rxeB || fail "rdma link delete rxeB"
	echo "rdma (errors; the data path is tests/crash/80-rdma.sh, two VMs): ok"
	exit 0
fi
if ! hd_a wait-connect r0 --timeout 60; then
	rdma_evidence
	fail "no RDMA connection between the namespaces (evidence above)"
fi
[ "$(hd_status_field alpha r0 transport)" = rdma ] || fail "alpha not on rdma"
[ "$(hd_status_field beta r0 transport)" = rdma ] || fail "beta not on rdma"
hd_a status r0

step "ext4 over RDMA: initial sync, files, role switch"
hd_a primary r0 --force || fail "primary --force"
hd_a wait-sync r0 --timeout 300 || fail "initial sync did not finish"
mkfs.ext4 -q -F /dev/hadisk0 || fail "mkfs"
mkdir -p /mnt/a /mnt/b
mount /dev/hadisk0 /mnt/a || fail "mount on alpha"
write_tree /mnt/a /tmp/manifest
umount /mnt/a || fail "umount"
[ "$(hd_status_field alpha r0 out_of_sync_bytes)" = 0 ] || fail "out of sync after writes"
hd_a secondary r0 || fail "secondary alpha"
hd_b primary r0 || fail "primary beta"
mount /dev/hadisk1 /mnt/b || fail "mount on beta"
check_tree /mnt/b /tmp/manifest || fail "checksums differ on beta"
dd if=/dev/urandom of=/mnt/b/blob bs=1M count=8 status=none
sha256sum /mnt/b/blob | sed 's|/mnt/b/||' > /tmp/m2
umount /mnt/b
hd_b secondary r0 || fail "secondary beta"
hd_a primary r0 || fail "primary alpha"
mount -o ro /dev/hadisk0 /mnt/a || fail "mount on alpha again"
(cd /mnt/a && sha256sum -c --quiet /tmp/m2) || fail "beta's file differs on alpha"
check_tree /mnt/a /tmp/manifest || fail "first tree differs"
umount /mnt/a
fsck.ext4 -fn /dev/hadisk0 || fail "fsck"
hd_a secondary r0 || fail "secondary"
cmp_backing
echo "ext4 and role switch over RDMA: ok"

for P in A B C; do
	step "protocol $P over RDMA: fio random writes with crc32c verification"
	hd_a down r0 || fail "down alpha"
	hd_b down r0 || fail "down beta"
	sed -i "s/^    protocol .;/    protocol $P;/" "$HD_CONF"
	hd_a up r0 || fail "up alpha"
	hd_b up r0 || fail "up beta"
	hd_a wait-connect r0 --timeout 60 || fail "no connection (protocol $P)"
	[ "$(hd_status_field alpha r0 protocol)" = $P ] || fail "protocol is not $P"
	hd_a primary r0 || fail "primary"
	fio --name=verify --filename=/dev/hadisk0 --direct=1 --ioengine=libaio \
	    --rw=randwrite --bs=4k --bssplit=4k/60:16k/20:64k/20 --iodepth=16 \
	    --size=48M --verify=crc32c --verify_fatal=1 --do_verify=1 \
	    --randrepeat=1 --output=/tmp/fio-$P.txt || {
		cat /tmp/fio-$P.txt; fail "fio verify failed under protocol $P"; }
	grep -E "write:|err=" /tmp/fio-$P.txt | head -3
	hd_a wait-sync r0 --timeout 60 || fail "not in sync after fio"
	[ "$(hd_status_field alpha r0 writes_unacked)" = 0 ] || fail "writes left unacked"
	hd_a secondary r0 || fail "secondary"
	cmp_backing
done

step "link cut over RDMA mid-write: detected within the ping timeout"
hd_a primary r0 || fail "primary"
fio --name=cut --filename=/dev/hadisk0 --direct=1 --ioengine=libaio \
    --rw=randwrite --bs=4k --iodepth=4 --size=32M --offset=16M \
    --time_based --runtime=40 --output=/tmp/fio.txt &
FIO=$!
sleep 4
t_cut=${EPOCHREALTIME/./}
link_down
a_connecting() { [ "$(hd_status_field alpha r0 connection)" = Connecting ]; }
wait_for "alpha notices the cut" 30 a_connecting
ms=$(( (${EPOCHREALTIME/./} - t_cut) / 1000 ))
echo "cut noticed after $ms ms (ping-interval 1 s + ping-timeout 2 s)"
[ "$ms" -le 6000 ] || fail "the cut took $ms ms to notice"
dmesg | grep "link to .* lost" | tail -n 2
wait $FIO || { cat /tmp/fio.txt; fail "the writer got an error"; }
grep -q "err= 0" /tmp/fio.txt || { cat /tmp/fio.txt; fail "fio reported errors"; }
oos=$(hd_status_field alpha r0 out_of_sync_bytes)
echo "out of sync while cut: $oos bytes"
[ "$oos" != 0 ] || fail "nothing recorded out of sync"

step "restore the link: reconnect over RDMA, bitmap-based resync"
sent0=$(hd_status_field alpha r0 bytes_sent)
link_up
hd_a wait-sync r0 --timeout 300 || fail "no resync after the link came back"
sent1=$(hd_status_field alpha r0 bytes_sent)
echo "resync sent $((sent1 - sent0)) bytes for $oos out-of-sync bytes"
[ $((sent1 - sent0)) -lt $((oos * 11 / 10 + 1048576)) ] || fail "resync sent far more than the out-of-sync data"
dmesg | grep -q "bitmap-based resync to" || fail "no bitmap-based resync in the log"
hd_a secondary r0 || fail "secondary"
cmp_backing
hd_a down r0 || fail "down alpha"
hd_b down r0 || fail "down beta"
rmmod hadisk_rdma || fail "rmmod hadisk_rdma"
echo "rdma: ok"
