#!/bin/bash
# The netlink interface under random and malformed messages
# (build/tools/nlfuzz, tests/tools/nlfuzz.c): random commands, attributes
# of wrong types and lengths, unknown ids, nested garbage, random flags,
# truncated messages. Sent as a user without CAP_NET_ADMIN (nothing but
# GET_STATUS may succeed), then as root in the two nodes' namespaces at
# once, starting with the two resources up, connected and resyncing, and
# in the initial namespace. Afterwards: no kernel warning, the module
# answers status, and rmmod works. The fuzz only names the scenario's brd
# disks, missing paths and /bin/true, /bin/false as hooks.
#
# NLFUZZ_SEED=N repeats a run (the seed is printed); NLFUZZ_COUNT=N sets
# the messages per node's namespace (default 3000; each nlfuzz run also
# stops after 40 s, 20 s for the short ones, so that the fuzz stays under
# two minutes on a loaded host: the count reached is printed).
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

NLFUZZ=$HADISK_ROOT/build/tools/nlfuzz
[ -x "$NLFUZZ" ] || fail "$NLFUZZ is not built (make tools)"
SEED=${NLFUZZ_SEED:-$(( $(date +%s) % 1000000 ))}
COUNT=${NLFUZZ_COUNT:-3000}
echo "nlfuzz seed $SEED, $COUNT messages per namespace (NLFUZZ_SEED=$SEED repeats it)"

KLOG_BAD='WARNING:|BUG:|Oops|general protection|soft lockup|hard LOCKUP|hung_task|blocked for more than|KASAN|UBSAN|kernel BUG|list_add corruption|refcount_t:'
klog_clean() {
	if dmesg | grep -E "$KLOG_BAD"; then
		fail "kernel log reports a problem $1"
	fi
}

setup_two_nodes 32
mkdir -p /tmp/nlfuzz-dir
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hd_a primary r0 --force || fail "primary --force"
echo "alpha r0: $(hd_status_field alpha r0 connection), the fuzz starts"

step "as nobody in alpha's namespace: only GET_STATUS may succeed"
in_ns a setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$NLFUZZ" --unprivileged --count 500 --max-seconds 20 --seed "$SEED" ||
	fail "nlfuzz as nobody (seed $SEED)"
hd_status_is alpha r0 role Primary || fail "an unprivileged message changed alpha"
klog_clean "after the unprivileged fuzz"

step "as root in alpha's and beta's namespaces at once (r0 Primary, resyncing)"
# both at once: the resources they create, attach and connect find each other
in_ns a timeout 120 "$NLFUZZ" --count "$COUNT" --max-seconds 40 --seed "$SEED" \
	> "$HADISK_TMP/fuzz-a" 2>&1 &
pid_a=$!
in_ns b timeout 120 "$NLFUZZ" --count "$COUNT" --max-seconds 40 --seed $((SEED + 1)) \
	> "$HADISK_TMP/fuzz-b" 2>&1 &
pid_b=$!
rc_a=0 rc_b=0
wait $pid_a || rc_a=$?
wait $pid_b || rc_b=$?
sed 's/^/alpha: /' "$HADISK_TMP/fuzz-a"
sed 's/^/beta: /' "$HADISK_TMP/fuzz-b"
[ $rc_a = 0 ] || fail "nlfuzz in alpha's namespace: status $rc_a (seed $SEED)"
[ $rc_b = 0 ] || fail "nlfuzz in beta's namespace: status $rc_b (seed $((SEED + 1)))"
klog_clean "after the fuzz in the two namespaces"

step "as root in the initial namespace (no resource of its own)"
timeout 120 "$NLFUZZ" --count 500 --max-seconds 20 --seed $((SEED + 2)) ||
	fail "nlfuzz in the initial namespace (seed $((SEED + 2)))"
klog_clean "after the fuzz in the initial namespace"

step "the module still answers"
hd_a status --json > "$HADISK_TMP/status-a.json" || fail "status in alpha's namespace"
hd_b status --json > "$HADISK_TMP/status-b.json" || fail "status in beta's namespace"
$HADISKCTL status --json > /dev/null || fail "status in the initial namespace"
echo "resources left: alpha $(grep -o '"resource": *"[^"]*"' "$HADISK_TMP/status-a.json" | wc -l)," \
	"beta $(grep -o '"resource": *"[^"]*"' "$HADISK_TMP/status-b.json" | wc -l)"

step "rmmod with whatever the fuzz left"
timeout 60 rmmod hadisk || fail "rmmod hadisk failed or hung (refcount $(cat /sys/module/hadisk/refcnt 2>/dev/null))"
[ ! -d /sys/module/hadisk ] || fail "hadisk still loaded after rmmod"
ls /dev/hadisk* 2>/dev/null && fail "device nodes left behind"
grep -w hadisk /proc/devices && fail "block major still registered"
klog_clean "after rmmod"
echo "netlink fuzz: no kernel warning, status answered, rmmod clean"
