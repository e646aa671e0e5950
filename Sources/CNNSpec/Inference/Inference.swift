// Inference: Network -> Plan. For every layer, in order: the output shape (checking that
// it works out), parameters, MACs, FLOPs, receptive field, activation memory and weight
// tensors; then totals, the liveness plan and the lints. All arithmetic on user numbers is
// checked: an overflow is an error, never a trap. The formulas are in docs/LANGUAGE.md
// ("What check computes") and ../shared/DOMAIN.md.

/// Thrown by checked arithmetic; turned into a diagnostic at the layer.
struct Overflow: Error {}

@inline(__always) func mul(_ a: Int, _ b: Int) throws -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    if o { throw Overflow() }
    return r
}
@inline(__always) func add(_ a: Int, _ b: Int) throws -> Int {
    let (r, o) = a.addingReportingOverflow(b)
    if o { throw Overflow() }
    return r
}
func product(_ xs: Int...) throws -> Int { try xs.reduce(1) { try mul($0, $1) } }

public enum Inference {
    /// Infers every layer's facts. Returns the plan, or nil with the errors.
    public static func run(_ net: Network) -> (Plan?, [Diagnostic]) {
        let (planned, layerSink) = layers(net)
        var sink = layerSink
        if sink.hasErrors { return (nil, withTrail(sink.diagnostics, net)) }
        let layers = planned.map { $0! }
        let output: Shape
        switch net.output {
        case .input: output = net.input
        case .layer(let i): output = layers[i].output
        }
        var plan = Plan(name: net.name, input: net.input, inputRange: net.inputRange, output: output, outputRef: net.output,
                        layers: layers, totals: Totals(), warnings: [], lastSpatialLayer: lastSpatial(layers))
        do {
            plan.totals = try totals(plan, net.output)
        } catch {
            sink.add(Messages.overflowTotals(at: net.inputRange))
            return (nil, sink.diagnostics)
        }
        sink.add(contentsOf: Lints.run(plan, net))
        let diagnostics = withTrail(mergeRepeatedWarnings(sink.diagnostics), net)
        plan.warnings = diagnostics.filter { $0.severity == .warning }
        return (plan, diagnostics)
    }

    typealias Producer = (shape: Shape, rf: ReceptiveField, name: String)

    /// Every layer's facts, in order; nil for a layer that failed or whose input failed.
    /// `run` builds the plan from these; `explain` also shows the layers before a failure.
    static func layers(_ net: Network) -> ([PlannedLayer?], DiagnosticSink) {
        var sink = DiagnosticSink()
        var planned: [PlannedLayer?] = []
        let inputRF = ReceptiveField.input
        func producer(_ t: TensorRef) -> (shape: Shape, rf: ReceptiveField, name: String)? {
            switch t {
            case .input: return (net.input, inputRF, "input")
            case .layer(let i): return planned[i].map { ($0.output, $0.rf, $0.name) }
            }
        }
        for layer in net.layers {
            // A layer whose input failed is skipped: its own error would only repeat the first.
            let ins = layer.inputs.map(producer)
            guard ins.allSatisfy({ $0 != nil }) else { planned.append(nil); continue }
            let inputs = ins.map { $0! }
            do {
                planned.append(try infer(layer, inputs, &sink))
            } catch is Overflow {
                sink.add(Messages.overflow(layer, at: layer.range))
                planned.append(nil)
            } catch let d as Diagnostic {
                sink.add(d)
                planned.append(nil)
            } catch {
                planned.append(nil)
            }
        }
        return (planned, sink)
    }

    /// A warning about a definition used many times is said once, naming how often.
    static func mergeRepeatedWarnings(_ ds: [Diagnostic]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var index: [String: Int] = [:]
        var repeats: [Int: [String]] = [:]
        for d in ds {
            guard d.severity == .warning, let r = d.range else { out.append(d); continue }
            let key = "\(d.id) \(r.start.line):\(r.start.column)"
            if let i = index[key] { repeats[i, default: []].append(d.layer ?? "?"); continue }
            index[key] = out.count
            out.append(d)
        }
        for (i, layers) in repeats {
            let shown = layers.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
            out[i].notes.append(.init("the same holds for \(layers.count) more layer\(layers.count == 1 ? "" : "s"): \(shown)\(layers.count > 3 ? ", ..." : "")"))
        }
        return out
    }

