# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # variables for the scenarios
#
# Helpers for hadisk VM scenarios.  Every tests/scenarios/NN-*.sh does
#
#     . "$HADISK_ROOT/tests/scenarios/lib.sh"
#
# and runs as root inside a throw-away VM (tests/vm/run-vm.sh), with
# cwd = $HADISK_ROOT = the repository root.  Sourcing this file turns on
# "set -eE -o pipefail": any unchecked failing command ends the scenario
# with a FAIL line naming the command and its line.
#
# Reporting         fail MSG | step MSG | expect_fail DESC CMD... |
#                   wait_for DESC TIMEOUT_S CMD...
# Module            load_hadisk [PARAM=VALUE...] | unload_hadisk
# Two nodes         setup_two_nodes [SIZE_MB] | in_ns NODE CMD... |
#                   hd_a ARGS... | hd_b ARGS... | hd NODE ARGS... |
#                   hd_status NODE RES | hd_status_field NODE RES KEY |
#                   hd_status_is NODE RES KEY VALUE | link_down | link_up |
#                   ping_from NODE IP [COUNT]
# Data              md5_dev DEV [BYTES] | cmp_devs DEV1 DEV2 [BYTES] |
#                   write_tree DIR [MANIFEST] | check_tree DIR [MANIFEST]
#
# NODE is alpha (or a) or beta (or b).  BYTES may carry a K, M or G suffix
# (powers of 1024) and must be a multiple of 512.  md5_dev and cmp_devs never
# read a stale page cache (O_DIRECT, or the device's cache dropped first):
# what they see is what hadisk wrote to the disk.  Variables: RES, HD_CONF,
# PORT, IP_A, IP_B, DISK_A, DISK_B, HD_DEV_A, HD_DEV_B, HADISKCTL, HADISKD,
# HADISK_KO, HADISK_TMP (a scratch directory), and HADISK_VM_RESULTS (a
# directory the host keeps: build/vm/out/<scenario>/).  The kernel log is
# checked by the runner, not here.

set -eE -o pipefail
shopt -s inherit_errexit

