#!/usr/bin/env python3
"""Record PyTorch/torchvision reference numbers for cnnspec's tests.

What it does
------------
For every reference model (11 torchvision ImageNet models built with
``weights=None`` plus three small "lecture" nets defined below) this script
builds the model in eval mode, runs one forward pass on a fixed-seed random
input and writes one JSON file per model to

    Tests/CNNSpecTests/Fixtures/reference/<name>.json

Each file holds only structural numbers, never weight values:

* ``model``, ``input`` / ``output`` as {"c","h","w"} (a vector output of n
  values is recorded as n x 1 x 1);
* ``params``: sum of p.numel() over model.parameters();
* ``buffers``: total numel of the floating-point buffers (BatchNorm running
  mean/var; the int64 ``num_batches_tracked`` counters are not counted);
* ``state_dict``: every state_dict entry in order, as
  {"name", "shape", "kind"} with kind "param", "buffer", or "buffer_int"
  (non-float buffers, i.e. ``num_batches_tracked``);
* ``modules``: every call of a leaf module (a module without children), in
  forward execution order, captured with forward hooks. A module called several
  times (e.g. resnet's shared ``relu``) appears once per call. Each entry is
  {"name", "type", "output" [c,h,w] (2-D outputs [1,n] become [n,1,1]),
  "params" (the module's own parameters), "macs"} where
  Conv2d macs = Hout*Wout*Cout*(Cin/groups)*Kh*Kw, Linear macs = in*out,
  everything else 0. Functional ops (torch.flatten, ``+=`` residual adds,
  torch.cat, F.relu / F.adaptive_avg_pool2d in densenet and mobilenet_v2)
  have no module and so do not appear;
* ``macs``: the sum of the per-call macs;
* ``torchvision_gflops`` / ``torchvision_num_params``: the ``_ops`` and
  ``num_params`` entries of the model's torchvision weights-enum meta (read
  from the enum, nothing is downloaded), or null for the lecture nets;
  ``torchvision_weights`` names the enum member they were read from;
* ``torch_version`` / ``torchvision_version``.

The output is deterministic for a given torch/torchvision version (the seed is
fixed and no value depends on the random weights).

How to run
----------
From the repository root, with the project virtualenv holding torch and
torchvision (``python3 -m venv .venv && .venv/bin/pip install torch
torchvision safetensors``):

    .venv/bin/python scripts/record_reference.py

or ``make reference``. Pass model names as arguments to record only those.
It prints a summary line (params, macs, torchvision GFLOPS meta) per model.
"""

import json
import os
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torchvision

SEED = 0
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO_ROOT, "Tests", "CNNSpecTests", "Fixtures", "reference")

TORCHVISION_MODELS = [
    "alexnet",
    "vgg11",
    "vgg16",
    "vgg19",
    "vgg16_bn",
    "resnet18",
    "resnet34",
    "resnet50",
    "googlenet",
    "densenet121",
    "mobilenet_v2",
]

TORCHVISION_KWARGS = {
    "googlenet": {"aux_logits": False, "init_weights": False},
}


# ---------------------------------------------------------------------------
# Lecture nets (plain PyTorch modules)
# ---------------------------------------------------------------------------


def lenet5():
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 6, 5)),
        ("act1", nn.Tanh()),
        ("pool1", nn.AvgPool2d(2, 2)),
        ("conv2", nn.Conv2d(6, 16, 5)),
        ("act2", nn.Tanh()),
        ("pool2", nn.AvgPool2d(2, 2)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(400, 120)),
        ("act3", nn.Tanh()),
        ("fc2", nn.Linear(120, 84)),
        ("act4", nn.Tanh()),
        ("fc3", nn.Linear(84, 10)),
    ]))


def convnetjs_cifar():
    layers = []
    cin = 3
    for i, c in enumerate([16, 20, 20], start=1):
        layers += [
            ("conv%d" % i, nn.Conv2d(cin, c, 5, padding=2)),
            ("relu%d" % i, nn.ReLU()),
            ("pool%d" % i, nn.MaxPool2d(2, 2)),
        ]
        cin = c
    layers += [
        ("flatten", nn.Flatten()),
        ("fc", nn.Linear(320, 10)),
        ("softmax", nn.Softmax(dim=1)),
    ]
    return nn.Sequential(OrderedDict(layers))


def cs231n_pattern():
    layers = []
    cin = 3
    for s, c in enumerate([32, 64, 128], start=1):
        for j in (1, 2):
            layers += [
                ("conv%d_%d" % (s, j), nn.Conv2d(cin, c, 3, padding=1)),
                ("relu%d_%d" % (s, j), nn.ReLU()),
            ]
            cin = c
        layers.append(("pool%d" % s, nn.MaxPool2d(2, 2)))
    layers += [
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(2048, 256)),
        ("relu_fc1", nn.ReLU()),
        ("fc2", nn.Linear(256, 256)),
        ("relu_fc2", nn.ReLU()),
        ("fc3", nn.Linear(256, 10)),
        ("softmax", nn.Softmax(dim=1)),
    ]
    return nn.Sequential(OrderedDict(layers))


LECTURE_MODELS = OrderedDict([
    ("lenet5", (lenet5, (1, 32, 32))),
    ("convnetjs_cifar", (convnetjs_cifar, (3, 32, 32))),
    ("cs231n_pattern", (cs231n_pattern, (3, 32, 32))),
])

