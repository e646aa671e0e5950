// `cnnspec explain`: every number of a layer as worked arithmetic in the lectures' notation,
// `(32 - 5 + 2*2)/1 + 1 = 32`, `5*5*3 + 1 = 76 weights per filter, 76*10 = 760`. The numbers
// are the plan's; the formulas only show where they come from. Each step also carries the
// value its formula evaluates to, and the tests check that it equals the plan's number.

public enum ExplainFormat: String, CaseIterable, Sendable {
    case text, markdown
}

/// One line of working: `params  5*5*3 + 1 = 76 weights per filter, 76*10 = 760`.
public struct ExplainStep: Sendable {
    public var label: String
    public var text: String
    /// The plan's number this step ends in, and what the formula shown evaluates to.
    public var value: Int?
    public var computed: Int?
}

/// The working of one layer. A failed layer ends in its error and the diagnostic's help.
public struct LayerExplanation: Sendable {
    public var index: Int
    public var name: String
    public var op: String
    public var attributes: String
    public var inputs: [String]
    public var output: Shape?
    public var steps: [ExplainStep]
    public var failure: [String] = []
    /// The lints about this layer (what `check` warns about it).
    public var warnings: [String] = []
    /// The layer was not computed because a layer before it failed.
    public var skipped = false
}

public enum Explain {
    /// Explanations of every layer: from the plan's facts where a layer was computed, and for
    /// a layer that failed its arithmetic up to the failure with the error's help lines.
    public static func layers(_ net: Network, planned: [PlannedLayer?], diagnostics: [Diagnostic]) -> [LayerExplanation] {
        func producer(_ t: TensorRef) -> (Shape, ReceptiveField, String)? {
            switch t {
            case .input: return (net.input, .input, "input")
            case .layer(let j): return planned[j].map { ($0.output, $0.rf, $0.name) }
            }
        }
        return net.layers.enumerated().map { i, layer in
            let ins = layer.inputs.map(producer)
            var e = LayerExplanation(index: i + 1, name: layer.name, op: layer.op.name, attributes: Format.attributes(layer.op),
                                     inputs: ins.map { $0.map { "\($0.0) (from '\($0.2)')" } ?? "(not computed)" },
                                     output: nil, steps: [])
            if let p = planned[i] {
                e.attributes = Format.attributes(p.op)
                e.output = p.output
                e.steps = steps(p, inputRFs: ins.map { $0!.1 })
                e.warnings = diagnostics.filter { $0.severity == .warning && $0.layer == layer.name }.map { "warning: " + $0.message }
            } else if ins.contains(where: { $0 == nil }) {
                e.skipped = true
            } else {
                let errors = diagnostics.filter { $0.severity == .error && $0.layer == layer.name }
                // Only a size that does not work out has arithmetic to show (an overflow has none).
                if errors.contains(where: { $0.id == "size-not-integer" || $0.id == "window-too-large" }) {
                    e.steps = failedSizeSteps(layer, input: ins[0]!.0)
                }
                for d in errors {
                    e.failure.append("error: " + d.message)
                    e.failure += d.notes.filter { $0.range == nil }.map { "note: " + $0.message }
                    e.failure += d.help.map { "help: " + $0 }
                }
            }
            return e
        }
    }

    // MARK: steps per layer kind

