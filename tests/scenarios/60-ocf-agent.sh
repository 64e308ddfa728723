#!/bin/bash
# The OCF agent scripts/ocf/hadisk and the hooks crm-fence-peer.hadisk /
# crm-unfence-peer.hadisk without Pacemaker (ocf-tester style): each
# action run by hand with OCF_ROOT and OCF_RESKEY_* set, as the cluster
# would, on the two nodes of lib.sh's namespaces; Pacemaker's tools
# (crm_attribute, cibadmin, crm_node, stonith_admin) replaced in this VM
# by stubs that keep the promotion scores and the constraints in files.
# The fence-peer hook also runs from the kernel (fencing resource-only,
# the link cut while alpha is Primary) and the unfence-peer hook when the
# link is back.  The real two-node Pacemaker test is tests/crash/70-pacemaker.sh.
# timeout: 420
. "$HADISK_ROOT/tests/scenarios/lib.sh"

AGENT=$HADISK_ROOT/scripts/ocf/hadisk
FENCE=$HADISK_ROOT/scripts/ocf/crm-fence-peer.hadisk
UNFENCE=$HADISK_ROOT/scripts/ocf/crm-unfence-peer.hadisk
STUB=/run/pcmk-stub
mkdir -p $STUB

step "Pacemaker's tools replaced by stubs (in this VM's overlay only)"
# crm_attribute --promotion: the score of node $HADISK_STUB_NODE in $STUB/score.NODE.
cat > /usr/sbin/crm_attribute <<'EOF'
#!/bin/sh
S=/run/pcmk-stub
echo "crm_attribute $*" >> $S/log
f=$S/score.${HADISK_STUB_NODE:-none}
op="" val=""
while [ $# -gt 0 ]; do
	case $1 in
	--update|-v) op=update; val=$2; shift ;;
	--delete|-D) op=delete ;;
	--query|-G) op=query ;;
	--name|-n) [ "$2" = stonith-enabled ] && { echo false; exit 0; }; shift ;;
	esac
	shift
done
case $op in
update) echo "$val" > "$f" ;;
delete) rm -f "$f" ;;
query) [ -e "$f" ] && cat "$f" || exit 105 ;;
esac
exit 0
EOF
# cibadmin: one clone ms_r0 managing r0; constraints as files $STUB/cons.ID.
cat > /usr/sbin/cibadmin <<'EOF'
#!/bin/sh
S=/run/pcmk-stub
echo "cibadmin $*" >> $S/log
mode="" xpath="" xml=""
while [ $# -gt 0 ]; do
	case $1 in
	--query|-Q) mode=query ;;
	--create|-C) mode=create ;;
	--delete|-D) mode=delete ;;
	--xpath|-A) xpath=$2; shift ;;
	--xml-text|-X) xml=$2; shift ;;
	esac
	shift
done
id_of() { printf '%s\n' "$1" | sed -n 's/^<rsc_location id="\([^"]*\)".*/\1/p'; }
case $mode in
query)
	case $xpath in
	*"//clone["*"@value='r0'"*) echo '<clone id="ms_r0">'; echo '</clone>' ;;
	*"rsc_location[@id='"*)
		id=${xpath#*@id=\'}; id=${id%%\'*}
		[ -e "$S/cons.$id" ] && cat "$S/cons.$id" || exit 105 ;;
	*) exit 105 ;;
	esac ;;
create)
	id=$(id_of "$xml")
	[ -n "$id" ] || exit 1
	[ -e "$S/cons.$id" ] && exit 76
	printf '%s\n' "$xml" | sed 's/></>\n</g' > "$S/cons.$id" ;;
delete)
	id=$(printf '%s\n' "$xml" | sed -n 's/.*id="\([^"]*\)".*/\1/p')
	rm -f "$S/cons.$id" ;;
esac
exit 0
EOF
cat > /usr/sbin/crm_node <<'EOF'
#!/bin/sh
echo "${HADISK_NODE:-${HADISK_STUB_NODE:-unknown}}"
EOF
cat > /usr/sbin/stonith_admin <<'EOF'
#!/bin/sh
exit 0
EOF
chmod 755 /usr/sbin/crm_attribute /usr/sbin/cibadmin /usr/sbin/crm_node /usr/sbin/stonith_admin

