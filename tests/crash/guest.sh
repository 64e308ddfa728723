# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the commands the crash-test host sends to a VM: node.sh
# sources this file before each command.  Inside: $NODE (alpha or beta),
# $R (the results share, build/vm/out/<vm>/ on the host), $HADISK_ROOT.
#
#   hd ARGS...               hadiskctl --node $NODE ARGS
#   st KEY                   one top-level field of 'status r0 --json'
#   show                     a one-line summary of the resource's state
#   wait_until DESC SECS CMD...   retry CMD every 0.2 s, give up after SECS
#   nap SECS                 sleep (without an exec when it can)
#   is KEY VALUE             test: status field KEY is VALUE
#   data_bytes               size of the data area (/dev/hadisk0)
#   md5_data                 md5 of the data area on the backing disk
#   bg_start NAME CMD...     run CMD detached; output $R/bg/NAME.out,
#                            status $R/bg/NAME.rc when it ends
#   bg_stop NAME             kill it (its whole process group)
#   kmsg_has REGEX           the kernel log of this boot matches REGEX
#   files_writer DIR REPORT TAG   acknowledged file creations, until killed
#                            (the host checks them: md5sum -c of a manifest
#                            it computes with _file_content)
set -o pipefail

HADISKCTL=$HADISK_ROOT/userspace/hadiskctl/hadiskctl
ACKCHECK=$HADISK_ROOT/build/tools/ackcheck
RES=r0
DEV=/dev/hadisk0
DISK=/dev/vda

hd() { "$HADISKCTL" --node "$NODE" "$@"; }

# nap SECS: sleep without an exec (node.sh made the FIFO; nobody writes it).
if [ -p /run/crash/tick ] && exec 7<>/run/crash/tick; then
	nap() { read -r -t "$1" -u 7 _; return 0; }
else
	nap() { sleep "$1"; }
fi

# _field JSON KEY: set FIELD to the value of the first "KEY": scalar of
# JSON (strings unquoted); status 1 if there is none.  hadiskctl's status
# objects are flat apart from "resync", "metadata" and "md_flags", whose
# inner keys have other names.  No fork: under TCG each one costs.
_field() {
	local re="\"$2\"[[:space:]]*:[[:space:]]*(\"([^\"]*)\"|([^,}[:space:]]+))"
	[[ $1 =~ $re ]] || return 1
	FIELD=${BASH_REMATCH[3]}
	[ -n "$FIELD" ] || FIELD=${BASH_REMATCH[2]}
}

# _status: the status JSON in STATUS.
_status() {
	STATUS=$(hd status "$RES" --json)
}

st() {
	_status || return 1
	_field "$STATUS" "$1" || { echo "st: no '$1' in: $STATUS" >&2; return 1; }
	echo "$FIELD"
}

is() {
	_status || return 1
	_field "$STATUS" "$1" || { echo "is: no '$1' in: $STATUS" >&2; return 1; }
	echo "$NODE: $1=$FIELD"
	[ "$FIELD" = "$2" ]
}

show() {
	local k out=""
	_status || return 1
	for k in role peer_role connection disk peer_disk out_of_sync_bytes \
		 bytes_sent bytes_received al_active_extents current_uuid; do
		_field "$STATUS" "$k" || FIELD='?'
		out+="$k=$FIELD "
	done
	echo "$NODE: ${out% }"
}

wait_until() {
	local desc=$1 secs=$2 t0=$SECONDS out
	shift 2
	while :; do
		if out=$("$@" 2>&1); then
			return 0
		fi
		if [ $((SECONDS - t0)) -ge "$secs" ]; then
			echo "$NODE: timed out after ${secs}s waiting for $desc; last output of '$*':"
			printf '%s\n' "$out" | sed 's/^/  | /'
			return 1
		fi
		nap 0.2
	done
}

data_bytes() {
	local s
	s=$(cat /sys/block/hadisk0/size 2>/dev/null) || { echo "no /dev/hadisk0" >&2; return 1; }
	echo $((s * 512))
}

# md5 of the first data_bytes of the backing disk, read with O_DIRECT:
# what is on the disk, not what a page cache remembers.
md5_data() {
	local n sum
	n=$(data_bytes) || return 1
	sum=$(dd if=$DISK bs=1M count="$n" iflag=direct,count_bytes status=none | md5sum) ||
		return 1
	echo "${sum%% *}"
}

bg_start() {
	local name=$1
	shift
	rm -f "$R/bg/$name.rc" "$R/bg/$name.out"
	setsid bash -c '. "$HADISK_ROOT/tests/crash/guest.sh"; "$@"; echo $? > "$R/bg/$0.rc"' "$name" "$@" \
		> "$R/bg/$name.out" 2>&1 < /dev/null &
	echo $! > "/run/crash/$name.pid"
}

