#!/usr/bin/env python3
"""Benchmark ``cnnspec check``: wall-clock time of whole processes.

What it measures
    The wall-clock time (``time.perf_counter``) of running the cnnspec binary
    as a fresh process, exactly as a user would, with stdout/stderr sent to
    /dev/null:

    * ``cnnspec --version``: the baseline, i.e. the cost of starting a process
      (exec, dynamic loading of the Swift runtime and Foundation, exit). It is
      measured in the same run so the other numbers can be read against it.
    * ``cnnspec check specs/X.cnn`` for the largest shipped specs (densenet121,
      resnet50, googlenet, mobilenet_v2, vgg16, resnet18);
    * ``cnnspec check`` on two synthetic chains written to a temp dir:
      ``chain_10k`` (10,000 layers: ``(conv(3x3, 8, pad: 1) - relu)*5000``) and
      ``chain_50k`` (50,000 layers: ``*25000``), to show how check scales.
    * ``cnnspec check`` on families (every member checked): the shipped
      ``specs/families/cs231n_family.cnn`` and a synthetic ``family_10k``
      (10,200 members: N 1...5, M 1...8, K {0, 2}, C {16, 32} and each of the M
      pools on or off). Their rows name the member count; the layers column is "-".

    Every command gets one warm-up run, then the runs are interleaved round
    robin (command 1, 2, ..., n, 1, 2, ...) so that machine noise hits all
    commands alike. The layer count of each spec comes from
    ``cnnspec report X --format json`` (length of "layers").

Output
    A header line (date, machine: ``uname -m``, CPU model, nproc, cnnspec
    version), an aligned table
    ``spec | layers | median ms | min ms | median - startup ms | x startup``
    and a footer explaining the columns. ``--markdown`` prints the same table
    as Markdown (used for docs/BENCHMARKS.md).

How to run
    swift build -c release
    make bench                         # or:
    python3 scripts/bench.py [.build/release/cnnspec] [--runs N] [--markdown]

    Run from the repository root (the specs are read from ``specs/`` next to
    this script's parent directory, so the working directory does not matter).
    Exits 2 if the binary or a spec is missing, 1 if a command fails.
    Standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHIPPED = ["densenet121", "resnet50", "googlenet", "mobilenet_v2", "vgg16", "resnet18"]
SYNTHETIC = [
    ("chain_10k", "input 32x32x8\n(conv(3x3, 8, pad: 1) - relu)*5000\n"),
    ("chain_50k", "input 32x32x8\n(conv(3x3, 8, pad: 1) - relu)*25000\n"),
]
FAMILY_SHIPPED = ["cs231n_family"]
FAMILY_SYNTHETIC = [
    ("family_10k", "input 32x32x3\nN = 1...5\nM = 1...8\nK = {0, 2}\nC = {16, 32}\n"
                   "POOL = maxpool(2x2, stride: 2)\nPOOL? = [{on, off}]*M\n"
                   "[(conv(3x3, C, pad: 1) - relu)*N - POOL?]*M - (fc(128) - relu)*K - fc(10)\n"),
]
TARGET_MS = 100.0


def die(message, code=2):
    print(f"bench.py: {message}", file=sys.stderr)
    sys.exit(code)


def time_once(argv):
    """Wall-clock seconds of one whole process; dies if it fails."""
    start = time.perf_counter()
    rc = subprocess.call(argv, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if rc != 0:
        die(f"`{' '.join(argv)}` exited with status {rc}", 1)
    return elapsed


def capture(argv):
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        die(f"`{' '.join(argv)}` exited with status {result.returncode}:\n"
            f"{result.stderr.strip()}", 1)
    return result.stdout


def layer_count(binary, spec):
    report = json.loads(capture([binary, "report", spec, "--format", "json"]))
    return len(report["layers"])


def member_count(binary, spec):
    report = json.loads(capture([binary, "check", spec, "--format", "json"]))
    return report["member_count"]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def nproc():
    try:
        return len(os.sched_getaffinity(0))  # what `nproc` prints
    except AttributeError:
        return os.cpu_count()


def machine_line(version):
    date = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (f"{date}; {platform.machine()}, {cpu_model()}, nproc {nproc()}; "
            f"{version}")


def measure(commands, runs):
    """commands: list of (name, argv). Returns {name: [seconds...]}."""
    for _, argv in commands:  # one warm-up run each (page cache, dyld caches)
        time_once(argv)
    times = {name: [] for name, _ in commands}
    for _ in range(runs):  # round robin: noise is spread over all commands
        for name, argv in commands:
            times[name].append(time_once(argv))
    return times


def rows_for(commands, times, layers):
    startup = statistics.median(times["startup"]) * 1000
    rows = []
    for name, _ in commands:
        med = statistics.median(times[name]) * 1000
        low = min(times[name]) * 1000
        if name == "startup":
            rows.append(["(cnnspec --version)", "-", f"{med:.1f}", f"{low:.1f}", "-", "1.0"])
        elif isinstance(layers[name], str):  # a family: the member count is in the name
            rows.append([f"{name} ({layers[name]})", "-", f"{med:.1f}", f"{low:.1f}",
                         f"{med - startup:.1f}", f"{med / startup:.1f}"])
        else:
            rows.append([name, f"{layers[name]:,}", f"{med:.1f}", f"{low:.1f}",
                         f"{med - startup:.1f}", f"{med / startup:.1f}"])
    return rows


HEADERS = ["spec", "layers", "median ms", "min ms", "median - startup ms", "x startup"]


def footer(runs):
    return [
        f"{runs} interleaved runs per command after one warm-up run each; "
        "wall-clock time of the whole process.",
        "median ms, min ms: median and fastest run of `cnnspec check SPEC` "
        "(output to /dev/null).",
        "median - startup ms: the median minus the median of `cnnspec --version`, "
        "roughly the time spent reading, parsing, expanding, inferring and rendering the spec "
        "(differences of a millisecond or two are noise and may come out negative).",
        "x startup: the median as a multiple of the `cnnspec --version` median.",
        f"Target: check runs well under {TARGET_MS:.0f} ms for the shipped specs.",
        "Families: `cnnspec check FAMILY` checks every member (on Dispatch's worker threads); "
        "the row names the member count.",
    ]


def print_text(header, rows, runs):
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADERS)]

    def fmt(cells):
        # first column left-aligned, numbers right-aligned
        return "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i])
                         for i, c in enumerate(cells)).rstrip()

    print(header)
    print()
    print(fmt(HEADERS))
    print(fmt(["-" * w for w in widths]))
    for row in rows:
        print(fmt(row))
    print()
    for line in footer(runs):
        print(textwrap.fill(line, width=100, subsequent_indent="    "))


def print_markdown(header, rows, runs):
    print(f"_{header}_")
    print()
    print("| " + " | ".join(HEADERS) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(HEADERS) - 1)) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for line in footer(runs):
        print(f"- {line}")


def main():
    parser = argparse.ArgumentParser(
        description="Time `cnnspec check` on the largest specs and on synthetic "
                    "10k/50k-layer chains, against `cnnspec --version` as baseline.")
    parser.add_argument("binary", nargs="?",
                        help="the cnnspec binary (default: .build/release/cnnspec "
                             "in the repository)")
    parser.add_argument("--runs", type=int, default=20,
                        help="timed runs per command (default: 20)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table as Markdown")
    args = parser.parse_args()
    if args.runs < 1:
        die("--runs must be at least 1", 64)

    shown = args.binary or os.path.join(".build", "release", "cnnspec")
    binary = os.path.abspath(args.binary or os.path.join(REPO, shown))
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        die(f"no cnnspec binary at {shown}; build it first with "
            f"`swift build -c release` (or pass its path)")

    specs = []
    for name in SHIPPED:
        path = os.path.join(REPO, "specs", name + ".cnn")
        if not os.path.isfile(path):
            die(f"missing spec {path}")
        specs.append((name, path))

    version = capture([binary, "--version"]).strip()
    with tempfile.TemporaryDirectory(prefix="cnnspec-bench-") as tmp:
        for name, text in SYNTHETIC:
            path = os.path.join(tmp, name + ".cnn")
            with open(path, "w") as f:
                f.write(text)
            specs.append((name, path))

        families = []
        for name in FAMILY_SHIPPED:
            path = os.path.join(REPO, "specs", "families", name + ".cnn")
            if not os.path.isfile(path):
                die(f"missing spec {path}")
            families.append((name, path))
        for name, text in FAMILY_SYNTHETIC:
            path = os.path.join(tmp, name + ".cnn")
            with open(path, "w") as f:
                f.write(text)
            families.append((name, path))

        layers = {name: layer_count(binary, path) for name, path in specs}
        layers.update({name: f"{member_count(binary, path):,} members" for name, path in families})
        specs += families
        commands = [("startup", [binary, "--version"])]
        commands += [(name, [binary, "check", path]) for name, path in specs]
        times = measure(commands, args.runs)

    rows = rows_for(commands, times, layers)
    header = f"cnnspec check benchmark: {machine_line(version)}"
    (print_markdown if args.markdown else print_text)(header, rows, args.runs)


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # e.g. piped into head
        sys.stderr.close()
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
