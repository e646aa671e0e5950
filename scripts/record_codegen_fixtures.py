#!/usr/bin/env python3
"""Record PyTorch fixtures (weights, inputs, outputs) for cnnspec's generated code and its
reference interpreter.

What it does
------------
For every net in NETS below (specs/<spec>.cnn, with -D overrides where listed) it builds
the equivalent PyTorch module BY HAND (plain nn.Module code, independent of cnnspec), gives
it seeded weights with O(1) activations (He-uniform conv/linear weights, biases in
+-0.5, batch norm weight in [0.5, 1.5] and bias in +-0.5, running statistics from three
training-mode forward passes, so they are non-trivial and num_batches_tracked is 3), and
checks with ``cnnspec report --format json`` that the module's state_dict holds exactly
the plan's weights: same names, same shapes, same order (num_batches_tracked aside), and
that its output shape is the plan's. Then it writes

    Tests/CNNSpecTests/Fixtures/codegen/<spec>.weights.safetensors
        the state_dict as torch saves it (BN buffers and the I64 num_batches_tracked too),
        in F32, except LeNet-5 in F16 and cs231n_pattern in BF16;
    Tests/CNNSpecTests/Fixtures/codegen/<spec>.io.safetensors
        ``input`` [2, C, H, W] (F32) and ``output`` (F32, [2, classes] or [2, C, H, W]),
        computed by model.eval() in float64 from the stored (rounded) weights and cast to
        float32, so that the fixture is exact; the float32 forward is checked to agree.

Both files carry __metadata__: spec, defines (space-separated NAME=VALUE, "" if none),
dtype, seed, torch version. The homework net uses the lecture's 5x5 image and 3x3 kernel
(bias 0) as batch item 0, so output[0] is the hand-computed value 3 (see the spec).

How to run
----------
From the repository root, after ``swift build`` (or ``swift build -c release``):

    /work/main/.venv/bin/python scripts/record_codegen_fixtures.py [--cnnspec PATH] [NAMES...]

or ``make fixtures``. The output is deterministic for a given torch version.
"""

import argparse
import copy
import json
import os
import subprocess
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO_ROOT, "Tests", "CNNSpecTests", "Fixtures", "codegen")
BATCH = 2


def seq(*pairs):
    return nn.Sequential(OrderedDict(pairs))


# ---------------------------------------------------------------------------
# The lecture nets
# ---------------------------------------------------------------------------

def lenet5():
    return seq(("conv1", nn.Conv2d(1, 6, 5)), ("tanh1", nn.Tanh()), ("pool1", nn.AvgPool2d(2)),
               ("conv2", nn.Conv2d(6, 16, 5)), ("tanh2", nn.Tanh()), ("pool2", nn.AvgPool2d(2)),
               ("flatten", nn.Flatten()),
               ("fc1", nn.Linear(400, 120)), ("tanh3", nn.Tanh()),
               ("fc2", nn.Linear(120, 84)), ("tanh4", nn.Tanh()),
               ("fc3", nn.Linear(84, 10)))


def convnetjs_cifar():
    layers, cin = [], 3
    for i, c in enumerate([16, 20, 20], start=1):
        layers += [("conv%d" % i, nn.Conv2d(cin, c, 5, padding=2)), ("relu%d" % i, nn.ReLU()),
                   ("pool%d" % i, nn.MaxPool2d(2, 2))]
        cin = c
    layers += [("flatten", nn.Flatten()), ("fc1", nn.Linear(320, 10)), ("softmax1", nn.Softmax(dim=1))]
    return seq(*layers)


def cs231n_pattern(n=1, k=0):
    """The pattern [(conv3x3-relu)*N - pool]*3 - (fc(256)-relu)*K - fc(10) - softmax. The fixture
    uses N=1 (one conv-relu per stage) and K=0 (no hidden fc), to keep it small; the spec's
    defaults N=2, K=2 (880k parameters) are what scripts/bench_models.py builds."""
    layers, cin, conv, relu = [], 3, 0, 0
    for stage, c in enumerate([32, 64, 128], start=1):
        for _ in range(n):
            conv, relu = conv + 1, relu + 1
            layers += [("conv%d" % conv, nn.Conv2d(cin, c, 3, padding=1)), ("relu%d" % relu, nn.ReLU())]
            cin = c
        layers += [("pool%d" % stage, nn.MaxPool2d(2, 2))]
    layers += [("flatten", nn.Flatten())]
    features = cin * 4 * 4
    for j in range(1, k + 1):
        relu += 1
        layers += [("fc%d" % j, nn.Linear(features, 256)), ("relu%d" % relu, nn.ReLU())]
        features = 256
    layers += [("fc%d" % (k + 1), nn.Linear(features, 10)), ("softmax1", nn.Softmax(dim=1))]
    return seq(*layers)


