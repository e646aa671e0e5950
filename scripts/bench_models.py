#!/usr/bin/env python3
"""Benchmark the code cnnspec generates against ONNX Runtime and PyTorch, network by network.

What it measures
    For every net (default: lenet5 convnetjs_cifar cs231n_pattern alexnet vgg16 resnet18
    resnet50 mobilenet_v2 googlenet densenet121, each specs/<net>.cnn at its defaults, no -D;
    with --nets also vgg11 vgg16_bn vgg19 resnet34, the other shipped specs with a torchvision
    model), on the SAME weights, at batch 1 unless --batch:

    * cnnspec: the program of ``cnnspec build specs/<net>.cnn -o out/bench/<net>`` (rebuilt
      only when the spec or the cnnspec binary is newer than it), timed by its own
      ``EXE --weights W --bench --iterations N --warm-up MS --batch B --threads T`` (the
      warm-up below, then N runs; median and min of the wall time of one predict).
      ``--threads`` is passed only when the program has it (its --help names it); otherwise
      the rows for more than one thread read "n/a". With --layers, ``--layers`` too (when the program has it): its
      per-layer rows (``index name op macs median_ms min_ms gflops``) are shown per net.
      ``--bench`` times the program's own seeded random input; the output check below runs
      it on the shared input file.
    * onnxruntime: the PyTorch module of the net exported to out/bench/<net>.onnx
      (``torch.onnx.export``, opset 17, the TorchScript exporter, batch axis dynamic),
      ``InferenceSession`` with intra-op threads T, inter-op threads 1, ORT_ENABLE_ALL,
      ORT_SEQUENTIAL; the warm-up below, then N timed ``run`` calls.
    * pytorch: the same module in eager mode, ``torch.set_num_threads(T)``,
      ``torch.set_num_interop_threads(1)``, under ``torch.inference_mode()``; the warm-up
      below, then N timed calls.

    Peers are timed with ``time.perf_counter`` around one predict, the same protocol as the
    program's --bench. The PyTorch module is torchvision's model for alexnet, vgg11, vgg16,
    vgg16_bn, vgg19, resnet18, resnet34, resnet50, mobilenet_v2, googlenet
    (aux_logits=False, transform_input=False, init_weights=True) and densenet121 (weights=None, torch.manual_seed(0), then batch norm
    running statistics from two training-mode passes), and for lenet5, convnetjs_cifar and
    cs231n_pattern (N=2, K=2) modules built by hand as in scripts/record_codegen_fixtures.py
    (its seeded_init). Before anything is timed, the module's state_dict is checked against
    ``cnnspec report --format json`` (same names, shapes, order) and written to
    out/bench/<net>.weights.safetensors (F32, num_batches_tracked kept), which the program
    loads with --weights. A seeded input [B, C, H, W] goes to
    out/bench/<net>.input-b<B>.safetensors; the program's output on it
    (``EXE --weights W --input X --output Y [--threads T]``, once per thread count) is compared
    with ONNX Runtime's and PyTorch's: the column "agrees" reads "yes" when
    max|peer - cnnspec| <= 1e-3 * max|cnnspec| (cnnspec's output at the first thread count),
    otherwise that relative error, so a fast but wrong kernel shows. The program's rows at
    the other thread counts compare its output there with the first in the same way.

    Peak: scripts/peak_fma.swift, compiled with ``swiftc -O -wmo -Xcc -march=native`` into
    out/bench/peak_fma, runs 12 independent FMA chains per thread on 1 and 2 threads, of
    SIMD8<Float> and of SIMD16<Float>, and takes the faster width (2x apart on CPUs with
    two 512-bit FMA units). Every GFLOP/s (2 x MACs x batch / min time; MACs from the plan's totals) is
    also shown as a percentage of the 1-thread peak times the thread count.

    Rounds: --rounds R (default 3) splits each runner's N runs into R rounds of ceil(N / R)
    (at most N rounds) and runs the runners in turn once per round: the program at every
    thread count, ONNX Runtime at every thread count, PyTorch, then again, the order rotated
    by one runner each round (since 2026-12-06 15:40: the runner that always came first,
    the program, had followed PyTorch's 2-thread runs every time). Each round is a
    fresh process run with its own warm-up; a runner's row shows the minimum of its rounds'
    minimums and the median of their medians (per layer the same). On a virtual machine
    whose speed changes by phases of seconds to minutes (seen on 2026-12-06: the same
    program 1.5x slower in some runs than in the runs before and after it, a pure FMA loop
    2x), runners timed one after another can land in different phases; in turns, each sees
    the same mix. --rounds 1 is the protocol before 2026-12-06 (each runner once).

    Warm-up: every runner, in every process run, first calls its predict untimed once, then
    again until --warm-up MS milliseconds (default 100) have passed since that first call
    began (0: the one call only, the protocol before 2026-12-07 20:07). A process that has
    just started ran its first calls slower on the 2-vCPU AMD EPYC VM of docs/BENCHMARKS.md:
    five alternating pairs of process runs of convnetjs_cifar (7 timed runs each) had the
    program's median at 0.16-0.23 ms after one warm-up call and 0.11 (0.15 once) after
    100 ms of them, ONNX Runtime's at 0.17-0.26 and 0.14 (0.22 once). Nets whose one call
    takes 100 ms or more get the one call either way, and so do programs without the flag
    (their --help does not name it).

    Rest: --rest S idles S seconds after each build and before each runner is timed. Some
    virtual machines slow a CPU down after tens of seconds of full load and give the speed
    back after a pause (seen on 2026-12-06: ResNet-18 29-33 ms after a minute idle, 42-46 ms
    right after ten minutes of benchmarks), which favours whichever runner comes later; the
    rest is meant to give every runner the same start (8 s did not fully on that host: read
    the minimums). Default 0.

    Iterations: --iterations N for every net; by default 20, and 5 for nets of more than
    1 GMAC (alexnet is under; vgg16, resnet18, resnet50, googlenet, densenet121 are over).

    The torch side runs in the virtualenv's python (--python, default .venv/bin/python) as a
    worker process (this script with --worker), so this script itself needs only Python 3.
    Missing packages (torch torchvision safetensors onnx onnxruntime) are installed into that
    venv with pip, creating the venv if it does not exist, and the script says so; when that
    fails (no network, no pip) it says why and still times the generated code, with "n/a" in
    the peer rows. Files under out/bench/ are reused while newer than the spec and this script.

Output
    A header (date, CPU model, nproc, load average, peak GFLOP/s on 1 and 2 threads,
    versions of swiftc, cnnspec, torch, onnxruntime, batch), then per net one block:

        <net>: <M> MMACs, input BxCxHxW, R rounds of N/R runs after 100 ms of warm-up, other load L
        runner  threads  median ms  min ms  GFLOP/s  % peak  median / cnnspec  agrees  other load
        cnnspec            1    ...
        cnnspec            2    ...
        onnxruntime        1    ...
        ...

    "% peak" is GFLOP/s over (threads x the 1-thread peak); "median / cnnspec" is the peer's
    median over the program's median at the same thread count (> 1: cnnspec is faster);
    "agrees" as above ("-" for cnnspec at the first thread count). "other load" is the CPU
    time that OTHER processes used while the row was measured (per program run; per worker
    process for the peers, its start-up included; in the block's title and the summary: the
    whole net, the cnnspec build excluded), in cores (from /proc/stat minus this script's own
    and its children's CPU time; coarse for runs under a second: the kernel counts in 10 ms
    ticks): on this 2-core machine, anything above about 0.1 means the
    2-thread rows (and to a lesser degree the 1-thread rows) are disturbed; OpenMP-style
    thread pools (PyTorch, onnxruntime) slow down by up to 20x when one of their 2 threads
    has to share a core. A net's notes (build or worker failures, missing options) follow
    its table. Then a summary table: per net, the median ms of every runner and thread
    count, the peers' median over cnnspec's at 1 thread, and the other load. With
    --layers, after each net's block, per thread count of the program:
    ``layer name op MMACs median ms min ms % time GFLOP/s % peak`` as the program printed
    them (% time: the layer's share of the sum of the layer medians; % peak as above, "-"
    for layers without MACs). ``--markdown`` prints the same tables in Markdown (for
    docs/BENCHMARKS.md). Progress and install messages go to stderr.

How to run
    swift build -c release
    make bench-models [VENV=path/to/venv]      # all nets; make bench runs it after bench.py
    make bench-layers                          # the same with --layers
    python3 scripts/bench_models.py [--nets a,b] [--iterations N] [--rounds R] [--warm-up MS] [--rest S]
        [--batch B] [--threads 1,2] [--layers] [--markdown] [--cnnspec PATH] [--python PATH]

    Exit status: 0 when every program ran (peer failures are reported, not fatal), 1 when
    building or running a generated program failed, 2 for a missing cnnspec binary or spec.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPTS = os.path.join(REPO, "scripts")
sys.path.insert(0, SCRIPTS)
from bench import cpu_model, nproc  # noqa: E402  (the `cnnspec check` benchmark's machine line)
OUT = os.path.join(REPO, "out", "bench")
NETS = ["lenet5", "convnetjs_cifar", "cs231n_pattern", "alexnet", "vgg16", "resnet18",
        "resnet50", "mobilenet_v2", "googlenet", "densenet121"]
# The other shipped specs with a torchvision model, timed only when --nets names them (VGG-19
# alone takes minutes).
EXTRA_NETS = ["vgg11", "vgg16_bn", "vgg19", "resnet34"]
TORCHVISION = {
    "alexnet": {}, "vgg16": {}, "resnet18": {}, "resnet50": {}, "mobilenet_v2": {},
    "vgg11": {}, "vgg16_bn": {}, "vgg19": {}, "resnet34": {},
    "googlenet": {"aux_logits": False, "transform_input": False, "init_weights": True},
    "densenet121": {},
}
SLOW_MACS = 1_000_000_000  # nets above this get SLOW_ITERATIONS by default
DEFAULT_ITERATIONS, SLOW_ITERATIONS = 20, 5
TOLERANCE = 1e-3
# module -> pip package, what the worker needs
PACKAGES = [("torch", "torch"), ("torchvision", "torchvision"), ("safetensors", "safetensors"),
            ("onnx", "onnx"), ("onnxruntime", "onnxruntime")]
SUMMARY_RE = re.compile(r"median ([0-9.]+) ms, min ([0-9.]+) ms")
RUNNERS = ["cnnspec", "onnxruntime", "pytorch"]


def log(message):
    print(f"bench_models.py: {message}", file=sys.stderr, flush=True)


def die(message, code=2):
    log(message)
    sys.exit(code)


def newer(path, *sources):
    """True when path exists and is at least as new as every source."""
    if not os.path.exists(path):
        return False
    t = os.path.getmtime(path)
    return all(os.path.getmtime(s) <= t for s in sources)


def run(argv, **kwargs):
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kwargs)


# ---------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------

def cpu_snapshot():
    """(wall s, CPU s busy on the whole machine, CPU s of this process and its finished
    children), for the load other processes put on the machine during a measurement."""
    busy = 0.0
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        # user nice system idle iowait irq softirq steal ...
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        pass
    t = os.times()
    return time.perf_counter(), busy, t.user + t.system + t.children_user + t.children_system


def other_load(start, end):
    """Cores' worth of CPU time other processes used between two snapshots (None if unknown)."""
    wall = end[0] - start[0]
    if wall <= 0 or end[1] == 0:
        return None
    return max(0.0, ((end[1] - start[1]) - (end[2] - start[2])) / wall)


