#!/usr/bin/env python3
"""Run the code generated from specs/resnet18.cnn and specs/vgg16.cnn on torchvision's own
state_dicts and compare with torchvision's outputs.

Needs the exports of scripts/export_torchvision.py in out/torchvision/ (``make
torchvision-fixtures``) and executables built by ``cnnspec build`` (``make torchvision-check``
does both). Standard library only: the output tensor is read from the safetensors file by hand.

    python3 scripts/torchvision_check.py --bin out/torchvision [NAMES...]

Prints one line per model with the max absolute error and the issue's tolerance
max |y - y_ref| <= 1e-4 * max(1, max |y_ref|); exits 1 when a model is outside it.
"""

import json
import os
import struct
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(REPO_ROOT, "out", "torchvision")


def read_tensor(path, name):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    entry = header[name]
    assert entry["dtype"] == "F32", entry
    begin, end = entry["data_offsets"]
    raw = data[8 + n + begin:8 + n + end]
    return list(struct.unpack("<%df" % ((end - begin) // 4), raw))


def main(argv):
    names = [a for a in argv if not a.startswith("-")] or ["resnet18", "vgg16"]
    failed = False
    for name in names:
        exe = os.path.join(DIR, name)
        weights = os.path.join(DIR, name + ".weights.safetensors")
        io = os.path.join(DIR, name + ".io.safetensors")
        out = os.path.join(DIR, name + ".generated.safetensors")
        subprocess.run([exe, "--weights", weights, "--input", io, "--output", out], check=True)
        y = read_tensor(out, "output")
        ref = read_tensor(io, "output")
        err = max(abs(a - b) for a, b in zip(y, ref))
        tol = 1e-4 * max(1.0, max(abs(v) for v in ref))
        ok = len(y) == len(ref) and err <= tol
        failed |= not ok
        print("%-10s %d outputs  max abs error %.3g  tolerance %.3g  %s" % (name, len(y), err, tol, "ok" if ok else "FAILED"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
