// Seeded random weights and inputs for any plan, so that generated code and the reference
// interpreter can be compared on every spec without a trained model. Deterministic on
// every platform: SplitMix64, no stdlib randomness. Scaled so activations stay O(1) deep
// into a network: He-style uniform weights, batch norm close to the identity.

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator with good statistics.
public struct SplitMix64 {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lo, hi): 53 random bits scaled in Double, rounded to Float once.
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Float {
        Float(lo + (hi - lo) * (Double(next() >> 11) * 0x1p-53))
    }
}

public enum RandomWeights {
    /// FNV-1a 64 of a name's UTF-8 bytes: each tensor gets its own stream, seeded with
    /// `seed ^ fnv1a(name)`, so a tensor's values depend only on its name, shape and the seed.
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Every weight of the plan with the range its values are drawn from: conv and fc
    /// weights uniform in +-sqrt(6/fan_in) (standard deviation sqrt(2/fan_in), He), biases in
    /// +-1/sqrt(fan_in) (PyTorch's default bound); batch norm weight in [0.8, 1.2], bias and
    /// running_mean in [-0.1, 0.1], running_var in [0.5, 1.5]; except that a batch norm whose
    /// output is summed by an `add` (the end of a residual branch or shortcut) has its weight
    /// in [0.2, 0.4] (a small-gamma residual init, Goyal et al. 2017): with weight 1 every
    /// residual block would double the variance, and ResNet-50's outputs would reach 1e4.
    public static func ranges(for plan: Plan) -> [(weight: WeightTensor, low: Double, high: Double)] {
        var out: [(weight: WeightTensor, low: Double, high: Double)] = []
        var summed = Set<Int>()
        for layer in plan.layers {
            if case .add = layer.op { for case .layer(let j) in layer.inputs { summed.insert(j) } }
        }
        for (index, layer) in plan.layers.enumerated() {
            let ranges: [(Double, Double)]
            switch layer.op {
            case .conv, .fc:
                let fanIn = max(1, layer.weights.first.map { $0.shape.dropFirst().reduce(1, *) } ?? 1)
                let (w, b) = ((6.0 / Double(fanIn)).squareRoot(), 1 / Double(fanIn).squareRoot())
                ranges = [(-w, w), (-b, b)]
            case .batchnorm:
                ranges = [summed.contains(index) ? (0.2, 0.4) : (0.8, 1.2), (-0.1, 0.1), (-0.1, 0.1), (0.5, 1.5)]
            case .maxpool, .avgpool, .globalavgpool, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .dropout, .add, .concat:
                ranges = []
            }
            out += zip(layer.weights, ranges).map { ($0, $1.0, $1.1) }
        }
        return out
    }

    /// Every weight of the plan, named and shaped as its state_dict, uniform in its range
    /// (see `ranges`), tensor `name` from the stream `seed ^ fnv1a(name)`.
    public static func make(for plan: Plan, seed: UInt64) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (w, lo, hi) in ranges(for: plan) {
            var rng = SplitMix64(seed: seed ^ fnv1a(w.name))
            let count = w.shape.reduce(1, *)
            out[w.name] = Tensor(shape: w.shape, data: [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count { buffer[i] = rng.uniform(lo, hi) }
                initialized = count
            })
        }
        return out
    }

    /// An input batch (N x C x H x W) uniform in [-1, 1), from the stream `seed ^ fnv1a("input")`.
    /// Empty when `batch` is not positive or the size overflows.
    public static func input(for plan: Plan, batch: Int, seed: UInt64) -> [Float] {
        let s = plan.input
        guard batch >= 1, let count = Tensor.elementCount([batch, s.c, s.h, s.w]) else { return [] }
        var rng = SplitMix64(seed: seed ^ fnv1a("input"))
        return (0..<count).map { _ in rng.uniform(-1, 1) }
    }
}
