// A deliberately naive reference interpreter over a Plan: each op written the plain way,
// as PyTorch defines it (NCHW, eval mode), accumulating in Double. Generated code is tested
// against it; it favours being obviously right over being fast. Padding is materialised
// (F.pad with the layer's mode) and the conv then reads the padded planes directly.
// The only speed measures: raw buffer loops and the conv parallel over (batch, channel).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

public enum InterpreterError: Error, Equatable, CustomStringConvertible {
    case missingWeight(name: String, shape: [Int])
    case unexpectedWeight(name: String)
    case weightShape(name: String, expected: [Int], actual: [Int])
    /// A tensor whose data does not hold the number of elements its shape says.
    case weightData(name: String, shape: [Int], count: Int)
    /// A weight stored in a dtype that is not F32, F16 or BF16.
    case weightDType(name: String, dtype: String)
    case badBatch(Int)
    case inputCount(expected: Int, actual: Int)
    /// The plan was not made by inference (a conv whose padding is not explicit, a layer
    /// reading a later one, weights that do not fit the op).
    case invalidPlan(layer: String, reason: String)

    public var description: String {
        switch self {
        case .missingWeight(let n, let s): return "weight '\(n)' \(s) is missing"
        case .unexpectedWeight(let n): return "tensor '\(n)' is not a weight of this network"
        case .weightShape(let n, let e, let a): return "weight '\(n)' has shape \(a), expected \(e)"
        case .weightData(let n, let s, let c): return "tensor '\(n)' has shape \(s) but \(c) values"
        case .weightDType(let n, let d): return "weight '\(n)' has dtype \(d), expected F32, F16 or BF16"
        case .badBatch(let b): return "batch size \(b) is not positive"
        case .inputCount(let e, let a): return "input has \(a) values, expected \(e) (batch x channels x height x width)"
        case .invalidPlan(let l, let reason): return "layer '\(l)': \(reason) (the plan did not come from inference)"
        }
    }
}

public struct ReferenceInterpreter: Sendable {
    public let plan: Plan
    /// Each layer's tensors in the order of `plan.layers[i].weights`.
    private let layerWeights: [[[Float]]]

    /// Checks that `weights` holds exactly the plan's weights (batch norm running statistics
    /// included) with their shapes; entries named `*.num_batches_tracked` are ignored.
    public init(plan: Plan, weights: [String: Tensor]) throws {
        try self.init(plan: plan, weights: weights, nonFloat: [:])
    }

    /// As `init(plan:weights:)` from a decoded safetensors file: a weight stored in a dtype
    /// that is not a float is reported as such rather than as missing.
    public init(plan: Plan, file: SafeTensors.Contents) throws {
        try self.init(plan: plan, weights: file.tensors, nonFloat: file.skipped)
    }

    private init(plan: Plan, weights: [String: Tensor], nonFloat: [String: String]) throws {
        var expected: Set<String> = []
        var all: [[[Float]]] = []
        for layer in plan.layers {
            var mine: [[Float]] = []
            for w in layer.weights {
                expected.insert(w.name)
                guard let t = weights[w.name] else {
                    if let d = nonFloat[w.name] { throw InterpreterError.weightDType(name: w.name, dtype: d) }
                    throw InterpreterError.missingWeight(name: w.name, shape: w.shape)
                }
                guard t.isConsistent else { throw InterpreterError.weightData(name: w.name, shape: t.shape, count: t.data.count) }
                guard t.shape == w.shape else { throw InterpreterError.weightShape(name: w.name, expected: w.shape, actual: t.shape) }
                mine.append(t.data)
            }
            all.append(mine)
        }
        for name in (Array(weights.keys) + Array(nonFloat.keys)).sorted()
        where !expected.contains(name) && !name.hasSuffix(".num_batches_tracked") {
            throw InterpreterError.unexpectedWeight(name: name)
        }
        for (i, l) in plan.layers.enumerated() {
            if let reason = Self.problem(l, index: i) { throw InterpreterError.invalidPlan(layer: l.name, reason: reason) }
        }
        self.plan = plan
        self.layerWeights = all
    }

