#!/bin/bash
# The Debian packages in a VM: hadisk-dkms and hadisk-utils from
# build/deb/ ('make deb' on the host; when they are missing they are built
# here, in the VM's throw-away overlay, with debian/build-debs.sh) are
# installed with dpkg -i; DKMS builds hadisk.ko for the running kernel
# and hadisk_rdma.ko (Debian's 6.1, whose headers the host has) and
# modprobe loads those;
# then r0 is brought up on both nodes (lib.sh's namespaces) by the
# ExecStartPre/ExecStart lines of the installed hadisk@.service with %i =
# r0 (no systemd in the VM), replicates, and goes down by its ExecStop.
# Also: the installed man pages render without warnings, the bash
# completion completes, the OCF agent answers meta-data, the units pass
# systemd-analyze verify.
# timeout: 2400
. "$HADISK_ROOT/tests/scenarios/lib.sh"

DEBS=$HADISK_ROOT/build/deb
step "the packages"
if ! ls "$DEBS"/hadisk-utils_*.deb "$DEBS"/hadisk-dkms_*.deb >/dev/null 2>&1; then
	echo "build/deb/ has no packages ('make deb' on the host makes them): building them here"
	DEBS=$HADISK_TMP/deb
	sh "$HADISK_ROOT/debian/build-debs.sh" "$DEBS" ||
		fail "no packages in build/deb/ and building them in the VM failed: run 'make deb' on the host"
