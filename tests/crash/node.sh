#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The agent of one crash-test VM (runs inside it as tests/vm/run-vm.sh's
# SCRIPT; started by tests/crash/lib.sh, never by hand).
#
# Usage: node.sh NODE IP CONFIG [MODULE [IP2]]
#   NODE    alpha or beta (the hostname, and the 'on' section of CONFIG)
#   IP      this node's address on eth0, e.g. 10.99.1.1 (a /24)
#   CONFIG  the resource configuration, copied to /etc/hadisk/r0.conf
#   MODULE  the hadisk.ko to load (default: the repository's)
#   IP2     this node's address on eth1, the second link (e.g. 10.99.2.1)
#
# The NICs are named by their MAC address: 52:54:00:99:01:xx is eth0 (the
# replication link and the first heartbeat path), 52:54:00:99:02:xx eth1
# (the second heartbeat path), whatever order the kernel found them in.
#
# It brings eth0 (and eth1) up, follows the kernel log into the results share ($R/kmsg,
# so that it survives a SIGKILL of the VM), loads hadisk.ko, writes $R/ready
# and then serves the host's commands, one at a time, in order:
#
#   host writes  $R/cmd/N.sh      (renamed into place: it appears complete)
#   agent writes $R/cmd/N.out     stdout+stderr of the command
#                $R/cmd/N.rc      its exit status and a newline, when it ended
#
# N counts from 1.  A command's first line is "# deadline: SECONDS": the
# agent kills it at that deadline (status 124).  Each command runs in a
# fresh bash that has sourced tests/crash/guest.sh.  The command "exit"
# (a file whose second line is "exit") ends the agent with status 0: the VM
# then stores its dmesg and powers off.
# timeout: 1800
set -u
R=${HADISK_VM_RESULTS:?node.sh runs inside a VM started by tests/vm/run-vm.sh}
NODE=${1:?node}
IP=${2:?ip}
CONFIG=${3:?config}
KO=${4:-$HADISK_ROOT/hadisk.ko}
IP2=${5:-}
export NODE R HADISK_ROOT

log() { echo "node $NODE: $*"; }
die() {
	log "$*"
	echo "$*" > "$R/agent-error"
	exit 1
}

hostname "$NODE"
echo "$NODE" > /etc/hostname

# The kernel log, streamed to the host as it is written.
dmesg --follow > "$R/kmsg" 2>&1 < /dev/null &

modprobe -a virtio_net virtio_blk || die "modprobe virtio_net virtio_blk failed"
# The NICs, by MAC: 52:54:00:99:01:* is eth0, 52:54:00:99:02:* eth1.
# Renamed through temporary names (the kernel may have called the second
# one eth0).
if0="" if1=""
for _ in $(seq 1 50); do
	if0="" if1=""
	for d in /sys/class/net/*; do
		[ -e "$d/device" ] || continue
		case $(cat "$d/address") in
		52:54:00:99:01:*) if0=$(basename "$d") ;;
		52:54:00:99:02:*) if1=$(basename "$d") ;;
		*) [ -z "$if0" ] && if0=$(basename "$d") ;;
		esac
	done
	[ -n "$if0" ] && { [ -n "$if1" ] || [ -z "$IP2" ]; } && break
	sleep 0.1
done
[ -n "$if0" ] || die "no network interface appeared (virtio_net)"
[ -z "$IP2" ] || [ -n "$if1" ] || die "no second network interface (MAC 52:54:00:99:02:xx) appeared"
ip link set "$if0" name hdtmp0 || die "cannot rename $if0"
[ -z "$if1" ] || ip link set "$if1" name hdtmp1 || die "cannot rename $if1"
ip link set hdtmp0 name eth0 || die "cannot rename $if0 to eth0"
[ -z "$if1" ] || ip link set hdtmp1 name eth1 || die "cannot rename $if1 to eth1"
ip addr add "$IP/24" dev eth0 || die "ip addr add $IP/24 dev eth0"
ip link set eth0 up || die "ip link set eth0 up"
if [ -n "$IP2" ]; then
	ip addr add "$IP2/24" dev eth1 || die "ip addr add $IP2/24 dev eth1"
	ip link set eth1 up || die "ip link set eth1 up"
fi
ip link set lo up

for _ in $(seq 1 50); do
	[ -b /dev/vda ] && break
	sleep 0.1
done
[ -b /dev/vda ] || die "no /dev/vda (the raw image)"
mkdir -p /etc/hadisk
cp "$CONFIG" /etc/hadisk/r0.conf || die "cannot copy $CONFIG"

ko=$KO
for d in $(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' '); do
	modprobe "$d" || die "modprobe $d (needed by hadisk.ko)"
done
insmod "$ko" || die "insmod $ko failed"

mkdir -p "$R/cmd" "$R/bg" /run/crash
# A sleep without a fork: read(1) with a timeout on a FIFO that we hold
# open for writing ourselves, so it never sees data nor end of file (under
# TCG every exec costs tens of milliseconds; the loop below polls).
mkfifo /run/crash/tick && exec 7<>/run/crash/tick || die "cannot make the tick FIFO"
nap() { read -r -t "$1" -u 7 _; }

log "ready: eth0 $IP${IP2:+, eth1 $IP2}, /dev/vda $(blockdev --getsize64 /dev/vda) bytes, kernel $(uname -r)"
echo "$EPOCHREALTIME" > "$R/ready.tmp" && mv "$R/ready.tmp" "$R/ready"

# The status file appears when the command has ended; its single line is
# written at once, and the host reads it only once it ends with a newline.
n=1
while :; do
	f=$R/cmd/$n.sh
	if [ ! -e "$f" ]; then
		nap 0.05
		continue
	fi
	line1="" line2=""
	{ read -r line1; read -r line2; } < "$f"
	if [ "$line2" = exit ]; then
		echo 0 > "$R/cmd/$n.rc"
		log "exit requested"
		exit 0
	fi
	deadline=60
	[[ $line1 =~ ^#\ deadline:\ ([0-9]+)$ ]] && deadline=${BASH_REMATCH[1]}
	timeout -k 5 "$deadline" bash -c \
		'. "$HADISK_ROOT/tests/crash/guest.sh" && . "$1"' cmd "$f" \
		> "$R/cmd/$n.out" 2>&1 < /dev/null
	rc=$?
	[ $rc -eq 137 ] && rc=124
	echo "$rc" > "$R/cmd/$n.rc"
	n=$((n + 1))
done
