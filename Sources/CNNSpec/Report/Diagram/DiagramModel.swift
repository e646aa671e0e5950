// The structure of the network diagram, read off the plan: layers are cut into units (a
// residual or concat region from its fork to its join, or one main layer with the
// activations, norms and dropouts that follow it), and consecutive units with the same
// ops and wiring are collapsed into one row with a count. Layout and printing come later.

/// How a block is drawn: its color and legend entry.
public enum BlockKind: String, CaseIterable, Sendable {
    case input, conv, pool, fc, activation, norm, dropout, reshape, residual, concat

    static func of(_ op: Op) -> BlockKind {
        switch op {
        case .conv: return .conv
        case .maxpool, .avgpool, .globalavgpool: return .pool
        case .fc: return .fc
        case .flatten: return .reshape
        case .relu, .relu6, .tanh, .sigmoid, .softmax: return .activation
        case .dropout: return .dropout
        case .batchnorm: return .norm
        case .add: return .residual
        case .concat: return .concat
        }
    }

    /// Legend text.
    var title: String {
        switch self {
        case .input: return "input"
        case .conv: return "convolution"
        case .pool: return "pooling"
        case .fc: return "fully connected"
        case .activation: return "activation"
        case .norm: return "batch norm"
        case .dropout: return "dropout"
        case .reshape: return "flatten"
        case .residual: return "residual block (add)"
        case .concat: return "concat block"
        }
    }

    var fill: String {
        switch self {
        case .input: return "#eeeeee"
        case .conv: return "#cfe2f7"
        case .pool: return "#d5efd0"
        case .fc: return "#fbe1c2"
        case .activation: return "#f3f3d2"
        case .norm: return "#e6def3"
        case .dropout: return "#ececec"
        case .reshape: return "#f0e4dc"
        case .residual: return "#f8d3d0"
        case .concat: return "#e2d5f3"
        }
    }

    var stroke: String {
        switch self {
        case .input: return "#777777"
        case .conv: return "#2f6db5"
        case .pool: return "#3c8a34"
        case .fc: return "#c0701a"
        case .activation: return "#9a9a3a"
        case .norm: return "#7a5ab0"
        case .dropout: return "#8a8a8a"
        case .reshape: return "#8a5a3c"
        case .residual: return "#c0392b"
        case .concat: return "#7d3cb5"
        }
    }

    /// Ops folded into the block of the layer before them.
    static func isElementwise(_ op: Op) -> Bool {
        switch op {
        case .relu, .relu6, .tanh, .sigmoid, .softmax, .dropout, .batchnorm: return true
        case .conv, .maxpool, .avgpool, .globalavgpool, .fc, .flatten, .add, .concat: return false
        }
    }
}

/// How an edge is drawn: data flow, or an input of an add (residual) or a concat.
public enum EdgeKind: String, Sendable {
    case flow, residual, concat
}

/// Consecutive layers drawn as one block.
public struct DiagramUnit: Sendable {
    /// Indices into `plan.layers`.
    public var layers: Range<Int>
    /// The add or concat closing the region, for residual and concat units.
    public var join: Int?
    public var label: String
    /// The ops in short: `conv 5x5, 6 · tanh`, `add(conv1x1 · conv3x3 | id) · relu`.
    public var summary: String
    public var kind: BlockKind
    /// The shortcut drawn beside the block: every add, and a concat that reads its input
    /// directly (DenseNet); nil for plain layers and concats of branches only (Inception).
    public var skip: EdgeKind?
    /// Ops and wiring, without shapes: equal signatures collapse into one row.
    var signature: [Step]

    struct Step: Hashable, Sendable {
        var op: Op
        /// Inputs relative to the unit's first layer; -1 for anything before the unit.
        var inputs: [Int]
    }
}