HADISK_ROOT=${HADISK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export HADISK_ROOT
HADISK_KO=${HADISK_KO:-$HADISK_ROOT/hadisk.ko}
HADISKCTL=${HADISKCTL:-$HADISK_ROOT/userspace/hadiskctl/hadiskctl}
HADISKD=${HADISKD:-$HADISK_ROOT/userspace/hadiskd/hadiskd}

# The two-node layout made by setup_two_nodes, for the scenarios.
RES=r0
HD_CONF=/etc/hadisk/r0.conf
PORT=7789
IP_A=10.99.0.1
IP_B=10.99.0.2
DISK_A=/dev/ram0
DISK_B=/dev/ram1
HD_DEV_A=/dev/hadisk0
HD_DEV_B=/dev/hadisk1

_HD_MAIN_PID=$BASHPID
_HD_T0=${EPOCHREALTIME/./}
_HD_STEP=0

_hd_elapsed() {
	local us=$(( ${EPOCHREALTIME/./} - _HD_T0 ))
	printf '%d.%d' $((us / 1000000)) $((us / 100000 % 10))
}

# fail MSG: print "FAIL: MSG" and end the scenario with status 1.  Called in
# a subshell (a $(...), a pipeline), it stops the scenario too.
fail() {
	echo "FAIL: $* [t=$(_hd_elapsed)s]" >&2
	if [ -z "${_HD_NO_ABORT:-}" ] && [ "$BASHPID" != "$_HD_MAIN_PID" ]; then
		kill -USR1 "$_HD_MAIN_PID" 2>/dev/null || true
	fi
	exit 1
}
trap 'exit 1' USR1

_hd_on_err() {
	local rc=$1 cmd=$2
	[ "$BASHPID" = "$_HD_MAIN_PID" ] || return 0
	local i where=""
	for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
		where+=" ${BASH_SOURCE[i]##*/}:${BASH_LINENO[i - 1]}"
		[ "${FUNCNAME[i]:-main}" = main ] || [ "${FUNCNAME[i]}" = source ] ||
			where+="(${FUNCNAME[i]})"
	done
	echo "FAIL: command exited with status $rc: $cmd  at$where [t=$(_hd_elapsed)s]" >&2
}
trap '_hd_on_err $? "$BASH_COMMAND"' ERR

# Scenarios reconfigure the kernel (brd, namespaces, modules): VM only.
if [ -z "${HADISK_VM_RESULTS:-}" ] && [ "${HADISK_ALLOW_HOST:-0}" != 1 ]; then
	echo "lib.sh: scenarios run inside the test VM: tests/vm/run-vm.sh ${0}" >&2
	exit 2
fi

HADISK_TMP=$(mktemp -d /tmp/hadisk-scenario.XXXXXX)

# step MSG: a visible progress line.
step() {
	_HD_STEP=$((_HD_STEP + 1))
	printf '\n==== [%6ss] step %d: %s\n' "$(_hd_elapsed)" "$_HD_STEP" "$*"
}

# expect_fail DESC CMD...: CMD must fail.  Its stderr is printed and left
# in $EXPECT_FAIL_ERR (and the file $EXPECT_FAIL_FILE), its status in
# $EXPECT_FAIL_RC.  A `fail` inside CMD counts as CMD failing.
expect_fail() {
	local desc=$1
	shift
	[ $# -gt 0 ] || fail "expect_fail: no command"
	EXPECT_FAIL_FILE=$HADISK_TMP/expect_fail.stderr
	local errtrap had_e=0
	errtrap=$(trap -p ERR)
	[[ $- == *e* ]] && had_e=1
	trap - ERR
	set +e
	(_HD_NO_ABORT=1; set -e; "$@") 2>"$EXPECT_FAIL_FILE"
	EXPECT_FAIL_RC=$?
	[ $had_e -eq 1 ] && set -e
	eval "$errtrap"
	EXPECT_FAIL_ERR=$(cat "$EXPECT_FAIL_FILE")
	if [ "$EXPECT_FAIL_RC" -eq 0 ]; then
		[ -n "$EXPECT_FAIL_ERR" ] && printf '%s\n' "$EXPECT_FAIL_ERR" >&2
		fail "$desc: expected a failure, but succeeded: $*"
	fi
	echo "  ok, failed as expected (status $EXPECT_FAIL_RC): $desc"
	[ -n "$EXPECT_FAIL_ERR" ] && printf '%s\n' "$EXPECT_FAIL_ERR" | sed 's/^/  | /'
	return 0
}

# wait_for DESC TIMEOUT_S CMD...: run CMD every 0.2 s until it succeeds;
# after TIMEOUT_S seconds (integer) fail naming DESC, showing CMD's last
# output.  CMD runs in a subshell: it should be a plain test, and cannot set
# variables of the caller.
wait_for() {
	local desc=$1 timeout=$2
	shift 2
	[ $# -gt 0 ] || fail "wait_for: no command"
	case "$timeout" in ''|*[!0-9]*) fail "wait_for: bad timeout '$timeout'" ;; esac
	local out=$HADISK_TMP/wait_for.out t0=${EPOCHREALTIME/./}
	local deadline=$((t0 + timeout * 1000000))
	while :; do
		if (_HD_NO_ABORT=1; "$@") >"$out" 2>&1; then
			return 0
		fi
		if [ "${EPOCHREALTIME/./}" -ge $deadline ]; then
			echo "wait_for: last output of: $*" >&2
			sed 's/^/  | /' "$out" >&2
			fail "timed out after ${timeout}s waiting for $desc"
		fi
		sleep 0.2
	done
}

# ---------------------------------------------------------------------------
# The module
# ---------------------------------------------------------------------------

# load_hadisk [PARAM=VALUE...]: insmod hadisk.ko (its dependencies first).
load_hadisk() {
	[ -f "$HADISK_KO" ] || fail "$HADISK_KO is not built (make module)"
	local deps d
	deps=$(modinfo -F depends "$HADISK_KO" 2>/dev/null || true)
	for d in ${deps//,/ }; do
		modprobe "$d" || fail "modprobe $d (needed by hadisk.ko)"
	done
	insmod "$HADISK_KO" "$@" || fail "insmod $HADISK_KO $* failed"
	[ -d /sys/module/hadisk ] || fail "hadisk is not loaded after insmod"
}

# unload_hadisk: rmmod hadisk, which must succeed.
unload_hadisk() {
	rmmod hadisk || fail "rmmod hadisk failed (refcount $(cat /sys/module/hadisk/refcnt 2>/dev/null))"
	[ ! -d /sys/module/hadisk ] || fail "hadisk still loaded after rmmod"
}

# ---------------------------------------------------------------------------
# Two nodes in one VM: namespaces a/b, veth va/vb, brd disks
# ---------------------------------------------------------------------------

_hd_ns() {
	case "$1" in
	alpha|a) echo a ;;
	beta|b) echo b ;;
	*) fail "unknown node '$1' (alpha or beta)" ;;
	esac
}

