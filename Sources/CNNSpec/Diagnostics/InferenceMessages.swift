// Messages of inference: sizes that do not work out (with the arithmetic), shape rules of
// joins, overflow, and the lints (warnings) of Lints.swift.

extension Messages {
    static func inputNote(_ input: Inference.Producer) -> Diagnostic.Note {
        .init("the input to this layer is \(input.shape) (from '\(input.name)')")
    }

    static func overflow(_ l: Layer, at r: R) -> Diagnostic {
        error("overflow", "the sizes of '\(l.name)' are too large to count (a product exceeds 2^63)", r, layer: l.name)
    }
    static func overflowTotals(at r: R) -> Diagnostic {
        error("overflow", "the network's totals are too large to count (a sum exceeds 2^63)", r)
    }
    static func groupsDoNotDivide(_ l: Layer, _ a: ConvAttrs, inChannels: Int) -> Diagnostic {
        let which = inChannels % a.groups != 0 ? "input channels \(inChannels)" : "filters \(a.outChannels)"
        let divisors = (1...min(max(inChannels, 1), 4096)).filter { inChannels % $0 == 0 && a.outChannels % $0 == 0 }
        return error("groups", "\(which) not divisible by groups \(a.groups)", l.range,
                     help: ["groups must divide both the input channels (\(inChannels)) and the filters (\(a.outChannels)); possible: \(divisors.suffix(6).map(String.init).joined(separator: ", "))"],
                     layer: l.name)
    }
    static func reflectPadTooLarge(_ l: Layer, _ p: Sides, _ x: Shape) -> Diagnostic {
        error("pad-too-large", "reflect padding \(p.array.max()!) must be smaller than the input size \(x.h)x\(x.w)", l.range, layer: l.name)
    }
    static func circularPadTooLarge(_ l: Layer, _ p: Sides, _ x: Shape) -> Diagnostic {
        error("pad-too-large", "circular padding \(p.array.max()!) must not exceed the input size \(x.h)x\(x.w)", l.range, layer: l.name)
    }
    static func poolPadTooLarge(_ l: Layer, _ a: PoolAttrs) -> Diagnostic {
        error("pad-too-large", "pool padding \(a.padding.array.max()!) must be at most half the window \(a.kernel.sizeText)", l.range,
              notes: [.init("PyTorch refuses such a pool: a window would see only padding")], layer: l.name)
    }
    static func sameWithStride(_ l: Layer, _ a: ConvAttrs) -> Diagnostic {
        let p = (a.kernel.h - 1) / 2
        return error("same-with-stride", "pad: same needs stride 1 (as in PyTorch), found stride \(a.stride)", l.range,
                     help: ["write the padding as a number: pad: \(p) with stride \(a.stride) halves the size"], layer: l.name)
    }
    static func windowLargerThanInput(_ l: Layer, axis: String, _ f: SizeFormula, input: Inference.Producer) -> Diagnostic {
        let span = f.dilation * (f.kernel - 1) + 1
        return error("window-too-large", "\(l.op.name) '\(l.name)': window \(span) is larger than the padded input \(axis) \(f.size + f.before + f.after): \(f.text) = \(f.valueText)", l.range,
                     notes: [inputNote(input)], help: ["use a smaller kernel or more padding, or remove a pool earlier in the network"], layer: l.name)
    }
    static func sizeDoesNotDivide(_ l: Layer, axis: String, _ f: SizeFormula, input: Inference.Producer) -> Diagnostic {
        var help: [String] = []
        var options: [String] = []
        for s in Swift.max(1, f.stride - 1)...(f.stride + 1) where s != f.stride && f.with(stride: s).divides {
            options.append("stride \(s) gives \(f.with(stride: s).result)")
        }
        for p in 0...min(f.kernel, 16) where p != f.before && f.with(pad: p).divides {
            options.append("pad: \(p) with stride \(f.stride) gives \(f.with(pad: p).result)")
            break
        }
        if !options.isEmpty { help.append(options.joined(separator: "; ")) }
        help.append("round: floor drops the last \(f.numerator % f.stride) \(axis == "height" ? "row" : "column")\(f.numerator % f.stride == 1 ? "" : "s") and gives \(f.result), as PyTorch does")
        return error("size-not-integer", "\(l.op.name) '\(l.name)': output \(axis) does not divide: \(f.text) = \(f.valueText)", l.range,
                     notes: [inputNote(input)], help: help, layer: l.name)
    }
    static func addShapeMismatch(_ l: Layer, _ inputs: [Inference.Producer]) -> Diagnostic {
        let list = inputs.map { "\($0.shape) (from '\($0.name)')" }.joined(separator: ", ")
        return error("add-shapes", "add needs inputs of one shape, found \(list)", l.range,
                     help: ["a projection shortcut (conv 1x1 with the block's stride and filters, then batchnorm) makes the shapes equal"], layer: l.name)
    }
    static func concatShapeMismatch(_ l: Layer, _ inputs: [Inference.Producer]) -> Diagnostic {
        let list = inputs.map { "\($0.shape) (from '\($0.name)')" }.joined(separator: ", ")
        return error("concat-shapes", "concat needs inputs of one height and width, found \(list)", l.range, layer: l.name)
    }
    static func misalignedBranches(_ l: Layer, _ a: Inference.Producer, _ b: Inference.Producer) -> Diagnostic {
        func describe(_ p: Inference.Producer) -> String {
            "'\(p.name)' has field \(p.rf.size.sizeText), stride \(p.rf.jump.sizeText), effective padding \(p.rf.padding.sizeText)"
        }
        return warning("misaligned-branches", "the branches joined by \(l.op.name) see differently placed input regions", l.range,
                       notes: [.init(describe(a)), .init(describe(b))], layer: l.name)
    }

