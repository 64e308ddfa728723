#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build build/vm/initramfs.cpio.gz: busybox-static, the modules needed to
# mount the host's / over virtio-9p with a tmpfs overlay on top, a first-stage
# /init and the second-stage init that runs one test script.
#
# The image is cached: it is rebuilt only when missing, older than this
# script, or built for another kernel.  Prints the image path on stdout.
#
# Usage: tests/vm/mkinitramfs.sh [-f]      (-f forces a rebuild)
# Env:   KVER (default: newest /lib/modules/*-amd64)
#        HADISK_VM_BUILD    output directory instead of build/vm
#        HADISK_VM_MODULES  the module directory of KVER (holding modules.dep)
#                           instead of /lib/modules/$KVER; modules built into
#                           that kernel are simply not copied
#        HADISK_VM_KERNEL   a kernel image of its own: no vmlinux is extracted
#                           from /boot/vmlinuz-$KVER
set -eu

SELF=$(readlink -f "$0")
ROOT=$(cd "$(dirname "$SELF")/../.." && pwd)
OUTDIR=${HADISK_VM_BUILD:-$ROOT/build/vm}
IMG="$OUTDIR/initramfs.cpio.gz"
STAMP="$OUTDIR/initramfs.kver"

if [ -z "${KVER:-}" ]; then
	KVER=$(for d in /lib/modules/*-amd64; do [ -d "$d" ] && basename "$d"; done | sort -V | tail -n 1)
fi
[ -n "$KVER" ] || { echo "mkinitramfs: no /lib/modules/*-amd64 kernel found" >&2; exit 1; }
MODDIR=${HADISK_VM_MODULES:-/lib/modules/$KVER}
[ -d "$MODDIR" ] || { echo "mkinitramfs: $MODDIR missing" >&2; exit 1; }
# modprobe -d takes the directory that holds lib/modules/$KVER.
MODBASE=""
if [ -n "${HADISK_VM_MODULES:-}" ]; then
	MODBASE=${MODDIR%/lib/modules/"$KVER"}
	if [ -z "$MODBASE" ] || [ "$MODBASE/lib/modules/$KVER" != "$MODDIR" ]; then
		echo "mkinitramfs: HADISK_VM_MODULES must end in /lib/modules/$KVER" >&2
		exit 1
	fi
fi

force=0
[ "${1:-}" = "-f" ] && force=1

# The bzImage's own decompressor takes ~4 s under TCG; the kernel's ELF image
# boots directly through its PVH entry point.  Extract it once per kernel.
VMLINUX="$OUTDIR/vmlinux-$KVER"
try_decompress() { # magic (tr escapes) placeholder (one char shorter) command...
	magic=$1 ph=$2
	shift 2
	command -v "$1" >/dev/null || return 1
	# as the kernel's scripts/extract-vmlinux: find every magic's offset
	for pos in $(tr "$magic\n$ph" "\n$ph=" < "$bz" | grep -abo "^$ph"); do
		pos=${pos%%:*}
		tail -c "+$pos" "$bz" | "$@" > "$tmp" 2>/dev/null
		if [ "$(head -c 4 "$tmp" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			mv -f "$tmp" "$VMLINUX"
			return 0
		fi
	done
	return 1
}
extract_vmlinux() {
	bz=/boot/vmlinuz-$KVER
	tmp="$VMLINUX.tmp.$$"
	[ -r "$bz" ] || return 1
	try_decompress '\3757zXZ\000' abcde xz -dc ||
	try_decompress '\037\213\010' xy gzip -dc ||
	try_decompress '(\265/\375' xyz zstd -qdc || { rm -f "$tmp"; return 1; }
}
# newer(A, B): A exists and was modified after B.
newer() { [ -e "$1" ] && [ -n "$(find "$1" -prune -newer "$2")" ]; }

if [ -n "${HADISK_VM_KERNEL:-}" ]; then
	:	# run-vm.sh boots HADISK_VM_KERNEL as it is
elif [ ! -s "$VMLINUX" ] || newer "/boot/vmlinuz-$KVER" "$VMLINUX"; then
	mkdir -p "$OUTDIR"
	for f in "$OUTDIR"/vmlinux-*; do
		case "$f" in "$VMLINUX"|*.tmp.*) ;; *) rm -f "$f" ;; esac
	done
	extract_vmlinux ||
		echo "mkinitramfs: cannot extract vmlinux; the VM boots the bzImage (slower)" >&2
fi

if [ $force -eq 0 ] && [ -s "$IMG" ] && newer "$IMG" "$SELF" &&
   [ "$(cat "$STAMP" 2>/dev/null)" = "$KVER" ]; then
	echo "$IMG"
	exit 0
fi

BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] || { echo "mkinitramfs: $BUSYBOX missing (busybox-static)" >&2; exit 1; }
if ! "$BUSYBOX" --list | grep -qx switch_root; then
	echo "mkinitramfs: $BUSYBOX lacks switch_root" >&2
	exit 1
fi

mkdir -p "$OUTDIR"
STAGE=$(mktemp -d "$OUTDIR/initramfs.XXXXXX")
trap 'rm -rf "$STAGE" "$IMG.tmp.$$"' EXIT

mkdir -p "$STAGE/bin" "$STAGE/dev" "$STAGE/proc" "$STAGE/sys" \
	"$STAGE/lower" "$STAGE/rw" "$STAGE/newroot" "$STAGE/results" "$STAGE/modules"
cp "$BUSYBOX" "$STAGE/bin/busybox"
ln -s busybox "$STAGE/bin/sh"
# The kernel opens /dev/console for init before anything is mounted.
mknod -m 600 "$STAGE/dev/console" c 5 1 2>/dev/null || true

# Modules, in load order, each once.
: > "$STAGE/modules/order"
for mod in virtio_pci 9pnet_virtio 9p overlay; do
	modprobe ${MODBASE:+-d "$MODBASE"} -S "$KVER" --show-depends "$mod" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r path; do
	base=$(basename "$path")
	case "$base" in
	*.ko.xz)  xz -dc "$path" > "$STAGE/modules/${base%.xz}"; base=${base%.xz} ;;
	*.ko.zst) zstd -qdc "$path" > "$STAGE/modules/${base%.zst}"; base=${base%.zst} ;;
	*.ko.gz)  gzip -dc "$path" > "$STAGE/modules/${base%.gz}"; base=${base%.gz} ;;
	*)        cp "$path" "$STAGE/modules/$base" ;;
	esac
	echo "$base" >> "$STAGE/modules/order"
done
[ -s "$STAGE/modules/order" ] || [ -n "${HADISK_VM_MODULES:-}" ] ||
	{ echo "mkinitramfs: no modules resolved for $KVER" >&2; exit 1; }

# ---------------------------------------------------------------------------
# First stage: PID 1 in the initramfs.  Everything here is busybox from the
# initramfs itself, which is much faster under TCG than executing the host's
# dynamically linked binaries over 9p, so all the mounting happens here.
# ---------------------------------------------------------------------------
cat > "$STAGE/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/bin

mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys

mounted() { grep -q " $1 " /proc/mounts; }

die() {
	echo "vm-init: $*"
	if mounted /results; then
		echo "stage1: $*" > /results/vm-error
		dmesg > /results/dmesg 2>/dev/null
	fi
	sync
	echo o > /proc/sysrq-trigger
	sleep 30
	echo b > /proc/sysrq-trigger
}

echo "vm-init: stage 1" > /dev/kmsg
for m in $(cat /modules/order); do
	insmod "/modules/$m" || die "insmod $m failed"
done

P9="trans=virtio,version=9p2000.L,msize=512000"
mount -t 9p -o "$P9,cache=none" results /results || die "cannot mount the results share"
mount -t 9p -o "$P9,ro,cache=loose" hostroot /lower || die "cannot mount the host root share"
mount -t tmpfs -o mode=0755 tmpfs /rw || die "tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	die "cannot mount the overlay root"
[ -x /newroot/bin/bash ] || die "no /bin/bash in the host root"

N=/newroot
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs $N/run || die "tmpfs /run"
mkdir -p $N/run/hadisk-vm $N/run/lock $N/run/netns
mount --move /results $N/run/hadisk-vm || die "cannot move the results share"
for d in dev proc sys; do
	mount --move "/$d" "$N/$d" || die "cannot move /$d"
done
mkdir -p $N/dev/pts $N/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $N/dev/pts || die "devpts"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs $N/dev/shm || die "tmpfs /dev/shm"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs $N/tmp || die "tmpfs /tmp"
# A repository under /tmp or /run (a CI clone, say) was hidden by the tmpfs
# mounts just made: give it back, writable like the rest of the root.
repo=$(sed -n 's/^HADISK_ROOT=//p' $N/run/hadisk-vm/job)
case "$repo" in
/tmp/*|/run/*)
	mkdir -p /rw/repo-up /rw/repo-work $N$repo
	mount -t overlay -o lowerdir=/lower$repo,upperdir=/rw/repo-up,workdir=/rw/repo-work \
		overlay $N$repo || die "cannot mount the repository $repo"
	;;
esac
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 $N/sys/fs/cgroup 2>/dev/null
mount -t debugfs debugfs $N/sys/kernel/debug 2>/dev/null
ln -sfn /proc/self/fd $N/dev/fd
ln -sfn /proc/self/fd/0 $N/dev/stdin
ln -sfn /proc/self/fd/1 $N/dev/stdout
ln -sfn /proc/self/fd/2 $N/dev/stderr
mkdir -p $N/var/tmp
hostname hadisk-vm
echo hadisk-vm > $N/etc/hostname
ip link set lo up

echo "vm-init: switching root" > $N/dev/kmsg
cp /stage2 $N/run/hadisk-vm-init
chmod 755 $N/run/hadisk-vm-init
exec switch_root $N /bin/bash /run/hadisk-vm-init
EOF

# ---------------------------------------------------------------------------
# Second stage: PID 1 inside the overlay root (the host's / plus a tmpfs).
# Reads the job written by run-vm.sh in the results share, runs the script
# with a deadline, stores rc/output/dmesg there and powers the VM off.
# ---------------------------------------------------------------------------
cat > "$STAGE/stage2" <<'EOF'
#!/bin/bash
R=/run/hadisk-vm
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=${TERM:-linux}
unset hdvm_script hdvm_timeout

poweroff_now() {
	sync
	echo o > /proc/sysrq-trigger
	sleep 30
	echo b > /proc/sysrq-trigger
	while :; do sleep 3600; done
}

die() {
	echo "vm-init: $*"
	echo "stage2: $*" > "$R/vm-error"
	dmesg > "$R/dmesg" 2>/dev/null
	poweroff_now
}

[ -r "$R/job" ] || die "no job file"
# The job defines HADISK_ROOT, VM_SCRIPT, VM_TIMEOUT, VM_LOGLEVEL
# and sets the positional arguments.
. "$R/job" || die "bad job file"
[ -r "$VM_SCRIPT" ] || die "script $VM_SCRIPT not readable in the VM"

# Kernel warnings go to the serial log as they happen.
echo "${VM_LOGLEVEL:-5}" > /proc/sys/kernel/printk

export HADISK_ROOT HADISK_VM_RESULTS=$R
# A kernel not installed on the host (run-vm.sh HADISK_VM_MODULES): its
# modules appear where modprobe looks for them.
if [ -n "${VM_MODULES:-}" ]; then
	mkdir -p /lib/modules
	ln -sfn "$VM_MODULES" "/lib/modules/$(uname -r)" || die "cannot link $VM_MODULES"
fi
KMEMLEAK=/sys/kernel/debug/kmemleak
if [ "${VM_KMEMLEAK:-0}" = 1 ] && [ -e $KMEMLEAK ]; then
	# Only what the script leaks counts: what boot left is found (an object
	# is reported from its second scan), kept in kmemleak.boot, and cleared.
	t0=$SECONDS
	echo scan > $KMEMLEAK
	echo scan > $KMEMLEAK
	cat $KMEMLEAK > "$R/kmemleak.boot"
	echo clear > $KMEMLEAK
	echo "before the script: $(grep -c '^unreferenced object' "$R/kmemleak.boot") leaks of the boot cleared ($((SECONDS - t0)) s)" > "$R/kmemleak.log"
fi
cd "$HADISK_ROOT" || die "cd $HADISK_ROOT"
echo "vm-init: running $VM_SCRIPT" > /dev/kmsg
echo "$EPOCHREALTIME" > "$R/start"
(
	exec </dev/null >>"$R/output" 2>&1
	t0=$SECONDS
	timeout -k 10 "$VM_TIMEOUT" /bin/bash "$VM_SCRIPT" "$@"
	rc=$?
	# 124: ended by SIGTERM at the deadline; 137: timeout(1) SIGKILLed its
	# process group 10 s later, itself included.
	if [ $((SECONDS - t0)) -ge "$VM_TIMEOUT" ] && { [ $rc -eq 124 ] || [ $rc -eq 137 ]; }; then
		echo "vm-init: scenario killed at its ${VM_TIMEOUT}s deadline"
		echo "vm-init: scenario deadline; blocked tasks:" > /dev/kmsg
		echo w > /proc/sysrq-trigger
		rc=124
	fi
	echo $rc > "$R/rc.tmp"
) &
pid=$!

# Watchdog: a scenario stuck in the kernel (D state) survives SIGKILL.
(
	sleep $((VM_TIMEOUT + 25))
	echo "vm-init: scenario did not terminate after ${VM_TIMEOUT}s" >> "$R/output"
	echo w > /proc/sysrq-trigger
	sleep 1
	dmesg > "$R/dmesg"
	echo 124 > "$R/rc"
	poweroff_now
) &
wdpid=$!

wait $pid
kill $wdpid 2>/dev/null
rc=$(< "$R/rc.tmp")
rm -f "$R/rc.tmp"
echo "$EPOCHREALTIME" > "$R/end"

# run-vm.sh HADISK_VM_KMEMLEAK=1: leaks show once their last reference is
# gone, so end what the script left running, unload hadisk (which frees all
# it holds), scan twice (an object is reported only from its second scan:
# the first takes its checksum) and keep the report in $R/kmemleak: empty
# when clean.  Steps and times in $R/kmemleak.log.
kmemleak_check() {
	local log=$R/kmemleak.log t0=$SECONDS m
	if [ ! -e $KMEMLEAK ]; then
		echo "kmemleak check: $KMEMLEAK missing (a kernel without CONFIG_DEBUG_KMEMLEAK?)" > "$R/kmemleak"
		return
	fi
	{
		echo "after the script: ending every process left"
		kill -KILL -1 2>/dev/null
		sleep 1
		for m in $(awk '$1 ~ "^/dev/hadisk" { print $2 }' /proc/mounts); do
			echo "umount $m"
			umount "$m"
		done
		if [ -d /sys/module/hadisk ]; then
			echo "rmmod hadisk"
			timeout 120 rmmod hadisk || echo "rmmod hadisk failed (status $?): leaks of the loaded module are not seen"
		fi
		echo "scan 1 ($((SECONDS - t0)) s)"
		timeout 300 sh -c "echo scan > $KMEMLEAK" || echo "scan 1 failed (status $?)"
		echo "scan 2 ($((SECONDS - t0)) s)"
		if timeout 300 sh -c "echo scan > $KMEMLEAK"; then
			cat $KMEMLEAK > "$R/kmemleak"
		else
			echo "kmemleak check: the scan failed (kmemleak disabled? see dmesg)" > "$R/kmemleak"
		fi
		echo "done ($((SECONDS - t0)) s): $(grep -c '^unreferenced object' "$R/kmemleak") suspected leaks"
	} >> "$log" 2>&1
}
[ "${VM_KMEMLEAK:-0}" = 1 ] && kmemleak_check
dmesg > "$R/dmesg"
echo "${rc:-125}" > "$R/rc"
poweroff_now
EOF

chmod 755 "$STAGE/init" "$STAGE/stage2"

(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) |
	gzip -1 > "$IMG.tmp.$$"
mv -f "$IMG.tmp.$$" "$IMG"
echo "$KVER" > "$STAMP"
echo "$IMG"
