#!/usr/bin/env python3
"""Compare a cnnspec spec with the PyTorch reference recorded for it.

Runs ``cnnspec report SPEC --format json`` and compares the result with
``Tests/CNNSpecTests/Fixtures/reference/<model>.json`` (written by
scripts/record_reference.py):

* total params and MACs, the network output shape;
* the weights: every float state_dict entry of the reference (kind "param" or
  "buffer"; the int ``num_batches_tracked`` buffers are ignored) against the
  concatenated ``weights`` lists of the report's layers, by name, shape and
  order (``--shapes-only`` compares shapes and order but not names, for the
  lecture nets whose PyTorch attribute names are arbitrary);
* per layer: for every layer whose name is also a reference module name, the
  output shape (and that the op matches the module type). A module called
  several times in PyTorch (e.g. resnet's shared ``relu``) matches if the
  layer's output equals one of its calls' outputs.

Usage:
    scripts/compare_reference.py specs/resnet18.cnn [specs/vgg16.cnn ...]
        [--cnnspec .build/debug/cnnspec] [--model NAME] [--shapes-only]
        [--reference-dir DIR] [-v]

The model name defaults to the spec's file name without ``.cnn``. The lecture
nets lenet5, convnetjs_cifar and cs231n_pattern are compared with
``--shapes-only`` automatically. Prints a diff and exits 1 on any mismatch,
2 when cnnspec or a file fails. Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_REF_DIR = os.path.join(REPO_ROOT, "Tests", "CNNSpecTests", "Fixtures", "reference")
SHAPES_ONLY_MODELS = {"lenet5", "convnetjs_cifar", "cs231n_pattern"}

# cnnspec op -> PyTorch module types it may stand for
OP_TYPES = {
    "conv": {"Conv2d"},
    "fc": {"Linear"},
    "batchnorm": {"BatchNorm2d", "BatchNorm1d"},
    "relu": {"ReLU"},
    "relu6": {"ReLU6"},
    "tanh": {"Tanh"},
    "sigmoid": {"Sigmoid"},
    "softmax": {"Softmax"},
    "maxpool": {"MaxPool2d"},
    "avgpool": {"AvgPool2d"},
    "globalavgpool": {"AdaptiveAvgPool2d"},
    "dropout": {"Dropout"},
    "flatten": {"Flatten"},
}


def shape3(d):
    """{c,h,w} dict or [c,h,w] list -> (c, h, w) tuple."""
    if isinstance(d, dict):
        return (d["c"], d["h"], d["w"])
    return tuple(d)


def fmt_shape(s):
    return "x".join(str(v) for v in s)


def run_report(cnnspec, spec):
    try:
        proc = subprocess.run([cnnspec, "report", spec, "--format", "json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
    except OSError as e:
        raise RuntimeError("cannot run %s: %s" % (cnnspec, e))
    if proc.returncode != 0:
        raise RuntimeError("%s report %s failed (exit %d):\n%s"
                           % (cnnspec, spec, proc.returncode, proc.stderr.strip()))
    return json.loads(proc.stdout)


def compare_weights(ours, ref, shapes_only, out):
    """ours, ref: lists of (name, shape tuple). Appends diff lines to out."""
    n = max(len(ours), len(ref))
    shown = 0
    for i in range(n):
        a = ours[i] if i < len(ours) else None
        b = ref[i] if i < len(ref) else None
        same = (a is not None and b is not None and a[1] == b[1]
                and (shapes_only or a[0] == b[0]))
        if same:
            continue
        if shown < 12:
            left = "%s %s" % (a[0], list(a[1])) if a else "(none)"
            right = "%s %s" % (b[0], list(b[1])) if b else "(none)"
            out.append("  weight #%d: spec %s  !=  reference %s" % (i, left, right))
        shown += 1
    if shown > 12:
        out.append("  ... %d more weight mismatches" % (shown - 12))
    if len(ours) != len(ref):
        out.append("  weight count: spec %d, reference %d" % (len(ours), len(ref)))
    if not shapes_only:
        names_ours = set(w[0] for w in ours)
        names_ref = set(w[0] for w in ref)
        missing = [w[0] for w in ref if w[0] not in names_ours]
        extra = [w[0] for w in ours if w[0] not in names_ref]
        if missing:
            out.append("  missing in spec (%d): %s%s" % (len(missing), ", ".join(missing[:8]),
                                                      " ..." if len(missing) > 8 else ""))
        if extra:
            out.append("  not in reference (%d): %s%s" % (len(extra), ", ".join(extra[:8]),
                                                       " ..." if len(extra) > 8 else ""))


def compare(spec, model, cnnspec, ref_dir, shapes_only, verbose):
    """Returns the list of mismatch lines (empty = match) and info lines."""
    ref_path = os.path.join(ref_dir, model + ".json")
    with open(ref_path) as f:
        ref = json.load(f)
    rep = run_report(cnnspec, spec)
    diffs, info = [], []

    # totals
    tot = rep["totals"]
    for key in ("params", "macs", "buffers"):
        if key in ref and key in tot and tot[key] != ref[key]:
            d = tot[key] - ref[key]
            diffs.append("  %s: spec %s, reference %s (%+d)" % (key, format(tot[key], ","),
                                                               format(ref[key], ","), d))
    if shape3(rep["output"]) != shape3(ref["output"]):
        diffs.append("  output: spec %s, reference %s (CxHxW)"
                     % (fmt_shape(shape3(rep["output"])), fmt_shape(shape3(ref["output"]))))
    if shape3(rep["input"]) != shape3(ref["input"]):
        diffs.append("  input: spec %s, reference %s (CxHxW)"
                     % (fmt_shape(shape3(rep["input"])), fmt_shape(shape3(ref["input"]))))

    # weights
    ours = [(w["name"], tuple(w["shape"])) for layer in rep["layers"] for w in layer.get("weights", [])]
    theirs = [(e["name"], tuple(e["shape"])) for e in ref["state_dict"]
              if e.get("kind") in ("param", "buffer")]
    compare_weights(ours, theirs, shapes_only, diffs)

    # per-layer output shapes, for names in both
    calls = {}
    for m in ref["modules"]:
        calls.setdefault(m["name"], []).append(m)
    matched = 0
    for layer in rep["layers"]:
        name = layer["name"]
        if name not in calls:
            continue
        matched += 1
        outs = [tuple(m["output"]) for m in calls[name]]
        got = shape3(layer["output"])
        if got not in outs:
            diffs.append("  layer %s: output spec %s, reference %s (CxHxW)"
                         % (name, fmt_shape(got), " or ".join(fmt_shape(o) for o in outs)))
        types = set(m["type"] for m in calls[name])
        allowed = OP_TYPES.get(layer["op"])
        if allowed is not None and not (types & allowed):
            diffs.append("  layer %s: op %s, reference module type %s"
                         % (name, layer["op"], "/".join(sorted(types))))
    info.append("%d of %d spec layers matched a reference module by name"
                % (matched, len(rep["layers"])))
    if verbose:
        names = set(l["name"] for l in rep["layers"])
        unmatched = [n for n in calls if n not in names]
        if unmatched:
            info.append("reference modules with no spec layer of that name: "
                        + ", ".join(unmatched[:20]) + (" ..." if len(unmatched) > 20 else ""))
    info.append("params %s, macs %s, output %s"
                % (format(tot["params"], ","), format(tot["macs"], ","),
                   fmt_shape(shape3(rep["output"]))))
    return diffs, info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("specs", nargs="+", help=".cnn spec files")
    ap.add_argument("--cnnspec", default=os.path.join(".build", "debug", "cnnspec"),
                    help="path to the cnnspec binary (default .build/debug/cnnspec)")
    ap.add_argument("--model", help="reference model name (default: spec file name); one spec only")
    ap.add_argument("--reference-dir", default=DEFAULT_REF_DIR)
    ap.add_argument("--shapes-only", action="store_true",
                    help="compare weight shapes and order but not names")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if args.model and len(args.specs) > 1:
        ap.error("--model takes a single spec")

    status = 0
    for spec in args.specs:
        model = args.model or os.path.splitext(os.path.basename(spec))[0]
        shapes_only = args.shapes_only or model in SHAPES_ONLY_MODELS
        try:
            diffs, info = compare(spec, model, args.cnnspec, args.reference_dir,
                                  shapes_only, args.verbose)
        except (RuntimeError, OSError, ValueError, KeyError) as e:
            print("%s: ERROR %s" % (spec, e))
            status = max(status, 2)
            continue
        mode = " (weight names not compared)" if shapes_only else ""
        if diffs:
            print("%s: MISMATCH with reference %s%s" % (spec, model, mode))
            for line in diffs:
                print(line)
            status = max(status, 1)
        else:
            print("%s: OK, matches reference %s%s" % (spec, model, mode))
        for line in info:
            print("  " + line)
    return status


if __name__ == "__main__":
    sys.exit(main())