def homework():
    return seq(("conv1", nn.Conv2d(1, 1, 3, stride=2)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2, 2)))


# The lecture's homework: image and filter (../shared/DOMAIN.md).
HOMEWORK_IMAGE = [[1, 2, 3, 4, 5], [2, 2, 1, 1, 1], [3, 2, 1, 1, 1], [4, 1, 1, 1, 1], [5, 1, 1, 1, 1]]
HOMEWORK_KERNEL = [[0, -1, 0], [1, 1, 1], [0, -1, 0]]


# ---------------------------------------------------------------------------
# The tiny architecture nets
# ---------------------------------------------------------------------------

class BasicBlock(nn.Module):
    """torchvision's BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))."""

    def __init__(self, cin, c, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, c, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)
        self.downsample = None
        if stride != 1 or cin != c:
            self.downsample = seq(("0", nn.Conv2d(cin, c, 1, stride=stride, bias=False)), ("1", nn.BatchNorm2d(c)))

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class TinyResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.layer1 = nn.Sequential(BasicBlock(8, 8, 1), BasicBlock(8, 8, 1))
        self.layer2 = nn.Sequential(BasicBlock(8, 16, 2), BasicBlock(16, 16, 1))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.layer2(self.layer1(self.relu(self.bn1(self.conv1(x)))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class Inception(nn.Module):
    def __init__(self, cin, a, r3, b, r5, d, p):
        super().__init__()
        self.branch1 = nn.Conv2d(cin, a, 1)
        self.branch2 = nn.Sequential(nn.Conv2d(cin, r3, 1), nn.ReLU(),
                                     nn.Conv2d(r3, b, (1, 3), padding=(0, 1)), nn.Conv2d(b, b, (3, 1), padding=(1, 0)))
        self.branch3 = nn.Sequential(nn.Conv2d(cin, r5, 1), nn.ReLU(), nn.Conv2d(r5, d, 5, padding=2))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1), nn.Conv2d(cin, p, 1))

    def forward(self, x):
        return F.relu(torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1))


