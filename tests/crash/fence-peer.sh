#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The fence-peer hook of the crash tests (run by the kernel, see
# Documentation/hooks.md).  There is no power switch between the two VMs,
# so the verdict is made from two facts this node can check:
#
#   - /run/fence-ok exists here: the test placed it on the one node whose
#     fencing is allowed to succeed (nodes cut apart cannot agree with each
#     other, so the test decides for them: exactly one node has the file);
#   - hadiskd no longer hears the peer on any heartbeat path
#     ('hadiskctl ha-status': "peer_state":"lost"; waited for up to 10 s,
#     since the kernel's ping-timeout may notice the loss first).
#
# Both: exit 5 (the peer is unreachable, assumed dead).  Otherwise exit 1
# (no verdict: fencing failed, the node is not promoted).  Each run says
# what it decided in the kernel log ("crash-fence-peer: ...").
#
# With /run/fence-stonith too, the host is the power switch: the hook asks
# it to power the peer off (the file stonith-request in this VM's results
# share, named in /run/crash/service.env), waits up to 25 s for its answer
# (stonith-done: the peer's qemu was killed) and exits 7 (the peer is
# fenced: powered off); no answer: exit 1.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HADISKCTL=$ROOT/userspace/hadiskctl/hadiskctl
[ -r /run/crash/ha.env ] && . /run/crash/ha.env	# the scenario's copy
log() { echo "crash-fence-peer: $HADISK_RESOURCE on $HADISK_NODE (${HADISK_ROLE:-?}): $*" > /dev/kmsg; }

if [ ! -e /run/fence-ok ]; then
	log "no /run/fence-ok on this node: no verdict, exit 1"
	exit 1
fi
i=0
while [ $i -lt 50 ]; do
	s=$(HADISKD_SOCKET=/run/hadiskd.sock "$HADISKCTL" ha-status 2>&1)
	case $s in
	*'"peer_state":"lost"'*|*'"peer_state": "lost"'*)
		if [ -e /run/fence-stonith ]; then
			R=""
			. /run/crash/service.env
			log "/run/fence-ok is here and hadiskd hears $HADISK_PEER on no path: asking the host to power it off"
			echo "$HADISK_PEER" > "$R/stonith-request.tmp" && mv "$R/stonith-request.tmp" "$R/stonith-request"
			j=0
			while [ $j -lt 125 ]; do
				if [ -e "$R/stonith-done" ]; then
					log "the host powered $HADISK_PEER off: fenced, exit 7"
					exit 7
				fi
				sleep 0.2
				j=$((j + 1))
			done
			log "the host did not power $HADISK_PEER off within 25 s: no verdict, exit 1"
			exit 1
		fi
		log "/run/fence-ok is here and hadiskd hears $HADISK_PEER on no path: unreachable, exit 5"
		exit 5 ;;
	esac
	sleep 0.2
	i=$((i + 1))
done
log "hadiskd still hears $HADISK_PEER (or does not answer: $(echo "$s" | head -c 200)): no verdict, exit 1"
exit 1