/// One row of the diagram: a unit, or `units.count` identical units in a row.
public struct DiagramRow: Sendable {
    public var units: [DiagramUnit]
    public var count: Int { units.count }
    public var layers: Range<Int> { units[0].layers.lowerBound..<units[units.count - 1].layers.upperBound }
    public var kind: BlockKind { units[0].kind }
    public var label: String {
        if count == 1 { return units[0].label }
        let first = units[0].label, last = units[count - 1].label
        // Long names: the last one without the prefix both share (`…denselayer1 … denselayer6`).
        let shared = Diagram.commonPrefix([first, last])
        if first.count + last.count > 40, !shared.isEmpty, last.hasPrefix(shared + ".") {
            return "\(first) … \(last.dropFirst(shared.count + 1))"
        }
        return "\(first) … \(last)"
    }
}

public struct Diagram: Sendable {
    public var rows: [DiagramRow]

    public init(_ plan: Plan) {
        let units = Self.units(plan)
        var rows: [DiagramRow] = []
        for u in units {
            if let last = rows.last, last.units[0].signature == u.signature {
                rows[rows.count - 1].units.append(u)
            } else {
                rows.append(DiagramRow(units: [u]))
            }
        }
        self.rows = rows
    }

    /// Index of the layer (or -1 for the network input) a tensor reference names.
    static func index(_ r: TensorRef) -> Int {
        switch r {
        case .input: return -1
        case .layer(let i): return i
        }
    }

    /// The outermost join regions: join index -> first layer of its region. A region runs
    /// from just after the fork (the tensor every branch starts from) to the join; found
    /// by sweeping back from the join until no layer inside reads from before the fork.
    static func regions(_ plan: Plan) -> [Int: Int] {
        var starts: [Int: Int] = [:]
        var j = plan.layers.count - 1
        while j >= 0 {
            switch plan.layers[j].op {
            case .add, .concat:
                var fork = plan.layers[j].inputs.map(index).min() ?? j - 1
                var k = j - 1
                while k > fork {
                    for r in plan.layers[k].inputs { fork = min(fork, index(r)) }
                    k -= 1
                }
                starts[j] = fork + 1
                j = fork
            case .conv, .maxpool, .avgpool, .globalavgpool, .fc, .flatten, .relu, .relu6, .tanh, .sigmoid,
                 .softmax, .dropout, .batchnorm:
                j -= 1
            }
        }
        return starts
    }

    static func units(_ plan: Plan) -> [DiagramUnit] {
        let layers = plan.layers
        var joinAt: [Int: Int] = [:]   // region start -> join
        for (join, start) in regions(plan) { joinAt[start] = join }
        var readers = [Int](repeating: 0, count: layers.count)
        for l in layers { for r in l.inputs where index(r) >= 0 { readers[index(r)] += 1 } }
        // Layers fold into one block only inside one alias or module use (same trail): the
        // relu after a residual add stays with it, a transition's batch norm does not.
        func linked(_ k: Int) -> Bool {
            joinAt[k] == nil && readers[k - 1] == 1 && layers[k].inputs == [.layer(k - 1)]
                && layers[k].expandedFrom == layers[k - 1].expandedFrom
        }
        var units: [DiagramUnit] = []
        var i = 0
        while i < layers.count {
            var head = i
            if joinAt[i] == nil {
                // Leading batch norms and activations fold into the main layer after them.
                var j = i
                while j + 1 < layers.count, BlockKind.isElementwise(layers[j].op), linked(j + 1) { j += 1 }
                if !BlockKind.isElementwise(layers[j].op), !isJoin(layers[j].op) { head = j }
            }
            let join = joinAt[i]
            var end = join ?? head
            while end + 1 < layers.count, BlockKind.isElementwise(layers[end + 1].op), linked(end + 1) {
                end += 1
            }
            units.append(unit(plan, i...end, head: head, join: join))
            i = end + 1
        }
        return units
    }

    static func isJoin(_ op: Op) -> Bool {
        switch op {
        case .add, .concat: return true
        case .conv, .maxpool, .avgpool, .globalavgpool, .fc, .flatten, .relu, .relu6, .tanh, .sigmoid,
             .softmax, .dropout, .batchnorm: return false
        }
    }