    static func steps(_ l: PlannedLayer, inputRFs: [ReceptiveField]) -> [ExplainStep] {
        let x = l.inputShapes[0]
        var out: [ExplainStep] = []
        let elements = "\(l.output.h)*\(l.output.w)*\(l.output.c)"
        let count = l.output.h &* l.output.w &* l.output.c
        switch l.op {
        case .conv(let a):
            guard case .explicit(let pads) = a.padding else { break }
            out += sizeSteps(l, x, kernel: a.kernel, stride: a.stride, dilation: a.dilation, pads: pads, rounding: a.rounding)
            let cin = a.groups == 1 ? "\(x.c)" : "\(x.c)/\(a.groups)"
            let perFilter = a.kernel.h &* a.kernel.w &* (x.c / a.groups)
            let withBias = perFilter &+ (a.bias ? 1 : 0)
            let weights = "\(a.kernel.h)*\(a.kernel.w)*\(cin)" + (a.bias ? " + 1" : "")
            out.append(ExplainStep(label: "params",
                                   text: "\(weights) = \(grouped(withBias)) weights per filter\(a.bias ? " (+1 is the bias)" : ", no bias"), \(grouped(withBias))*\(a.outChannels) = \(grouped(l.params))",
                                   value: l.params, computed: withBias &* a.outChannels))
            let outputs = l.output.h &* l.output.w &* a.outChannels
            out.append(ExplainStep(label: "MACs", text: "\(elements) outputs * \(a.kernel.h)*\(a.kernel.w)*\(cin) = \(grouped(outputs))*\(grouped(perFilter)) = \(grouped(l.macs))",
                                   value: l.macs, computed: outputs &* perFilter))
            out.append(flops2(l, biasAdds: a.bias ? outputs : 0))
            out += rfSteps(l, inputRFs[0], kernel: a.span, stride: a.stride, pad: Pair(pads.top, pads.left),
                           note: a.dilation == Pair(square: 1) ? nil : { k, pick in "k = D*(F-1) + 1 = \(pick(a.dilation))*(\(pick(a.kernel))-1) + 1 = \(k)" })
        case .maxpool(let a), .avgpool(let a):
            out += sizeSteps(l, x, kernel: a.kernel, stride: a.stride, dilation: Pair(square: 1), pads: a.padding, rounding: a.rounding)
            out.append(ExplainStep(label: "params", text: "0 (a pool has no weights)", value: l.params, computed: 0))
            let window = a.kernel.h &* a.kernel.w
            if case .maxpool = l.op {
                out.append(ExplainStep(label: "FLOPs", text: "(\(a.kernel.h)*\(a.kernel.w) - 1) comparisons per output * \(elements) = \(window - 1)*\(grouped(count)) = \(grouped(l.flops))",
                                       value: l.flops, computed: (window - 1) &* count))
            } else {
                out.append(ExplainStep(label: "FLOPs", text: "\(a.kernel.h)*\(a.kernel.w) adds and divide per output * \(elements) = \(window)*\(grouped(count)) = \(grouped(l.flops))",
                                       value: l.flops, computed: window &* count))
            }
            out += rfSteps(l, inputRFs[0], kernel: a.kernel, stride: a.stride, pad: Pair(a.padding.top, a.padding.left), note: nil)
        case .globalavgpool:
            out.append(ExplainStep(label: "output", text: "one average per channel: \(x) -> 1x1x\(x.c)", value: nil, computed: nil))
            out.append(perElement(l, 1, "add per input element", x))
            out += rfSteps(l, inputRFs[0], kernel: Pair(x.h, x.w), stride: Pair(square: 1), pad: Pair(square: 0), note: { k, _ in "k = \(k), the whole \(x.h)x\(x.w) input" })
        case .fc(let a):
            let fanIn = x.c &* x.h &* x.w
            out.append(ExplainStep(label: "inputs", text: "flatten \(x): \(x.h)*\(x.w)*\(x.c) = \(grouped(fanIn)) inputs per output", value: nil, computed: nil))
            out.append(ExplainStep(label: "params", text: "\(grouped(fanIn))*\(a.outFeatures)" + (a.bias ? " + \(a.outFeatures) (the biases)" : ", no bias") + " = \(grouped(l.params))",
                                   value: l.params, computed: fanIn &* a.outFeatures &+ (a.bias ? a.outFeatures : 0)))
            out.append(ExplainStep(label: "MACs", text: "\(grouped(fanIn))*\(a.outFeatures) = \(grouped(l.macs))", value: l.macs, computed: fanIn &* a.outFeatures))
            out.append(flops2(l, biasAdds: a.bias ? a.outFeatures : 0))
            out += rfSteps(l, inputRFs[0], kernel: Pair(x.h, x.w), stride: Pair(square: 1), pad: Pair(square: 0), note: { k, _ in "k = \(k), the whole \(x.h)x\(x.w) input" })
        case .flatten:
            out.append(ExplainStep(label: "output", text: "\(x.h)*\(x.w)*\(x.c) = \(grouped(l.output.c)) values", value: l.output.c, computed: x.h &* x.w &* x.c))
            out += rfSteps(l, inputRFs[0], kernel: Pair(x.h, x.w), stride: Pair(square: 1), pad: Pair(square: 0), note: { k, _ in "k = \(k), the whole \(x.h)x\(x.w) input" })
        case .relu, .tanh, .sigmoid:
            out.append(perElement(l, 1, "op per element", x))
        case .relu6:
            out.append(perElement(l, 2, "ops per element (min and max)", x))
        case .softmax:
            out.append(perElement(l, 3, "ops per element (exp, sum, divide)", x))
        case .dropout(let p):
            out.append(ExplainStep(label: "FLOPs", text: "0 (dropout \(formatFloat(p)) is the identity at inference)", value: l.flops, computed: 0))
        case .batchnorm:
            out.append(ExplainStep(label: "params", text: "2*\(x.c) = \(grouped(l.params)) (a scale and a shift per channel; + \(grouped(2 &* x.c)) running statistics, not parameters)",
                                   value: l.params, computed: 2 &* x.c))
            out.append(perElement(l, 2, "ops per element (scale and shift)", x))
        case .add:
            let shapes = l.inputShapes.map(\.description).joined(separator: " + ")
            out.append(ExplainStep(label: "shape", text: "\(shapes): add needs one shape -> \(l.output)", value: nil, computed: nil))
            out.append(perElement(l, l.inputShapes.count - 1, "add\(l.inputShapes.count == 2 ? "" : "s") per element", x))
            out.append(joinRF(l, inputRFs))
        case .concat:
            let channels = l.inputShapes.map { String($0.c) }.joined(separator: " + ")
            out.append(ExplainStep(label: "shape", text: "one height and width (\(x.h)x\(x.w)), channels \(channels) = \(l.output.c) -> \(l.output)",
                                   value: l.output.c, computed: l.inputShapes.reduce(0) { $0 &+ $1.c }))
            out.append(joinRF(l, inputRFs))
        }
        out.append(ExplainStep(label: "memory", text: "\(elements) * \(bytesPerElement) B = \(grouped(l.activationBytes)) B" + (l.activationBytes >= 1024 ? " (\(Format.bytes(l.activationBytes)))" : "") + ", float32",
                               value: l.activationBytes, computed: count &* bytesPerElement))
        return out
    }