    // MARK: lints

    static func evenKernel(_ l: PlannedLayer, _ k: Pair) -> Diagnostic {
        warning("even-kernel", "conv kernel \(k.sizeText) is even: it has no centre pixel, so features shift by half a pixel", l.range,
                help: ["kernels are odd by convention: 3x3, 5x5, 7x7"], layer: l.name)
    }
    static func fcDominates(_ l: PlannedLayer, total: Int, fanIn: Int) -> Diagnostic {
        let pct = Int((Double(l.params) / Double(max(total, 1)) * 100).rounded())
        return warning("fc-dominates", "'\(l.name)' holds \(pct)% of the parameters (\(grouped(l.params)) of \(grouped(total))), from \(grouped(fanIn)) inputs", l.range,
                       help: ["shrink the input to the first fc layer with more pooling or strides, or use global average pooling"], layer: l.name)
    }
    static func smallReceptiveField(_ l: PlannedLayer, input: Shape) -> Diagnostic {
        warning("small-receptive-field", "the receptive field at '\(l.name)' is \(l.rf.size.sizeText), smaller than the \(input.h)x\(input.w) input: no output sees the whole image", l.range,
                help: ["grow the field faster with strides, pooling or dilation, or add layers"], layer: l.name)
    }
    static func swappedInput(_ s: Shape, at r: R) -> Diagnostic {
        warning("input-order", "the input has \(s.c) channels and height \(s.h): the input is height x width x channels", r,
                help: ["did you mean input \(s.w)x\(s.c)x\(s.h)?"])
    }
    static func strideSkips(_ l: PlannedLayer, stride: Pair, span: Pair) -> Diagnostic {
        warning("stride-skips-input", "stride \(stride.sizeText) is larger than the window \(span.sizeText): some input pixels are never read", l.range, layer: l.name)
    }
    static func activationTwice(_ l: PlannedLayer, after: PlannedLayer) -> Diagnostic {
        warning("activation-twice", "'\(l.name)' applies \(l.op.name) to the output of \(l.op.name) '\(after.name)': the second one changes nothing", l.range,
                help: ["remove one of them"], layer: l.name)
    }
    static func softmaxNotLast(_ l: PlannedLayer) -> Diagnostic {
        warning("softmax-not-last", "softmax '\(l.name)' feeds other layers: a softmax normally ends a classifier", l.range, layer: l.name)
    }
    static func biasBeforeBatchnorm(_ conv: PlannedLayer, _ bn: PlannedLayer, saved: Int) -> Diagnostic {
        warning("bias-before-batchnorm", "the bias of '\(conv.name)' is cancelled by the batchnorm '\(bn.name)' after it", conv.range,
                help: ["bias: no saves \(grouped(saved)) parameters"], layer: conv.name)
    }
}

/// 61706 -> "61,706".
public func grouped(_ n: Int) -> String {
    let s = String(n.magnitude)
    var out = ""
    for (i, ch) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}