    static func unit(_ plan: Plan, _ range: ClosedRange<Int>, head: Int, join: Int?) -> DiagramUnit {
        let layers = Array(range)
        let signature = layers.map { k in
            DiagramUnit.Step(op: plan.layers[k].op, inputs: plan.layers[k].inputs.map { r in
                let x = index(r)
                return x >= range.lowerBound ? x - range.lowerBound : -1
            })
        }
        let head = join ?? head
        let lead = layers.filter { $0 < head && join == nil }.map { plan.layers[$0].op.name }
        let tail = layers.filter { $0 > head }.map { plan.layers[$0].op.name }
        var summary: String
        var label: String
        var kind: BlockKind
        if let join {
            let fork = range.lowerBound - 1
            let branches = plan.layers[join].inputs.map { r -> String in
                var ops: [String] = []
                var k = index(r)
                var all: [String] = []
                while k > fork {
                    let l = plan.layers[k]
                    all.append(l.op.name)
                    if !BlockKind.isElementwise(l.op) { ops.append(brief(l.op)) }
                    guard let first = l.inputs.first else { break }
                    k = index(first)
                }
                if all.isEmpty { return "id" }
                return (ops.isEmpty ? all : ops).reversed().joined(separator: " · ")
            }
            summary = plan.layers[join].op.name + "(" + branches.joined(separator: " | ") + ")"
            label = commonPrefix(layers.map { plan.layers[$0].name })
            if label.isEmpty { label = plan.layers[join].name }
            kind = BlockKind.of(plan.layers[join].op)
        } else {
            let main = plan.layers[head]
            summary = (lead + [brief(main.op, long: true)]).joined(separator: " · ")
            label = main.name
            kind = BlockKind.of(main.op)
        }
        if !tail.isEmpty { summary += " · " + tail.joined(separator: " · ") }
        var skip: EdgeKind?
        if let join {
            switch plan.layers[join].op {
            case .add: skip = .residual
            case .concat: skip = plan.layers[join].inputs.contains { index($0) == range.lowerBound - 1 } ? .concat : nil
            case .conv, .maxpool, .avgpool, .globalavgpool, .fc, .flatten, .relu, .relu6, .tanh, .sigmoid,
                 .softmax, .dropout, .batchnorm: skip = nil
            }
        }
        return DiagramUnit(layers: range.lowerBound..<(range.upperBound + 1), join: join, label: label,
                           summary: summary, kind: kind, skip: skip, signature: signature)
    }

    /// The dotted name prefix every name shares (`layer1.0` of `layer1.0.conv1`...), or "".
    static func commonPrefix(_ names: [String]) -> String {
        guard var prefix = names.first?.split(separator: ".", omittingEmptySubsequences: false).map(String.init) else { return "" }
        for n in names.dropFirst() {
            let parts = n.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            var k = 0
            while k < prefix.count, k < parts.count - 1, prefix[k] == parts[k] { k += 1 }
            prefix = Array(prefix.prefix(k))
        }
        if names.count == 1 { return names[0] }
        return prefix.joined(separator: ".")
    }

    /// A layer in a few characters: `conv3x3/2`, `maxpool3x3/1`, `fc`; `long` adds channels.
    static func brief(_ op: Op, long: Bool = false) -> String {
        switch op {
        case .conv(let a):
            let s = "conv" + (long ? " " : "") + a.kernel.sizeText + (a.stride == Pair(square: 1) ? "" : "/\(a.stride)")
                + (a.groups == 1 ? "" : (long ? " g\(a.groups)" : " g"))
            return long ? s + ", \(a.outChannels)" : s
        case .maxpool(let a), .avgpool(let a):
            return op.name + (long ? " " : "") + "\(a.kernel.sizeText)/\(a.stride)"
        case .fc(let a): return long ? "fc \(a.outFeatures)" : "fc"
        case .globalavgpool, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .dropout, .batchnorm, .add, .concat:
            return op.name
        }
    }
}
