#!/usr/bin/env python3
"""Export torchvision's ResNet-18 and VGG-16 (random init: no weights can be downloaded
here) to safetensors, for checking that code generated from specs/resnet18.cnn and
specs/vgg16.cnn loads torchvision's state_dict unchanged and gives torchvision's output.

For each model it builds torchvision.models.<name>(weights=None) with a fixed seed, gives
batch norm non-trivial running statistics (two training-mode passes over random batches;
torchvision's init leaves them at 0 and 1), checks with ``cnnspec report --format json``
that the state_dict names, shapes and order are the spec's weights, and writes

    out/torchvision/<name>.weights.safetensors   the state_dict as saved by torch (F32,
                                                 num_batches_tracked as I64)
    out/torchvision/<name>.io.safetensors        ``input`` [1, 3, 224, 224] and ``output``
                                                 [1, 1000] from model.eval(), computed in
                                                 float64 and stored as F32

These files are large (VGG-16: 553 MB) and are not committed (out/ is ignored).

    /work/main/.venv/bin/python scripts/export_torchvision.py [--cnnspec PATH] [NAMES...]

or ``make torchvision-fixtures``.
"""

import copy
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from record_codegen_fixtures import REPO_ROOT, check_against_plan, parse_args, plan_of, save_file  # noqa: E402

OUT_DIR = os.path.join(REPO_ROOT, "out", "torchvision")
MODELS = ["resnet18", "vgg16"]
SEED = 0


def export(name, cnnspec):
    torch.manual_seed(SEED)
    model = getattr(torchvision.models, name)(weights=None)
    plan = plan_of(cnnspec, name, [])
    check_against_plan(name, model, plan)
    g = torch.Generator().manual_seed(SEED)
    if any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules()):
        model.train()
        with torch.no_grad():
            for _ in range(2):
                model(torch.randn(2, 3, 224, 224, generator=g))
    model.eval()
    x = torch.randn(1, 3, 224, 224, generator=g)
    with torch.no_grad():
        y = copy.deepcopy(model).double()(x.double()).float()
        y32 = model(x)
    drift = (y - y32).abs().max().item()
    os.makedirs(OUT_DIR, exist_ok=True)
    meta = {"model": "torchvision.models.%s(weights=None)" % name, "seed": str(SEED),
            "torch_version": torch.__version__, "torchvision_version": torchvision.__version__}
    weights_path = os.path.join(OUT_DIR, name + ".weights.safetensors")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, weights_path, metadata=meta)
    save_file({"input": x.contiguous(), "output": y.contiguous()}, os.path.join(OUT_DIR, name + ".io.safetensors"), metadata=meta)
    print("%-9s output %s  max|y| %.4f  f32 drift %.1e  weights %d MB" % (
        name, list(y.shape), y.abs().max().item(), drift, os.path.getsize(weights_path) // 1_000_000))


def main():
    args = parse_args(__doc__, "models to export: " + " ".join(MODELS))
    torch.set_num_threads(2)
    for name in args.names or MODELS:
        if name not in MODELS:
            sys.exit("unknown model %r; known: %s" % (name, ", ".join(MODELS)))
        export(name, args.cnnspec)


if __name__ == "__main__":
    main()