_hd_node() {
	case "$1" in
	alpha|a) echo alpha ;;
	beta|b) echo beta ;;
	*) fail "unknown node '$1' (alpha or beta)" ;;
	esac
}

# setup_two_nodes [SIZE_MB]: four brd disks of SIZE_MB (default 256), the
# namespaces a (va, 10.99.0.1) and b (vb, 10.99.0.2) joined by a veth pair,
# and /etc/hadisk/r0.conf (protocol $PROTOCOL, default C; meta-disk $META,
# default internal, with create-md run on both nodes) for alpha on
# /dev/ram0 (minor 0) and beta on /dev/ram1 (minor 1).  /dev/ram2 and
# /dev/ram3 are spare.
setup_two_nodes() {
	local size=${1:-256} proto=${PROTOCOL:-C} i
	case "$size" in ''|*[!0-9]*) fail "setup_two_nodes: bad size '$size'" ;; esac
	case "$proto" in A|B|C) ;; *) fail "PROTOCOL must be A, B or C, not '$proto'" ;; esac

	if [ -d /sys/module/brd ]; then
		rmmod brd || fail "brd is loaded and busy"
	fi
	modprobe brd rd_nr=4 rd_size=$((size * 1024)) max_part=0 || fail "modprobe brd"
	for i in 0 1 2 3; do
		[ -b /dev/ram$i ] || fail "/dev/ram$i missing after modprobe brd"
	done

	modprobe veth || fail "modprobe veth"
	ip netns add a
	ip netns add b
	ip link add va netns a type veth peer name vb netns b
	ip -n a addr add $IP_A/24 dev va
	ip -n b addr add $IP_B/24 dev vb
	ip -n a link set lo up
	ip -n b link set lo up
	ip -n a link set va up
	ip -n b link set vb up

	mkdir -p /etc/hadisk
	cat > "$HD_CONF" <<EOF
resource $RES {
    protocol $proto;
    on alpha {
        node-id 0;
        address $IP_A:$PORT;
        disk $DISK_A;
        minor 0;
        meta-disk ${META:-internal};
    }
    on beta {
        node-id 1;
        address $IP_B:$PORT;
        disk $DISK_B;
        minor 1;
        meta-disk ${META:-internal};
    }
}
EOF
	wait_for "the veth link a <-> b" 10 ping_from a $IP_B
	if [ "${META:-internal}" = internal ]; then
		hd alpha create-md $RES --force >/dev/null || fail "create-md on alpha"
		hd beta create-md $RES --force >/dev/null || fail "create-md on beta"
	fi
}

# ping_from NODE IP [COUNT]: ping IP from NODE's namespace (busybox ping:
# iputils-ping is not installed everywhere).
ping_from() {
	in_ns "$1" busybox ping -c "${3:-1}" -W 2 "$2"
}