    /// A diagnostic about a layer that came from an alias or a module also points at the
    /// uses that expanded it, innermost first.
    static func withTrail(_ ds: [Diagnostic], _ net: Network) -> [Diagnostic] {
        let wanted = Set(ds.compactMap(\.layer))
        if wanted.isEmpty { return ds }
        var byName: [String: Layer] = [:]
        for l in net.layers where wanted.contains(l.name) { byName[l.name] = l }
        return ds.map { d in
            guard let name = d.layer, let l = byName[name], !l.expandedFrom.isEmpty else { return d }
            var d = d
            let uses = l.expandedFrom.reversed().prefix(3).enumerated()
            let notes = uses.map { i, r in Diagnostic.Note(i == 0 ? "layer '\(name)' is expanded from here" : "which is expanded from here", at: r) }
            d.notes.insert(contentsOf: notes, at: 0)
            return d
        }
    }

    private static func infer(_ layer: Layer, _ inputs: [Producer], _ sink: inout DiagnosticSink) throws -> PlannedLayer {
        let x = inputs[0].shape
        var op = layer.op
        var out = x
        var params = 0, macs = 0, flops = 0
        var rf = inputs[0].rf
        var weights: [WeightTensor] = []
        let n = layer.name
        switch layer.op {
        case .conv(var a):
            if x.c % a.groups != 0 || a.outChannels % a.groups != 0 {
                throw Messages.groupsDoNotDivide(layer, a, inChannels: x.c)
            }
            let pads = try resolvePadding(a, layer, x)
            a.padding = .explicit(pads)
            op = .conv(a)
            if a.paddingMode == .reflect, pads.top >= x.h || pads.bottom >= x.h || pads.left >= x.w || pads.right >= x.w {
                throw Messages.reflectPadTooLarge(layer, pads, x)
            }
            if a.paddingMode == .circular, pads.top > x.h || pads.bottom > x.h || pads.left > x.w || pads.right > x.w {
                throw Messages.circularPadTooLarge(layer, pads, x)
            }
            let h = try outputSize(layer, axis: "height", size: x.h, kernel: a.kernel.h, stride: a.stride.h, dilation: a.dilation.h,
                                   before: pads.top, after: pads.bottom, rounding: a.rounding, input: inputs[0])
            let w = try outputSize(layer, axis: "width", size: x.w, kernel: a.kernel.w, stride: a.stride.w, dilation: a.dilation.w,
                                   before: pads.left, after: pads.right, rounding: a.rounding, input: inputs[0])
            out = Shape(c: a.outChannels, h: h, w: w)
            let perFilter = try product(x.c / a.groups, a.kernel.h, a.kernel.w)
            params = try add(mul(a.outChannels, perFilter), a.bias ? a.outChannels : 0)
            macs = try product(h, w, a.outChannels, perFilter)
            flops = try add(mul(2, macs), a.bias ? product(h, w, a.outChannels) : 0)
            weights = [WeightTensor(name: n + ".weight", shape: [a.outChannels, x.c / a.groups, a.kernel.h, a.kernel.w])]
            if a.bias { weights.append(WeightTensor(name: n + ".bias", shape: [a.outChannels])) }
            rf = try grow(rf, kernel: a.span,
                          stride: a.stride, padding: Pair(pads.top, pads.left))
        case .maxpool(let a), .avgpool(let a):
            if a.padding.top * 2 > a.kernel.h || a.padding.bottom * 2 > a.kernel.h || a.padding.left * 2 > a.kernel.w || a.padding.right * 2 > a.kernel.w {
                throw Messages.poolPadTooLarge(layer, a)
            }
            let h = try outputSize(layer, axis: "height", size: x.h, kernel: a.kernel.h, stride: a.stride.h, dilation: 1,
                                   before: a.padding.top, after: a.padding.bottom, rounding: a.rounding, input: inputs[0])
            let w = try outputSize(layer, axis: "width", size: x.w, kernel: a.kernel.w, stride: a.stride.w, dilation: 1,
                                   before: a.padding.left, after: a.padding.right, rounding: a.rounding, input: inputs[0])
            out = Shape(c: x.c, h: h, w: w)
            let window = try mul(a.kernel.h, a.kernel.w)
            if case .maxpool = layer.op {
                flops = try product(x.c, h, w, window - 1)
            } else {
                flops = try product(x.c, h, w, window)
            }
            rf = try grow(rf, kernel: a.kernel, stride: a.stride, padding: Pair(a.padding.top, a.padding.left))
        case .globalavgpool:
            out = Shape(c: x.c, h: 1, w: 1)
            flops = try product(x.c, x.h, x.w)
            rf = try grow(rf, kernel: Pair(x.h, x.w), stride: Pair(1, 1), padding: Pair(0, 0))
        case .fc(let a):
            let fanIn = try product(x.c, x.h, x.w)
            out = Shape(c: a.outFeatures, h: 1, w: 1)
            macs = try mul(fanIn, a.outFeatures)
            params = try add(macs, a.bias ? a.outFeatures : 0)
            flops = try add(mul(2, macs), a.bias ? a.outFeatures : 0)
            weights = [WeightTensor(name: n + ".weight", shape: [a.outFeatures, fanIn])]
            if a.bias { weights.append(WeightTensor(name: n + ".bias", shape: [a.outFeatures])) }
            rf = try grow(rf, kernel: Pair(x.h, x.w), stride: Pair(1, 1), padding: Pair(0, 0))
        case .flatten:
            out = Shape(c: try product(x.c, x.h, x.w), h: 1, w: 1)
            rf = try grow(rf, kernel: Pair(x.h, x.w), stride: Pair(1, 1), padding: Pair(0, 0))
        case .relu, .tanh, .sigmoid:
            flops = try product(x.c, x.h, x.w)
        case .relu6:
            flops = try product(2, x.c, x.h, x.w)
        case .softmax:
            flops = try product(3, x.c, x.h, x.w)
        case .dropout:
            break
        case .batchnorm:
            params = try mul(2, x.c)
            flops = try product(2, x.c, x.h, x.w)
            weights = ["weight", "bias", "running_mean", "running_var"].map { WeightTensor(name: n + "." + $0, shape: [x.c]) }
        case .add:
            for other in inputs.dropFirst() where other.shape != x {
                throw Messages.addShapeMismatch(layer, inputs)
            }
            flops = try product(inputs.count - 1, x.c, x.h, x.w)
            rf = try join(layer, inputs, &sink)
        case .concat:
            var c = 0
            for other in inputs {
                if other.shape.h != x.h || other.shape.w != x.w { throw Messages.concatShapeMismatch(layer, inputs) }
                c = try add(c, other.shape.c)
            }
            out = Shape(c: c, h: x.h, w: x.w)
            rf = try join(layer, inputs, &sink)
        }
        let elements = try product(out.c, out.h, out.w)
        return PlannedLayer(name: n, op: op, inputs: layer.inputs, inputNames: inputs.map(\.name), inputShapes: inputs.map(\.shape),
                            output: out, params: params, macs: macs, flops: flops, rf: rf,
                            activationBytes: try mul(elements, bytesPerElement), weights: weights,
                            range: layer.range, expandedFrom: layer.expandedFrom)
    }