def swiftc_path():
    for d in ["/opt/swift/usr/bin"] + os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, "swiftc")
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def first_line(argv):
    try:
        r = run(argv)
    except OSError:
        return "unknown"
    text = (r.stdout or r.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def peak_probe():
    """{threads: GFLOP/s} from scripts/peak_fma.swift, or {} when it cannot be built."""
    src = os.path.join(SCRIPTS, "peak_fma.swift")
    exe = os.path.join(OUT, "peak_fma")
    swiftc = swiftc_path()
    if not newer(exe, src):
        if swiftc is None:
            log("no swiftc found: no peak probe, % peak columns n/a")
            return {}
        r = run([swiftc, "-O", "-wmo", "-Xcc", "-march=native", src, "-o", exe])
        if r.returncode != 0:
            log(f"the peak probe did not compile:\n{r.stderr.strip()}")
            return {}
    r = run([exe, "1", "2"])
    peaks = {}
    for line in r.stdout.splitlines():
        m = re.match(r"threads (\d+): ([0-9.]+) GFLOP/s", line)
        if m:
            peaks[int(m.group(1))] = float(m.group(2))
    return peaks


# ---------------------------------------------------------------------------
# The virtualenv (the peers' side)
# ---------------------------------------------------------------------------

def missing_modules(python):
    code = ("import importlib.util, json; print(json.dumps([m for m in %r "
            "if importlib.util.find_spec(m) is None]))" % [m for m, _ in PACKAGES])
    r = run([python, "-c", code])
    if r.returncode != 0:
        return None
    return json.loads(r.stdout)


def ensure_venv(python):
    """Returns (python or None, message). Installs what is missing, creating the venv when
    there is none; never raises."""
    if not os.path.exists(python):
        venv = os.path.dirname(os.path.dirname(python))
        log(f"no python at {python}: creating the virtualenv {venv} (python3 -m venv)")
        r = run([sys.executable, "-m", "venv", venv])
        if r.returncode != 0 or not os.path.exists(python):
            return None, f"could not create the virtualenv {venv}: {r.stderr.strip()[-300:]}"
    missing = missing_modules(python)
    if missing is None:
        return None, f"{python} does not run"
    if missing:
        packages = [p for m, p in PACKAGES if m in missing]
        log(f"installing {' '.join(packages)} into {python} with pip (missing: {', '.join(missing)})")
        r = subprocess.run([python, "-m", "pip", "install", "--quiet"] + packages,
                           stdin=subprocess.DEVNULL, stdout=sys.stderr, stderr=subprocess.PIPE, text=True)
        still = missing_modules(python)
        if still is None:
            still = missing
        if r.returncode != 0 or still:
            return None, (f"could not install {' '.join(packages)} into {python} with pip "
                          f"(exit {r.returncode}: {r.stderr.strip()[-300:]}); peer columns are n/a")
        log("installed " + " ".join(packages))
    return python, "ok"


def worker(python, *args):
    """Runs this script's worker mode in the venv; returns (dict or None, error text)."""
    r = run([python, os.path.abspath(__file__), "--worker"] + [str(a) for a in args])
    lines = r.stdout.strip().splitlines()
    if r.returncode != 0 or not lines:
        tail = "\n".join((r.stderr or r.stdout).strip().splitlines()[-8:])
        return None, f"worker {args[0]} failed (exit {r.returncode}):\n{tail}"
    return json.loads(lines[-1]), ""


# ---------------------------------------------------------------------------
# The generated program
# ---------------------------------------------------------------------------

def build_exe(cnnspec, net):
    spec = os.path.join(REPO, "specs", net + ".cnn")
    exe = os.path.join(OUT, net)
    if not newer(exe, spec, cnnspec):
        log(f"cnnspec build specs/{net}.cnn -o out/bench/{net}")
        start = time.perf_counter()
        r = run([cnnspec, "build", spec, "-o", exe])
        if r.returncode != 0:
            log(f"cnnspec build of {net} failed (exit {r.returncode}):\n{r.stderr.strip()[-2000:]}")
            return None
        log(f"built {net} in {time.perf_counter() - start:.1f} s")
    return exe


def exe_features(exe):
    text = run([exe, "--help"]).stdout
    return {"threads": "--threads" in text, "layers": "--layers" in text, "warm-up": "--warm-up" in text}


def exe_flags(features, threads, layers):
    """The flags of one --bench run: --threads only when the program has it."""
    flags = []
    if features["threads"]:
        flags += ["--threads", str(threads)]
    if layers and features["layers"]:
        flags += ["--layers"]
    return flags


def parse_layers(lines):
    """Rows after the header line starting with 'layer': index name op macs median min gflops."""
    rows, started = [], False
    for line in lines:
        if not started:
            started = line.startswith("layer")
            continue
        cols = line.split()
        if len(cols) < 7:
            continue
        try:
            rows.append({"index": cols[0], "name": cols[1], "op": cols[2], "macs": int(cols[3]),
                         "median": float(cols[4]), "min": float(cols[5]), "gflops": float(cols[6])})
        except ValueError:
            continue
    return rows


def bench_exe(exe, weights, features, threads, iterations, warm_up, batch, layers):
    """{"median", "min", "layers"} in ms, or an error string."""
    argv = [exe] + (["--weights", weights] if weights else [])
    argv += ["--bench", "--iterations", str(iterations), "--batch", str(batch)]
    if warm_up and features["warm-up"]:
        argv += ["--warm-up", str(warm_up)]
    argv += exe_flags(features, threads, layers)
    r = run(argv)
    if r.returncode != 0:
        return f"`{' '.join(argv)}` exited {r.returncode}: {r.stderr.strip()[-500:]}"
    lines = r.stdout.splitlines()
    m = SUMMARY_RE.search(r.stdout)
    if not m:
        return f"no summary line in the output of `{' '.join(argv)}`:\n{r.stdout[-500:]}"
    return {"median": float(m.group(1)), "min": float(m.group(2)), "layers": parse_layers(lines)}


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

def gflops(macs, batch, ms):
    return 2 * macs * batch / (ms / 1000) / 1e9


def pct(g, peaks, threads):
    return f"{100 * g / (peaks[1] * threads):.0f}%" if 1 in peaks else "n/a"


def fmt_ms(ms):
    return f"{ms:.3f}" if ms < 10 else f"{ms:.1f}" if ms < 1000 else f"{ms:.0f}"


def table(headers, rows, markdown, right_from=1):
    if markdown:
        out = ["| " + " | ".join(headers) + " |",
               "|" + "|".join(["---"] * right_from + ["---:"] * (len(headers) - right_from)) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.ljust(widths[i]) if i < right_from else c.rjust(widths[i])
                         for i, c in enumerate(cells)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


NET_HEADERS = ["runner", "threads", "median ms", "min ms", "GFLOP/s", "% peak", "median / cnnspec", "agrees",
               "other load"]


def net_rows(result, thread_counts, peaks, batch):
    rows = []
    macs = result["macs"]
    for runner in RUNNERS:
        for t in thread_counts:
            cell = result["runs"].get((runner, t))
            if not isinstance(cell, dict):
                rows.append([runner, str(t)] + ["n/a"] * (len(NET_HEADERS) - 2))
                continue
            g = gflops(macs, batch, cell["min"])
            base = result["runs"].get(("cnnspec", t))
            if runner == "cnnspec":
                ratio, agrees = "1.00", result["agrees"].get((runner, t), "-")
            else:
                ratio = f"{cell['median'] / base['median']:.2f}" if isinstance(base, dict) else "n/a"
                agrees = result["agrees"].get(runner, "n/a")
            rows.append([runner, str(t), fmt_ms(cell["median"]), fmt_ms(cell["min"]), f"{g:.1f}",
                         pct(g, peaks, t), ratio, agrees, load_text(cell.get("load"))])
    return rows


LAYER_HEADERS = ["layer", "name", "op", "MMACs", "median ms", "min ms", "% time", "GFLOP/s", "% peak"]


def layer_rows(layers, peaks, threads):
    """% time: the layer's median over the sum of all layers' medians."""
    total = sum(L["median"] for L in layers) or 1.0
    rows = []
    for L in layers:
        rows.append([L["index"], L["name"], L["op"], f"{L['macs'] / 1e6:.2f}", f"{L['median']:.3f}",
                     f"{L['min']:.3f}", f"{100 * L['median'] / total:.1f}", f"{L['gflops']:.1f}",
                     pct(L["gflops"], peaks, threads) if L["macs"] else "-"])
    return rows


def summary(results, thread_counts, markdown):
    headers = ["net", "MMACs"]
    for t in thread_counts:
        headers += [f"{r} {t}t ms" for r in ["cnnspec", "ORT", "PyTorch"]]
    headers += ["ORT / cnnspec 1t", "PyTorch / cnnspec 1t", "other load"]
    rows = []
    for net, res in results:
        row = [net, f"{res['macs'] / 1e6:,.1f}"]
        for t in thread_counts:
            for r in RUNNERS:
                cell = res["runs"].get((r, t))
                row.append(fmt_ms(cell["median"]) if isinstance(cell, dict) else "n/a")
        base = res["runs"].get(("cnnspec", 1))
        for r in ["onnxruntime", "pytorch"]:
            cell = res["runs"].get((r, 1))
            ok = isinstance(cell, dict) and isinstance(base, dict)
            row.append(f"{cell['median'] / base['median']:.2f}" if ok else "n/a")
        row.append(load_text(res.get("other_load")))
        rows.append(row)
    return table(headers, rows, markdown, right_from=1)


# ---------------------------------------------------------------------------
# The orchestrator
# ---------------------------------------------------------------------------

def bench_net(net, args, cnnspec, python, thread_counts):
    spec = os.path.join(REPO, "specs", net + ".cnn")
    r = run([cnnspec, "report", spec, "--format", "json"])
    if r.returncode != 0:
        die(f"cnnspec report {spec} failed:\n{r.stderr.strip()[-1000:]}", 1)
    plan = json.loads(r.stdout)
    macs = plan["totals"]["macs"]
    shape = plan["input"]
    iterations = args.iterations or (SLOW_ITERATIONS if macs > SLOW_MACS else DEFAULT_ITERATIONS)
    result = {"macs": macs, "iterations": iterations, "warm_up": args.warm_up, "runs": {}, "agrees": {}, "notes": [],
              "layers": {}, "shape": f"{args.batch}x{shape['c']}x{shape['h']}x{shape['w']}"}

    exe = build_exe(cnnspec, net)
    rest(args.rest)
    snapshot = cpu_snapshot()
    if exe is None:
        result["notes"].append("cnnspec build failed")
        result["failed"] = True
        return result
    features = exe_features(exe)

    # Weights, input and ONNX file from the PyTorch module.
    weights = inp = None
    if python:
        log(f"{net}: weights, input and ONNX export (worker prepare)")
        prep, err = worker(python, "prepare", net, cnnspec, args.batch)
        if prep is None:
            result["notes"].append(err)
        else:
            weights, inp = prep["weights"], prep["input"]
    if weights is None:
        result["notes"].append("the program ran on its own seeded random weights")

    # The program's outputs on the shared input, for the agreement check: one per thread count
    # (the first is the reference of the peers; the others are compared with it).
    exe_outs = []
    for t in thread_counts:
        if not inp or (t != 1 and not features["threads"]):
            continue
        out = os.path.join(OUT, f"{net}.output-b{args.batch}-t{t}.safetensors")
        argv = [exe, "--weights", weights, "--input", inp, "--output", out] + exe_flags(features, t, False)
        r = run(argv)
        if r.returncode != 0:
            result["notes"].append(f"`{' '.join(argv)}` exited {r.returncode}: {r.stderr.strip()[-300:]}")
            result["failed"] = True
        else:
            exe_outs.append(f"{t}={out}")

    # Rounds: every runner in turn, `rounds` times, each round a fresh process run of
    # `per_round` timed runs (after its own warm-up); the cells of a runner are merged below.
    rounds = min(args.rounds, iterations)
    per_round = (iterations + rounds - 1) // rounds
    result["rounds"], result["per_round"] = rounds, per_round
    cells = {}

    def time_cnnspec(round_index):
        for t in thread_counts:
            if t != 1 and not features["threads"]:
                result["runs"][("cnnspec", t)] = "no --threads"
                continue
            rest(args.rest)
            log(f"{net}: cnnspec, {t} thread(s), {per_round} runs (round {round_index + 1} of {rounds})")
            before = cpu_snapshot()
            cell = bench_exe(exe, weights, features, t, per_round, args.warm_up, args.batch, args.layers)
            if isinstance(cell, str):
                result["notes"].append(cell)
                result["failed"] = True
            else:
                cell["load"] = other_load(before, cpu_snapshot())
                cells.setdefault(("cnnspec", t), []).append(cell)

    def take(runner, p, err, load, round_index):
        """A peer worker's report: its cells, and whether its outputs (and the program's) agree."""
        if p is None:
            if round_index == 0 or f"{runner}: {err}" not in result["notes"]:
                result["notes"].append(f"{runner}: {err}")
            return
        for t, e in p.get("cnnspec", {}).items():
            result["agrees"][("cnnspec", int(t))] = "yes" if e <= TOLERANCE else f"{e:.1e}"
        for t, cell in p["times"].items():
            cell["load"] = load
            cells.setdefault((runner, int(t)), []).append(cell)
        e = p.get("max_rel_error")
        if e is not None:
            result["agrees"][runner] = "yes" if e <= TOLERANCE else f"{e:.1e}"

    def time_onnxruntime(round_index):
        outs = ",".join(exe_outs) or "-"
        for t in thread_counts:
            rest(args.rest)
            log(f"{net}: onnxruntime, {t} thread(s), {per_round} runs (round {round_index + 1} of {rounds})")
            before = cpu_snapshot()
            p, err = worker(python, "onnxruntime", net, args.batch, per_round, args.warm_up, t, outs)
            take("onnxruntime", p, err, other_load(before, cpu_snapshot()), round_index)

    def time_pytorch(round_index):
        outs = ",".join(exe_outs) or "-"
        rest(args.rest)
        log(f"{net}: pytorch, {args.threads} threads, {per_round} runs (round {round_index + 1} of {rounds})")
        before = cpu_snapshot()
        p, err = worker(python, "pytorch", net, cnnspec, args.batch, per_round, args.warm_up,
                        ",".join(map(str, thread_counts)), outs)
        take("pytorch", p, err, other_load(before, cpu_snapshot()), round_index)

    # The runners' order rotates from round to round (the program first in round 1, ONNX
    # Runtime in round 2, PyTorch in round 3...), so that none always follows the heaviest
    # load (PyTorch at 2 threads, or the build) or always comes first.
    runners = [time_cnnspec] + ([time_onnxruntime, time_pytorch] if python and weights else [])
    for round_index in range(rounds):
        k = round_index % len(runners)
        for run_one in runners[k:] + runners[:k]:
            run_one(round_index)
    for key, merged in cells.items():
        result["runs"][key] = merge_cells(merged)
        if key[0] == "cnnspec" and args.layers:
            result["layers"][key[1]] = result["runs"][key]["layers"]
    if not features["threads"] and any(t != 1 for t in thread_counts):
        result["notes"].append("the program has no --threads option: its rows for more than 1 thread are n/a")
    if args.layers and not features["layers"]:
        result["notes"].append("the program has no --layers option: no per-layer times")
    result["other_load"] = other_load(snapshot, cpu_snapshot())
    return result


def merge_cells(cells):
    """One runner's rounds as one cell: the minimum of their minimums, the median of their
    medians, the most other load; per layer (the program's cells) the same."""
    merged = {"median": statistics.median(c["median"] for c in cells), "min": min(c["min"] for c in cells),
              "load": max((c["load"] for c in cells if c.get("load") is not None), default=None)}
    if "layers" in cells[0]:
        layers = []
        for i, row in enumerate(cells[0]["layers"]):
            rows = [c["layers"][i] for c in cells if i < len(c["layers"])]
            best = min(rows, key=lambda r: r["min"])  # its GFLOP/s: at that minimum
            layers.append(dict(best, median=statistics.median(r["median"] for r in rows)))
        merged["layers"] = layers
    return merged


def rest(seconds):
    """Idles before a measurement (--rest): some hosts slow a virtual CPU down after tens of
    seconds of full load (a build, the runner before) and give its speed back after a pause,
    which would favour whichever runner comes later."""
    if seconds > 0:
        time.sleep(seconds)


def load_text(load):
    return "n/a" if load is None else f"{load:.2f}"


def runs_text(result):
    rounds = result.get("rounds", 1)
    warm_up = result.get("warm_up", 0)
    after = f"after {warm_up} ms of warm-up" if warm_up else "after 1 warm-up"
    if rounds == 1:
        return f"{result['iterations']} runs {after}"
    return f"{rounds} rounds of {result['per_round']} runs {after}"


def print_net(net, result, args, thread_counts, peaks):
    md = args.markdown
    title = (f"{net}: {result['macs'] / 1e6:,.1f} MMACs, input {result['shape']}, "
             f"{runs_text(result)}, other load {load_text(result.get('other_load'))}")
    print(f"#### {title}" if md else title)
    print()
    print(table(NET_HEADERS, net_rows(result, thread_counts, peaks, args.batch), md, right_from=1))
    for note in result["notes"]:
        print(("- " if md else "  note: ") + note.replace("\n", "\n    "))
    for t, layers in sorted(result["layers"].items()):
        if layers:
            print()
            print(f"{net}, cnnspec per layer, {t} thread(s):")
            print()
            print(table(LAYER_HEADERS, layer_rows(layers, peaks, t), md, right_from=3))
    print(flush=True)


def orchestrate(args):
    cnnspec = os.path.abspath(args.cnnspec)
    if not (os.path.isfile(cnnspec) and os.access(cnnspec, os.X_OK)):
        die(f"no cnnspec binary at {args.cnnspec}; build it with `swift build -c release` (or pass --cnnspec)")
    nets = args.nets.split(",") if args.nets else NETS
    for net in nets:
        if net not in NETS + EXTRA_NETS:
            die(f"unknown net '{net}'; known: {', '.join(NETS + EXTRA_NETS)}", 64)
        if not os.path.isfile(os.path.join(REPO, "specs", net + ".cnn")):
            die(f"missing spec specs/{net}.cnn")
    try:
        thread_counts = sorted({int(t) for t in args.threads.split(",")})
    except ValueError:
        die(f"--threads needs a comma-separated list of numbers, not '{args.threads}'", 64)
    if not thread_counts or thread_counts[0] < 1:
        die("--threads needs numbers of at least 1", 64)
    if args.batch < 1 or (args.iterations is not None and args.iterations < 1):
        die("--batch and --iterations need numbers of at least 1", 64)
    os.makedirs(OUT, exist_ok=True)

    peaks = peak_probe()
    python, message = ensure_venv(args.python)
    if python is None:
        log(message)
    versions = {}
    if python:
        r = run([python, "-c", "import torch, onnxruntime; print(torch.__version__, onnxruntime.__version__)"])
        parts = r.stdout.split()
        if len(parts) == 2:
            versions = {"torch": parts[0], "onnxruntime": parts[1]}

    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load = "%.2f %.2f %.2f" % os.getloadavg()
    peak_text = ", ".join(f"{t} thread{'s' if t > 1 else ''} {g:.1f}" for t, g in sorted(peaks.items())) or "n/a"
    swift = swiftc_path()
    header = [
        f"Generated code vs ONNX Runtime and PyTorch: {date}; {platform.machine()}, {cpu_model()}, "
        f"nproc {nproc()}, load average {load}",
        f"peak FP32 FMA GFLOP/s (scripts/peak_fma.swift): {peak_text}",
        f"{first_line([swift, '--version']) if swift else 'no swiftc'}; "
        f"{first_line([cnnspec, '--version'])}; torch {versions.get('torch', 'n/a')}; "
        f"onnxruntime {versions.get('onnxruntime', 'n/a')}; batch {args.batch}",
    ]
    if python is None:
        header.append(f"peers not run: {message}")
    if args.markdown:
        print("\n".join(f"_{h}_  " for h in header))
    else:
        print("\n".join(header))
    print(flush=True)

    results, failed = [], False
    for net in nets:
        result = bench_net(net, args, cnnspec, python, thread_counts)
        failed = failed or result.get("failed", False)
        print_net(net, result, args, thread_counts, peaks)
        results.append((net, result))
    if len(results) > 1:
        print("Summary: median ms per net, and the peers' median over cnnspec's at 1 thread "
              "(> 1: cnnspec is faster)")
        print()
        print(summary(results, thread_counts, args.markdown))
    return 1 if failed else 0


# ---------------------------------------------------------------------------
# The worker (runs in the venv's python: torch, torchvision, onnx, onnxruntime)
# ---------------------------------------------------------------------------

def torch_module(net, cnnspec, init=True):
    """The net as a PyTorch module in eval mode, checked against the plan, with its weights
    (without init, for loading a state_dict: no seeded weights, no batch norm passes)."""
    import torch
    import torch.nn as nn
    import record_codegen_fixtures as rcf

    plan = rcf.plan_of(cnnspec, net, [])
    shape = plan["input"]
    input_shape = (shape["c"], shape["h"], shape["w"])
    seed = sum(map(ord, net))
    torch.manual_seed(seed)
    if net in TORCHVISION:
        import torchvision
        model = getattr(torchvision.models, net)(weights=None, **TORCHVISION[net])
        rcf.check_against_plan(net, model, plan)
        if init and any(isinstance(m, nn.BatchNorm2d) for m in model.modules()):
            g = torch.Generator().manual_seed(seed)
            model.train()
            with torch.no_grad():
                for _ in range(2):
                    model(torch.randn((2,) + input_shape, generator=g))
    else:
        model = rcf.cs231n_pattern(n=2, k=2) if net == "cs231n_pattern" else getattr(rcf, net)()
        rcf.check_against_plan(net, model, plan)
        if init:
            rcf.seeded_init(model, seed, input_shape)
    model.eval()
    return model, plan, input_shape


def worker_prepare(net, cnnspec, batch):
    import torch
    from record_codegen_fixtures import save_file

    torch.set_num_threads(2)
    spec = os.path.join(REPO, "specs", net + ".cnn")
    weights = os.path.join(OUT, net + ".weights.safetensors")
    onnx_path = os.path.join(OUT, net + ".onnx")
    inp = os.path.join(OUT, f"{net}.input-b{batch}.safetensors")
    me = os.path.abspath(__file__)
    meta = {"net": net, "torch_version": torch.__version__}
    if not (newer(weights, spec, me) and newer(onnx_path, spec, me, weights)):
        model, plan, input_shape = torch_module(net, cnnspec)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, weights, metadata=meta)
        example = torch.zeros((1,) + input_shape)
        torch.onnx.export(model, (example,), onnx_path, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                          opset_version=17, dynamo=False)
    else:
        plan = json.loads(run([cnnspec, "report", spec, "--format", "json"]).stdout)
        input_shape = (plan["input"]["c"], plan["input"]["h"], plan["input"]["w"])
    if not newer(inp, spec, me):
        g = torch.Generator().manual_seed(1)
        save_file({"input": torch.randn((batch,) + input_shape, generator=g).contiguous()}, inp, metadata=meta)
    return {"weights": weights, "input": inp, "onnx": onnx_path}


def time_calls(fn, iterations, warm_up_ms):
    """Median and min ms of `iterations` timed calls, after one untimed call and more until
    `warm_up_ms` have passed since it began (the program's --warm-up)."""
    start = time.perf_counter()
    fn()
    while time.perf_counter() - start < warm_up_ms / 1000:
        fn()
    times = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {"median": statistics.median(times) * 1000, "min": min(times) * 1000}


def rel_error(y, ref):
    """max |y - ref| / max |ref| over the batch (both flattened per image), numpy arrays."""
    import numpy as np
    y = np.asarray(y, dtype=np.float64).reshape(ref.shape[0], -1)
    ref = np.asarray(ref, dtype=np.float64).reshape(ref.shape[0], -1)
    return float(np.abs(y - ref).max() / max(np.abs(ref).max(), 1e-30))


def load_io(net, batch, exe_outs):
    """The shared input and the program's outputs ("T=path,..." or "-") as numpy arrays:
    (input, reference output or None, {T: relative error of the other outputs})."""
    from safetensors.numpy import load_file
    x = load_file(os.path.join(OUT, f"{net}.input-b{batch}.safetensors"))["input"]
    outs = [] if exe_outs == "-" else [o.split("=", 1) for o in exe_outs.split(",")]
    outs = [(t, load_file(path)["output"]) for t, path in outs]
    ref = outs[0][1] if outs else None
    return x, ref, {t: rel_error(y, ref) for t, y in outs[1:]}


def worker_onnxruntime(net, batch, iterations, warm_up, threads, exe_outs):
    """One thread count per process, so that no thread pool of one measurement is left
    running (or spinning) during the next."""
    import onnxruntime as ort
    x, ref, cnnspec = load_io(net, batch, exe_outs)
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(os.path.join(OUT, net + ".onnx"), so, providers=["CPUExecutionProvider"])
    feed = {"input": x}
    times = {str(threads): time_calls(lambda: sess.run(None, feed), iterations, warm_up)}
    err = rel_error(sess.run(None, feed)[0], ref) if ref is not None else None
    return {"times": times, "max_rel_error": err, "cnnspec": cnnspec}


def worker_pytorch(net, cnnspec, batch, iterations, warm_up, thread_counts, exe_outs):
    import torch
    from safetensors.torch import load_file
    torch.set_num_interop_threads(1)
    x, ref, _ = load_io(net, batch, exe_outs)
    inp = torch.from_numpy(x)
    model, _, _ = torch_module(net, cnnspec, init=False)
    model.load_state_dict(load_file(os.path.join(OUT, net + ".weights.safetensors")))
    model.eval()
    times = {}
    with torch.inference_mode():
        for t in thread_counts:
            torch.set_num_threads(t)
            times[str(t)] = time_calls(lambda: model(inp), iterations, warm_up)
        err = rel_error(model(inp).numpy(), ref) if ref is not None else None
    return {"times": times, "max_rel_error": err}


def worker_main(argv):
    mode = argv[0]
    if mode == "prepare":  # NET CNNSPEC BATCH
        out = worker_prepare(argv[1], argv[2], int(argv[3]))
    elif mode == "onnxruntime":  # NET BATCH ITERATIONS WARM_UP_MS THREADS EXE_OUTS
        out = worker_onnxruntime(argv[1], int(argv[2]), int(argv[3]), int(argv[4]), int(argv[5]), argv[6])
    elif mode == "pytorch":  # NET CNNSPEC BATCH ITERATIONS WARM_UP_MS T1,T2 EXE_OUTS
        out = worker_pytorch(argv[1], argv[2], int(argv[3]), int(argv[4]), int(argv[5]),
                             [int(t) for t in argv[6].split(",")], argv[7])
    else:
        sys.exit(f"unknown worker mode {mode}")
    print(json.dumps(out))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_main(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description="Time the generated code of each net against ONNX Runtime "
                                             "and PyTorch on the same weights (see the docstring).")
    ap.add_argument("--nets", help="comma-separated nets (default: %s; also known: %s)"
                    % (",".join(NETS), ",".join(EXTRA_NETS)))
    ap.add_argument("--iterations", type=int, help="timed runs per runner (default: 20; 5 for nets over 1 GMAC)")
    ap.add_argument("--batch", type=int, default=1, help="images per predict (default: 1)")
    ap.add_argument("--threads", default="1,2", help="thread counts (default: 1,2)")
    ap.add_argument("--layers", action="store_true", help="per-layer times of the generated code")
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds of all runners in turn, the runs split between them (default 3; "
                         "1: each runner once, one after another)")
    ap.add_argument("--warm-up", type=int, default=100, metavar="MS",
                    help="untimed calls before each runner's timed ones, until MS milliseconds have "
                         "passed (at least one call; default 100; 0: one call only)")
    ap.add_argument("--rest", type=float, default=0,
                    help="seconds to idle after each build and before each runner is timed (default 0; "
                         "for hosts that slow down under sustained load)")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--cnnspec", default=os.path.join(REPO, ".build", "release", "cnnspec"),
                    help="the cnnspec binary (default: .build/release/cnnspec)")
    ap.add_argument("--python", default=os.path.join(REPO, ".venv", "bin", "python"),
                    help="the virtualenv's python with torch (default: .venv/bin/python; "
                         "created, and missing packages installed, when needed)")
    args = ap.parse_args()
    if not 1 <= args.rounds <= 1000:
        ap.error(f"--rounds must be between 1 and 1000 (got {args.rounds})")
    if not 0 <= args.warm_up <= 600000:
        ap.error(f"--warm-up must be between 0 and 600000 ms (got {args.warm_up})")
    if not 0 <= args.rest <= 3600:
        ap.error(f"--rest must be between 0 and 3600 seconds (got {args.rest})")
    sys.exit(orchestrate(args))


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