setup_two_nodes 64
# Fencing through the Pacemaker hooks.
sed -i "s|^    protocol C;|    protocol C;\n    disk { fencing resource-only; }\n    handlers { fence-peer $FENCE; unfence-peer $UNFENCE; hook-timeout 30s; }|" "$HD_CONF"
cat "$HD_CONF"
load_hadisk

# ocf NODE ACTION [VAR=VALUE...]: run the agent as Pacemaker would on NODE.
# Prints the output, sets OCF_RC.
ocf() {
	local node=$1 action=$2
	shift 2
	# In a condition: lib.sh's ERR trap must not report the agent's codes.
	if in_ns "$node" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin OCF_ROOT=/usr/lib/ocf \
		HADISK_STUB_NODE="$node" OCF_RESOURCE_INSTANCE=p_r0 \
		OCF_RESKEY_resource=r0 OCF_RESKEY_node="$node" OCF_RESKEY_hadiskctl="$HADISKCTL" \
		OCF_RESKEY_CRM_meta_clone_max=2 OCF_RESKEY_CRM_meta_clone_node_max=1 \
		OCF_RESKEY_CRM_meta_promoted_max=1 OCF_RESKEY_CRM_meta_timeout=60000 \
		"$@" "$AGENT" "$action" 2>&1; then
		OCF_RC=0
	else
		OCF_RC=$?
	fi
}
# expect_ocf NODE ACTION RC [VAR=VALUE...]
expect_ocf() {
	local node=$1 action=$2 want=$3
	shift 3
	ocf "$node" "$action" "$@"
	echo "  $node: $action -> $OCF_RC"
	[ "$OCF_RC" = "$want" ] || fail "$node: '$action' exited $OCF_RC, expected $want"
}
score() { cat "$STUB/score.$1" 2>/dev/null || echo none; }
expect_score() {
	local s
	s=$(score "$1")
	echo "  $1: promotion score $s"
	[ "$s" = "$2" ] || fail "$1: promotion score $s, expected $2 ($3)"
}

step "meta-data: well-formed XML naming every action"
out=$("$AGENT" meta-data)
printf '%s\n' "$out" | python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.read())' ||
	fail "meta-data is not well-formed XML"
for a in start stop promote demote notify monitor reload meta-data validate-all; do
	grep -q "<action name=\"$a\"" <<< "$out" || fail "meta-data lacks the action $a"
done
grep -q '<parameter name="resource" unique="1" required="1">' <<< "$out" || fail "meta-data: no required parameter 'resource'"

step "validate-all and bad configurations"
expect_ocf alpha validate-all 0
expect_ocf alpha validate-all 6 OCF_RESKEY_resource=
expect_ocf alpha validate-all 6 OCF_RESKEY_CRM_meta_clone_max=3
expect_ocf alpha validate-all 6 OCF_RESKEY_CRM_meta_promoted_max=2
expect_ocf alpha validate-all 5 OCF_RESKEY_hadiskctl=/nonexistent/hadiskctl
expect_ocf alpha validate-all 5 OCF_RESKEY_config=/nonexistent.conf
expect_ocf alpha monitor 7 OCF_RESKEY_config=/nonexistent.conf
expect_ocf alpha stop 0 OCF_RESKEY_config=/nonexistent.conf
expect_ocf alpha frobnicate 3

step "probe and stop of a resource that is not up: not running / success"
expect_ocf alpha monitor 7
expect_ocf alpha stop 0
expect_score alpha none "not running"

step "start on both nodes (hadiskctl up): Secondary, Inconsistent: no score"
expect_ocf alpha start 0
expect_ocf beta start 0
hd_a wait-connect r0 --timeout 60
expect_ocf alpha monitor 0
expect_ocf beta monitor 0
expect_score alpha none "Inconsistent"
expect_score beta none "Inconsistent"
expect_ocf alpha start 0   # already up: success
expect_ocf alpha promote 1 OCF_RESKEY_CRM_meta_timeout=15000  # Inconsistent: refused (retried 5 s)
[ "$(hd_status_field alpha r0 role)" = Secondary ] || fail "alpha was promoted while Inconsistent"

step "new data generation; both UpToDate and connected: score 10000 on both"
hd_a new-current-uuid r0 --clear-bitmap
hd_a wait-sync r0 --timeout 60
expect_ocf alpha monitor 0
expect_ocf beta monitor 0
expect_score alpha 10000 "UpToDate, connected"
expect_score beta 10000 "UpToDate, connected"