fi
ls -l "$DEBS"/*.deb
UTILS=$(ls "$DEBS"/hadisk-utils_*.deb | head -n 1)
DKMS=$(ls "$DEBS"/hadisk-dkms_*.deb | head -n 1)
VERSION=$(dpkg-deb -f "$DKMS" Version)
KVER=$(uname -r)
[ -d /sys/module/hadisk ] && fail "hadisk is loaded before the test"

step "dpkg -i hadisk-utils"
dpkg -i "$UTILS"
for f in /usr/sbin/hadiskctl /usr/sbin/hadiskd /usr/lib/ocf/resource.d/hadisk/hadisk \
	 /usr/lib/hadisk/crm-fence-peer.hadisk /usr/lib/hadisk/crm-unfence-peer.hadisk \
	 /lib/systemd/system/hadisk@.service /lib/systemd/system/hadiskd.service \
	 /lib/udev/rules.d/65-hadisk.rules /usr/share/bash-completion/completions/hadiskctl \
	 /usr/share/man/man8/hadiskctl.8.gz /usr/share/man/man8/hadiskd.8.gz \
	 /usr/share/man/man5/hadisk.conf.5.gz /usr/share/man/man7/hadisk-hooks.7.gz; do
	[ -e "$f" ] || fail "hadisk-utils did not install $f"
done
/usr/sbin/hadiskctl --help | head -n 3
/usr/sbin/hadiskd --help >/dev/null || fail "hadiskd --help failed"

step "the man pages render without warnings"
for m in man8/hadiskctl.8 man8/hadiskd.8 man5/hadisk.conf.5 man7/hadisk-hooks.7; do
	w=$(zcat "/usr/share/man/$m.gz" | groff -man -ww -z 2>&1) || fail "groff failed on $m"
	[ -z "$w" ] || fail "groff warns on $m: $w"
	w=$(MANWIDTH=80 man --warnings -l "/usr/share/man/$m.gz" 2>&1 >/dev/null) || fail "man -l $m failed"
	[ -z "$w" ] || fail "man warns on $m: $w"
	lines=$(MANWIDTH=80 man -l "/usr/share/man/$m.gz" 2>/dev/null | wc -l)
	echo "  $m: $lines lines"
	[ "$lines" -gt 40 ] || fail "$m renders to only $lines lines"
done
MANWIDTH=80 man -l /usr/share/man/man8/hadiskctl.8.gz 2>/dev/null | sed -n '1,12p'

step "bash completion"
mkdir -p /etc/hadisk
: > /etc/hadisk/r7.conf
comp=$(bash -c '. /usr/share/bash-completion/completions/hadiskctl
	c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _hadiskctl; echo "${COMPREPLY[*]}"; }
	echo "1:$(c hadiskctl wait)"; echo "2:$(c hadiskctl up "")"; echo "3:$(c hadiskctl primary --f)"
	echo "4:$(c hadiskctl status --)"')
echo "$comp"
grep -qx '1:wait-connect wait-sync' <<< "$comp" || fail "completion of 'wait'"
grep -q '^2:.*r7' <<< "$comp" || fail "completion of resource names from /etc/hadisk"
grep -qx '3:--force' <<< "$comp" || fail "completion of primary's options"
grep -qx '4:--json --help' <<< "$comp" || fail "completion of status's options"
rm -f /etc/hadisk/r7.conf

step "the OCF agent and the units as installed"
OCF_ROOT=/usr/lib/ocf /usr/lib/ocf/resource.d/hadisk/hadisk meta-data |
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.read())' ||
	fail "the installed agent's meta-data is not XML"
if command -v systemd-analyze >/dev/null; then
	v=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no hadisk@r0.service hadiskd.service 2>&1 || true)
	echo "$v"
	! grep -q 'hadisk' <<< "$v" || fail "systemd-analyze verify complains about the units"
fi

step "dpkg -i hadisk-dkms: DKMS builds hadisk.ko for $KVER"
[ -e "/lib/modules/$KVER/build" ] || fail "no kernel headers for $KVER (/lib/modules/$KVER/build)"
t0=$SECONDS
dpkg -i "$DKMS"
echo "dpkg -i hadisk-dkms took $((SECONDS - t0)) s"
dkms status hadisk
dkms status -m hadisk -v "$VERSION" -k "$KVER" | grep -q installed ||
	{ cat "/var/lib/dkms/hadisk/$VERSION/build/make.log" 2>/dev/null | tail -n 30; fail "DKMS did not install hadisk $VERSION for $KVER"; }
[ -f "/usr/src/hadisk-$VERSION/dkms.conf" ] || fail "no /usr/src/hadisk-$VERSION/dkms.conf"
ko=$(modinfo -n hadisk) || fail "modinfo does not find the DKMS module"
echo "modinfo -n hadisk: $ko"
case $ko in */updates/dkms/*) ;; *) fail "the hadisk module found is $ko, not DKMS's" ;; esac
ko=$(modinfo -n hadisk_rdma) || fail "modinfo does not find the DKMS RDMA transport module"
echo "modinfo -n hadisk_rdma: $ko"
case $ko in */updates/dkms/*) ;; *) fail "the hadisk_rdma module found is $ko, not DKMS's" ;; esac
modprobe hadisk_rdma || fail "modprobe hadisk_rdma (DKMS's)"
grep -q '^hadisk_rdma ' /proc/modules || fail "hadisk_rdma is not loaded after modprobe"
rmmod hadisk_rdma || fail "rmmod hadisk_rdma"

step "hadisk@r0.service: ExecStartPre and ExecStart of the installed unit, on both nodes"
UNIT=/lib/systemd/system/hadisk@.service
unit_cmds() {	# unit_cmds KEY: the unit's KEY= lines, %i = r0, without the '-' prefix
	sed -n "s/^$1=//p" "$UNIT" | sed 's/%i/r0/g; s/^-//'
}
pre=$(unit_cmds ExecStartPre)
start=$(unit_cmds ExecStart)
stop=$(unit_cmds ExecStop)
echo "ExecStartPre: $pre"
echo "ExecStart:    $start"
echo "ExecStop:     $stop"
[ "$start" = "/usr/sbin/hadiskctl up r0" ] || fail "unexpected ExecStart: $start"
grep -qx 'Type=oneshot' "$UNIT" && grep -qx 'RemainAfterExit=yes' "$UNIT" &&
	grep -q '^After=.*network-online.target' "$UNIT" || fail "the unit is not oneshot/RemainAfterExit/After=network-online.target"
$pre
grep -q . /sys/module/hadisk/refcnt || fail "hadisk not loaded by ExecStartPre"
echo "loaded: $(modinfo -F filename hadisk) (version $(cat /sys/module/hadisk/version 2>/dev/null || echo ?))"

HADISKCTL=/usr/sbin/hadiskctl
setup_two_nodes 64
# As systemd would run it: the node is found by its host name (each node
# in its own UTS namespace, named alpha or beta).
unit_run() {	# unit_run NODE CMD...
	local node=$1 ns
	shift
	ns=$(_hd_ns "$node")
	unshare --uts sh -c 'hostname "$1"; ns=$2; shift 2; exec ip netns exec "$ns" "$@"' sh "$node" "$ns" "$@"
}
# shellcheck disable=SC2086 # the unit's command line, split as systemd does
unit_run alpha $start
# shellcheck disable=SC2086
unit_run beta $start
hd_a wait-connect r0 --timeout 60
hd_a status r0
hd_a new-current-uuid r0 --clear-bitmap
hd_a wait-sync r0 --timeout 60
hd_a primary r0
dd if=/dev/urandom of=$HADISK_TMP/data bs=1M count=8 status=none
dd if=$HADISK_TMP/data of=/dev/hadisk0 bs=1M oflag=direct status=none
hd_a wait-sync r0 --timeout 60
hd_a status r0
hd_b status r0
cmp -n $((8 * 1024 * 1024)) $HADISK_TMP/data /dev/ram1 || fail "beta's disk does not hold alpha's data"
echo "r0 is up on both nodes with the packaged hadiskctl and the DKMS module; 8 MiB replicated"

step "ExecStop on both nodes; module unloads; dpkg -r"
# shellcheck disable=SC2086
unit_run alpha $stop
# shellcheck disable=SC2086
unit_run beta $stop
hd_a status 2>&1 | grep -q 'no hadisk resources' || fail "r0 still exists after ExecStop"
rmmod hadisk
dpkg -r hadisk-dkms hadisk-utils
dkms status hadisk | grep -q . && fail "DKMS still knows hadisk after dpkg -r"
[ ! -e /usr/sbin/hadiskctl ] || fail "hadiskctl still there after dpkg -r"
echo "packages: ok"