    /// `pad: same` (PyTorch's rule: stride 1 only; an odd total puts the extra pixel after)
    /// and `pad: valid` become explicit numbers.
    static func resolvePadding(_ a: ConvAttrs, _ layer: Layer, _ x: Shape) throws -> Sides {
        switch a.padding {
        case .explicit(let s): return s
        case .valid: return .zero
        case .same:
            if a.stride != Pair(square: 1) { throw Messages.sameWithStride(layer, a) }
            let th = try mul(a.dilation.h, a.kernel.h - 1), tw = try mul(a.dilation.w, a.kernel.w - 1)
            return Sides(top: th / 2, left: tw / 2, bottom: th - th / 2, right: tw - tw / 2)
        }
    }

    /// Output size along one axis: (size + before + after - dilation*(kernel-1) - 1)/stride + 1,
    /// which must divide exactly unless the layer says `round: floor` or `round: ceil`.
    static func outputSize(_ layer: Layer, axis: String, size: Int, kernel: Int, stride: Int, dilation: Int,
                           before: Int, after: Int, rounding: Rounding, input: Producer) throws -> Int {
        let padded = try add(add(size, before), after)
        let span = try add(mul(dilation, kernel - 1), 1)
        let numerator = padded - span
        let f = SizeFormula(size: size, kernel: kernel, stride: stride, dilation: dilation, before: before, after: after)
        if numerator < 0 { throw Messages.windowLargerThanInput(layer, axis: axis, f, input: input) }
        switch rounding {
        case .exact:
            if numerator % stride != 0 { throw Messages.sizeDoesNotDivide(layer, axis: axis, f, input: input) }
            return numerator / stride + 1
        case .floor:
            return numerator / stride + 1
        case .ceil:
            var out = (numerator + stride - 1) / stride + 1
            // PyTorch: the last window must start inside the input or the left padding.
            if (out - 1) * stride >= size + before { out -= 1 }
            return out
        }
    }