step "promote alpha: running promoted (8); notify and reload keep the score"
expect_ocf alpha promote 0
expect_ocf alpha promote 0   # already Primary
expect_ocf alpha monitor 8
expect_score alpha 10000 "Primary"
expect_ocf beta promote 1 OCF_RESKEY_CRM_meta_timeout=15000  # the peer is Primary: refused (retried 5 s)
expect_ocf beta monitor 0
expect_ocf beta notify 0 OCF_RESKEY_CRM_meta_notify_type=post OCF_RESKEY_CRM_meta_notify_operation=promote
expect_ocf alpha reload 0
expect_score beta 10000 "UpToDate Secondary, connected"

step "the link is cut: the kernel runs crm-fence-peer.hadisk on alpha (Primary); constraint placed"
: > $STUB/log
link_down
wait_for "alpha records beta as fenced" 60 hd_status_is alpha r0 peer_fenced true
cat $STUB/log
[ -e $STUB/cons.hadisk-fence-r0 ] || fail "no constraint hadisk-fence-r0 was placed"
cat $STUB/cons.hadisk-fence-r0
grep -q 'rsc="ms_r0"' $STUB/cons.hadisk-fence-r0 || fail "the constraint is not on ms_r0"
grep -q 'operation="ne" value="alpha"' $STUB/cons.hadisk-fence-r0 || fail "the constraint does not keep the promotion on alpha"
grep -q 'role="Promoted" score="-INFINITY"' $STUB/cons.hadisk-fence-r0 || fail "the constraint is not -INFINITY for Promoted"
dmesg | grep -q 'fence-peer hook .*crm-fence-peer.hadisk.* exited with 4\|crm-fence-peer.hadisk: r0: placed constraint' ||
	fail "the kernel log does not show the hook's verdict"
dmesg | grep 'crm-fence-peer\|fence-peer' | tail -n 5
expect_ocf alpha monitor 8
expect_ocf beta monitor 0
expect_score beta 1000 "UpToDate, the peer unknown"

step "alpha demoted and promoted again without its peer: a new data generation at once"
uuid0=$(hd_status_field alpha r0 current_uuid)
expect_ocf alpha demote 0
expect_ocf alpha monitor 0
expect_ocf alpha promote 0
expect_ocf alpha monitor 8
uuid1=$(hd_status_field alpha r0 current_uuid)
echo "  alpha: current_uuid $uuid0 -> $uuid1"
[ "$uuid1" != "$uuid0" ] || fail "promote without the peer did not start a new data generation"

step "the hook by hand on beta: the constraint keeps alpha: no verdict (1)"
if env -i HADISK_HOOK=fence-peer HADISK_RESOURCE=r0 HADISK_NODE=beta HADISK_PEER=alpha \
	PATH=/usr/sbin:/usr/bin:/sbin:/bin "$FENCE" fence-peer; then
	rc=0
else
	rc=$?
fi
[ $rc = 1 ] || fail "fence-peer on beta against the constraint keeping alpha exited $rc, expected 1"
env -i HADISK_HOOK=unfence-peer HADISK_RESOURCE=r0 HADISK_NODE=beta HADISK_PEER=alpha \
	PATH=/usr/sbin:/usr/bin:/sbin:/bin "$UNFENCE"
[ -e $STUB/cons.hadisk-fence-r0 ] || fail "unfence-peer on beta removed alpha's constraint"

step "the link is back: resync, then the kernel runs crm-unfence-peer.hadisk: constraint removed"
link_up
hd_a wait-sync r0 --timeout 120
wait_for "the constraint removed" 30 test ! -e $STUB/cons.hadisk-fence-r0
wait_for "peer no longer fenced" 30 hd_status_is alpha r0 peer_fenced false
expect_ocf beta monitor 0
expect_score beta 10000 "UpToDate, connected again"

step "demote and stop (hadiskctl secondary, down); scores removed"
expect_ocf alpha demote 0
expect_ocf alpha monitor 0
expect_ocf alpha stop 0
expect_ocf alpha stop 0
expect_ocf alpha monitor 7
expect_score alpha none "stopped"
expect_ocf beta stop 0
expect_score beta none "stopped"
echo "OCF agent: all actions as expected"
