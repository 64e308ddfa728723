# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The two-VM crash-test harness, host side.  A crash scenario
# (tests/crash/NN-*.sh) is a bash script on the host that does
#
#     . "$(dirname "$0")/lib.sh"
#     crash_init
#
# and then drives two VMs, "alpha" (10.99.1.1) and "beta" (10.99.1.2):
#
#   - each VM is one tests/vm/run-vm.sh run (Debian's kernel under TCG) of
#     tests/crash/node.sh, with a raw image file of the host as /dev/vda
#     (build/crash/NAME/NODE.img, kept across reboots) and two virtio
#     NICs: eth0 (10.99.1.x, the replication link and the first heartbeat
#     path) and eth1 (10.99.2.x, the second heartbeat path); each pair is
#     joined by "-netdev dgram" (UDP on 127.0.0.1, ports swapped), so the
#     two links are independent;
#   - the host talks to a VM through the VM's results share
#     (build/vm/out/crash-NAME-NODE-BOOT/): it drops numbered command files
#     into cmd/, the VM's agent runs them one at a time and drops the output
#     and the exit status next to them (see node.sh);
#   - a power cut is a SIGKILL of the VM's qemu process; booting the node
#     again starts a new VM on the same image.
#
# Every wait has a deadline.  A VM that does not boot, dies, or does not
# answer a command in time fails the scenario with a message naming it, and
# the end of each VM's serial console and kernel log is printed.
#
# Scenario API
#   crash_init [NAME]         results in build/crash/NAME/ (NAME: the
#                             script's basename); traps; ports
#   crash_config [AL_EXT]     write the resource config (r0, protocol C)
#   make_images SIZE_MB       two zeroed raw images (sparse files)
#   vm_boot NODE...           boot the nodes (in parallel); waits for ready
#   vm_run NODE SECS SCRIPT   run SCRIPT (bash, guest.sh sourced) in NODE;
#                             prints its output; returns its status; the
#                             output is also left in $VM_REPLY
#   vm_must NODE SECS SCRIPT  the same, and fail if SCRIPT fails
#   vm_send NODE SECS SCRIPT  start SCRIPT, don't wait; sets $VM_SEQ
#   vm_wait NODE SEQ          wait for a command started with vm_send
#   vm_kill NODE              SIGKILL the node's qemu (a power cut)
#   vm_shutdown NODE...       end the agents: dmesg saved, VMs power off
#   vm_alive NODE             test: the node's VM is running
#   vm_file NODE PATH         path on the host of PATH in the node's share
#   klog_check                fail on a kernel warning in any VM's log
#   fail MSG | step MSG | note MSG | metric KEY VALUE
#   check_fail MSG            a failed check: go on, but crash_done fails
#   crash_done                exit: 0, or 1 if a check failed
#   link_losses NODE          "link ... lost" lines in its current boot
#   mark_links NODE...        expect_no_link_loss counts from here
#   expect_no_link_loss NODE WHAT   check_fail if the link was lost since
#                             the node's boot or its mark_links
#   pair_up                   create-md, up, connect; alpha UpToDate Primary
#                             and beta UpToDate Secondary, no initial sync
#   acks_last NODE NAME       last complete line of NODE's report NAME
#   wait_acks NODE NAME MIN SECS   until the report has >= MIN acks
#   kmsg_num NODE REGEX       group 1 of REGEX (sed -E) in the last matching
#                             line of the node's current kernel log
#   md_dump NODE TAG          dump-md --json of the node's image (VM down)
#   json_get FILE KEY         a field of a JSON file (dotted path)
#   images_identical          the data areas of both images, compared on
#                             the host, must be identical
#
# hadiskd (tests/crash/ha.sh, sourced by the scenarios that use it) has
# its own helpers: ha_config, ha_start, ha_json, ...
#
# Variables: CRASH_DIR, ROOT, NODES (alpha beta), IP_alpha, IP_beta,
# IP2_alpha, IP2_beta (eth1),
# DATA_BYTES (after pair_up), BOOTS_alpha/BOOTS_beta (boot counts).
#
# Env: CRASH_BOOT_TIMEOUT (default 180 s), CRASH_VM_LIFETIME (default 1500 s,
#      the deadline of one VM), CRASH_MEM (MB per VM, default 768),
#      CRASH_SMP (vCPUs per VM, default 1), CRASH_HADISK_KO (the module
#      the VMs load, default the repository's hadisk.ko; it must be where
#      the VMs see it: inside the repository, e.g. under build/).