bg_stop() {
	local pid
	pid=$(cat "/run/crash/$1.pid" 2>/dev/null) || return 0
	kill -TERM -- "-$pid" 2>/dev/null
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		nap 0.1
	done
	kill -KILL -- "-$pid" 2>/dev/null
	return 0
}

kmsg_has() {
	grep -Eq "$1" "$R/kmsg"
}

# _file_content TAG I: the bytes of file I of a files_writer run TAG
# (a deterministic, I-dependent size between 1 and 48 KiB).
_file_content() {
	local size=$(( ($2 * 7919) % 49152 + 1 )) line="$1 file $2 of the crash test"$'\n' s=""
	while [ ${#s} -lt "$size" ]; do s+=$line$s; done
	printf '%s' "${s:0:size}"
}

# files_writer DIR REPORT TAG: create DIR/f1, f2, ... until killed; each
# file is written to DIR/.tmp, fsync'ed, renamed into place and the
# directory fsync'ed, and only then its number is appended to REPORT (an
# acknowledged file).
files_writer() {
	local dir=$1 report=$2 tag=$3 i=1
	mkdir -p "$dir" && sync "$dir" "$(dirname "$dir")" || return 1
	while :; do
		_file_content "$tag" "$i" > "$dir/.tmp" || return 1
		sync "$dir/.tmp" || return 1
		mv "$dir/.tmp" "$dir/f$i" || return 1
		sync "$dir" || return 1
		echo "$i" >> "$report"
		i=$((i + 1))
	done
}

# ---- hadiskd (the scenarios of tests/crash/ha.sh) ----
#   ha_st KEY                a field of 'hadiskctl ha-status' (the first
#                            "KEY": scalar: top level, then resource r0's)
#   ha_daemon CONF           start hadiskd with CONF (and the event
#                            follower)
#   ha_stop_daemon           stop hadiskd (SIGTERM; nothing is demoted)
HADISKD=$HADISK_ROOT/userspace/hadiskd/hadiskd
SERVICE=$HADISK_ROOT/tests/crash/service.sh
[ -r /run/crash/ha.env ] && . /run/crash/ha.env

ha_st() {
	local s
	s=$(HADISKD_SOCKET=/run/hadiskd.sock "$HADISKCTL" ha-status 2>&1) || { echo "$s" >&2; return 1; }
	_field "$s" "$1" || { echo "ha_st: no '$1' in: $s" >&2; return 1; }
	echo "$FIELD"
}

ha_is() {
	local v
	v=$(ha_st "$1") || return 1
	echo "$NODE: hadiskd $1=$v"
	[ "$v" = "$2" ]
}

ha_daemon() {
	local bin=${1%/*}/bin
	mkdir -p /etc/hadisk
	cp "$1" /etc/hadisk/hadiskd.conf || return 1
	echo "R=$R" > /run/crash/service.env
	# the scenario's copies of hadiskd and hadiskctl (ha_config), for
	# every later command, the hooks included
	if [ -x "$bin/hadiskd" ] && [ -x "$bin/hadiskctl" ]; then
		printf 'HADISKD=%s\nHADISKCTL=%s\n' "$bin/hadiskd" "$bin/hadiskctl" > /run/crash/ha.env
		. /run/crash/ha.env
	fi
	bg_start events "$HADISKCTL" --node "$NODE" events r0 --json
	bg_start hadiskd "$HADISKD" --foreground --config /etc/hadisk/hadiskd.conf
	wait_until "hadiskd's control socket" 30 ha_st node >/dev/null || { cat "$R/bg/hadiskd.out"; return 1; }
	echo "$NODE: hadiskd started ($(ha_st peer_state) peer)"
}

ha_stop_daemon() {
	bg_stop hadiskd
}

# ha_paths: hadiskd's heartbeat paths, one line each.
ha_paths() {
	local s re
	s=$(HADISKD_SOCKET=/run/hadiskd.sock "$HADISKCTL" ha-status) || return 1
	s=${s//$'\n'/}
	re='\{"index":([0-9]+),"local":"([^"]*)","peer":"([^"]*)","state":"([a-z]*)"[^}]*"rtt_us":([0-9]+|null)'
	while [[ $s =~ $re ]]; do
		echo "heartbeat path ${BASH_REMATCH[1]}: ${BASH_REMATCH[2]} -> ${BASH_REMATCH[3]}: ${BASH_REMATCH[4]}, round trip ${BASH_REMATCH[5]} us"
		s=${s#*"${BASH_REMATCH[0]}"}
	done
}
