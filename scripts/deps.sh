#!/bin/sh
# Install the Debian packages hadisk needs to build and test, when missing.
# Idempotent and quiet when everything is present.
set -e
PKGS="gcc make pkg-config cpio kmod iproute2 udev e2fsprogs fio drbd-utils sockperf iperf3 gnuplot-nox \
linux-headers-amd64 linux-image-amd64 qemu-system-x86 busybox-static \
libmnl-dev libnl-3-dev libnl-route-3-dev liburcu-dev \
pacemaker pacemaker-cli-utils corosync debhelper dkms"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
