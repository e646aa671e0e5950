#!/usr/bin/env python3
"""Per-node times of ONNX Runtime on one of the nets of scripts/bench_models.py.

Run it in the venv that bench_models.py fills (it needs onnxruntime and numpy), after
bench_models.py has exported the net to out/bench/<net>.onnx:

    .venv/bin/python scripts/ort_profile.py resnet50 [--iterations 10] [--threads 1] [--top 30]

ONNX Runtime's own profiler (SessionOptions.enable_profiling) records every node of every
run; this prints, per node, its op type and the minimum and median of its time over the
runs after one warm-up, in execution order or, with --top N, the N slowest, and the sum of
the node minimums. Set --threads as bench_models.py does (intra-op threads, inter-op 1,
ORT_ENABLE_ALL, sequential). Used to compare layer by layer with ``EXE --bench --layers``
(docs/BENCHMARKS.md); the profiler adds a little time per node.
"""
import argparse
import json
import os
import statistics
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("net")
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--top", type=int, default=0, help="print only the N slowest nodes")
    a = ap.parse_args()

    import numpy as np
    import onnxruntime as ort

    path = os.path.join(REPO, "out", "bench", a.net + ".onnx")
    if not os.path.exists(path):
        sys.exit("ort_profile.py: %s is missing; run scripts/bench_models.py --nets %s first" % (path, a.net))
    so = ort.SessionOptions()
    so.intra_op_num_threads = a.threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.enable_profiling = True
    so.profile_file_prefix = os.path.join(REPO, "out", "bench", a.net + ".ort-profile")
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    shape = [1 if not isinstance(d, int) else d for d in inp.shape]
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    for _ in range(a.iterations + 1):
        sess.run(None, {inp.name: x})
    trace = sess.end_profiling()
    with open(trace) as f:
        events = json.load(f)
    os.remove(trace)

    # Node events: "<node>_kernel_time", one per node per run, in execution order.
    order, times, ops = [], {}, {}
    for e in events:
        if e.get("cat") != "Node" or not e.get("name", "").endswith("_kernel_time"):
            continue
        name = e["name"][: -len("_kernel_time")]
        if name not in times:
            order.append(name)
            times[name] = []
            ops[name] = e.get("args", {}).get("op_name", "?")
        times[name].append(e["dur"] / 1000.0)
    rows = []
    for name in order:
        t = times[name][1:] or times[name]  # drop the warm-up run
        rows.append((name, ops[name], min(t), statistics.median(t)))
    total = sum(r[2] for r in rows)
    shown = sorted(rows, key=lambda r: -r[2])[: a.top] if a.top else rows
    print("%-60s %-22s %9s %9s" % ("node", "op", "min ms", "median ms"))
    for name, op, lo, med in shown:
        print("%-60s %-22s %9.3f %9.3f" % (name[:60], op, lo, med))
    print("%d nodes, sum of minimums %.3f ms (%d runs after 1 warm-up, %d thread(s))" % (len(rows), total, a.iterations, a.threads))


if __name__ == "__main__":
    main()
