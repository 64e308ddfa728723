# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# hadiskd in the two-VM crash tests, host side (source it after lib.sh).
# The resource fences (fencing resource-only, tests/crash/fence-peer.sh as
# the fence-peer hook: it succeeds only on a node that has /run/fence-ok
# and no longer hears its peer); hadiskd runs on both nodes with policy
# automatic and 'fencing kernel', two heartbeat paths (eth0 and eth1),
# the default heartbeat-interval and -timeout (500 ms, 3 s), and
# tests/crash/service.sh as start and stop hook (ext4 on /dev/hadisk0 on
# /mnt/r0 and a file writer).
#
#   ha_config [AL_EXTENTS [FENCING]]   r0.conf (fencing resource-only, or
#                              FENCING) and hadiskd-NODE.conf
#   ha_mkfs NODE               mkfs.ext4 on the Primary NODE
#   ha_start NODE...           hadiskd on each (and the event follower)
#   ha_fence_ok NODE           /run/fence-ok there (and only there)
#   ha_services NODE           'hadiskctl failover r0' on the Primary NODE:
#                              hadiskd starts the service (mount, writer)
#   ha_count NODE FILE REGEX   lines of FILE (in NODE's share) matching
#   ha_wait_line NODE FILE REGEX MIN SECS   until ha_count >= MIN; prints
#                              the host time (us) it was seen at
#   ha_writer_acks NODE        acknowledged files of NODE's writer (this boot)
#   ha_collect_acks NODE       append NODE's writer report to the scenario's
#                              list of every acknowledged file
#   ha_verify NODE             every acknowledged file so far is intact on
#                              NODE's mounted file system
#   ha_kill_measure P S        power cut of P; prints when S is Primary and
#                              when its file system is mounted (seconds)
#                              and sets HA_T_PRIMARY, HA_T_MOUNTED
#   ha_service_down NODE       stop hadiskd and the service there (for fsck)
#   ha_fsck NODE               fsck.ext4 -fn /dev/hadisk0 (unmounted)

HA_TIMEOUT_S=3		# hadiskd's default heartbeat-timeout
HA_ACKS=		# set by ha_config: every acknowledged file, in order

ha_config() {
	[ -x "$ROOT/userspace/hadiskd/hadiskd" ] || fail "userspace/hadiskd/hadiskd is not built (make)"
	# hadiskd and hadiskctl as they are now: a rebuild while the scenario
	# runs (a node booted later would get another version) changes nothing
	mkdir -p "$CRASH_DIR/bin"
	cp "$ROOT/userspace/hadiskd/hadiskd" "$ROOT/userspace/hadiskctl/hadiskctl" "$CRASH_DIR/bin/" ||
		fail "cannot copy hadiskd and hadiskctl to $CRASH_DIR/bin"
	crash_config "${1:-}" "fencing ${2:-resource-only};" \
		"    handlers { fence-peer $CRASH_LIB/fence-peer.sh; hook-timeout 30s; discarded-dir /tmp; }"
	local n o
	for n in "${NODES[@]}"; do
		o=$(_other "$n")
		local ip=IP_$n ipo=IP_$o ip2=IP2_$n ip2o=IP2_$o
		cat > "$CRASH_DIR/hadiskd-$n.conf" <<EOC
# hadiskd on $n (tests/crash/ha.sh): defaults for the heartbeat
# (interval 500ms, timeout 3s)
daemon {
    node $n;
    peer $o;
    path ${!ip}:7790 ${!ipo}:7790;
    path ${!ip2}:7790 ${!ip2o}:7790;
}
resource r0 {
    policy automatic;
    fencing kernel;
    start-hook $CRASH_LIB/service.sh;
    stop-hook $CRASH_LIB/service.sh;
    hook-timeout 60s;
}
EOC
	done
	HA_ACKS=$CRASH_DIR/acked-files
	: > "$HA_ACKS"
}

