#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The body of `make check-debug`: the VM scenarios on a debug kernel.
#
#  1. The kernel: Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz,
#     the package is installed when missing), `make defconfig` +
#     kvm_guest.config + tests/debug/debug.config (KASAN, lockdep, kmemleak,
#     DEBUG_ATOMIC_SLEEP, what the VM and the scenarios need), built once and
#     cached outside the repository in
#         $HADISK_DEBUG_CACHE (default /var/cache/hadisk/debug-kernel)/<debian
#         version>-<hash of the fragment and this recipe>/
#     (src/ the source, build/ the objects, modules/ its modules installed,
#     build.log, ready).  Reused while the package version and the fragment
#     stay the same.
#  2. hadisk.ko built against it from a copy of Kbuild, kernel/ and include/
#     in build/debug/src/ (-g, for faddr2line), never in the tree.
#  3. tests/vm/run-scenarios.sh on that kernel (tests/vm/run-vm.sh's
#     HADISK_VM_* variables): results in build/debug/vm/out/NAME/, the
#     summary in build/test-results/debug-vm.txt.  Besides a scenario's own
#     failure, any KASAN, lockdep, sleeping-in-atomic, BUG or WARNING line in
#     its kernel log, and any kmemleak report (the VM scans after the
#     scenario, once hadisk is unloaded) fails it.
#
# The last line is "N passed, M failed" (a kernel or module that does not
# build counts as one failure).
#
# Usage: tests/debug/check-debug.sh [SCENARIO...]   (default: every scenario)
# Env:   SCENARIOS="name ..."     the same as arguments
#        DEBUG_TIMEOUT_FACTOR     scenario deadlines x this (default 4)
#        DEBUG_JOBS               make -j for the kernel (default: nproc)
#        HADISK_DEBUG_CACHE       the cache directory (see above)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$ROOT" || exit 1
FRAG=$ROOT/tests/debug/debug.config
# Bump when a change below changes the kernel that comes out.
RECIPE=1
SRC_PKG=linux-source-6.1
SRC_TAR=/usr/src/linux-source-6.1.tar.xz
JOBS=${DEBUG_JOBS:-$(nproc)}
FACTOR=${DEBUG_TIMEOUT_FACTOR:-4}
RESULTS=$ROOT/build/test-results
SUMMARY=$RESULTS/debug-vm.txt
DBUILD=$ROOT/build/debug
MODSRC=$DBUILD/src

# Kernel log lines that fail a scenario on this kernel, on top of
# run-scenarios.sh's (which already has WARNING:, BUG:, KASAN, ...).
DEBUG_BAD_KLOG='Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|possible irq lock inversion|lock held when returning|INFO: trying to register non-static key|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator|ODEBUG:|suspected memory leak|Kernel memory leak detector disabled|sleeping function called from invalid context|scheduling while atomic'

say() { echo "check-debug: $*"; }
t_all=$(date +%s)

finish() { # PASSED FAILED
	echo
	echo "=== results ($(($(date +%s) - t_all))s)"
	echo "$1 passed, $2 failed"
	[ "$2" -eq 0 ]
	exit
}

# --- 0. packages --------------------------------------------------------------
need=""
for p in $SRC_PKG gcc make flex bison bc libelf-dev libssl-dev xz-utils kmod cpio; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
	say "installing$need"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq >/dev/null
	# shellcheck disable=SC2086 # a list of names
	$SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null ||
		{ say "cannot install$need"; finish 0 1; }
fi
[ -r "$SRC_TAR" ] || { say "$SRC_TAR missing (package $SRC_PKG)"; finish 0 1; }

# --- 1. the kernel, cached -----------------------------------------------------
pkgver=$(dpkg-query -W -f='${Version}' $SRC_PKG)
hash=$({ echo "recipe $RECIPE"; echo "$pkgver"; cat "$FRAG"; } | sha256sum | cut -c1-12)
CACHE_BASE=${HADISK_DEBUG_CACHE:-/var/cache/hadisk/debug-kernel}
if ! mkdir -p "$CACHE_BASE" 2>/dev/null || [ ! -w "$CACHE_BASE" ]; then
	CACHE_BASE=${XDG_CACHE_HOME:-$HOME/.cache}/hadisk/debug-kernel
	mkdir -p "$CACHE_BASE" || { say "no writable cache directory"; finish 0 1; }
fi
C=$CACHE_BASE/$pkgver-$hash
mkdir -p "$C"

build_kernel() {
	local t0 s
	t0=$(date +%s)
	rm -rf "$C/src" "$C/build" "$C/modules" "$C/ready"
	say "building the debug kernel in $C (first run only; about 40 minutes on 2 CPUs)"
	say "  log: $C/build.log"
	{
		set -e
		echo "== $(date -u) extract $SRC_TAR"
		mkdir -p "$C/src.tmp"
		tar -xf "$SRC_TAR" -C "$C/src.tmp"
		mv "$C/src.tmp/linux-source-6.1" "$C/src"
		rmdir "$C/src.tmp"
		mkdir -p "$C/build"
		echo "== $(date -u) configure"
		make -C "$C/src" O="$C/build" defconfig
		make -C "$C/src" O="$C/build" kvm_guest.config
		cd "$C/build"
		"$C/src/scripts/kconfig/merge_config.sh" -m -O "$C/build" "$C/build/.config" "$FRAG"
		make -C "$C/src" O="$C/build" olddefconfig
		cd "$ROOT"
		echo "== $(date -u) build (make -j$JOBS)"
		s=$(date +%s)
		make -C "$C/build" -j"$JOBS" bzImage vmlinux modules
		echo "$(($(date +%s) - s))" > "$C/make-seconds"
		echo "== $(date -u) modules_install"
		make -C "$C/build" INSTALL_MOD_PATH="$C/modules" modules_install
		echo "== $(date -u) done"
	} > "$C/build.log" 2>&1
}

