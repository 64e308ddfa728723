#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw results of one bench VM run into the report.

Usage: tests/bench/report.py OUTDIR      (OUTDIR: build/bench)

Reads OUTDIR/raw/ (what tests/bench/vm-bench.sh wrote: fio/*.json, tcp/*,
ctx/*, metrics.tsv, setup.env), OUTDIR/host.env and OUTDIR/hostload.txt,
and the two-VM measurements when they ran: OUTDIR/failover.env
(tests/bench/failover.sh) and OUTDIR/rdma.env (tests/bench/rdma.sh: the
targets hadisk-C-rdma and hadisk-C-tcp-2vm).
Writes OUTDIR/results.json, OUTDIR/table.txt (the table, the limits and
the ratios against issue 6's targets), OUTDIR/threads.txt and
OUTDIR/chart.dat (the data tests/bench/chart.gp plots).
"""
import json
import os
import re
import sys

TARGETS = ["raw", "tcp", "tcp-veth", "drbd84-C", "hadisk-C", "hadisk-A",
           "hadisk-disconnected", "raw-late", "dm-linear", "hadisk-C-rdma", "hadisk-C-tcp-2vm"]
FIO_TARGETS = ["raw", "drbd84-C", "hadisk-C", "hadisk-A", "hadisk-disconnected"]
# the network path each target's data crosses
# controls measured beside hadisk-disconnected: raw again, and
# device-mapper's linear target on the same device (the stacking floor)
CONTROLS = ["raw-late", "dm-linear"]
PATH = {"raw": "-", "raw-late": "-", "dm-linear": "-", "drbd84-C": "loopback", "hadisk-C": "veth",
        "hadisk-A": "veth", "hadisk-disconnected": "-",
        "tcp": "loopback", "tcp-veth": "veth"}
TCP_OF = {"loopback": "tcp", "veth": "tcp-veth"}
# the two-VM RDMA measurement (tests/bench/rdma.sh, rdma.env): its prefix
# in rdma.env -> target; compare the two with each other only
RDMA_TARGETS = [("rdma", "hadisk-C-rdma"), ("tcp", "hadisk-C-tcp-2vm")]
RDMA_PATH = {"hadisk-C-rdma": "rxe 2vm", "hadisk-C-tcp-2vm": "tcp 2vm"}
RDMA_METRICS = ["4k_qd1_lat_us", "4k_qd1_p50_us", "4k_qd1_p99_us", "4k_qd1_iops",
                "4k_qd16_iops", "1m_seq_MBps"]
# rdma / tcp-2vm: (label, metric)
RDMA_RATIOS = [("4k QD1 mean latency", "4k_qd1_lat_us"), ("4k QD1 p99 latency", "4k_qd1_p99_us"),
               ("4k QD1 IOPS", "4k_qd1_iops"), ("4k QD16 IOPS", "4k_qd16_iops"),
               ("1M seq MB/s", "1m_seq_MBps")]


def read_env(path):
    env = {}
    try:
        with open(path) as f:
            for line in f:
                k, sep, v = line.rstrip("\n").partition("=")
                if sep:
                    env[k] = v
    except OSError:
        pass
    return env


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


class Results:
    def __init__(self):
        self.rows = []
        self.index = {}

    def add(self, target, metric, value):
        if value is None:
            return
        value = round(float(value), 4)
        key = (target, metric)
        if key in self.index:
            self.rows[self.index[key]]["value"] = value
            return
        self.index[key] = len(self.rows)
        self.rows.append({"target": target, "metric": metric, "value": value})

    def get(self, target, metric):
        i = self.index.get((target, metric))
        return None if i is None else self.rows[i]["value"]

    def sorted_rows(self):
        order = {t: i for i, t in enumerate(TARGETS)}
        return sorted(self.rows, key=lambda r: (order.get(r["target"], 99),
                                                self.index[(r["target"], r["metric"])]))


def load_fio(path):
    """The write side of a fio JSON, or None for a failed or empty job."""
    j = load_json(path)
    try:
        job = j["jobs"][0]
        if job.get("error", 0) or not job["write"]["total_ios"]:
            return None
        w = dict(job["write"])
        w["_ctx"] = job.get("ctx")
        return w
    except (TypeError, KeyError, IndexError):
        return None


def parse_fio(raw, res):
    for t in FIO_TARGETS + CONTROLS:
        w = load_fio(os.path.join(raw, "fio", t + "-4k_qd1.json"))
        if w:
            pct = w["lat_ns"].get("percentile", {})
            res.add(t, "4k_qd1_lat_us", w["lat_ns"]["mean"] / 1e3)
            if "50.000000" in pct:
                res.add(t, "4k_qd1_p50_us", pct["50.000000"] / 1e3)
            if "99.000000" in pct:
                res.add(t, "4k_qd1_p99_us", pct["99.000000"] / 1e3)
            res.add(t, "4k_qd1_iops", w["iops"])
            stat = os.path.join(raw, "ctx", t + ".stat")
            try:
                c0, i0, c1, i1 = (int(x) for x in open(stat).read().split())
                n = w["total_ios"]
                if n:
                    res.add(t, "ctxsw_per_write", (c1 - c0) / n)
                    res.add(t, "intr_per_write", (i1 - i0) / n)
            except (OSError, ValueError):
                pass
        w = load_fio(os.path.join(raw, "fio", t + "-4k_qd16.json"))
        if w:
            res.add(t, "4k_qd16_iops", w["iops"])
        w = load_fio(os.path.join(raw, "fio", t + "-1m_seq.json"))
        if w:
            res.add(t, "1m_seq_MBps", w["bw_bytes"] / 1e6)


def parse_tcp(raw, res):
    for t in ("tcp", "tcp-veth"):
        try:
            text = open(os.path.join(raw, "tcp", t + ".sockperf")).read()
        except OSError:
            text = ""
        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
        m = re.search(r"avg-rtt=([0-9.]+)", text)
        if m:
            res.add(t, "rtt_us", m.group(1))
        for p, name in (("50", "rtt_p50_us"), ("99", "rtt_p99_us")):
            m = re.search(r"percentile %s\.000 =\s*([0-9.]+)" % p, text)
            if m:
                res.add(t, name, m.group(1))
        try:
            text = re.sub(r"\x1b\[[0-9;]*m", "", open(os.path.join(raw, "tcp", t + ".samecpu.sockperf")).read())
            m = re.search(r"avg-rtt=([0-9.]+)", text)
            if m:
                res.add(t, "rtt_same_cpu_us", m.group(1))
        except OSError:
            pass
        best = None
        for i in (1, 2):
            j = load_json(os.path.join(raw, "tcp", "%s.iperf3.%d.json" % (t, i)))
            if j and "end" in j and "sum_received" in j["end"]:
                v = j["end"]["sum_received"]["bits_per_second"] / 8e6
                best = v if best is None else max(best, v)
        res.add(t, "stream_MBps", best)


def parse_metrics(raw, res):
    try:
        for line in open(os.path.join(raw, "metrics.tsv")):
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                try:
                    res.add(parts[0], parts[1], float(parts[2]))
                except ValueError:
                    pass
    except OSError:
        pass


def thread_snapshot(path):
    """{task path: (name, context switches)} from grep -H of status files."""
    snap = {}
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return snap
    for line in lines:
        m = re.match(r"(/proc/\d+/task/\d+)/status:(\w+):\s*(.*)", line)
        if not m:
            continue
        task, key, val = m.groups()
        name, n = snap.get(task, ("?", 0))
        if key == "Name":
            name = val
        elif key.endswith("voluntary_ctxt_switches"):
            n += int(val)
        snap[task] = (name, n)
    return snap


def norm_thread(name):
    if name.startswith("kworker"):
        return "kworker"
    return re.sub(r"/\d+$", "", name)


def parse_threads(raw, res):
    """Context switches per write, by thread name, over each QD1 run."""
    out = {}
    for t in FIO_TARGETS:
        before = thread_snapshot(os.path.join(raw, "ctx", t + ".threads.before"))
        after = thread_snapshot(os.path.join(raw, "ctx", t + ".threads.after"))
        w = load_fio(os.path.join(raw, "fio", t + "-4k_qd1.json"))
        if not after or not w:
            continue
        n = w["total_ios"]
        agg = {}
        for task, (name, c1) in after.items():
            c0 = before.get(task, (name, 0))[1]
            if c1 > c0:
                k = norm_thread(name)
                agg[k] = agg.get(k, 0) + c1 - c0
        # fio itself starts and ends between the snapshots: its own count
        ctx = w.get("_ctx")
        if ctx:
            agg["fio"] = agg.get("fio", 0) + ctx
        rows = sorted(((k, v / n) for k, v in agg.items()), key=lambda kv: -kv[1])
        try:
            c0, _, c1, _ = (int(x) for x in open(os.path.join(raw, "ctx", t + ".stat")).read().split())
            # switches away from the idle task, and threads gone before the
            # second snapshot, appear only in the system-wide count
            rows.append(("idle/other", max(0.0, (c1 - c0 - sum(agg.values())) / n)))
        except (OSError, ValueError):
            pass
        out[t] = rows
    return out


def hostload(path):
    loads, vms = [], []
    try:
        for line in open(path):
            p = line.split()
            if len(p) >= 3:
                loads.append(float(p[1]))
                vms.append(int(p[2]))
    except (OSError, ValueError):
        pass
    if not loads:
        return {}
    return {"host_load_mean": round(sum(loads) / len(loads), 2),
            "host_load_max": max(loads),
            "host_qemu_processes_max": max(vms)}


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt(v, nd=1):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return "%.0f" % v
    return ("%%.%df" % nd) % v


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    raw = os.path.join(outdir, "raw")
    vm = read_env(os.path.join(raw, "setup.env"))
    host = read_env(os.path.join(outdir, "host.env"))

    res = Results()
    parse_fio(raw, res)
    parse_tcp(raw, res)
    parse_metrics(raw, res)
    threads = parse_threads(raw, res)
    # the two-VM failover measurement (tests/bench/failover.sh), if it ran
    fo = read_env(os.path.join(outdir, "failover.env"))
    for k in ("failover_s", "failover_worst_s", "failover_primary_s", "failover_primary_worst_s"):
        if fo.get(k):
            res.add("hadisk-C", k, fo[k])
    # the two-VM RDMA measurement (tests/bench/rdma.sh), if it ran
    rd = read_env(os.path.join(outdir, "rdma.env"))
    for prefix, t in RDMA_TARGETS:
        for k in RDMA_METRICS:
            if rd.get(prefix + "_" + k):
                res.add(t, k, rd[prefix + "_" + k])
    rdma_rows = [t for _, t in RDMA_TARGETS if res.get(t, "4k_qd1_iops") is not None]
    rdma_ratios = [(name, m, ratio(res.get("hadisk-C-rdma", m), res.get("hadisk-C-tcp-2vm", m)))
                   for name, m in RDMA_RATIOS]

    mtu = vm.get("veth_mtu", "?")
    setup = {
        "date": host.get("date") or vm.get("vm_start_utc"),
        "kernel": vm.get("kernel"),
        "cpus": int(vm["cpus"]) if vm.get("cpus", "").isdigit() else vm.get("cpus"),
        "mem_mb": int(vm["mem_mb"]) if vm.get("mem_mb", "").isdigit() else None,
        "fio": vm.get("fio"),
        "sockperf": vm.get("sockperf"),
        "iperf3": vm.get("iperf3"),
        "drbd_module": vm.get("drbd_module"),
        "drbd_utils": vm.get("drbd_utils"),
        "hadisk_commit": host.get("hadisk_commit"),
        "hadisk_ko_sha256": host.get("hadisk_ko_sha256"),
        "vm": "qemu %s, Debian stock kernel, one VM" % host.get("qemu", "?"),
        "host_cpu": host.get("host_cpu"),
        "host_cpus": int(host["host_cpus"]) if host.get("host_cpus", "").isdigit() else None,
        "backing": "brd, %s MiB per device" % vm.get("device_mb", "?"),
        "fio_jobs": ("libaio, direct, %s s each, over the first %s MiB: 4k randwrite QD1, "
                     "4k randwrite QD16, 1 MiB seq write QD8"
                     % (vm.get("fio_runtime_s", "?"), vm.get("fio_region_mb", "?"))),
        "paths": {"drbd84-C": "TCP over loopback 127.0.0.1, initial namespace (two resources, one kernel)",
                  "hadisk": "TCP over a veth pair between namespaces a and b, mtu %s" % mtu,
                  "tcp": "loopback 127.0.0.1", "tcp-veth": "veth a->b, mtu %s" % mtu},
        "drbd_resync_settings": "--c-plan-ahead=0 --resync-rate=4000M",
        "incr_resync": "%s MiB of distinct random 4 KiB blocks written while the peer "
                       "was disconnected" % vm.get("incr_mb", "?"),
        "replica_identical": vm.get("replica_identical"),
        "idle_ctxsw_per_s": float(vm["idle_ctxsw_per_s"]) if vm.get("idle_ctxsw_per_s") else None,
        "duration_s": int(host["duration_s"]) if host.get("duration_s", "").isdigit() else None,
        "other_vms_at_start": int(host["other_vms_at_start"]) if host.get("other_vms_at_start", "").isdigit() else None,
        "vm_rc": int(host["vm_rc"]) if host.get("vm_rc", "").lstrip("-").isdigit() else None,
    }
    setup.update(hostload(os.path.join(outdir, "hostload.txt")))
    if fo:
        setup["failover"] = {
            "what": "two VMs (tests/bench/failover.sh): the Primary's qemu SIGKILLed under a file "
                    "writer on ext4; seconds until the other node is Primary (failover_primary_s) "
                    "and its ext4 mounted by hadiskd's start hook (failover_s); median and worst",
            "trials": int(fo["trials"]) if fo.get("trials", "").isdigit() else fo.get("trials"),
            "heartbeat_interval_ms": fo.get("heartbeat_interval_ms"),
            "heartbeat_timeout_ms": fo.get("heartbeat_timeout_ms"),
            "each_s": fo.get("each_s", "").split(),
            "each_primary_s": fo.get("each_primary_s", "").split(),
            "date": fo.get("date"),
            "notes": fo.get("notes"),
        }
    if rdma_rows:
        setup["rdma"] = {
            "what": "two VMs (tests/bench/rdma.sh, the crash-test harness), not the one-VM run above: "
                    "hadisk-C over soft-RoCE (rdma_rxe on each VM's eth0, transport rdma) and then "
                    "over TCP (transport tcp) between the same two VMs, the same fio jobs on the "
                    "Primary; compare hadisk-C-rdma with hadisk-C-tcp-2vm only",
            "why_two_vms": "Linux 6.1's rdma_rxe carries traffic only in the initial network "
                           "namespace, so the one-VM, two-namespace layout cannot carry RDMA",
            "vms": "2 x qemu %s, %s vCPU(s) and %s MiB each, joined by qemu -netdev dgram "
                   "(UDP on the host's 127.0.0.1)" % (host.get("qemu", "?"), rd.get("vm_cpus", "?"),
                                                      rd.get("vm_mem_mb", "?")),
            "kernel": rd.get("vm_kernel"),
            "fio": rd.get("vm_fio"),
            "protocol": rd.get("protocol"),
            "backing": "raw image files on the host (virtio-blk, cache=none), %s MiB fio span"
                       % rd.get("span_mb", "?"),
            "fio_jobs": ("libaio, direct, %s s each, over the first %s MiB: 4k randwrite QD1, "
                         "4k randwrite QD16, 1 MiB seq write QD8 (tests/crash/perf.sh)"
                         % (rd.get("runtime_s", "?"), rd.get("span_mb", "?"))),
            "order": rd.get("order"),
            "ratios_rdma_over_tcp_2vm": {m: (None if r is None else round(r, 4))
                                         for _, m, r in rdma_ratios},
            "target": "none: soft-RoCE is software (under TCG its per-packet work costs more "
                      "than the kernel's TCP); the figures show the transport carries the jobs, "
                      "not what RDMA hardware does",
            "host_load_start": rd.get("host_load_start"),
            "host_load_end": rd.get("host_load_end"),
            "other_vms_at_start": rd.get("other_vms_at_start"),
            "hadisk_commit": rd.get("hadisk_commit"),
            "date": rd.get("date"),
        }
    for key in ("failures", "notes"):
        try:
            setup[key] = open(os.path.join(raw, key)).read().splitlines()
        except OSError:
            setup[key] = []

    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump({"setup": setup, "results": res.sorted_rows()}, f, indent=1)
        f.write("\n")

    g = res.get
    L = []
    L.append("hadisk bench, %s -- kernel %s, %s vCPUs (qemu TCG), %s; host: %s CPUs, load mean %s max %s, "
             "up to %s qemu processes"
             % (setup["date"], setup["kernel"], setup["cpus"], setup["fio"], setup["host_cpus"],
                setup.get("host_load_mean", "?"), setup.get("host_load_max", "?"),
                setup.get("host_qemu_processes_max", "?")))
    L.append("")
    hdr = "%-20s %-8s %9s %8s %8s %9s %9s %9s %10s %8s %8s" % (
        "target", "path", "qd1 mean", "qd1 p50", "qd1 p99", "qd1 IOPS", "qd16 IOPS",
        "1M MB/s", "resync MB/s", "ctxsw/w", "intr/w")
    L.append(hdr)
    L.append("%-20s %-8s %9s %8s %8s" % ("", "", "us", "us", "us"))
    for t in FIO_TARGETS + [c for c in CONTROLS if g(c, "4k_qd1_iops")]:
        L.append("%-20s %-8s %9s %8s %8s %9s %9s %9s %10s %8s %8s" % (
            t, PATH[t], fmt(g(t, "4k_qd1_lat_us")), fmt(g(t, "4k_qd1_p50_us")),
            fmt(g(t, "4k_qd1_p99_us")), fmt(g(t, "4k_qd1_iops"), 0), fmt(g(t, "4k_qd16_iops"), 0),
            fmt(g(t, "1m_seq_MBps")), fmt(g(t, "full_resync_MBps")),
            fmt(g(t, "ctxsw_per_write"), 2), fmt(g(t, "intr_per_write"), 2)))
    if rdma_rows:
        L.append("two VMs (tests/bench/rdma.sh, a separate run: %s vCPU and %s MiB each, %s s per job):"
                 % (rd.get("vm_cpus", "?"), rd.get("vm_mem_mb", "?"), rd.get("runtime_s", "?")))
        L.append("compare these two rows with each other, not with the one-VM rows above")
        for t in rdma_rows:
            L.append("%-20s %-8s %9s %8s %8s %9s %9s %9s %10s %8s %8s" % (
                t, RDMA_PATH[t], fmt(g(t, "4k_qd1_lat_us")), fmt(g(t, "4k_qd1_p50_us")),
                fmt(g(t, "4k_qd1_p99_us")), fmt(g(t, "4k_qd1_iops"), 0), fmt(g(t, "4k_qd16_iops"), 0),
                fmt(g(t, "1m_seq_MBps")), "-", "-", "-"))
        L.append("rdma / tcp-2vm (no target: soft-RoCE is software): " + ", ".join(
            "%s %s" % (name, fmt(r, 2)) for name, _, r in rdma_ratios))
    L.append("")
    L.append("%-20s %-22s %9s %8s %8s %12s %12s" % ("network limit", "path", "rtt mean", "rtt p50",
                                                    "rtt p99", "stream MB/s", "1-vCPU rtt"))
    for t in ("tcp", "tcp-veth"):
        L.append("%-20s %-22s %9s %8s %8s %12s %12s" % (
            t, "loopback 127.0.0.1" if t == "tcp" else "veth a->b, mtu %s" % mtu,
            fmt(g(t, "rtt_us")), fmt(g(t, "rtt_p50_us")), fmt(g(t, "rtt_p99_us")),
            fmt(g(t, "stream_MBps")), fmt(g(t, "rtt_same_cpu_us"))))
    L.append("(sockperf ping-pong of 4 KiB messages, client and server on different vCPUs, full round")
    L.append(" trip in us; the last column with both on one vCPU; stream: iperf3 -Z -l 1M, one TCP")
    L.append(" connection, the better of two runs)")
    L.append("")

    raw_lat, raw_seq = g("raw", "4k_qd1_lat_us"), g("raw", "1m_seq_MBps")
    lim = {}
    for p, t in TCP_OF.items():
        rtt, st = g(t, "rtt_us"), g(t, "stream_MBps")
        lim[p] = {
            "lat": raw_lat + rtt if raw_lat is not None and rtt is not None else None,
            "bw": min(raw_seq, st) if raw_seq is not None and st is not None else None,
        }
    L.append("limits: 4k QD1 latency = raw + TCP round trip: loopback %s us, veth %s us;"
             % (fmt(lim["loopback"]["lat"]), fmt(lim["veth"]["lat"])))
    L.append("        bandwidth = min(raw 1M seq, TCP stream): loopback %s MB/s, veth %s MB/s"
             % (fmt(lim["loopback"]["bw"]), fmt(lim["veth"]["bw"])))
    L.append("        (each hadisk figure is held against the veth path it uses, DRBD's against loopback)")
    L.append("")

    H = "hadisk-C"
    # the disconnected target against the raw control measured beside it
    RAWC = "raw-late" if g("raw-late", "4k_qd1_iops") and g("raw-late", "4k_qd16_iops") else "raw"
    checks = [
        ("4k QD1 mean latency, C", "hadisk-C / drbd84-C",
         ratio(g(H, "4k_qd1_lat_us"), g("drbd84-C", "4k_qd1_lat_us")), "<=", 0.6),
        ("4k QD1 mean latency, C", "hadisk-C / (raw + rtt veth)",
         ratio(g(H, "4k_qd1_lat_us"), lim["veth"]["lat"]), "<=", 1.3),
        ("4k QD16 IOPS, C", "hadisk-C / drbd84-C",
         ratio(g(H, "4k_qd16_iops"), g("drbd84-C", "4k_qd16_iops")), ">=", 2.0),
        ("1M seq write, C", "hadisk-C / min(raw, stream veth)",
         ratio(g(H, "1m_seq_MBps"), lim["veth"]["bw"]), ">=", 0.9),
        ("disconnected, QD1", "hadisk-disconnected / %s IOPS" % RAWC,
         ratio(g("hadisk-disconnected", "4k_qd1_iops"), g(RAWC, "4k_qd1_iops")), ">=", 0.95),
        ("disconnected, QD16", "hadisk-disconnected / %s IOPS" % RAWC,
         ratio(g("hadisk-disconnected", "4k_qd16_iops"), g(RAWC, "4k_qd16_iops")), ">=", 0.95),
        ("full resync", "hadisk-C / min(raw, stream veth)",
         ratio(g(H, "full_resync_MBps"), lim["veth"]["bw"]), ">=", 0.8),
        ("incremental resync", "bytes sent / bytes written",
         g(H, "incr_resync_bytes_ratio"), "<=", 1.1),
    ]
    L.append("targets of issue 6 (ratios within this run):")
    met = 0
    for name, what, r, op, want in checks:
        if r is None:
            verdict = "not measured"
        else:
            ok = r <= want if op == "<=" else r >= want
            met += ok
            verdict = "met" if ok else "NOT met"
        L.append("  %-24s %-34s %6s   target %s %.2f   %s" % (
            name, what, "-" if r is None else "%.2f" % r, op, want, verdict))
    fo_s, fo_lim = g(H, "failover_s"), None
    if fo.get("heartbeat_timeout_ms", "").isdigit():
        fo_lim = int(fo["heartbeat_timeout_ms"]) / 1000.0 + 2
    if fo_s is None:
        L.append("  %-24s %-34s %6s   target <= heartbeat + 2 s   not measured (tests/bench/failover.sh)"
                 % ("failover", "", "-"))
    else:
        fo_ok = fo_lim is not None and fo_s <= fo_lim
        met += fo_ok
        L.append("  %-24s %-34s %6.1f   target <= %.1f s (heartbeat-timeout + 2 s)   %s"
                 % ("failover", "median s, kill -> ext4 mounted", fo_s, fo_lim or 0,
                    "met" if fo_ok else "NOT met"))
        L.append("  %-24s %-34s %6.1f   (worst of %s; Primary after %s s median, %s s worst)"
                 % ("", "worst s", g(H, "failover_worst_s"), fo.get("trials", "?"),
                    fmt(g(H, "failover_primary_s")), fmt(g(H, "failover_primary_worst_s"))))
    L.append("  %d of %d measured targets met" % (met, sum(1 for c in checks if c[2] is not None)
                                                 + (fo_s is not None)))
    L.append("")
    L.append("for reference, DRBD against its own (loopback) limits: QD1 latency %s x (raw + rtt), "
             "1M seq %s x min(raw, stream), full resync %s x min(raw, stream)"
             % (fmt(ratio(g("drbd84-C", "4k_qd1_lat_us"), lim["loopback"]["lat"]), 2),
                fmt(ratio(g("drbd84-C", "1m_seq_MBps"), lim["loopback"]["bw"]), 2),
                fmt(ratio(g("drbd84-C", "full_resync_MBps"), lim["loopback"]["bw"]), 2)))
    if g("dm-linear", "4k_qd16_iops") and g(RAWC, "4k_qd16_iops"):
        L.append("the stacking floor (no target): dm-linear / %s IOPS: QD1 %s, QD16 %s; "
                 "hadisk-disconnected / dm-linear: QD1 %s, QD16 %s"
                 % (RAWC, fmt(ratio(g("dm-linear", "4k_qd1_iops"), g(RAWC, "4k_qd1_iops")), 2),
                    fmt(ratio(g("dm-linear", "4k_qd16_iops"), g(RAWC, "4k_qd16_iops")), 2),
                    fmt(ratio(g("hadisk-disconnected", "4k_qd1_iops"), g("dm-linear", "4k_qd1_iops")), 2),
                    fmt(ratio(g("hadisk-disconnected", "4k_qd16_iops"), g("dm-linear", "4k_qd16_iops")), 2)))
    L.append("")

    # where a QD1 write's time goes
    L.append("where a 4k QD1 write's time goes (us; the rest = the replication machinery:")
    L.append("threads, wakeups, queueing -- and, on a loaded host, waiting for a CPU):")
    for stat, lm, rm in (("mean", "4k_qd1_lat_us", "rtt_us"), ("median", "4k_qd1_p50_us", "rtt_p50_us")):
        rawv = g("raw", lm)
        for t in ("drbd84-C", "hadisk-C", "hadisk-A"):
            lat = g(t, lm)
            rtt = g(TCP_OF[PATH[t]], rm)
            if lat is None or rawv is None or rtt is None:
                continue
            if lat < rawv + rtt and t != "hadisk-A":
                L.append("  %-6s %-10s %8.1f < raw write %.1f + TCP round trip %.1f (%s): the round trip "
                         "was measured slower than the write -- cross-vCPU wakeups on a loaded host"
                         % (stat, t, lat, rawv, rtt, PATH[t]))
            elif t == "hadisk-A":
                L.append("  %-6s %-10s %8.1f = raw write %.1f + %.1f replication (no round trip awaited)"
                         % (stat, t, lat, rawv, lat - rawv))
            else:
                L.append("  %-6s %-10s %8.1f = raw write %.1f + TCP round trip %.1f (%s) + %.1f the rest (%.0f %%)"
                         % (stat, t, lat, rawv, rtt, PATH[t], lat - rawv - rtt,
                            100.0 * (lat - rawv - rtt) / lat))
    # the module's own per-stage histograms (debugfs) over the same runs
    for t in ("hadisk-C", "hadisk-A"):
        path = os.path.join(raw, "ctx", t + ".latency")
        if not os.path.exists(path):
            continue
        rows = [l for l in open(path).read().splitlines()
                if l and not l.startswith("#")][:5]
        L.append("  %s QD1, per stage from hadisk's debugfs histograms (us; p50/p90/p99 are bucket bounds):" % t)
        L.extend("    " + r for r in rows)
    L.append("")
    L.append("context switches per write over the QD1 run (system-wide /proc/stat), by thread")
    L.append("(both nodes' threads together; the idle VM makes %s switches/s on its own):"
             % fmt(setup["idle_ctxsw_per_s"], 0))
    for t in FIO_TARGETS:
        if t not in threads:
            continue
        top = ", ".join("%s %.2f" % kv for kv in threads[t] if kv[1] >= 0.05)
        L.append("  %-20s %5s  %s" % (t, fmt(g(t, "ctxsw_per_write"), 2), top))
    if setup["failures"]:
        L.append("")
        L.append("FAILED measurements:")
        L.extend("  " + x for x in setup["failures"])
    if setup["notes"]:
        L.append("")
        L.append("notes:")
        L.extend("  " + x for x in setup["notes"])
    if setup.get("replica_identical"):
        L.append("")
        L.append("replica byte-identical after the resyncs: %s" % setup["replica_identical"])
    text = "\n".join(L) + "\n"
    with open(os.path.join(outdir, "table.txt"), "w") as f:
        f.write(text)

    # the same, in Markdown, for Documentation/performance.md
    M = ["Run of %s: kernel %s, %s vCPUs under qemu TCG, %s, host load mean %s (max %s), "
         "%s other VM(s) at start." % (setup["date"], setup["kernel"], setup["cpus"], setup["fio"],
                                       setup.get("host_load_mean", "?"), setup.get("host_load_max", "?"),
                                       setup.get("other_vms_at_start", "?")), ""]
    M.append("| target | path | 4k QD1 mean µs | p50 µs | p99 µs | QD1 IOPS | QD16 IOPS "
             "| 1 MiB seq MB/s | full resync MB/s | ctx sw / write |")
    M.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for t in FIO_TARGETS + [c for c in CONTROLS if g(c, "4k_qd1_iops")]:
        M.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            t, PATH[t], fmt(g(t, "4k_qd1_lat_us")), fmt(g(t, "4k_qd1_p50_us")),
            fmt(g(t, "4k_qd1_p99_us")), fmt(g(t, "4k_qd1_iops"), 0), fmt(g(t, "4k_qd16_iops"), 0),
            fmt(g(t, "1m_seq_MBps")), fmt(g(t, "full_resync_MBps")), fmt(g(t, "ctxsw_per_write"), 2)))
    for t in rdma_rows:
        M.append("| %s | %s | %s | %s | %s | %s | %s | %s | - | - |" % (
            t, "two VMs, " + ("soft-RoCE" if t == "hadisk-C-rdma" else "TCP"),
            fmt(g(t, "4k_qd1_lat_us")), fmt(g(t, "4k_qd1_p50_us")), fmt(g(t, "4k_qd1_p99_us")),
            fmt(g(t, "4k_qd1_iops"), 0), fmt(g(t, "4k_qd16_iops"), 0), fmt(g(t, "1m_seq_MBps"))))
    if rdma_rows:
        M.append("")
        M.append("The last two rows come from a separate run in two VMs (tests/bench/rdma.sh, "
                 "%s vCPU and %s MiB each, %s s per job): compare `hadisk-C-rdma` with "
                 "`hadisk-C-tcp-2vm`, not with the one-VM rows. rdma / tcp-2vm (no target: "
                 "soft-RoCE is software): %s."
                 % (rd.get("vm_cpus", "?"), rd.get("vm_mem_mb", "?"), rd.get("runtime_s", "?"),
                    ", ".join("%s %s" % (name, fmt(r, 2)) for name, _, r in rdma_ratios)))
    M.append("")
    M.append("| network limit | path | round trip mean µs | p50 µs | p99 µs | on one vCPU µs | stream MB/s |")
    M.append("|---|---|--:|--:|--:|--:|--:|")
    for t in ("tcp", "tcp-veth"):
        M.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            t, "loopback" if t == "tcp" else "veth, mtu %s" % mtu, fmt(g(t, "rtt_us")),
            fmt(g(t, "rtt_p50_us")), fmt(g(t, "rtt_p99_us")), fmt(g(t, "rtt_same_cpu_us")),
            fmt(g(t, "stream_MBps"))))
    M.append("")
    M.append("| target (issue 6) | ratio | value | wanted | |")
    M.append("|---|---|--:|--:|---|")
    for name, what, r, op, want in checks:
        verdict = "not measured" if r is None else (
            "met" if (r <= want if op == "<=" else r >= want) else "**not met**")
        M.append("| %s | %s | %s | %s %.2f | %s |" % (
            name, what, "-" if r is None else "%.2f" % r, op.replace("<=", "≤").replace(">=", "≥"),
            want, verdict))
    if fo_s is None:
        M.append("| failover | (two-VM measurement) | - | ≤ heartbeat + 2 s | not measured |")
    else:
        M.append("| failover | kill → ext4 mounted, median of %s (worst %s s) | %.1f s | ≤ %.1f s | %s |" % (
            fo.get("trials", "?"), fmt(g(H, "failover_worst_s")), fo_s, fo_lim or 0,
            "met" if fo_lim is not None and fo_s <= fo_lim else "**not met**"))
    with open(os.path.join(outdir, "table.md"), "w") as f:
        f.write("\n".join(M) + "\n")

    with open(os.path.join(outdir, "threads.txt"), "w") as f:
        for t, rows in threads.items():
            f.write("%s (context switches per write, by thread)\n" % t)
            for k, v in rows:
                if v >= 0.005:
                    f.write("  %-28s %.3f\n" % (k, v))

    # chart data: one block per panel (gnuplot 'index N'), see chart.gp
    GREY, DARK, TCPC = 0x9a9a9a, 0x4d4d4d, 0x7a7a7a
    DRBD, HC, HA, HD = 0xd95f02, 0x1b62a5, 0x4a90d9, 0x9cc3e8
    label = {"raw": ("raw brd", GREY), "drbd84-C": ("DRBD 8.4 C", DRBD),
             "hadisk-C": ("hadisk C", HC), "hadisk-A": ("hadisk A", HA),
             "hadisk-disconnected": ("hadisk alone", HD)}

    def bars(metric, extra_before=()):
        out = list(extra_before)
        for t in FIO_TARGETS:
            out.append((label[t][0], g(t, metric), label[t][1]))
        return out

    panels = [
        bars("4k_qd1_lat_us", [("limit lo", lim["loopback"]["lat"], DARK),
                               ("limit veth", lim["veth"]["lat"], DARK)]),
        bars("4k_qd16_iops"),
        bars("1m_seq_MBps", [("TCP lo", g("tcp", "stream_MBps"), TCPC),
                             ("TCP veth", g("tcp-veth", "stream_MBps"), TCPC)]),
        [("limit lo", lim["loopback"]["bw"], DARK), ("limit veth", lim["veth"]["bw"], DARK),
         ("DRBD 8.4 C", g("drbd84-C", "full_resync_MBps"), DRBD),
         ("hadisk C", g(H, "full_resync_MBps"), HC)],
        bars("ctxsw_per_write"),
        bars("4k_qd1_p99_us", [("rtt p99 lo", g("tcp", "rtt_p99_us"), TCPC),
                               ("rtt p99 veth", g("tcp-veth", "rtt_p99_us"), TCPC)]),
    ]
    with open(os.path.join(outdir, "chart.dat"), "w") as f:
        f.write("# label value color text -- blocks: qd1 mean us, qd16 iops, 1M MB/s, "
                "full resync MB/s, ctxsw/write, qd1 p99 us\n")
        f.write("# %s\n" % setup["date"])
        for i, p in enumerate(panels):
            if i:
                f.write("\n\n")
            for name, v, color in p:
                if v is None:
                    f.write('"%s" 0 %d "n/a"\n' % (name, color))
                else:
                    f.write('"%s" %.4f %d "%s"\n' % (name, v, color,
                                                     fmt(v, 2 if v < 10 else (1 if v < 100 else 0))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