ha_mkfs() {
	vm_must "$1" 120 'mkfs.ext4 -q -F -N 4096 -J size=4 $DEV && echo "$NODE: ext4 made on $DEV"'
}

ha_start() {
	local n
	for n in "$@"; do
		vm_must "$n" 60 "ha_daemon $CRASH_DIR/hadiskd-$n.conf"
	done
}

ha_fence_ok() {
	vm_must "$1" 10 'touch /run/fence-ok'
	vm_must "$(_other "$1")" 10 'rm -f /run/fence-ok'
}

ha_services() {
	vm_must "$1" 120 'HADISKD_SOCKET=/run/hadiskd.sock $HADISKCTL failover r0'
}

ha_count() {
	local c
	c=$(grep -acE "$3" "${VM_OUT[$1]}/$2" 2>/dev/null)
	echo "${c:-0}"
}

ha_wait_line() {
	local n=$1 f=$2 re=$3 min=$4 secs=$5 t0=$SECONDS
	while [ "$(ha_count "$n" "$f" "$re")" -lt "$min" ]; do
		vm_alive "$n" || { _vm_err "$n died while the host waited for '$re' in $f"; return 1; }
		[ $((SECONDS - t0)) -lt "$secs" ] || return 1
		sleep 0.05
	done
	echo "${EPOCHREALTIME/./}"
}

ha_writer_acks() {
	local f=${VM_OUT[$1]}/writer
	[ -s "$f" ] || { echo 0; return 0; }
	grep -acE '^[0-9]+$' "$f"
}

ha_collect_acks() {
	local f=${VM_OUT[$1]}/writer
	[ -s "$f" ] && grep -aE '^[0-9]+$' "$f" >> "$HA_ACKS"
	if [ -s "${VM_OUT[$1]}/writer.errors" ]; then
		sed "s/^/  $1 writer.errors| /" "${VM_OUT[$1]}/writer.errors" >&2
		check_fail "$1: the writer got an IO error"
	fi
	return 0
}

ha_verify() {
	cp "$HA_ACKS" "${VM_OUT[$1]}/acked-files"
	vm_run "$1" 300 '
		m=0
		if ! mountpoint -q /mnt/r0; then
			mkdir -p /mnt/r0 && mount -o ro $DEV /mnt/r0 || exit 1
			m=1
		fi
		$SERVICE verify /mnt/r0/data $R/acked-files
		rc=$?
		[ $m = 0 ] || umount /mnt/r0
		exit $rc' ||
		check_fail "$1: acknowledged files are missing or corrupt"
}

ha_kill_measure() {
	local p=$1 s=$2 t0 tp tm np nm
	np=$(ha_count "$s" bg/events.out '"role":"Primary"')
	nm=$(ha_count "$s" service.log 'start: mounted')
	t0=${EPOCHREALTIME/./}
	vm_kill "$p"
	tp=$(ha_wait_line "$s" bg/events.out '"role":"Primary"' $((np + 1)) 120) ||
		fail "$s was not promoted within 120 s of $p's power cut"
	tm=$(ha_wait_line "$s" service.log 'start: mounted' $((nm + 1)) 120) ||
		fail "$s did not mount the file system within 120 s of $p's power cut"
	HA_T_PRIMARY=$(awk -v a="$t0" -v b="$tp" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
	HA_T_MOUNTED=$(awk -v a="$t0" -v b="$tm" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
	note "$s is Primary ${HA_T_PRIMARY} s after $p's power cut, its file system mounted after ${HA_T_MOUNTED} s (heartbeat-timeout ${HA_TIMEOUT_S} s)"
}

ha_service_down() {
	vm_must "$1" 120 'ha_stop_daemon; $SERVICE stop r0; ! mountpoint -q /mnt/r0 && echo "$NODE: hadiskd stopped, service stopped, /mnt/r0 unmounted"'
}

ha_fsck() {
	vm_run "$1" 300 'fsck.ext4 -fn $DEV' || check_fail "$1: fsck.ext4 -fn found errors"
}