ALL_MODELS = TORCHVISION_MODELS + list(LECTURE_MODELS)


# ---------------------------------------------------------------------------
# Recording
# ---------------------------------------------------------------------------


def chw(shape):
    """[1,c,h,w] -> [c,h,w]; [1,n] -> [n,1,1]."""
    shape = list(shape)
    if shape[0] != 1:
        raise ValueError("expected batch 1, got %r" % (shape,))
    rest = shape[1:]
    if len(rest) == 3:
        return rest
    if len(rest) == 1:
        return [rest[0], 1, 1]
    raise ValueError("unsupported output shape %r" % (shape,))


def module_macs(module, output):
    if isinstance(module, nn.Conv2d):
        _, cout, hout, wout = output.shape
        kh, kw = module.kernel_size
        return hout * wout * cout * (module.in_channels // module.groups) * kh * kw
    if isinstance(module, nn.Linear):
        rows = output.numel() // module.out_features
        return rows * module.in_features * module.out_features
    return 0


def build(name):
    if name in LECTURE_MODELS:
        ctor, inp = LECTURE_MODELS[name]
        return ctor(), inp
    kwargs = TORCHVISION_KWARGS.get(name, {})
    return torchvision.models.get_model(name, weights=None, **kwargs), (3, 224, 224)


def torchvision_meta(name):
    if name not in TORCHVISION_MODELS:
        return None, None, None
    enum = torchvision.models.get_model_weights(name)
    member = getattr(enum, "IMAGENET1K_V1", None) or enum.DEFAULT
    meta = member.meta
    return "%s.%s" % (enum.__name__, member.name), meta.get("_ops"), meta.get("num_params")


def record(name):
    torch.manual_seed(SEED)
    model, (c, h, w) = build(name)
    model.eval()

    params = dict(model.named_parameters())
    state_dict = []
    float_buffers = 0
    for key, tensor in model.state_dict().items():
        if key in params:
            kind = "param"
        elif tensor.is_floating_point():
            kind = "buffer"
            float_buffers += tensor.numel()
        else:
            kind = "buffer_int"
        state_dict.append(OrderedDict([
            ("name", key), ("shape", list(tensor.shape)), ("kind", kind)]))

    calls = []
    handles = []
    leaves = [(n, m) for n, m in model.named_modules() if not list(m.children())]

    def make_hook(mod_name):
        def hook(module, inputs, output):
            own = sum(p.numel() for p in module.parameters(recurse=False))
            calls.append(OrderedDict([
                ("name", mod_name),
                ("type", type(module).__name__),
                ("output", chw(output.shape)),
                ("params", own),
                ("macs", module_macs(module, output)),
            ]))
        return hook

    for n, m in leaves:
        handles.append(m.register_forward_hook(make_hook(n)))

    x = torch.randn(1, c, h, w)
    with torch.no_grad():
        y = model(x)
    for hd in handles:
        hd.remove()

    # Sanity: every parameter is owned by a leaf module that was called.
    total_params = sum(p.numel() for p in model.parameters())
    called = {cl["name"] for cl in calls}
    leaf_params = sum(sum(p.numel() for p in m.parameters(recurse=False))
                      for n, m in leaves if n in called)
    if leaf_params != total_params:
        raise AssertionError("%s: leaf params %d != total %d" % (name, leaf_params, total_params))

    out_c, out_h, out_w = chw(y.shape)
    weights_name, gflops, num_params = torchvision_meta(name)
    return OrderedDict([
        ("model", name),
        ("input", OrderedDict([("c", c), ("h", h), ("w", w)])),
        ("output", OrderedDict([("c", out_c), ("h", out_h), ("w", out_w)])),
        ("params", total_params),
        ("buffers", float_buffers),
        ("macs", sum(cl["macs"] for cl in calls)),
        ("torchvision_weights", weights_name),
        ("torchvision_gflops", gflops),
        ("torchvision_num_params", num_params),
        ("torch_version", torch.__version__),
        ("torchvision_version", torchvision.__version__),
        ("state_dict", state_dict),
        ("modules", calls),
    ])


def dumps(doc):
    """Pretty top level, one line per state_dict / modules entry."""
    lines = ["{"]
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, list):
            lines.append(" %s: [" % json.dumps(key))
            for j, entry in enumerate(value):
                ecomma = "," if j < len(value) - 1 else ""
                lines.append("  %s%s" % (json.dumps(entry), ecomma))
            lines.append(" ]%s" % comma)
        else:
            lines.append(" %s: %s%s" % (json.dumps(key), json.dumps(value), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv):
    names = argv[1:] or ALL_MODELS
    unknown = [n for n in names if n not in ALL_MODELS]
    if unknown:
        sys.exit("unknown model(s): %s (known: %s)" % (", ".join(unknown), ", ".join(ALL_MODELS)))
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT_DIR, exist_ok=True)
    print("torch %s, torchvision %s" % (torch.__version__, torchvision.__version__))
    print("%-16s %12s %15s %8s %12s" % ("model", "params", "macs", "gflops", "tv_params"))
    for name in names:
        doc = record(name)
        path = os.path.join(OUT_DIR, name + ".json")
        with open(path, "w") as f:
            f.write(dumps(doc))
        print("%-16s %12d %15d %8s %12s" % (
            name, doc["params"], doc["macs"], doc["torchvision_gflops"],
            doc["torchvision_num_params"]))


if __name__ == "__main__":
    main(sys.argv)