    /// What makes a layer impossible to run, for plans that did not come from inference.
    private static func problem(_ l: PlannedLayer, index: Int) -> String? {
        for case .layer(let j) in l.inputs where j < 0 || j >= index { return "reads layer \(j), which is not earlier" }
        if l.inputs.isEmpty || l.inputShapes.count != l.inputs.count { return "inputs and input shapes do not match" }
        let weights: Int
        switch l.op {
        case .conv(let a):
            guard case .explicit = a.padding else { return "padding is not resolved" }
            weights = a.bias ? 2 : 1
        case .fc(let a): weights = a.bias ? 2 : 1
        case .batchnorm: weights = 4
        case .maxpool, .avgpool, .globalavgpool, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .dropout, .add, .concat:
            weights = 0
        }
        return l.weights.count == weights ? nil : "has \(l.weights.count) weight tensors, its op needs \(weights)"
    }

    /// The network's output for a batch of inputs (N x C x H x W, PyTorch's layout), as
    /// N x (output C x H x W) values. Tensors are released after their last reader.
    public func run(_ input: [Float], batch: Int) throws -> [Float] {
        try checkInput(input, batch: batch)
        let count = plan.layers.count
        if count == 0 { return input }
        var lastUse = [Int](repeating: count, count: count)
        for (i, l) in plan.layers.enumerated() { for case .layer(let j) in l.inputs { lastUse[j] = i } }
        lastUse[count - 1] = count
        var outputs = [[Float]](repeating: [], count: count)
        for i in 0..<count {
            outputs[i] = evaluate(i, inputs(of: i, input, outputs), batch: batch)
            for case .layer(let j) in plan.layers[i].inputs where lastUse[j] == i { outputs[j] = [] }
        }
        return outputs[count - 1]
    }

    /// Every layer's output, in plan order (the network output is the last).
    public func runLayers(_ input: [Float], batch: Int) throws -> [[Float]] {
        try checkInput(input, batch: batch)
        var outputs: [[Float]] = []
        outputs.reserveCapacity(plan.layers.count)
        for i in plan.layers.indices { outputs.append(evaluate(i, inputs(of: i, input, outputs), batch: batch)) }
        return outputs
    }

    private func checkInput(_ input: [Float], batch: Int) throws {
        guard batch >= 1 else { throw InterpreterError.badBatch(batch) }
        let s = plan.input
        let (n, o) = (s.c * s.h * s.w).multipliedReportingOverflow(by: batch)
        guard !o, input.count == n else { throw InterpreterError.inputCount(expected: o ? Int.max : n, actual: input.count) }
    }

    private func inputs(of i: Int, _ input: [Float], _ outputs: [[Float]]) -> [[Float]] {
        plan.layers[i].inputs.map { ref in
            switch ref {
            case .input: return input
            case .layer(let j): return outputs[j]
            }
        }
    }

    private func evaluate(_ i: Int, _ xs: [[Float]], batch: Int) -> [Float] {
        let layer = plan.layers[i]
        let x = layer.inputShapes[0]
        let w = layerWeights[i]
        switch layer.op {
        case .conv(let a):
            return Kernels.conv(xs[0], batch: batch, x, layer.output, a, weight: w[0], bias: a.bias ? w[1] : nil)
        case .maxpool(let a):
            return Kernels.maxpool(xs[0], batch: batch, x, layer.output, a)
        case .avgpool(let a):
            return Kernels.avgpool(xs[0], batch: batch, x, layer.output, a)
        case .globalavgpool:
            return Kernels.globalAverage(xs[0], batch: batch, x)
        case .fc(let a):
            return Kernels.fc(xs[0], batch: batch, inFeatures: x.c * x.h * x.w, outFeatures: a.outFeatures, weight: w[0], bias: a.bias ? w[1] : nil)
        case .flatten, .dropout:
            return xs[0]
        case .relu:
            return xs[0].map { $0.isNaN ? $0 : ($0 > 0 ? $0 : 0) }
        case .relu6:
            return xs[0].map { $0.isNaN ? $0 : ($0 > 6 ? 6 : ($0 > 0 ? $0 : 0)) }
        case .tanh:
            return xs[0].map { Float(tanh(Double($0))) }
        case .sigmoid:
            return xs[0].map { Float(1 / (1 + exp(-Double($0)))) }
        case .softmax:
            return Kernels.softmax(xs[0], batch: batch, x)
        case .batchnorm(let eps):
            return Kernels.batchnorm(xs[0], batch: batch, x, eps: eps, weight: w[0], bias: w[1], mean: w[2], variance: w[3])
        case .add:
            return Kernels.add(xs)
        case .concat:
            return Kernels.concat(xs, batch: batch, sizes: layer.inputShapes.map { $0.c * $0.h * $0.w })
        }
    }
}