class TinyInception(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.inception1 = Inception(16, 8, 8, 12, 4, 6, 6)
        self.pool = nn.MaxPool2d(2, 2)
        self.inception2 = Inception(32, 12, 8, 16, 4, 8, 8)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(44, 10)

    def forward(self, x):
        x = self.inception2(self.pool(self.inception1(F.relu(self.stem(x)))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class DenseLayer(nn.Module):
    """torchvision's _DenseLayer: cat([x, conv2(relu2(norm2(conv1(relu1(norm1(x))))))])."""

    def __init__(self, cin, g):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(cin)
        self.relu1 = nn.ReLU()
        self.conv1 = nn.Conv2d(cin, 4 * g, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(4 * g)
        self.relu2 = nn.ReLU()
        self.conv2 = nn.Conv2d(4 * g, g, 3, padding=1, bias=False)

    def forward(self, x):
        return torch.cat([x, self.conv2(self.relu2(self.norm2(self.conv1(self.relu1(self.norm1(x))))))], 1)


class TinyDenseNet(nn.Module):
    def __init__(self, g=8):
        super().__init__()
        self.features = seq(
            ("conv0", nn.Conv2d(3, 16, 3, padding=1, bias=False)),
            ("denseblock1", seq(*[("denselayer%d" % (i + 1), DenseLayer(16 + i * g, g)) for i in range(3)])),
            ("transition1", seq(("norm", nn.BatchNorm2d(40)), ("relu", nn.ReLU()),
                                ("conv", nn.Conv2d(40, 20, 1, bias=False)), ("pool", nn.AvgPool2d(2, 2)))),
            ("denseblock2", seq(*[("denselayer%d" % (i + 1), DenseLayer(20 + i * g, g)) for i in range(2)])),
            ("norm5", nn.BatchNorm2d(36)))
        self.classifier = nn.Linear(36, 10)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(F.relu(self.features(x)), 1)
        return self.classifier(torch.flatten(x, 1))


def cbr(cin, c, k, stride, groups):
    return nn.Sequential(nn.Conv2d(cin, c, k, stride=stride, padding=k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(c), nn.ReLU6())


class Separable(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.dw = cbr(cin, cin, 3, stride, cin)
        self.pw = cbr(cin, cout, 1, 1, 1)

    def forward(self, x):
        return self.pw(self.dw(x))


class InvertedResidual(nn.Module):
    def __init__(self, c, t):
        super().__init__()
        self.expand = cbr(c, c * t, 1, 1, 1)
        self.dw = cbr(c * t, c * t, 3, 1, c * t)
        self.project = nn.Conv2d(c * t, c, 1, bias=False)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x):
        return x + self.bn(self.project(self.dw(self.expand(x))))


class TinyMobileNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = cbr(3, 8, 3, 2, 1)
        self.block1 = Separable(8, 16, 1)
        self.block2 = Separable(16, 24, 2)
        self.block3 = InvertedResidual(24, 4)
        self.dropout = nn.Dropout(0.2)
        self.classifier = nn.Linear(24, 10)

    def forward(self, x):
        x = self.block3(self.block2(self.block1(self.stem(x))))
        return self.classifier(self.dropout(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)))


# ---------------------------------------------------------------------------
# The op coverage nets
# ---------------------------------------------------------------------------

class OpsPooling(nn.Module):
    def __init__(self):
        super().__init__()
        self.same = nn.MaxPool2d(3, stride=1, padding=1)
        self.first = nn.ModuleList([
            nn.MaxPool2d(3, stride=2, padding=1),
            nn.MaxPool2d(3, stride=2, ceil_mode=True),
            nn.AvgPool2d(3, stride=2, padding=1),
            nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
            nn.AvgPool2d(3, stride=2, ceil_mode=True),
            nn.AvgPool2d(2),
        ])
        # 1x1 convs that only an average pool reads (cnnspec pools their input first when the
        # divisors count input pixels only: the first two).
        self.pooled1 = nn.Conv2d(3, 2, 1)
        self.pooled2 = nn.Conv2d(3, 2, 1)
        self.direct = nn.Conv2d(3, 2, 1)
        self.after = nn.ModuleList([
            nn.AvgPool2d(3, stride=2, ceil_mode=True),
            nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
            nn.AvgPool2d(3, stride=2, padding=1),
        ])
        self.second = nn.ModuleList([
            nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
            nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True),
            nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
        ])
        self.last = nn.MaxPool2d(2, stride=2, ceil_mode=True)

    def forward(self, x):
        x = self.same(x)
        convs = [self.pooled1, self.pooled2, self.direct]
        x = torch.cat([p(x) for p in self.first] + [p(c(x)) for c, p in zip(convs, self.after)], 1)
        x = torch.cat([p(x) for p in self.second], 1)
        return F.adaptive_avg_pool2d(self.last(x), 1)


class AsymmetricConv(nn.Conv2d):
    """A Conv2d padded (top, left, bottom, right) with zeros: PyTorch's Conv2d pads symmetrically."""

    def __init__(self, *args, sides, **kwargs):
        super().__init__(*args, **kwargs)
        self.sides = sides

    def forward(self, x):
        top, left, bottom, right = self.sides
        return super().forward(F.pad(x, (left, right, top, bottom)))


class OpsConv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1, padding_mode="reflect")
        self.conv3 = nn.Conv2d(4, 4, 3, padding=1, padding_mode="replicate")
        self.conv4 = nn.Conv2d(4, 4, 3, padding=1, padding_mode="circular")
        self.conv5 = AsymmetricConv(4, 4, 3, bias=False, sides=(2, 0, 0, 2))
        self.conv6 = nn.Conv2d(4, 4, 2, padding="same")
        self.conv7 = nn.Conv2d(4, 4, 3, dilation=2, padding="same", padding_mode="reflect")
        self.conv8 = nn.Conv2d(4, 8, 3, padding=1, groups=2)
        self.conv9 = nn.Conv2d(4, 4, 3, padding=1, groups=4, padding_mode="replicate")
        self.conv10 = nn.Conv2d(40, 8, 3, stride=2, padding=1)
        self.conv11 = nn.Conv2d(8, 8, 3, stride=2, padding=1, padding_mode="circular")
        self.conv12 = nn.Conv2d(8, 6, (1, 3), stride=(1, 2), padding=(1, 1))
        self.conv13 = nn.Conv2d(6, 5, 1, padding="valid")

    def forward(self, x):
        branches = [self.conv1, self.conv2, self.conv3, self.conv4, self.conv5, self.conv6, self.conv7, self.conv8, self.conv9]
        x = torch.cat([c(x) for c in branches], 1)
        return self.conv13(self.conv12(self.conv11(self.conv10(x))))


def ops_activations():
    return seq(("conv1", nn.Conv2d(3, 8, 3, padding=1)), ("tanh1", nn.Tanh()),
               ("conv2", nn.Conv2d(8, 8, 3, padding=1)), ("sigmoid1", nn.Sigmoid()),
               ("conv3", nn.Conv2d(8, 8, 3, padding=1)), ("relu61", nn.ReLU6()),
               ("dropout1", nn.Dropout(0.3)),
               ("conv4", nn.Conv2d(8, 8, 3, padding=1)), ("relu1", nn.ReLU()),
               ("conv5", nn.Conv2d(8, 5, 1)), ("softmax1", nn.Softmax(dim=1)))


def ops_head():
    return seq(("conv1", nn.Conv2d(3, 8, 3, padding=1)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
               ("flatten1", nn.Flatten()),
               ("fc1", nn.Linear(32, 8, bias=False)), ("sigmoid1", nn.Sigmoid()), ("dropout1", nn.Dropout(0.5)),
               ("fc2", nn.Linear(8, 10)), ("softmax1", nn.Softmax(dim=1)))


# spec name -> (builder, -D overrides, stored dtype)
NETS = OrderedDict([
    ("homework", (homework, [], torch.float32)),
    ("lenet5", (lenet5, [], torch.float16)),
    ("convnetjs_cifar", (convnetjs_cifar, [], torch.float32)),
    ("cs231n_pattern", (cs231n_pattern, ["N=1", "K=0"], torch.bfloat16)),
    ("tiny_resnet", (TinyResNet, [], torch.float32)),
    ("tiny_inception", (TinyInception, [], torch.float32)),
    ("tiny_densenet", (TinyDenseNet, [], torch.float32)),
    ("tiny_mobilenet", (TinyMobileNet, [], torch.float32)),
    ("ops_pooling", (OpsPooling, [], torch.float32)),
    ("ops_conv", (OpsConv, [], torch.float32)),
    ("ops_activations", (ops_activations, [], torch.float32)),
    ("ops_head", (ops_head, [], torch.float32)),
])

DTYPE_NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


def save_file(tensors, path, metadata):
    """safetensors.torch.save_file with the metadata keys sorted: the library writes them in
    hash order, which would change the committed bytes on every run."""
    data = save(tensors, metadata=metadata)
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    header = {"__metadata__": header.pop("__metadata__"), **header}
    text = json.dumps(header, separators=(",", ":")).encode()
    assert len(text) <= n, "re-serialised header is longer than the original"
    with open(path, "wb") as f:
        f.write(data[:8] + text.ljust(n, b" ") + data[8 + n:])


def plan_of(cnnspec, spec, defines):
    args = [cnnspec, "report", os.path.join(REPO_ROOT, "specs", spec + ".cnn"), "--format", "json"]
    for d in defines:
        args += ["-D", d]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def seeded_init(model, seed, input_shape):
    """He-uniform weights, biases in +-0.5, BN affine around 1/0, BN statistics from three
    training-mode passes over random batches."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                bound = (6.0 / fan_in) ** 0.5
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) * 2 * bound - bound)
                if m.bias is not None:
                    m.bias.copy_(torch.rand(m.bias.shape, generator=g) - 0.5)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
                m.bias.copy_(torch.rand(m.bias.shape, generator=g) - 0.5)
    if any(isinstance(m, nn.BatchNorm2d) for m in model.modules()):
        model.train()
        with torch.no_grad():
            for _ in range(3):
                model(torch.randn((8,) + input_shape, generator=g) * 1.5 + 0.2)
    model.eval()
    return g


def check_against_plan(name, model, plan):
    want = [(w["name"], w["shape"]) for layer in plan["layers"] for w in layer["weights"]]
    got = [(k, list(v.shape)) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]
    if got != want:
        for i, (a, b) in enumerate(zip(got, want)):
            if a != b:
                sys.exit("%s: state_dict entry %d is %s, the plan says %s" % (name, i, a, b))
        sys.exit("%s: state_dict has %d weights, the plan %d" % (name, len(got), len(want)))


def record(name, cnnspec):
    builder, defines, dtype = NETS[name]
    seed = sum(map(ord, name))
    torch.manual_seed(seed)
    model = builder()
    plan = plan_of(cnnspec, name, defines)
    check_against_plan(name, model, plan)
    shape = plan["input"]
    input_shape = (shape["c"], shape["h"], shape["w"])

    g = seeded_init(model, seed, input_shape)
    if name == "homework":
        with torch.no_grad():
            model.conv1.weight.copy_(torch.tensor(HOMEWORK_KERNEL, dtype=torch.float32).view(1, 1, 3, 3))
            model.conv1.bias.zero_()
        image = torch.tensor(HOMEWORK_IMAGE, dtype=torch.float32)
        x = torch.stack([image, image.t()]).view(BATCH, 1, 5, 5)
    else:
        x = torch.randn((BATCH,) + input_shape, generator=g)

    # Round the weights to the stored dtype first, so that the output is exact for them.
    state = OrderedDict()
    for k, v in model.state_dict().items():
        state[k] = v.to(dtype) if v.is_floating_point() else v
    model.load_state_dict(OrderedDict((k, v.float() if v.is_floating_point() else v) for k, v in state.items()))
    model.eval()

    with torch.no_grad():
        y = copy.deepcopy(model).double()(x.double()).float()
        y32 = model(x)
    out = plan["output"]
    expected = [BATCH, out["c"]] if out["h"] == out["w"] == 1 and y.dim() == 2 else [BATCH, out["c"], out["h"], out["w"]]
    if list(y.shape) != expected:
        sys.exit("%s: output shape %s, the plan says %s" % (name, list(y.shape), expected))
    scale = max(1.0, y.abs().max().item())
    drift = (y - y32).abs().max().item()
    if drift > 1e-5 * scale:
        sys.exit("%s: float32 and float64 forward differ by %g" % (name, drift))

    meta = {"spec": name + ".cnn", "defines": " ".join(defines), "dtype": DTYPE_NAMES[dtype],
            "seed": str(seed), "torch_version": torch.__version__}
    os.makedirs(OUT_DIR, exist_ok=True)
    weights_path = os.path.join(OUT_DIR, name + ".weights.safetensors")
    io_path = os.path.join(OUT_DIR, name + ".io.safetensors")
    save_file({k: v.contiguous() for k, v in state.items()}, weights_path, metadata=meta)
    save_file({"input": x.contiguous(), "output": y.contiguous()}, io_path, metadata=meta)
    size = os.path.getsize(weights_path) + os.path.getsize(io_path)
    print("%-16s %-5s params %7d  output %-14s max|y| %8.4f  f32 drift %.1e  %7d bytes" % (
        name, DTYPE_NAMES[dtype], plan["totals"]["params"], list(y.shape), y.abs().max().item(), drift, size))
    if name == "homework":
        print("%-16s output[0] = %s (the lecture's hand value is 3)" % ("", y[0].flatten().tolist()))


def parse_args(doc, what):
    """--cnnspec PATH (default: .build/release/cnnspec, else .build/debug/cnnspec) and names."""
    default = os.path.join(REPO_ROOT, ".build", "release", "cnnspec")
    if not os.path.exists(default):
        default = os.path.join(REPO_ROOT, ".build", "debug", "cnnspec")
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--cnnspec", default=default, help="the cnnspec binary (default: .build/release or .build/debug)")
    ap.add_argument("names", nargs="*", help="%s (default: all)" % what)
    return ap.parse_args()


def main():
    args = parse_args(__doc__, "nets to record")
    torch.set_num_threads(1)
    for name in args.names or NETS:
        if name not in NETS:
            sys.exit("unknown net %r; known: %s" % (name, ", ".join(NETS)))
        record(name, args.cnnspec)


if __name__ == "__main__":
    main()
