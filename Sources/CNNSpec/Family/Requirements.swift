// Requirements (`require params <= 5M`, `require rf >= input`): bounds on a checked plan's
// totals. A network that misses one is invalid; in a family that filters the member out.

/// The numbers of a plan that requirements, family ranges and `--top --by` compare.
public struct Metrics: Equatable, Sendable {
    public var params: Int
    public var macs: Int
    public var flops: Int
    /// Receptive field (h, w) at the plan's rf layer (the last spatial layer, else the last layer).
    public var rf: Pair
    /// Peak live activation bytes.
    public var memory: Int
    /// Height and width of the rf layer's output: the last feature map.
    public var featureMap: Pair

    public init(_ plan: Plan) {
        params = plan.totals.params
        macs = plan.totals.macs
        flops = plan.totals.flops
        let i = plan.lastSpatialLayer ?? plan.layers.count - 1
        rf = i >= 0 ? plan.layers[i].rf.size : Pair(square: 1)
        featureMap = i >= 0 ? Pair(plan.layers[i].output.h, plan.layers[i].output.w) : Pair(plan.input.h, plan.input.w)
        memory = plan.totals.peakActivationBytes
    }

    /// One number per metric; for rf the smaller side (what limits seeing the whole input).
    public func value(_ m: Requirement.Metric) -> Int {
        switch m {
        case .params: return params
        case .macs: return macs
        case .flops: return flops
        case .rf: return min(rf.h, rf.w)
        case .memory: return memory
        }
    }

    /// As reports print it: grouped digits, a size for rf, bytes for memory.
    public func shown(_ m: Requirement.Metric) -> String {
        switch m {
        case .params, .macs, .flops: return grouped(value(m))
        case .rf: return rf.sizeText
        case .memory: return Format.bytes(memory) + " (\(grouped(memory)) bytes)"
        }
    }
}

public enum Requirements {
    /// An error for every requirement of `file` that `plan` does not meet.
    public static func check(_ plan: Plan, _ file: SpecFile) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var metrics: Metrics?
        for case .require(let q) in file.statements {
            let m = metrics ?? Metrics(plan)
            metrics = m
            if !holds(q, m, input: plan.input) { out.append(Messages.requirementFailed(q, actual: m.shown(q.metric))) }
        }
        return out
    }

    /// Whether a requirement holds; rf compares each axis (with the input's height and width for `input`).
    static func holds(_ q: Requirement, _ m: Metrics, input: Shape) -> Bool {
        func compare(_ a: Int, _ b: Int) -> Bool {
            switch q.comparison {
            case .less: return a < b
            case .lessEqual: return a <= b
            case .greater: return a > b
            case .greaterEqual: return a >= b
            }
        }
        switch (q.metric, q.bound) {
        case (.rf, .input): return compare(m.rf.h, input.h) && compare(m.rf.w, input.w)
        case (.rf, .number(let n)): return compare(m.rf.h, n) && compare(m.rf.w, n)
        case (_, .number(let n)): return compare(m.value(q.metric), n)
        case (_, .input): return false // the parser allows input only for rf
        }
    }
}