    /// The receptive field recurrence (Araujo et al.): r += (k-1)*j, p += pad*j, j *= s.
    static func grow(_ rf: ReceptiveField, kernel: Pair, stride: Pair, padding: Pair) throws -> ReceptiveField {
        ReceptiveField(
            size: Pair(try add(rf.size.h, mul(kernel.h - 1, rf.jump.h)), try add(rf.size.w, mul(kernel.w - 1, rf.jump.w))),
            jump: Pair(try mul(rf.jump.h, stride.h), try mul(rf.jump.w, stride.w)),
            padding: Pair(try add(rf.padding.h, mul(padding.h, rf.jump.h)), try add(rf.padding.w, mul(padding.w, rf.jump.w))))
    }

    /// At add and concat the field is the largest over the inputs; inputs whose fields are
    /// centred differently or step differently are misaligned (a warning).
    static func join(_ layer: Layer, _ inputs: [Producer], _ sink: inout DiagnosticSink) throws -> ReceptiveField {
        var best = inputs[0].rf
        for i in inputs.dropFirst() {
            if Double(i.rf.size.h) * Double(i.rf.size.w) > Double(best.size.h) * Double(best.size.w) { best = i.rf }
        }
        let first = inputs[0]
        let firstCentre = try first.rf.doubledCentre()
        for other in inputs.dropFirst() where try other.rf.jump != first.rf.jump || other.rf.doubledCentre() != firstCentre {
            sink.add(Messages.misalignedBranches(layer, first, other))
            break
        }
        return best
    }

    static func lastSpatial(_ layers: [PlannedLayer]) -> Int? {
        var last: Int?
        for (i, l) in layers.enumerated() {
            switch l.op {
            case .fc, .flatten, .globalavgpool: return last
            case .conv, .maxpool, .avgpool, .relu, .relu6, .tanh, .sigmoid, .softmax, .dropout, .batchnorm, .add, .concat:
                last = i
            }
        }
        return last
    }

    /// Totals and the liveness plan: layers run in order; a tensor lives from its producer
    /// until its last reader (the output until the end).
    static func totals(_ plan: Plan, _ output: TensorRef) throws -> Totals {
        var t = Totals()
        let count = plan.layers.count
        var lastUse = [Int](repeating: -1, count: count)
        var inputLastUse = -1
        for (i, l) in plan.layers.enumerated() {
            t.params = try add(t.params, l.params)
            t.macs = try add(t.macs, l.macs)
            t.flops = try add(t.flops, l.flops)
            t.activationBytes = try add(t.activationBytes, l.activationBytes)
            if case .batchnorm = l.op { t.buffers = try add(t.buffers, mul(2, l.output.c)) }
            for input in l.inputs {
                switch input {
                case .input: inputLastUse = i
                case .layer(let j): lastUse[j] = i
                }
            }
        }
        if case .layer(let o) = output { lastUse[o] = count }
        let inputBytes = try mul(product(plan.input.c, plan.input.h, plan.input.w), bytesPerElement)
        // Sweep: bytes alive during step i = allocated so far minus freed before i.
        var freeAt = [Int](repeating: 0, count: count + 2)
        var live = inputBytes
        freeAt[max(inputLastUse, 0) + 1] += inputBytes
        for (i, l) in plan.layers.enumerated() {
            live -= freeAt[i]
            live = try add(live, l.activationBytes)
            if live > t.peakActivationBytes { t.peakActivationBytes = live; t.peakLayer = l.name }
            let end = lastUse[i] < 0 ? i : lastUse[i]
            freeAt[min(end, count) + 1] += l.activationBytes
        }
        return t
    }
}

/// The numbers of one output-size computation, printed as the lectures write it.
struct SizeFormula {
    var size, kernel, stride, dilation, before, after: Int

    var numerator: Int { size + before + after - dilation * (kernel - 1) - 1 }

    /// `(7 - 3 + 2*0)/3 + 1`, or with dilation `(7 + 2*1 - 2*(3-1) - 1)/1 + 1`.
    var text: String {
        let pad = before == after ? "2*\(before)" : "\(before)+\(after)"
        if dilation == 1 { return "(\(size) - \(kernel) + \(pad))/\(stride) + 1" }
        return "(\(size) + \(pad) - \(dilation)*(\(kernel)-1) - 1)/\(stride) + 1"
    }

    /// The exact value with two decimals: 2.33.
    var valueText: String {
        let v = Double(numerator) / Double(stride) + 1
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        var text = format2(r)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    private func format2(_ v: Double) -> String {
        let cents = Int((v * 100).rounded())
        let frac = abs(cents % 100)
        return "\(cents / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    func with(stride s: Int) -> SizeFormula { var f = self; f.stride = s; return f }
    func with(pad p: Int) -> SizeFormula { var f = self; f.before = p; f.after = p; return f }
    var divides: Bool { numerator >= 0 && numerator % stride == 0 }
    var result: Int { numerator / stride + 1 }
}