    /// Output height and width with the lectures' formula (SizeFormula, as in the errors).
    static func sizeSteps(_ l: PlannedLayer, _ x: Shape, kernel: Pair, stride: Pair, dilation: Pair, pads: Sides, rounding: Rounding) -> [ExplainStep] {
        let fh = SizeFormula(size: x.h, kernel: kernel.h, stride: stride.h, dilation: dilation.h, before: pads.top, after: pads.bottom)
        let fw = SizeFormula(size: x.w, kernel: kernel.w, stride: stride.w, dilation: dilation.w, before: pads.left, after: pads.right)
        if fh.text == fw.text && l.output.h == l.output.w { return [sizeStep("size", fw, rounding, l.output.w)] }
        return [sizeStep("height", fh, rounding, l.output.h), sizeStep("width", fw, rounding, l.output.w)]
    }

    static func sizeStep(_ label: String, _ f: SizeFormula, _ rounding: Rounding, _ value: Int) -> ExplainStep {
        let exact = f.divides
        var text = "\(f.symbolic(label == "height" ? "H" : "W")) = \(f.text) = \(f.valueText)"
        var computed = f.result
        switch rounding {
        case .exact: break
        case .floor: if !exact { text += ", round: floor -> \(value)" }
        case .ceil:
            if !exact {
                computed = (f.numerator + f.stride - 1) / f.stride + 1
                text += ", round: ceil -> \(computed)"
                if value == computed - 1 {
                    computed -= 1
                    text += ", minus the last window, which would start in the padding (PyTorch) -> \(value)"
                }
            }
        }
        return ExplainStep(label: label, text: text, value: value, computed: computed)
    }