# in_ns NODE CMD...: run CMD in NODE's network namespace.
in_ns() {
	local ns
	ns=$(_hd_ns "$1")
	shift
	ip netns exec "$ns" "$@"
}

# hd NODE ARGS...: hadiskctl as NODE, in NODE's namespace.
hd() {
	local ns node
	ns=$(_hd_ns "$1")
	node=$(_hd_node "$1")
	shift
	ip netns exec "$ns" "$HADISKCTL" --node "$node" "$@"
}
hd_a() { hd alpha "$@"; }
hd_b() { hd beta "$@"; }

# _hd_json_field KEY < JSON: print KEY of the first object (of an array of
# objects, or of a single object) that has it.  KEY may be a dotted path
# ("peer.state", "volumes.0.size").  Strings print raw, booleans as
# true/false, null as null, objects and arrays as JSON.  Status 1 if absent.
_HD_PY=$(command -v python3 2>/dev/null || true)
[ -x /usr/bin/python3 ] && _HD_PY=/usr/bin/python3
_hd_json_field() {
	if [ -n "$_HD_PY" ]; then
		"$_HD_PY" -I -S -c '
import json, sys
key = sys.argv[1]
doc = json.load(sys.stdin)
def get(o, path):
    for p in path.split("."):
        if isinstance(o, list):
            o = o[int(p)]
        elif isinstance(o, dict) and p in o:
            o = o[p]
        else:
            raise KeyError(p)
    return o
for o in (doc if isinstance(doc, list) else [doc]):
    try:
        v = get(o, key)
    except (KeyError, IndexError, ValueError):
        continue
    if isinstance(v, bool):
        v = "true" if v else "false"
    elif v is None:
        v = "null"
    elif isinstance(v, (dict, list)):
        v = json.dumps(v)
    print(v)
    sys.exit(0)
sys.exit(1)' "$1"
	elif command -v jq >/dev/null; then
		jq -r --arg k "$1" '
			($k | split(".") | map(tonumber? // .)) as $p
			| [ (if type == "array" then .[] else . end)
			    | select([paths] | any(. == $p)) | getpath($p) ]
			| if length == 0 then error("absent") else first end
			| if type == "object" or type == "array" then tojson else . end' 2>/dev/null
	else
		# Last resort: the first occurrence of a scalar key, flat JSON only.
		awk -v k="\"$1\"" 'BEGIN { RS = "\001" }
			{
				i = index($0, k)
				if (!i) exit 1
				s = substr($0, i + length(k))
				if (s !~ /^[ \t\r\n]*:/) exit 1
				sub(/^[ \t\r\n]*:[ \t\r\n]*/, "", s)
				if (s ~ /^"/) { s = substr(s, 2); sub(/".*/, "", s) }
				else sub(/[],} \t\r\n].*/, "", s)
				print s
			}'
	fi
}

# hd_status NODE RES: the JSON status (hadiskctl status RES --json).
hd_status() {
	hd "$1" status "$2" --json
}

# hd_status_field NODE RES KEY: one field of the status (see _hd_json_field).
hd_status_field() {
	local json
	json=$(hd "$1" status "$2" --json) || return 1
	printf '%s' "$json" | _hd_json_field "$3" ||
		{ echo "hd_status_field: no '$3' in the status of $2 on $1: $json" >&2; return 1; }
}

# hd_status_is NODE RES KEY VALUE: test, for wait_for.
hd_status_is() {
	local v
	v=$(hd_status_field "$1" "$2" "$3") || return 1
	echo "$1 $2 $3=$v"
	[ "$v" = "$4" ]
}

# link_down / link_up: cut or restore the replication link (va in a).
link_down() { ip -n a link set va down; }
link_up() { ip -n a link set va up; }

# ---------------------------------------------------------------------------
# Data checks
# ---------------------------------------------------------------------------

