// The JSON report: a contract other tools read. Schema 1 is documented in docs/REPORT.md;
// any change to the fields bumps `schema` and is said there.

public enum JSONReport {
    public static let schema = 1
    /// The FLOP counting rule in words (the JSON field `flops_convention`, the HTML page).
    public static let flopsConvention = "conv, fc: 2*MACs + 1 per output if bias; maxpool: window-1 per output; avgpool: window per output; globalavgpool: 1 per input; relu, tanh, sigmoid: 1, relu6: 2, batchnorm: 2, softmax: 3 per element; add: inputs-1 per element; others 0"

    public static func render(_ plan: Plan) -> String { document(plan).rendered() }

    static func shape(_ s: Shape) -> JSON { .object([("c", .int(s.c)), ("h", .int(s.h)), ("w", .int(s.w))]) }
    static func pair(_ p: Pair) -> JSON { .array([.int(p.h), .int(p.w)]) }

    public static func document(_ plan: Plan) -> JSON {
        let t = plan.totals
        return .object([
            ("schema", .int(schema)),
            ("network", .string(plan.name)),
            ("input", shape(plan.input)),
            ("output", shape(plan.output)),
            ("flops_convention", .string(flopsConvention)),
            ("layers", .array(plan.layers.map(layer))),
            ("totals", .object([
                ("params", .int(t.params)),
                ("macs", .int(t.macs)),
                ("flops", .int(t.flops)),
                ("activation_bytes", .int(t.activationBytes)),
                ("peak_activation_bytes", .int(t.peakActivationBytes)),
                ("peak_layer", .string(t.peakLayer)),
                ("buffers", .int(t.buffers)),
                ("rf_layer", plan.lastSpatialLayer.map { .string(plan.layers[$0].name) } ?? .null),
                ("torchvision_gflops", .double(Double(Int((Double(t.macs) / 1e6).rounded())) / 1000)),
            ])),
            ("warnings", .array(plan.warnings.map(diagnostic))),
        ])
    }

    static func diagnostic(_ d: Diagnostic) -> JSON {
        var fields: [(String, JSON)] = [("id", .string(d.id)), ("severity", .string(d.severity.rawValue)), ("message", .string(d.message))]
        if let r = d.range { fields.append(("line", .int(r.start.line))); fields.append(("column", .int(r.start.column))) }
        fields.append(("layer", d.layer.map(JSON.string) ?? .null))
        return .object(fields)
    }

    static func layer(_ l: PlannedLayer) -> JSON {
        .object([
            ("name", .string(l.name)),
            ("op", .string(l.op.name)),
            ("inputs", .array(l.inputNames.map(JSON.string))),
            ("output", shape(l.output)),
            ("params", .int(l.params)),
            ("macs", .int(l.macs)),
            ("flops", .int(l.flops)),
            ("rf", pair(l.rf.size)),
            ("jump", pair(l.rf.jump)),
            ("effective_padding", pair(l.rf.padding)),
            ("activation_bytes", .int(l.activationBytes)),
            ("weights", .array(l.weights.map { .object([("name", .string($0.name)), ("shape", .array($0.shape.map(JSON.int)))]) })),
            ("attrs", attrs(l.op)),
            ("line", .int(l.range.start.line)),
        ])
    }

    static func attrs(_ op: Op) -> JSON {
        switch op {
        case .conv(let a):
            guard case .explicit(let p) = a.padding else { preconditionFailure("inference resolves padding") }
            return .object([
                ("out_channels", .int(a.outChannels)), ("kernel", pair(a.kernel)), ("stride", pair(a.stride)),
                ("padding", .array(p.array.map(JSON.int))), ("dilation", pair(a.dilation)), ("groups", .int(a.groups)),
                ("bias", .bool(a.bias)), ("padding_mode", .string(a.paddingMode.rawValue)),
            ])
        case .maxpool(let a), .avgpool(let a):
            var fields: [(String, JSON)] = [("kernel", pair(a.kernel)), ("stride", pair(a.stride)),
                                            ("padding", .array(a.padding.array.map(JSON.int))), ("ceil_mode", .bool(a.rounding == .ceil))]
            if case .avgpool = op { fields.append(("count_include_pad", .bool(a.countIncludePad))) }
            return .object(fields)
        case .fc(let a): return .object([("out_features", .int(a.outFeatures)), ("bias", .bool(a.bias))])
        case .batchnorm(let eps): return .object([("eps", .double(eps))])
        case .dropout(let p): return .object([("p", .double(p))])
        case .globalavgpool, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .add, .concat: return .object([])
        }
    }
}