    /// The receptive field recurrence (Araujo et al.), one line per quantity; per axis when
    /// the two axes differ.
    /// `note` says where k comes from (dilation, a whole-input layer), given k and the axis.
    static func rfSteps(_ l: PlannedLayer, _ rin: ReceptiveField, kernel: Pair, stride: Pair, pad: Pair,
                        note: ((Int, (Pair) -> Int) -> String)?) -> [ExplainStep] {
        func axis(_ suffix: String, _ r: Int, _ j: Int, _ p: Int, _ k: Int, _ s: Int, _ pd: Int, _ out: ReceptiveField, _ pick: (Pair) -> Int) -> [ExplainStep] {
            let kNote = note.map { " (\($0(k, pick)))" } ?? ""
            return [
                ExplainStep(label: "RF" + suffix, text: "r = r_in + (k-1)*j_in = \(r) + (\(k)-1)*\(j) = \(pick(out.size))" + kNote,
                            value: pick(out.size), computed: r &+ (k - 1) &* j),
                ExplainStep(label: "jump" + suffix, text: "j = j_in*s = \(j)*\(s) = \(pick(out.jump))", value: pick(out.jump), computed: j &* s),
                ExplainStep(label: "eff. pad" + suffix, text: "p = p_in + pad*j_in = \(p) + \(pd)*\(j) = \(pick(out.padding))",
                            value: pick(out.padding), computed: p &+ pd &* j),
            ]
        }
        let hs = axis("", rin.size.h, rin.jump.h, rin.padding.h, kernel.h, stride.h, pad.h, l.rf, \.h)
        let square = rin.size.isSquare && rin.jump.isSquare && rin.padding.isSquare && kernel.isSquare && stride.isSquare && pad.isSquare
        if square { return hs }
        return axis(" (height)", rin.size.h, rin.jump.h, rin.padding.h, kernel.h, stride.h, pad.h, l.rf, \.h)
            + axis(" (width)", rin.size.w, rin.jump.w, rin.padding.w, kernel.w, stride.w, pad.w, l.rf, \.w)
    }

    static func joinRF(_ l: PlannedLayer, _ rins: [ReceptiveField]) -> ExplainStep {
        let sizes = rins.map { $0.size.description }.joined(separator: ", ")
        let best = rins.map { $0.size.h &* $0.size.w }.max() ?? 0
        return ExplainStep(label: "RF", text: "the largest over the inputs: max(\(sizes)) = \(l.rf.size), jump \(l.rf.jump), eff. pad \(l.rf.padding)",
                           value: l.rf.size.h &* l.rf.size.w, computed: best)
    }

    static func flops2(_ l: PlannedLayer, biasAdds: Int) -> ExplainStep {
        let bias = biasAdds > 0 ? " + \(grouped(biasAdds)) bias adds" : ""
        return ExplainStep(label: "FLOPs", text: "2*\(grouped(l.macs)) (a multiply and an add per MAC)\(bias) = \(grouped(l.flops))",
                           value: l.flops, computed: 2 &* l.macs &+ biasAdds)
    }

    static func perElement(_ l: PlannedLayer, _ n: Int, _ what: String, _ x: Shape) -> ExplainStep {
        let count = x.h &* x.w &* x.c
        return ExplainStep(label: "FLOPs", text: "\(n) \(what) * \(x.h)*\(x.w)*\(x.c) = \(n)*\(grouped(count)) = \(grouped(l.flops))",
                           value: l.flops, computed: n &* count)
    }

    /// For a conv or pool that failed: its size arithmetic per axis, up to the failure.
    static func failedSizeSteps(_ layer: Layer, input x: Shape) -> [ExplainStep] {
        var kernel: Pair, stride: Pair, dilation = Pair(square: 1), pads: Sides
        switch layer.op {
        case .conv(let a):
            guard case .explicit(let p) = a.padding else { return [] }
            kernel = a.kernel; stride = a.stride; dilation = a.dilation; pads = p
        case .maxpool(let a), .avgpool(let a):
            kernel = a.kernel; stride = a.stride; pads = a.padding
        case .globalavgpool, .fc, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .dropout, .batchnorm, .add, .concat:
            return []
        }
        let fs = [("height", SizeFormula(size: x.h, kernel: kernel.h, stride: stride.h, dilation: dilation.h, before: pads.top, after: pads.bottom)),
                  ("width", SizeFormula(size: x.w, kernel: kernel.w, stride: stride.w, dilation: dilation.w, before: pads.left, after: pads.right))]
        var out: [ExplainStep] = []
        for (axis, f) in fs {
            let why = f.numerator < 0 ? ": the window is larger than the padded input" : f.divides ? "" : ": not a whole number, the filter does not fit"
            out.append(ExplainStep(label: axis, text: "\(f.symbolic(axis == "height" ? "H" : "W")) = \(f.text) = \(f.valueText)\(why)", value: nil, computed: nil))
            if !f.divides { break }
        }
        return out
    }

    // MARK: totals