# _hd_bytes N[K|M|G]: the byte count.
_hd_bytes() {
	local n=$1 m=1
	case "$n" in
	*[kK]) m=1024; n=${n%?} ;;
	*M) m=$((1024 * 1024)); n=${n%?} ;;
	*G) m=$((1024 * 1024 * 1024)); n=${n%?} ;;
	esac
	case "$n" in ''|*[!0-9]*) fail "bad byte count '$1'" ;; esac
	echo $((n * m))
}

_hd_dev_size() {
	[ -b "$1" ] || fail "$1 is not a block device"
	blockdev --getsize64 "$1"
}

# _hd_drop_cache DEV: forget DEV's cached pages (posix_fadvise DONTNEED), so
# the next buffered read sees what is on the device now, whatever wrote it.
_hd_drop_cache() {
	dd if="$1" iflag=nocache count=0 status=none
}

# md5_dev DEV [BYTES]: md5 of DEV (or of its first BYTES), read with O_DIRECT.
# Both ends of the pipe run on one CPU: under TCG a pipe between two vCPUs
# is three times slower.
md5_dev() {
	local dev=$1 n size sum
	size=$(_hd_dev_size "$dev")
	if [ -n "${2:-}" ]; then
		n=$(_hd_bytes "$2")
	else
		n=$size
	fi
	[ $((n % 512)) -eq 0 ] || fail "md5_dev: $n is not a multiple of 512"
	[ "$n" -le "$size" ] || fail "md5_dev: $dev has $size bytes, not $n"
	sum=$(taskset -c 0 sh -c 'dd if="$1" bs=1M count="$2" iflag=direct,count_bytes status=none | md5sum' \
		md5_dev "$dev" "$n") || fail "md5_dev: reading $dev failed"
	echo "${sum%% *}"
}

# cmp_backing [NODE]: the data areas of the two backing disks (the first
# size_bytes of each, as NODE's status reports it; metadata differs by
# design) must be identical.
cmp_backing() {
	local n
	n=$(hd_status_field "${1:-alpha}" $RES size_bytes) || fail "cmp_backing: no size"
	cmp_devs $DISK_A $DISK_B "$n"
}

# cmp_devs DEV1 DEV2 [BYTES]: the devices' first BYTES (default: the size
# of the smaller one, e.g. /dev/hadisk0 against its backing disk) must be
# identical; otherwise fail naming the first differing offset.
cmp_devs() {
	local a=$1 b=$2 n sa sb out rc=0
	sa=$(_hd_dev_size "$a")
	sb=$(_hd_dev_size "$b")
	if [ -n "${3:-}" ]; then
		n=$(_hd_bytes "$3")
	else
		n=$((sa < sb ? sa : sb))
		[ "$sa" = "$sb" ] || echo "  cmp_devs: comparing the first $n bytes ($a has $sa, $b has $sb)"
	fi
	[ $((n % 512)) -eq 0 ] || fail "cmp_devs: $n is not a multiple of 512"
	[ "$n" -le "$sa" ] && [ "$n" -le "$sb" ] ||
		fail "cmp_devs: $n bytes asked, $a has $sa, $b has $sb"
	_hd_drop_cache "$a"
	_hd_drop_cache "$b"
	local t0=${EPOCHREALTIME/./}
	# cmp(1) is 2-3x slower here, and O_DIRECT needs aligned buffers perl
	# does not give: plain reads of freshly dropped caches.
	out=$(perl -e '
		use strict;
		my ($fa, $fb, $n) = @ARGV;
		open(my $A, "<:raw", $fa) or die "$fa: $!\n";
		open(my $B, "<:raw", $fb) or die "$fb: $!\n";
		sub fill {
			my ($fh, $name, $want, $off) = @_;
			my $buf = "";
			while (length($buf) < $want) {
				my $r = sysread($fh, $buf, $want - length($buf), length($buf));
				die "$name: read error at " . ($off + length($buf)) . ": $!\n" unless defined $r;
				die "$name: end of device at " . ($off + length($buf)) . "\n" if $r == 0;
			}
			return $buf;
		}
		my $off = 0;
		while ($off < $n) {
			my $want = $n - $off;
			$want = 1048576 if $want > 1048576;
			my $x = fill($A, $fa, $want, $off);
			my $y = fill($B, $fb, $want, $off);
			if ($x ne $y) {
				($x ^ $y) =~ /[^\0]/;
				print $off + $-[0], "\n";
				exit 1;
			}
			$off += $want;
		}' "$a" "$b" "$n" 2>&1) || rc=$?
	case $rc in
	0) echo "  $a and $b: first $n bytes identical ($(( (${EPOCHREALTIME/./} - t0) / 1000 )) ms)"; return 0 ;;
	1) fail "$a and $b differ at offset $out ($(printf '0x%x' "$out"), 4 KiB block $((out / 4096)))" ;;
	*) fail "cmp_devs $a $b: $out" ;;
	esac
}

