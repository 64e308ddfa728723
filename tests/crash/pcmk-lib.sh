# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Pacemaker and Corosync in the crash-test VMs (host side; sourced by
# tests/crash/7x-*.sh after lib.sh).  The VMs see the host's root, so
# Debian's pacemaker, pacemaker-cli-utils and corosync must be installed
# on the host (scripts/deps.sh).  There is no systemd in the VMs: the
# daemons are started by hand, corosync -f and pacemakerd in the
# background (bg_start), their logs in the node's results share
# (bg/corosync.out, pacemaker.log).
#
#   pcmk_config                 the resource config for Pacemaker: r0 with
#                               fencing resource-only and the
#                               crm-fence-peer.hadisk hooks
#   pcmk_start NODE...          corosync.conf (two nodes over eth0,
#                               two_node: 1), the OCF agent installed as
#                               ocf:hadisk:hadisk, corosync and pacemaker
#                               started; waits until the node is online
#   pcmk_wait_online NODE SECS  until crm_mon on NODE shows both nodes online
#   pcmk_setup NODE             the cluster options (stonith-enabled=false,
#                               stickiness) and the promotable clone ms_r0
#   pcmk_promoted NODE          sets PRIMARY: the node hadisk says is
#                               Primary (from NODE's view: itself or its peer)
#   pcmk_show NODE              crm_mon -1 and the constraints, on NODE
#   pcmk_save_logs NODE         the pacemaker log into the results share

PCMK_AGENT=$ROOT/scripts/ocf/hadisk
PCMK_FENCE=$ROOT/scripts/ocf/crm-fence-peer.hadisk
PCMK_UNFENCE=$ROOT/scripts/ocf/crm-unfence-peer.hadisk

pcmk_check_host() {
	local b
	for b in corosync pacemakerd cibadmin crm_attribute crm_mon; do
		command -v "$b" >/dev/null ||
			fail "$b is not installed on the host (scripts/deps.sh installs pacemaker, pacemaker-cli-utils and corosync)"
	done
}

pcmk_config() {
	crash_config "" "fencing resource-only;" \
		"    handlers { fence-peer $PCMK_FENCE; unfence-peer $PCMK_UNFENCE; hook-timeout 60s; }"
}

# The commands run in a VM to set the node up (guest.sh sourced).
_pcmk_guest_setup='
mkdir -p /etc/corosync /var/log/corosync /var/log/pacemaker /usr/lib/ocf/resource.d/hadisk
cat > /etc/corosync/corosync.conf <<EOC
totem {
    version: 2
    cluster_name: hadisk
    transport: knet
    crypto_cipher: none
    crypto_hash: none
    token: 3000
}
nodelist {
    node {
        ring0_addr: 10.99.1.1
        name: alpha
        nodeid: 1
    }
    node {
        ring0_addr: 10.99.1.2
        name: beta
        nodeid: 2
    }
}
quorum {
    provider: corosync_votequorum
    two_node: 1
}
logging {
    to_stderr: yes
    to_logfile: no
    to_syslog: no
    timestamp: on
}
EOC
cp "$HADISK_ROOT/scripts/ocf/hadisk" /usr/lib/ocf/resource.d/hadisk/hadisk
chmod 755 /usr/lib/ocf/resource.d/hadisk/hadisk
chown hacluster:haclient /var/log/pacemaker
export PCMK_logfile=/var/log/pacemaker/pacemaker.log
'

pcmk_start() {
	local n
	for n in "$@"; do
		vm_must "$n" 300 "$_pcmk_guest_setup"'
			bg_start corosync corosync -f
			wait_until "corosync up" 120 corosync-cfgtool -s ||
				{ tail -n 20 "$R/bg/corosync.out"; exit 1; }
			bg_start pacemaker pacemakerd
			echo "corosync and pacemakerd started"'
	done
}