check_config() { # every line of the fragment made it into .config
	local bad=0 line key want got
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) key=${line%%=*}; want=${line#*=} ;;
		"# CONFIG_"*" is not set") key=${line#\# }; key=${key%% *}; want=n ;;
		*) continue ;;
		esac
		got=$(grep -E "^$key=|^# $key is not set" "$C/build/.config" | head -n 1)
		case "$got" in
		"$key="*) got=${got#*=} ;;
		*) got=n ;;
		esac
		if [ "$got" != "$want" ]; then
			echo "  $key: fragment says $want, .config has $got"
			bad=1
		fi
	done < "$FRAG"
	return $bad
}

exec 8>"$C.lock"
if ! flock -n 8; then
	say "another run is building or using $C; waiting for it"
	flock 8
fi
if [ -s "$C/ready" ]; then
	say "debug kernel $(cat "$C/ready") cached in $C (built in $(cat "$C/build-seconds" 2>/dev/null)s)"
else
	t0=$(date +%s)
	# Not "if ! (...)": set -e inside would be ignored there.
	( build_kernel )
	brc=$?
	if [ $brc -ne 0 ]; then
		say "building the debug kernel failed; the end of $C/build.log:"
		tail -n 40 "$C/build.log"
		finish 0 1
	fi
	if ! mism=$(check_config); then
		# Not fatal: a symbol the fragment names may be selected by another.
		say "warning: the fragment and the .config differ:"
		printf '%s\n' "$mism"
	fi
	for k in CONFIG_KASAN CONFIG_PROVE_LOCKING CONFIG_DEBUG_KMEMLEAK CONFIG_DEBUG_ATOMIC_SLEEP \
		 CONFIG_9P_FS CONFIG_OVERLAY_FS CONFIG_VIRTIO_PCI; do
		grep -qx "$k=y" "$C/build/.config" ||
			{ say "the kernel config lacks $k=y ($C/build/.config)"; finish 0 1; }
	done
	make -s -C "$C/build" kernelrelease > "$C/ready.tmp" 2>/dev/null
	echo "$(($(date +%s) - t0))" > "$C/build-seconds"
	mv "$C/ready.tmp" "$C/ready"
	say "debug kernel $(cat "$C/ready") built in $(cat "$C/build-seconds")s" \
		"(make: $(cat "$C/make-seconds")s)"
fi
# Others may build against it now; it is not rebuilt while it is ready.
flock -u 8
KREL=$(cat "$C/ready")
# The bzImage: the vmlinux's PVH entry, which saves the stock kernel's
# decompression, resets this KASAN kernel at once.
KIMG=$C/build/arch/x86/boot/bzImage
KMODS=$C/modules/lib/modules/$KREL
if [ ! -r "$KIMG" ] || [ ! -s "$KMODS/modules.dep" ]; then
	say "the cache $C is incomplete (no $KIMG or $KMODS/modules.dep): rm -rf it"
	finish 0 1
fi

# --- 2. hadisk.ko against it ---------------------------------------------------
say "building hadisk.ko for $KREL in $MODSRC"
t0=$(date +%s)
rm -rf "$MODSRC"
mkdir -p "$MODSRC"
cp Kbuild "$MODSRC/"
(find kernel include -type f \( -name '*.[ch]' -o -name Makefile \) -print0 |
	xargs -0 cp --parents -t "$MODSRC") || { say "cannot copy the module sources"; finish 0 1; }
if ! make -C "$C/build" M="$MODSRC" KCFLAGS=-g -j"$JOBS" modules > "$DBUILD/module.log" 2>&1; then
	say "building hadisk.ko failed ($DBUILD/module.log):"
	tail -n 40 "$DBUILD/module.log"
	finish 0 1
fi
say "hadisk.ko built in $(($(date +%s) - t0))s"

# --- 3. the scenarios ------------------------------------------------------------
names=("$@")
[ ${#names[@]} -gt 0 ] || read -r -a names <<< "${SCENARIOS:-}"
say "scenarios on $KREL: ${names[*]:-all} (deadlines x$FACTOR)"
mkdir -p "$RESULTS"
rm -f "$SUMMARY"
# kasan_multi_shot: every KASAN report, not only the first.  acpi=noirq: on
# this kernel under TCG the AML of qemu's PCI routing table (_PRT) runs so
# slowly that ACPICA aborts it twice at its 30 s loop timeout; without ACPI
# interrupt routing the VM boots a minute sooner (virtio uses MSI-X anyway).
# no5lvl: qemu's -cpu max offers 5-level paging; two early boots of this
# kernel with it died in a KASAN report before /init (testing.md).
KVER=$KREL \
HADISK_VM_KERNEL=$KIMG \
HADISK_VM_MODULES=$KMODS \
HADISK_VM_BUILD=$DBUILD/vm \
HADISK_VM_KO=$MODSRC/hadisk.ko \
HADISK_VM_TIMEOUT_FACTOR=$FACTOR \
HADISK_VM_KMEMLEAK=1 \
HADISK_VM_APPEND="kasan_multi_shot acpi=noirq no5lvl" \
HADISK_VM_SUMMARY=$SUMMARY \
HADISK_BAD_KLOG_EXTRA=$DEBUG_BAD_KLOG \
	bash tests/vm/run-scenarios.sh "${names[@]}"
rc=$?
p=0 f=0
if [ -f "$SUMMARY" ]; then
	p=$(grep -c '^PASS ' "$SUMMARY")
	f=$(grep -c '^FAIL ' "$SUMMARY")
fi
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
	say "the scenario runner did not run to its end (exit status $rc)"
	f=1
fi
finish "$p" "$f"