# write_tree DIR [MANIFEST]: fill DIR with a tree of $TREE_FILES (default
# 200) files in subdirectories d00.., sizes fixed by the file's index (empty,
# 1 byte, 4 KiB, odd sizes up to 32 KiB, a few 64-320 KiB and every 50th
# file 1-4 MiB; 200 files are ~12 MiB), random contents.  Writes a
# sha256sum manifest (default $HADISK_TMP/tree-<DIR>.sha256) and leaves its
# path in $TREE_MANIFEST.
write_tree() {
	local dir=$1 manifest=${2:-}
	[ -n "$manifest" ] || manifest=$HADISK_TMP/tree-$(echo "$dir" | tr -c 'A-Za-z0-9\n' _).sha256
	mkdir -p "$dir"
	perl -e '
		use strict;
		my ($dir, $n) = @ARGV;
		open(my $rnd, "<:raw", "/dev/urandom") or die "urandom: $!";
		my $seed = 12345;
		for my $i (0 .. $n - 1) {
			$seed = ($seed * 1103515245 + 12345) % 2147483648;
			my $k = $i % 50;
			my $size = $k == 0 ? (1 + int($i / 50) % 4) * 1048576 + $seed % 4096
				 : $k == 1 ? 0
				 : $k == 2 ? 1
				 : $k == 3 ? 4096
				 : $k == 4 ? 65536 + $seed % 262144
				 : $seed % 32768;
			my $sub = sprintf("%s/d%02d", $dir, int($i / 20));
			-d $sub or mkdir($sub) or die "mkdir $sub: $!";
			my $buf = "";
			read($rnd, $buf, $size) == $size or die "urandom short read" if $size;
			my $f = sprintf("%s/f%03d", $sub, $i);
			open(my $out, ">:raw", $f) or die "$f: $!";
			print $out $buf or die "$f: $!";
			close($out) or die "$f: $!";
		}' "$dir" "${TREE_FILES:-200}" || fail "write_tree $dir failed"
	(cd "$dir" && find . -path ./lost+found -prune -o -type f -print0 |
		LC_ALL=C sort -z | xargs -0 sha256sum) > "$manifest" || fail "write_tree: manifest of $dir"
	TREE_MANIFEST=$manifest
}

# check_tree DIR [MANIFEST]: every file of the manifest (default
# $TREE_MANIFEST) is present in DIR with the same contents.
check_tree() {
	local dir=$1 manifest=${2:-${TREE_MANIFEST:-}} out rc=0
	[ -n "$manifest" ] && [ -s "$manifest" ] || fail "check_tree: no manifest"
	out=$(cd "$dir" && sha256sum --quiet --strict -c "$manifest" 2>&1) || rc=$?
	if [ $rc -ne 0 ]; then
		printf '%s\n' "$out" | head -n 20 >&2
		fail "check_tree $dir: $(printf '%s\n' "$out" | grep -c ': FAILED') of $(wc -l < "$manifest") files bad"
	fi
	echo "  tree $dir: $(wc -l < "$manifest") files verified"
}