set -u
set -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CRASH_LIB=$ROOT/tests/crash
RUNVM=$ROOT/tests/vm/run-vm.sh
NODES=(alpha beta)
IP_alpha=10.99.1.1
IP_beta=10.99.1.2
IP2_alpha=10.99.2.1
IP2_beta=10.99.2.2
MAC_alpha=52:54:00:99:01:01
MAC_beta=52:54:00:99:01:02
MAC2_alpha=52:54:00:99:02:01
MAC2_beta=52:54:00:99:02:02
HADISK_PORT=7789
MiB=$((1024 * 1024))
BOOT_TIMEOUT=${CRASH_BOOT_TIMEOUT:-180}
VM_LIFETIME=${CRASH_VM_LIFETIME:-1500}
VM_MEM=${CRASH_MEM:-768}
VM_SMP=${CRASH_SMP:-1}
HADISK_KO=$(readlink -f "${CRASH_HADISK_KO:-$ROOT/hadisk.ko}")

# Kernel log lines that fail a scenario (those of tests/vm/run-scenarios.sh).
BAD_KLOG='WARNING:|BUG:|Oops|general protection|soft lockup|hard LOCKUP|hung_task|blocked for more than|KASAN|UBSAN|kernel BUG|list_add corruption|refcount_t:'

declare -A VM_OUT=() VM_RUNPID=() VM_QPIDFILE=() VM_NEXT=() VM_DEADLINE=() VM_STUCK=()
ALL_VM_OUTS=()
BOOTS_alpha=0
BOOTS_beta=0
VM_REPLY=""
VM_SEQ=0
_CRASH_IN_FAIL=0
_CRASH_T0=${EPOCHREALTIME/./}

_elapsed() {
	local us=$(( ${EPOCHREALTIME/./} - _CRASH_T0 ))
	printf '%d.%d' $((us / 1000000)) $((us / 100000 % 10))
}

step() { printf '\n==== [%6ss] %s\n' "$(_elapsed)" "$*"; }
note() { printf '  [%6ss] %s\n' "$(_elapsed)" "$*"; }

# metric KEY VALUE: a number worth keeping, in build/crash/NAME/metrics.
metric() {
	echo "$1 $2" >> "$CRASH_DIR/metrics"
	note "metric $1 = $2"
}

_node_ok() {
	case "$1" in alpha|beta) return 0 ;; esac
	echo "crash: unknown node '$1'" >&2
	exit 2
}

_other() { [ "$1" = alpha ] && echo beta || echo alpha; }

# _tail_logs: the end of the kernel log and agent output of each node's
# latest boot (earlier boots: build/vm/out/crash-NAME-NODE-N/).
_tail_logs() {
	local n out
	for n in "${NODES[@]}"; do
		out=${VM_OUT[$n]:-}
		[ -n "$out" ] && [ -d "$out" ] || continue
		if [ -s "$out/kmsg" ]; then
			echo "---- $(basename "$out"): last lines of its kernel log (kmsg) ----"
			tail -n 40 "$out/kmsg"
		else
			echo "---- $(basename "$out"): last lines of its serial console ----"
			grep -a '^\[' "$out/console.log" 2>/dev/null | tail -n 40
		fi
		if [ -s "$out/output" ]; then
			echo "---- $(basename "$out"): agent output ----"
			tail -n 10 "$out/output"
		fi
	done
}

