#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one throw-away VM (Debian's stock kernel under TCG, the host's / as a
# read-only root with a tmpfs overlay) and run SCRIPT inside it as root, with
# cwd and $HADISK_ROOT = the repository root.
#
# Usage: tests/vm/run-vm.sh [options] SCRIPT [ARGS...]
#   --live          stream the script's output to the terminal while it runs
#                   (kernel messages stay in console.log and dmesg)
#   -q, --quiet     do not print the script's output at the end
#   --name NAME     result directory build/vm/out/NAME (default: SCRIPT's
#                   basename without .sh)
#   --timeout N     deadline in seconds (default: a "# timeout: N" line in
#                   SCRIPT, else 600); the script is killed inside the VM at
#                   N seconds, qemu itself at N+60
#   --mem MB        guest memory (default 2048)
#   --smp N         guest CPUs (default 2)
#   --pidfile FILE  qemu writes its pid there (to kill the VM from outside)
#   --qemu ARG      extra qemu argument, repeatable (e.g. a -netdev/-device
#                   pair, or -drive for a raw image)
#
# Results in build/vm/out/NAME/: output (stdout+stderr of SCRIPT), rc,
# dmesg, console.log (serial console), vm-error (if the VM could not run it).
# Exit status: SCRIPT's exit status; 124 if it hit the deadline; 125 if the VM
# failed to produce a result.
#
# Env (all optional; unset, the stock Debian kernel runs as described above;
# tests/debug/check-debug.sh sets them for its debug kernel):
#   KVER                      the kernel release (default: newest *-amd64)
#   HADISK_VM_KERNEL          the kernel image to boot instead of
#                             /boot/vmlinuz-$KVER (a bzImage, or a vmlinux
#                             with a PVH entry)
#   HADISK_VM_MODULES         that kernel's module directory (the one holding
#                             modules.dep); the guest sees it as
#                             /lib/modules/$KVER
#   HADISK_VM_BUILD           directory for the initramfs and the results
#                             (default build/vm: results in build/vm/out/NAME)
#   HADISK_VM_KO              the hadisk.ko the scenarios load (HADISK_KO in
#                             the guest; default: lib.sh's, ./hadisk.ko)
#   HADISK_VM_TIMEOUT_FACTOR  multiply the deadline by this integer
#   HADISK_VM_APPEND          extra kernel command line arguments
#   HADISK_VM_KMEMLEAK=1      after SCRIPT, the guest unloads hadisk, scans
#                             for leaks twice and writes the report (empty if
#                             none) to the result file kmemleak
# Also when started as "sh run-...": re-run under bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

SELF=$(readlink -f "$0")
VMDIR=$(dirname "$SELF")
ROOT=$(cd "$VMDIR/../.." && pwd)

live=0 quiet=0 name="" timeout="" mem=2048 smp=2 pidfile="" extra=()
usage() { sed -n '4,25s/^# \{0,1\}//p' "$SELF" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--live) live=1 ;;
	-q|--quiet) quiet=1 ;;
	--name) name=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--mem) mem=$2; shift ;;
	--smp) smp=$2; shift ;;
	--pidfile) pidfile=$2; shift ;;
	--qemu) extra+=("$2"); shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) echo "run-vm: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || usage
script=$(readlink -f "$1") || { echo "run-vm: $1: not found" >&2; exit 2; }
shift
[ -f "$script" ] || { echo "run-vm: $script: not a file" >&2; exit 2; }
[ -n "$name" ] || name=$(basename "$script" .sh)

if [ -z "$timeout" ]; then
	timeout=$(sed -n 's/^#[[:space:]]*timeout:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$script" | head -n 1)
	[ -n "$timeout" ] || timeout=600
fi
case "$timeout" in ''|*[!0-9]*) echo "run-vm: bad timeout '$timeout'" >&2; exit 2 ;; esac
if [ -n "${HADISK_VM_TIMEOUT_FACTOR:-}" ]; then
	case "$HADISK_VM_TIMEOUT_FACTOR" in
	''|*[!0-9]*|0) echo "run-vm: bad HADISK_VM_TIMEOUT_FACTOR '$HADISK_VM_TIMEOUT_FACTOR'" >&2; exit 2 ;;
	esac
	timeout=$((timeout * HADISK_VM_TIMEOUT_FACTOR))
fi

