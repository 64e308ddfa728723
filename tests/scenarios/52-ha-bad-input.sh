#!/bin/bash
# Bad split-brain, fencing and hook settings: each is refused with a
# message naming the key and the fix, and nothing is set up (safe).
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 32
load_hadisk

# conf RESOURCE_BODY_LINES: r0 with these extra lines.
conf() {
	cat > "$HD_CONF" <<C
resource $RES {
    $1
    on alpha { node-id 0; address $IP_A:$PORT; disk $DISK_A; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
}
# refused BODY PATTERN...: 'up' exits 2, its message matches every
# PATTERN, and no resource exists afterwards.
refused() {
	local body=$1 out rc=0 p
	shift
	conf "$body"
	out=$(hd_a up $RES 2>&1) || rc=$?
	echo "  [$body] -> rc $rc: $out"
	[ "$rc" = 2 ] || fail "up with '$body' exited $rc, not 2 (configuration error)"
	for p in "$@"; do
		echo "$out" | grep -q -- "$p" || fail "the message for '$body' does not say '$p'"
	done
	hd_a status $RES >/dev/null 2>&1 && fail "'$body' left a resource behind"
	return 0
}

step "unknown policies"
refused "net { after-sb-0pri discard-everything; }" "after-sb-0pri" "r0.conf:2"
refused "net { after-sb-1pri discard-least-changes; }" "after-sb-1pri" "after-sb-0pri"
refused "net { after-sb-2pri discard-secondary; }" "after-sb-2pri"
refused "net { after-sb-0pri discard-node-gamma; }" "gamma" "alpha"
refused "disk { fencing stonith; }" "fencing" "resource-and-stonith"

step "hooks that are missing, relative or required"
refused "disk { fencing resource-only; }" "fence-peer"
refused "handlers { fence-peer hooks/fence; }" "absolute"
refused "handlers { split-brain /no/such/hook; }" "split-brain" "/no/such/hook"
printf '#!/bin/sh\n' > /tmp/not-exec
chmod -x /tmp/not-exec
refused "handlers { fence-peer /tmp/not-exec; }" "/tmp/not-exec" "executable"
refused "net { after-sb-1pri call-pri-lost-after-sb; }" "pri-lost-after-sb"
refused "handlers { hook-timeout 0s; }" "hook-timeout"

step "good settings still work"
printf '#!/bin/sh\nexit 0\n' > /tmp/ok-hook
chmod +x /tmp/ok-hook
conf "net { after-sb-0pri discard-zero-changes; after-sb-1pri consensus; after-sb-2pri disconnect; }
    disk { fencing resource-only; }
    handlers { fence-peer /tmp/ok-hook; split-brain /tmp/ok-hook; hook-timeout 10s; }"
hd_a up $RES || fail "up with good settings"
[ "$(hd_status_field alpha $RES after_sb_1pri)" = consensus ] || fail "after-sb-1pri not reported"
[ "$(hd_status_field alpha $RES fencing)" = resource-only ] || fail "fencing not reported"
hd_a down $RES || fail "down"
echo "ha bad input: ok"