# fail MSG: the scenario failed.  The status of each live node, then the
# tails of each node's logs; the EXIT trap kills the VMs.
fail() {
	echo "FAIL: $* [t=$(_elapsed)s]" >&2
	if [ $_CRASH_IN_FAIL -eq 0 ]; then
		_CRASH_IN_FAIL=1
		local n
		for n in "${NODES[@]}"; do
			vm_alive "$n" && [ -z "${VM_STUCK[$n]:-}" ] || continue
			echo "---- $n: status at the failure ----"
			vm_run "$n" 15 'hd status r0 --json; show' || true
		done
		_tail_logs
	fi
	exit 1
}

# check_fail MSG: a check failed; the scenario goes on (to gather what
# happens next) but will fail: crash_done exits 1.
CRASH_FAILS=()
check_fail() {
	echo "FAIL: $* [t=$(_elapsed)s]" >&2
	CRASH_FAILS+=("$*")
}

# crash_done: the scenario's verdict, after klog_check.
crash_done() {
	if [ ${#CRASH_FAILS[@]} -gt 0 ]; then
		echo "$CRASH_NAME: ${#CRASH_FAILS[@]} check(s) failed ($(_elapsed)s):" >&2
		printf '  - %s\n' "${CRASH_FAILS[@]}" >&2
		exit 1
	fi
	echo "$CRASH_NAME: ok ($(_elapsed)s)"
	exit 0
}

# link_losses NODE: how many times the node's current boot lost the link.
link_losses() {
	grep -ac 'hadisk r0: link to .* lost' "${VM_OUT[$1]}/kmsg" 2>/dev/null
	return 0
}

# mark_links NODE...: link losses so far are expected (e.g. a previous
# crash of the peer); expect_no_link_loss counts from here.
declare -A LINK_MARK=()
mark_links() {
	local n
	for n in "$@"; do LINK_MARK[$n]=$(link_losses "$n"); done
}

# expect_no_link_loss NODE WHAT: nothing cut the link since the node's
# boot (or its mark_links); a loss is a failure (its log lines are shown).
expect_no_link_loss() {
	local n=$1 c mark
	mark=${LINK_MARK[$n]:-0}
	c=$(( $(link_losses "$n") - mark ))
	[ "$c" -eq 0 ] && return 0
	grep -a 'hadisk r0: link to .* lost' "${VM_OUT[$n]}/kmsg" | tail -n +"$((mark + 1))" |
		head -n 5 | sed "s/^/  $n kmsg| /" >&2
	check_fail "$n lost the replication link $c time(s) $2, though the link was never cut"
}

_cleanup() {
	local n pid
	for n in "${NODES[@]}"; do
		[ -n "${VM_QPIDFILE[$n]:-}" ] || continue
		if vm_alive "$n"; then
			pid=$(cat "${VM_QPIDFILE[$n]}" 2>/dev/null)
			[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
		fi
	done
	for n in "${NODES[@]}"; do
		pid=${VM_RUNPID[$n]:-}
		[ -n "$pid" ] && wait "$pid" 2>/dev/null
	done
	return 0
}

# crash_init NAME: a fresh build/crash/NAME/, the tools present, four UDP
# ports free on 127.0.0.1 (two per link), cleanup on exit.
crash_init() {
	CRASH_NAME=${1:-$(basename "$0" .sh)}
	CRASH_DIR=$ROOT/build/crash/$CRASH_NAME
	mkdir -p "$ROOT/build/crash"
	# One run of a scenario at a time on this machine (its directories,
	# images and VM names are fixed): a second one waits for the first.
	# The VMs are started with this descriptor closed.
	exec 8>"$CRASH_DIR.lock"
	if ! flock -n 8; then
		note "another run of $CRASH_NAME is in progress; waiting for it to end"
		flock 8
	fi
	rm -rf "$CRASH_DIR" "$ROOT/build/vm/out/crash-$CRASH_NAME-"{alpha,beta}-[0-9]*
	mkdir -p "$CRASH_DIR"
	trap _cleanup EXIT
	trap 'echo "crash: interrupted" >&2; exit 130' INT TERM HUP
	local f
	for f in userspace/hadiskctl/hadiskctl build/tools/ackcheck; do
		[ -x "$ROOT/$f" ] || fail "$f is not built (make; make tools)"
	done
	[ -f "$HADISK_KO" ] || fail "$HADISK_KO is not built (make)"
	command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing"
	# Four adjacent free UDP ports: eth0's (alpha's, beta's), eth1's.
	local p used
	used=$(ss -Hulna 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }')
	for _ in $(seq 1 50); do
		p=$((20000 + (RANDOM % 10000) * 4))
		if ! grep -qxE "$p|$((p + 1))|$((p + 2))|$((p + 3))" <<< "$used"; then
			PORT_alpha=$p
			PORT_beta=$((p + 1))
			PORT2_alpha=$((p + 2))
			PORT2_beta=$((p + 3))
			break
		fi
	done
	[ -n "${PORT_alpha:-}" ] || fail "no four free UDP ports on 127.0.0.1"
	: > "$CRASH_DIR/metrics"
	note "crash scenario $CRASH_NAME: results in ${CRASH_DIR#"$ROOT"/}, links on udp ports $PORT_alpha/$PORT_beta (eth0) and $PORT2_alpha/$PORT2_beta (eth1)"
}

# crash_config [AL_EXTENTS [DISK_KEYS [MORE]]]: r0, protocol C, on
# /dev/vda, internal metadata.  DISK_KEYS go into the disk section (e.g.
# "fencing resource-only;"), MORE (e.g. a handlers section) into the
# resource.
crash_config() {
	local disk_keys=""
	[ -n "${1:-}" ] && disk_keys="al-extents $1; "
	disk_keys+=${2:-}
	local disk_section=""
	[ -n "$disk_keys" ] && disk_section="    disk { $disk_keys }"
	cat > "$CRASH_DIR/r0.conf" <<EOF
resource r0 {
    protocol C;
    net { ping-interval 1s; ping-timeout 2s; ack-timeout 6s; connect-interval 1s; }
$disk_section
${3:-}
    on alpha { node-id 0; address $IP_alpha:$HADISK_PORT; disk /dev/vda; minor 0; meta-disk internal; }
    on beta  { node-id 1; address $IP_beta:$HADISK_PORT; disk /dev/vda; minor 0; meta-disk internal; }
}
EOF
}

# make_images SIZE_MB: zeroed (sparse) raw images, one per node.
make_images() {
	local n
	for n in "${NODES[@]}"; do
		rm -f "$CRASH_DIR/$n.img"
		truncate -s "${1}M" "$CRASH_DIR/$n.img" || fail "cannot create $CRASH_DIR/$n.img"
	done
}

vm_alive() {
	local pid=${VM_RUNPID[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

vm_file() { echo "${VM_OUT[$1]}/$2"; }

# _vm_start NODE: start run-vm.sh for the node's next boot, in the background.
_vm_start() {
	local n=$1 boots name out other
	_node_ok "$n"
	vm_alive "$n" && fail "vm_boot $n: it is already running"
	other=$(_other "$n")
	boots=BOOTS_$n
	printf -v "$boots" '%d' $((${!boots} + 1))
	name=crash-$CRASH_NAME-$n-${!boots}
	out=$ROOT/build/vm/out/$name
	rm -rf "$out"
	VM_OUT[$n]=$out
	VM_QPIDFILE[$n]=$CRASH_DIR/$n.qemu.pid
	VM_NEXT[$n]=1
	VM_STUCK[$n]=""
	rm -f "${VM_QPIDFILE[$n]}"
	ALL_VM_OUTS+=("$out")
	local lp=PORT_$n rp=PORT_$other mac=MAC_$n ip=IP_$n
	local lp2=PORT2_$n rp2=PORT2_$other mac2=MAC2_$n ip2=IP2_$n
	bash "$RUNVM" -q --name "$name" --timeout "$VM_LIFETIME" \
		--mem "$VM_MEM" --smp "$VM_SMP" --pidfile "${VM_QPIDFILE[$n]}" \
		--qemu -drive --qemu "file=$CRASH_DIR/$n.img,format=raw,if=virtio,cache=none" \
		--qemu -netdev --qemu "dgram,id=hn,local.type=inet,local.host=127.0.0.1,local.port=${!lp},remote.type=inet,remote.host=127.0.0.1,remote.port=${!rp}" \
		--qemu -device --qemu "virtio-net-pci,netdev=hn,mac=${!mac}" \
		--qemu -netdev --qemu "dgram,id=hn2,local.type=inet,local.host=127.0.0.1,local.port=${!lp2},remote.type=inet,remote.host=127.0.0.1,remote.port=${!rp2}" \
		--qemu -device --qemu "virtio-net-pci,netdev=hn2,mac=${!mac2}" \
		"$CRASH_LIB/node.sh" "$n" "${!ip}" "$CRASH_DIR/r0.conf" "$HADISK_KO" "${!ip2}" \
		> "$CRASH_DIR/$name.run-vm.log" 2>&1 < /dev/null 8>&- &
	VM_RUNPID[$n]=$!
	note "booting $n ($name)"
}

# _vm_wait_ready NODE
_vm_wait_ready() {
	local n=$1 out=${VM_OUT[$1]} t0=$SECONDS
	while [ ! -e "$out/ready" ]; do
		if [ -s "$out/agent-error" ]; then
			fail "$n: the VM agent failed: $(cat "$out/agent-error")"
		fi
		if ! vm_alive "$n"; then
			cat "$CRASH_DIR/$(basename "$out").run-vm.log" >&2 2>/dev/null
			fail "$n: the VM ended before it was ready"
		fi
		[ $((SECONDS - t0)) -lt "$BOOT_TIMEOUT" ] ||
			fail "$n: the VM was not ready after ${BOOT_TIMEOUT}s"
		sleep 0.2
	done
	note "$n is up ($((SECONDS - t0))s after the wait began): $(grep -a 'ready:' "$out/output" | tail -n 1)"
}

# vm_boot NODE...: boot them side by side, return when all are ready.
vm_boot() {
	local n
	for n in "$@"; do _vm_start "$n"; done
	for n in "$@"; do _vm_wait_ready "$n"; done
}

# _vm_err MSG: a harness error: fail, or while failing already just say it.
_vm_err() {
	[ $_CRASH_IN_FAIL -eq 0 ] && fail "$*"
	echo "crash: $*" >&2
}

# vm_send NODE SECS SCRIPT: queue SCRIPT; its deadline in the VM is SECS.
vm_send() {
	local n=$1 secs=$2 script=$3 seq out
	_node_ok "$n"
	vm_alive "$n" || { _vm_err "$n: not running (command: $script)"; return 1; }
	out=${VM_OUT[$n]}
	[ -e "$out/ready" ] || { _vm_err "$n: its agent is not ready (command: $script)"; return 1; }
	seq=${VM_NEXT[$n]}
	VM_NEXT[$n]=$((seq + 1))
	printf '# deadline: %d\n%s\n' "$secs" "$script" > "$out/cmd/.new.$seq"
	mv "$out/cmd/.new.$seq" "$out/cmd/$seq.sh"
	# The host's own margin: the agent kills it at SECS, 5 s later -KILL.
	VM_DEADLINE[$n.$seq]=$((SECONDS + secs + 20))
	VM_SEQ=$seq
}

# vm_wait NODE SEQ: print its output, return its status.
vm_wait() {
	local n=$1 seq=$2 out=${VM_OUT[$1]} rc
	local t0=${EPOCHREALTIME/./} rcline=""
	while :; do
		# Complete once the status line has its newline (read fails without).
		[ -s "$out/cmd/$seq.rc" ] && read -r rcline < "$out/cmd/$seq.rc" && break
		if ! vm_alive "$n"; then
			_vm_err "$n: the VM died while running command $seq: $(sed -n '2,4p' "$out/cmd/$seq.sh")"
			return 1
		fi
		if [ "$SECONDS" -ge "${VM_DEADLINE[$n.$seq]}" ]; then
			VM_STUCK[$n]=1
			_vm_err "$n: no answer to command $seq within its deadline: $(sed -n '2,4p' "$out/cmd/$seq.sh")"
			return 1
		fi
		sleep 0.1
	done
	rc=$rcline
	VM_REPLY=$(cat "$out/cmd/$seq.out" 2>/dev/null)
	[ -n "$VM_REPLY" ] && printf '%s\n' "$VM_REPLY" | sed "s/^/  $n| /"
	[ "$rc" = 124 ] && echo "  $n| (killed at its deadline)"
	local ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
	[ $ms -lt 3000 ] || echo "  $n| (${ms} ms, status $rc)"
	return "$rc"
}

vm_run() {
	vm_send "$1" "$2" "$3" || return 1
	vm_wait "$1" "$VM_SEQ"
}

vm_must() {
	vm_run "$1" "$2" "$3" || fail "$1: command failed (status $?): $(printf '%s' "$3" | head -n 1)"
}

# vm_kill NODE: the power cut.  Returns when run-vm.sh has seen qemu die.
vm_kill() {
	local n=$1 pid t0=$SECONDS
	vm_alive "$n" || fail "vm_kill $n: not running"
	pid=$(cat "${VM_QPIDFILE[$n]}" 2>/dev/null)
	[ -n "$pid" ] || fail "vm_kill $n: no qemu pid in ${VM_QPIDFILE[$n]}"
	kill -KILL "$pid" || fail "vm_kill $n: kill -KILL $pid failed"
	while vm_alive "$n"; do
		[ $((SECONDS - t0)) -lt 30 ] || fail "vm_kill $n: run-vm.sh still running 30 s after the kill"
		sleep 0.1
	done
	wait "${VM_RUNPID[$n]}" 2>/dev/null
	note "$n: qemu (pid $pid) killed with SIGKILL"
}

# vm_shutdown NODE...: end the agents cleanly: each VM saves its dmesg and
# powers off; run-vm.sh must report status 0.
vm_shutdown() {
	local n rc t0
	for n in "$@"; do
		vm_send "$n" 10 exit
	done
	for n in "$@"; do
		t0=$SECONDS
		while vm_alive "$n"; do
			[ $((SECONDS - t0)) -lt 90 ] || fail "$n: the VM did not power off within 90 s"
			sleep 0.2
		done
		wait "${VM_RUNPID[$n]}"
		rc=$?
		[ $rc -eq 0 ] || fail "$n: the VM ended with status $rc ($(cat "${VM_OUT[$n]}/vm-error" 2>/dev/null))"
		VM_RUNPID[$n]=""
	done
}

# klog_check: no warning, oops, lockup... in any kernel log of any boot.
klog_check() {
	local out f bad=""
	for out in "${ALL_VM_OUTS[@]}"; do
		for f in "$out/kmsg" "$out/dmesg" "$out/console.log"; do
			[ -s "$f" ] || continue
			if grep -aqE "$BAD_KLOG" "$f"; then
				bad+="$(basename "$out")/$(basename "$f"):"$'\n'
				bad+="$(grep -aE -B2 -A12 "$BAD_KLOG" "$f" | head -n 40)"$'\n'
			fi
		done
	done
	if [ -n "$bad" ]; then
		printf '%s' "$bad" >&2
		fail "kernel warnings in the VMs' logs"
	fi
	note "kernel logs of ${#ALL_VM_OUTS[@]} boots: no warnings"
}

# kmsg_num NODE REGEX: group 1 of the last line of NODE's current kernel log
# matching the extended REGEX (which must contain one group).
kmsg_num() {
	sed -nE "s/.*$2.*/\\1/p" "${VM_OUT[$1]}/kmsg" | tail -n 1
}

acks_last() {
	local f=${VM_OUT[$1]}/$2
	[ -s "$f" ] || { echo 0; return 0; }
	# The last complete line: a line being written has no newline yet.
	awk '/^[0-9]+$/ { last = $0 } END { print last + 0 }' "$f"
}

wait_acks() {
	local n=$1 name=$2 min=$3 secs=$4 t0=$SECONDS c bg
	while :; do
		c=$(acks_last "$n" "$name")
		[ "$c" -ge "$min" ] && return 0
		bg=${VM_OUT[$n]}/bg
		if ls "$bg"/*.rc >/dev/null 2>&1; then
			local f
			for f in "$bg"/*.rc; do
				[ "$(cat "$f")" = 0 ] && continue
				echo "---- $(basename "$f" .rc) ended with status $(cat "$f"):" >&2
				tail -n 20 "${f%.rc}.out" >&2
				fail "$n: a background writer failed"
			done
		fi
		vm_alive "$n" || fail "$n: died while writing ($c acks)"
		[ $((SECONDS - t0)) -lt "$secs" ] ||
			fail "$n: only $c acknowledged writes after ${secs}s (wanted $min)"
		sleep 0.2
	done
}

# pair_up: metadata created, both up and connected, alpha Primary, both
# UpToDate.  Both images are zeroed: the initial sync is skipped with
# new-current-uuid --clear-bitmap.
pair_up() {
	local n
	for n in "${NODES[@]}"; do
		vm_send "$n" 60 'hd create-md r0 && hd up r0'
	done
	for n in "${NODES[@]}"; do
		vm_wait "$n" "$((VM_NEXT[$n] - 1))" || fail "$n: create-md/up failed"
	done
	vm_must alpha 60 'hd wait-connect r0 --timeout 50 && show'
	vm_must alpha 90 '
		hd new-current-uuid r0 --clear-bitmap
		wait_until "beta UpToDate" 30 is peer_disk UpToDate
		hd primary r0
		hd wait-sync r0 --timeout 30
		show'
	vm_must beta 60 'wait_until "UpToDate" 50 is disk UpToDate && show'
	vm_must alpha 10 'data_bytes'
	DATA_BYTES=$VM_REPLY
	metric data_bytes "$DATA_BYTES"
}

# md_dump NODE TAG: the node's metadata read on the host from its image
# (qemu must not be running: dump-md opens it exclusively), kept in
# build/crash/NAME/NODE.TAG.dump-md.json; prints the file's path.
md_dump() {
	local f=$CRASH_DIR/$1.$2.dump-md.json
	vm_alive "$1" && fail "md_dump $1: its VM is running"
	"$ROOT/userspace/hadiskctl/hadiskctl" dump-md --disk "$CRASH_DIR/$1.img" --json > "$f" ||
		fail "dump-md of $1.img failed"
	"$ROOT/userspace/hadiskctl/hadiskctl" dump-md --disk "$CRASH_DIR/$1.img" > "${f%.json}.txt" 2>&1
	echo "$f"
}

# json_get FILE KEY: a field of a JSON document (dotted path; lists by
# index; lists and objects printed as JSON, booleans as true/false).
json_get() {
	python3 -I -S -c '
import json, sys
o = json.load(open(sys.argv[1]))
for p in sys.argv[2].split("."):
    o = o[int(p)] if isinstance(o, list) else o[p]
if isinstance(o, bool):
    print("true" if o else "false")
elif isinstance(o, (dict, list)) or o is None:
    print(json.dumps(o))
else:
    print(o)' "$1" "$2" || fail "json_get $1 $2"
}

# images_identical: the data areas of both images, compared on the host
# (qemu writes them with O_DIRECT: what the guests' disks hold).
images_identical() {
	local out rc=0
	out=$(cmp -n "$DATA_BYTES" "$CRASH_DIR/alpha.img" "$CRASH_DIR/beta.img" 2>&1) || rc=$?
	case $rc in
	0) note "alpha.img and beta.img: data areas identical ($DATA_BYTES bytes)" ;;
	1) fail "the data areas differ: $out" ;;
	*) fail "cmp of the images: $out" ;;
	esac
}