if [ -z "${KVER:-}" ]; then
	KVER=$(for d in /lib/modules/*-amd64; do [ -d "$d" ] && basename "$d"; done | sort -V | tail -n 1)
fi
export KVER
kernel=/boot/vmlinuz-$KVER
[ -n "${HADISK_VM_KERNEL:-}" ] && kernel=$HADISK_VM_KERNEL
[ -r "$kernel" ] || { echo "run-vm: $kernel not readable (linux-image-amd64)" >&2; exit 125; }
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "run-vm: qemu-system-x86_64 missing (qemu-system-x86)" >&2; exit 125; }

initrd=$(sh "$VMDIR/mkinitramfs.sh") || { echo "run-vm: building the initramfs failed" >&2; exit 125; }
VMBUILD=${HADISK_VM_BUILD:-$ROOT/build/vm}
# Uncompressed ELF kernel (PVH entry): saves the ~4 s bzImage decompression.
[ -z "${HADISK_VM_KERNEL:-}" ] && [ -s "$VMBUILD/vmlinux-$KVER" ] && kernel="$VMBUILD/vmlinux-$KVER"

out="$VMBUILD/out/$name"
mkdir -p "$VMBUILD/out"
# One VM per result directory: a second run of the same name waits.
exec 9>"$out.lock"
if ! flock -n 9; then
	echo "run-vm: another VM is running as '$name'; waiting for it" >&2
	flock 9
fi
rm -rf "$out"
mkdir -p "$out"
# The guest appends to it; --live follows it from here.
: > "$out/output"

# The guest mounts its own tmpfs on these: a script living there is copied
# into the results share, which the guest sees at /run/hadisk-vm.
guest_script=$script
case "$script" in
/tmp/*|/run/*|/dev/*|/proc/*|/sys/*)
	cp "$script" "$out/script"
	guest_script=/run/hadisk-vm/script ;;
esac
case "$guest_script$ROOT" in
*[[:space:]]*) echo "run-vm: paths with whitespace are not supported" >&2; exit 2 ;;
esac

loglevel=5
{
	printf 'HADISK_ROOT=%q\n' "$ROOT"
	printf 'VM_SCRIPT=%q\n' "$guest_script"
	printf 'VM_TIMEOUT=%q\n' "$timeout"
	printf 'VM_LOGLEVEL=%q\n' "$loglevel"
	[ -n "${HADISK_VM_MODULES:-}" ] && printf 'VM_MODULES=%q\n' "$HADISK_VM_MODULES"
	[ -n "${HADISK_VM_KO:-}" ] && printf 'export HADISK_KO=%q\n' "$HADISK_VM_KO"
	[ "${HADISK_VM_KMEMLEAK:-0}" = 1 ] && printf 'VM_KMEMLEAK=1\n'
	printf 'set --'
	for a in "$@"; do printf ' %q' "$a"; done
	printf '\n'
} > "$out/job"

# no_timer_check: on a loaded host TCG can miss the early IO-APIC timer
# check, and the kernel panics at boot ("IO-APIC + timer doesn't work").
# tsc=reliable: TCG's TSC follows the host's and is consistent across vCPUs,
# but the boot-time sync check misjudges it and falls back to the much slower
# HPET.  cryptomgr.notests skips the crypto self-tests (0.3 s of boot).
# hdvm_* are unknown to the kernel and land in init's environment; the job
# file in the results share is what the guest actually reads.
append="console=ttyS0 quiet panic=-1 mitigations=off tsc=reliable no_timer_check cryptomgr.notests"
append="$append rdinit=/init hdvm_script=$guest_script hdvm_timeout=$timeout"
[ -n "${HADISK_VM_APPEND:-}" ] && append="$append $HADISK_VM_APPEND"

# shellcheck disable=SC2054 # commas belong to qemu's option syntax
qemu=(qemu-system-x86_64
	-accel tcg,thread=multi -M pc -cpu max -smp "$smp" -m "$mem"
	-nodefaults -no-user-config -nographic -no-reboot
	-kernel "$kernel" -initrd "$initrd" -append "$append"
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
	-device "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot"
	-fsdev "local,id=results,path=$out,security_model=none,multidevs=remap"
	-device "virtio-9p-pci,fsdev=results,mount_tag=results"
)
qemu+=(-chardev "file,id=ser0,path=$out/console.log" -serial chardev:ser0)
[ -n "$pidfile" ] && qemu+=(-pidfile "$pidfile")
qemu+=("${extra[@]}")

host_deadline=$((timeout + 60))
# The guest's leak check after the script: rmmod, two scans.
[ "${HADISK_VM_KMEMLEAK:-0}" = 1 ] && host_deadline=$((host_deadline + 300))
start=$(date +%s)
# timeout(1) puts qemu in its own process group: forward interruptions.
timeout -k 10 "$host_deadline" "${qemu[@]}" </dev/null >"$out/qemu.log" 2>&1 &
qpid=$!
trap 'kill -TERM $qpid 2>/dev/null; wait $qpid; echo "run-vm: interrupted" >&2; exit 130' INT TERM HUP
if [ $live -eq 1 ]; then
	tail -s 0.2 -n +1 -f --pid=$qpid "$out/output" &
	tpid=$!
fi
wait $qpid
qrc=$?
[ $live -eq 1 ] && wait $tpid
trap - INT TERM HUP
end=$(date +%s)
echo $((end - start)) > "$out/duration"

if [ -s "$out/rc" ]; then
	rc=$(cat "$out/rc")
else
	if [ $qrc -eq 124 ]; then
		msg="qemu killed after ${host_deadline}s"
		rc=124
	else
		msg="VM ended without a result (qemu exit $qrc)"
		rc=125
	fi
	[ -s "$out/vm-error" ] && msg="$msg: $(cat "$out/vm-error")"
	echo "run-vm: $msg" >&2
	echo "run-vm: $msg" >> "$out/output"
	echo "$rc" > "$out/rc"
	if [ ! -s "$out/dmesg" ]; then
		# Best effort: the serial console holds what the kernel printed.
		cp "$out/console.log" "$out/dmesg" 2>/dev/null
	fi
fi

if [ $quiet -eq 0 ] && [ $live -eq 0 ]; then
	cat "$out/output" 2>/dev/null
fi
exit "$rc"