    /// The network's totals as sums over the layers, and where its receptive field is quoted.
    public static func totals(_ plan: Plan) -> [ExplainStep] {
        func sum(_ label: String, _ pick: (PlannedLayer) -> Int, _ total: Int, _ after: String = "") -> ExplainStep {
            let terms = plan.layers.map(pick).filter { $0 != 0 }
            let computed = terms.reduce(0, &+)
            let text = terms.count <= 8 && terms.count > 1
                ? terms.map(grouped).joined(separator: " + ") + " = \(grouped(total))"
                : "the sum over \(terms.count) layer\(terms.count == 1 ? "" : "s") = \(grouped(total))"
            return ExplainStep(label: label, text: text + after, value: total, computed: computed)
        }
        let t = plan.totals
        var out = [
            sum("params", \.params, t.params, t.buffers > 0 ? " (+ \(grouped(t.buffers)) batch-norm running statistics, not parameters)" : ""),
            sum("MACs", \.macs, t.macs, " = \(Format.gflops(Double(t.macs) / 1e9)) \"GFLOPS\" as torchvision's model cards count it"),
            sum("FLOPs", \.flops, t.flops),
            sum("memory", \.activationBytes, t.activationBytes,
                " B of outputs in all; peak \(grouped(t.peakActivationBytes)) B live at '\(t.peakLayer)' (layers run in order, each tensor freed after its last reader)"),
        ]
        if let i = plan.lastSpatialLayer {
            let l = plan.layers[i]
            out.append(ExplainStep(label: "RF", text: "\(l.rf.size.sizeText) at '\(l.name)', the last spatial layer, with jump \(l.rf.jump.sizeText) and eff. pad \(l.rf.padding.sizeText)",
                                   value: nil, computed: nil))
        }
        return out
    }

    // MARK: rendering

    /// The explanations, then the totals when given (the whole network was explained).
    public static func render(_ xs: [LayerExplanation], network: String, input: Shape, totals: [ExplainStep]?, format: ExplainFormat) -> String {
        switch format {
        case .text:
            var out = "\(network): input \(input) (sizes are H x W x C)\n"
            for e in xs {
                out += "\n" + heading(e) + "\n" + text(e.steps)
                if e.skipped { out += "  not computed: an earlier layer failed\n" }
                for f in e.warnings + e.failure { out += "  " + f + "\n" }
            }
            if let totals { out += "\ntotals\n" + text(totals) }
            return out
        case .markdown:
            // Prose lines hold formulas: a `*` there must not start emphasis.
            func prose(_ t: String) -> String { t.replacingAll("*", with: "\\*") }
            var out = "# \(network)\n\nInput \(input) (H x W x C).\n"
            for e in xs {
                out += "\n### " + prose(heading(e)) + "\n\n" + table(e.steps)
                if e.skipped { out += "Not computed: an earlier layer failed.\n" }
                let notes = e.warnings + e.failure
                if !notes.isEmpty { out += (e.steps.isEmpty ? "" : "\n") + notes.map { "- " + prose($0) }.joined(separator: "\n") + "\n" }
            }
            if let totals { out += "\n### Totals\n\n" + table(totals) }
            return out
        }
    }

    static func heading(_ e: LayerExplanation) -> String {
        var s = "\(e.index). \(e.name): \(e.op)"
        if !e.attributes.isEmpty { s += " \(e.attributes)" }
        s += ", input " + e.inputs.joined(separator: ", ")
        if let o = e.output { s += " -> \(o)" }
        return s
    }

    /// Steps as indented lines with their labels aligned.
    static func text(_ steps: [ExplainStep]) -> String {
        let width = (steps.map(\.label.count).max() ?? 0) + 2
        return steps.map { "  " + $0.label + String(repeating: " ", count: width - $0.label.count) + $0.text + "\n" }.joined()
    }

    /// Steps as a Markdown table, the working in code spans.
    static func table(_ steps: [ExplainStep]) -> String {
        if steps.isEmpty { return "" }
        return "| | working |\n|---|---|\n" + steps.map { "| \($0.label) | `\($0.text)` |\n" }.joined()
    }
}

extension SizeFormula {
    /// The formula in letters, shaped like `text`: `(W - F + 2P)/S + 1` (H for the height).
    func symbolic(_ size: String) -> String {
        let pad = before == after ? "2P" : "P1+P2"
        if dilation == 1 { return "(\(size) - F + \(pad))/S + 1" }
        return "(\(size) + \(pad) - D*(F-1) - 1)/S + 1"
    }
}

extension String {
    /// Every occurrence of `a` replaced by `b` (the library is Foundation-free).
    func replacingAll(_ a: Character, with b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