pcmk_wait_online() {
	local n=$1 secs=$2
	vm_must "$n" $((secs + 10)) "
		wait_until 'both nodes online' $secs sh -c 'crm_mon -1 2>/dev/null | grep -q \"Online: \\[ alpha beta \\]\"'
		crm_mon -1 | head -n 12"
}

pcmk_setup() {
	local n=$1
	vm_must "$n" 60 "
		crm_attribute --type crm_config --name stonith-enabled --update false
		crm_attribute --type crm_config --name cluster-recheck-interval --update 30s
		crm_attribute --type rsc_defaults --name resource-stickiness --update 100
		cibadmin --create --scope resources --xml-text '
<clone id=\"ms_r0\">
  <meta_attributes id=\"ms_r0-meta\">
    <nvpair id=\"ms_r0-promotable\" name=\"promotable\" value=\"true\"/>
    <nvpair id=\"ms_r0-promoted-max\" name=\"promoted-max\" value=\"1\"/>
    <nvpair id=\"ms_r0-promoted-node-max\" name=\"promoted-node-max\" value=\"1\"/>
    <nvpair id=\"ms_r0-clone-max\" name=\"clone-max\" value=\"2\"/>
    <nvpair id=\"ms_r0-clone-node-max\" name=\"clone-node-max\" value=\"1\"/>
    <nvpair id=\"ms_r0-notify\" name=\"notify\" value=\"true\"/>
  </meta_attributes>
  <primitive id=\"p_r0\" class=\"ocf\" provider=\"hadisk\" type=\"hadisk\">
    <instance_attributes id=\"p_r0-params\">
      <nvpair id=\"p_r0-resource\" name=\"resource\" value=\"r0\"/>
      <nvpair id=\"p_r0-hadiskctl\" name=\"hadiskctl\" value=\"$ROOT/userspace/hadiskctl/hadiskctl\"/>
    </instance_attributes>
    <operations>
      <op id=\"p_r0-start\" name=\"start\" interval=\"0\" timeout=\"120s\"/>
      <op id=\"p_r0-stop\" name=\"stop\" interval=\"0\" timeout=\"100s\"/>
      <op id=\"p_r0-promote\" name=\"promote\" interval=\"0\" timeout=\"90s\"/>
      <op id=\"p_r0-demote\" name=\"demote\" interval=\"0\" timeout=\"90s\"/>
      <op id=\"p_r0-mon-p\" name=\"monitor\" interval=\"5s\" role=\"Promoted\" timeout=\"30s\"/>
      <op id=\"p_r0-mon-u\" name=\"monitor\" interval=\"6s\" role=\"Unpromoted\" timeout=\"30s\"/>
    </operations>
  </primitive>
</clone>'
		cibadmin --query --scope resources"
}

# pcmk_promoted NODE: sets PRIMARY to alpha or beta, the node that is
# Primary (as NODE's hadisk sees it), or to "".  Not in a $(...): vm_run
# must run in this shell (it counts the commands sent).
pcmk_promoted() {
	local n=$1 other
	other=$(_other "$n")
	PRIMARY=""
	vm_run "$n" 30 "
		r=\$(st role); p=\$(st peer_role)
		if [ \"\$r\" = Primary ]; then echo PRIMARY=$n
		elif [ \"\$p\" = Primary ]; then echo PRIMARY=$other
		fi" >/dev/null 2>&1 || true
	PRIMARY=$(sed -n 's/^PRIMARY=//p' <<< "$VM_REPLY")
}

pcmk_show() {
	vm_run "$1" 30 'crm_mon -1 -A 2>&1 | head -n 40; echo "-- constraints:"; cibadmin --query --scope constraints 2>&1' || true
}

pcmk_save_logs() {
	local n
	for n in "$@"; do
		vm_alive "$n" || continue
		vm_run "$n" 30 'cp /var/log/pacemaker/pacemaker.log "$R/pacemaker.log" 2>/dev/null; echo saved' >/dev/null || true
	done
}
