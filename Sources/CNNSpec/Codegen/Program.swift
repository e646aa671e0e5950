// The program: what the generated code does, decided once from the plan. Where every
// weight lives (the raw buffer in state_dict order, the packed buffer the kernels read),
// where every activation lives (a static arena, buffers reused once dead), and one kernel
// per layer. The emitter only prints this value; a faster schedule (issue 4) replaces a
// layer's `Kernel` without touching the rest.

/// A place in memory, in floats, for one image.
public enum Location: Hashable, Sendable {
    /// The caller's input (read only).
    case input
    /// An offset into the activation arena.
    case arena(Int)
}

/// How a raw tensor is initialised with seeded random numbers (no weights file).
public enum RandomInit: Hashable, Sendable {
    /// Uniform in +-sqrt(6 / fanIn) (He): activations keep their scale through deep nets.
    case he(fanIn: Int)
    /// Uniform in [low, high].
    case uniform(low: Double, high: Double)
}

/// A tensor of the weights file: its state_dict name, PyTorch shape and place in the raw buffer.
public struct RawTensor: Hashable, Sendable {
    public var name: String
    public var shape: [Int]
    public var offset: Int
    public var count: Int
    public var initializer: RandomInit
}

/// Batch norm statistics in the raw buffer, folded or applied at load time.
public struct BatchNormRef: Hashable, Sendable {
    public var weight: Int, bias: Int, mean: Int, variance: Int
    public var eps: Double
}

/// Turns raw weights into the layout the kernels read, at load time.
public enum PackStep: Hashable, Sendable {
    /// Conv weights stay OIHW; the bias is always materialised; a following batch norm is folded in.
    case conv(weight: Int, bias: Int?, batchNorm: BatchNormRef?, to: Int, biasTo: Int, outChannels: Int, perOutChannel: Int)
    /// FC weights are transposed to [in][out] so the kernel streams rows.
    case fc(weight: Int, bias: Int?, to: Int, biasTo: Int, outFeatures: Int, inFeatures: Int)
    /// A batch norm that cannot be folded becomes a per-channel scale and shift.
    case batchNorm(BatchNormRef, scaleTo: Int, shiftTo: Int, channels: Int)
}

public struct ConvKernel: Hashable, Sendable {
    public var inChannels: Int, inHeight: Int, inWidth: Int
    public var outChannels: Int, outHeight: Int, outWidth: Int
    public var kernel: Pair, stride: Pair, dilation: Pair
    public var groups: Int
    public var padding: Sides
    public var mode: PaddingMode
    /// Packed weights and bias.
    public var weight: Int, bias: Int
    /// Arena offset of the padded copy of the input, for reflect / replicate / circular padding.
    public var scratch: Int?
}

public struct PoolKernel: Hashable, Sendable {
    public var channels: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int
    public var kernel: Pair, stride: Pair
    public var padding: Sides
    public var countIncludePad: Bool
}

public enum Activation: String, Hashable, Sendable {
    case relu, relu6, tanh, sigmoid
}

/// What one layer computes. Exhaustive over `Op`: each op lowers to exactly one kernel.
public enum Kernel: Hashable, Sendable {
    case conv(ConvKernel)
    case maxPool(PoolKernel)
    case avgPool(PoolKernel)
    case globalAvgPool(channels: Int, size: Int)
    case fc(inFeatures: Int, outFeatures: Int, weight: Int, bias: Int)
    /// Output shares the input's memory: flatten, dropout.
    case alias
    /// A batch norm folded into the conv before it: output shares the conv's memory.
    case folded
    case scaleShift(channels: Int, size: Int, scale: Int, shift: Int)
    case activation(Activation, count: Int)
    case softmax(channels: Int, size: Int)
    case add(count: Int)
    case concat(channels: [Int], size: Int)
}

public struct Step: Hashable, Sendable {
    public var layer: Int
    public var inputs: [Location]
    public var output: Location
    /// Floats in the output, per image.
    public var count: Int
    public var kernel: Kernel
}

public struct Program: Sendable {
    public var typeName: String
    public var plan: Plan
    public var raw: [RawTensor]
    public var rawCount: Int
    public var pack: [PackStep]
    public var packedCount: Int
    public var steps: [Step]
    /// Floats of the activation arena, per image.
    public var arenaCount: Int
    public var output: Location
    public var inputCount: Int
    public var outputCount: Int
    /// PyTorch returns [N, C] after a linear or flatten layer and [N, C, H, W] otherwise.
    public var outputIsVector: Bool
}

public enum Lowering {
    /// Activation buffers start on 64-byte boundaries (16 floats).
    static let alignment = 16

    public static func lower(_ plan: Plan, typeName: String) -> Program {
        // Raw weights, in state_dict order.
        var raw: [RawTensor] = []
        var rawOffset: [String: Int] = [:]
        var rawCount = 0
        for layer in plan.layers {
            for w in layer.weights {
                let count = w.shape.reduce(1, *)
                let initializer: RandomInit
                switch layer.op {
                case .batchnorm:
                    switch w.name.split(separator: ".").last ?? "" {
                    case "weight": initializer = .uniform(low: 0.8, high: 1.2)
                    case "running_var": initializer = .uniform(low: 0.5, high: 1.5)
                    default: initializer = .uniform(low: -0.1, high: 0.1)
                    }
                default:
                    initializer = w.shape.count > 1 ? .he(fanIn: count / w.shape[0]) : .uniform(low: -0.1, high: 0.1)
                }
                raw.append(RawTensor(name: w.name, shape: w.shape, offset: rawCount, count: count, initializer: initializer))
                rawOffset[w.name] = rawCount
                rawCount += count
            }
        }

        let n = plan.layers.count
        // Readers of every tensor (layer indices); the network output is read "at the end".
        var readers = [[Int]](repeating: [], count: n)
        for (i, layer) in plan.layers.enumerated() {
            for case .layer(let j) in layer.inputs { readers[j].append(i) }
        }
        if case .layer(let o) = plan.outputRef { readers[o].append(n) }

        // Storage: each tensor lives in a storage; aliases and in-place layers share one.
        // Storage -1 is the caller's input.
        var storageOf = [Int](repeating: -1, count: n)
        var storageSize: [Int] = []
        var storageDef: [Int] = []
        var storageTensors: [[Int]] = []
        func storage(of ref: TensorRef) -> Int {
            if case .layer(let j) = ref { return storageOf[j] }
            return -1
        }
        /// Whether layer i is the last reader of everything in storage s.
        func lastUser(_ s: Int, _ i: Int) -> Bool {
            s >= 0 && storageTensors[s].allSatisfy { t in readers[t].allSatisfy { $0 <= i } }
        }
        func newStorage(_ i: Int, _ size: Int) -> Int {
            storageSize.append(size); storageDef.append(i); storageTensors.append([i])
            return storageSize.count - 1
        }
        func share(_ i: Int, _ s: Int) -> Int {
            if s >= 0 { storageTensors[s].append(i) }
            return s
        }

        var pack: [PackStep] = []
        var packed = 0
        func reserve(_ count: Int) -> Int { defer { packed += count }; return packed }
        var kernels: [Kernel] = []
        var foldedConvs: Set<Int> = []
        // Batch norms that fold into their conv: the conv's only reader, the conv not folded yet.
        var foldInto: [Int: Int] = [:]
        for (i, layer) in plan.layers.enumerated() {
            guard case .batchnorm = layer.op, case .layer(let j) = layer.inputs[0],
                  case .conv = plan.layers[j].op, readers[j] == [i] else { continue }
            foldInto[j] = i
        }

        for (i, layer) in plan.layers.enumerated() {
            let x = layer.inputShapes[0]
            let y = layer.output
            let size = y.c * y.h * y.w
            let inStorage = storage(of: layer.inputs[0])
            func weight(_ suffix: String) -> Int? { rawOffset[layer.name + "." + suffix] }
            func batchNorm(_ l: PlannedLayer) -> BatchNormRef {
                guard case .batchnorm(let eps) = l.op else { fatalError("not a batch norm") }
                let o = { (s: String) in rawOffset[l.name + "." + s]! }
                return BatchNormRef(weight: o("weight"), bias: o("bias"), mean: o("running_mean"), variance: o("running_var"), eps: eps)
            }
            switch layer.op {
            case .conv(let a):
                guard case .explicit(let sides) = a.padding else { fatalError("padding not resolved by inference") }
                let w = reserve(y.c * (x.c / a.groups) * a.kernel.h * a.kernel.w)
                let b = reserve(y.c)
                pack.append(.conv(weight: weight("weight")!, bias: a.bias ? weight("bias") : nil,
                                  batchNorm: foldInto[i].map { batchNorm(plan.layers[$0]) },
                                  to: w, biasTo: b, outChannels: y.c, perOutChannel: (x.c / a.groups) * a.kernel.h * a.kernel.w))
                if foldInto[i] != nil { foldedConvs.insert(i) }
                kernels.append(.conv(ConvKernel(
                    inChannels: x.c, inHeight: x.h, inWidth: x.w, outChannels: y.c, outHeight: y.h, outWidth: y.w,
                    kernel: a.kernel, stride: a.stride, dilation: a.dilation, groups: a.groups, padding: sides,
                    mode: a.paddingMode, weight: w, bias: b, scratch: nil)))
                storageOf[i] = newStorage(i, size)
            case .maxpool(let a), .avgpool(let a):
                let k = PoolKernel(channels: x.c, inHeight: x.h, inWidth: x.w, outHeight: y.h, outWidth: y.w,
                                   kernel: a.kernel, stride: a.stride, padding: a.padding, countIncludePad: a.countIncludePad)
                if case .maxpool = layer.op { kernels.append(.maxPool(k)) } else { kernels.append(.avgPool(k)) }
                storageOf[i] = newStorage(i, size)
            case .globalavgpool:
                kernels.append(.globalAvgPool(channels: x.c, size: x.h * x.w))
                storageOf[i] = newStorage(i, size)
            case .fc(let a):
                let fanIn = x.c * x.h * x.w
                let w = reserve(fanIn * a.outFeatures)
                let b = reserve(a.outFeatures)
                pack.append(.fc(weight: weight("weight")!, bias: a.bias ? weight("bias") : nil, to: w, biasTo: b,
                                outFeatures: a.outFeatures, inFeatures: fanIn))
                kernels.append(.fc(inFeatures: fanIn, outFeatures: a.outFeatures, weight: w, bias: b))
                storageOf[i] = newStorage(i, size)
            case .flatten, .dropout:
                kernels.append(.alias)
                storageOf[i] = share(i, inStorage)
            case .batchnorm:
                if case .layer(let j) = layer.inputs[0], foldedConvs.contains(j) {
                    kernels.append(.folded)
                    storageOf[i] = share(i, inStorage)
                } else {
                    let s = reserve(y.c), t = reserve(y.c)
                    pack.append(.batchNorm(batchNorm(layer), scaleTo: s, shiftTo: t, channels: y.c))
                    kernels.append(.scaleShift(channels: y.c, size: y.h * y.w, scale: s, shift: t))
                    storageOf[i] = lastUser(inStorage, i) ? share(i, inStorage) : newStorage(i, size)
                }
            case .relu, .relu6, .tanh, .sigmoid:
                let f: Activation = layer.op == .relu ? .relu : layer.op == .relu6 ? .relu6 : layer.op == .tanh ? .tanh : .sigmoid
                kernels.append(.activation(f, count: size))
                storageOf[i] = lastUser(inStorage, i) ? share(i, inStorage) : newStorage(i, size)
            case .softmax:
                kernels.append(.softmax(channels: y.c, size: y.h * y.w))
                storageOf[i] = lastUser(inStorage, i) ? share(i, inStorage) : newStorage(i, size)
            case .add:
                kernels.append(.add(count: size))
                storageOf[i] = newStorage(i, size)
            case .concat:
                kernels.append(.concat(channels: layer.inputShapes.map(\.c), size: y.h * y.w))
                storageOf[i] = newStorage(i, size)
            }
        }

        // Scratch for padding modes other than zeros: the padded input, alive during the conv only.
        var scratchSize = [Int: Int]()
        for (i, k) in kernels.enumerated() {
            if case .conv(let c) = k, c.mode != .zeros, !c.padding.isZero {
                scratchSize[i] = c.inChannels * (c.inHeight + c.padding.top + c.padding.bottom) * (c.inWidth + c.padding.left + c.padding.right)
            }
        }

        // Lifetimes, then first-fit placement in layer order: a layer's output (and scratch)
        // is placed before the buffers it frees, so it never overlaps its inputs.
        var lastUse = [Int](repeating: 0, count: storageSize.count)
        for s in storageSize.indices {
            lastUse[s] = storageTensors[s].flatMap { readers[$0] }.max() ?? storageDef[s]
        }
        var offsetOf = [Int](repeating: 0, count: storageSize.count)
        var live: [(offset: Int, size: Int, storage: Int)] = []
        var high = 0
        func place(_ size: Int, _ id: Int) -> Int {
            let rounded = (size + alignment - 1) / alignment * alignment
            var candidate = 0
            for block in live.sorted(by: { $0.offset < $1.offset }) {
                if candidate + rounded <= block.offset { break }
                candidate = max(candidate, block.offset + block.size)
            }
            live.append((candidate, rounded, id))
            high = max(high, candidate + rounded)
            return candidate
        }
        var scratchOffset = [Int: Int]()
        for i in 0..<n {
            for s in storageSize.indices where storageDef[s] == i { offsetOf[s] = place(storageSize[s], s) }
            if let size = scratchSize[i] { scratchOffset[i] = place(size, -1 - i) }
            live.removeAll { $0.storage == -1 - i || ($0.storage >= 0 && lastUse[$0.storage] == i) }
        }

        func location(_ s: Int) -> Location { s < 0 ? .input : .arena(offsetOf[s]) }
        var steps: [Step] = []
        for (i, layer) in plan.layers.enumerated() {
            var k = kernels[i]
            if case .conv(var c) = k, let s = scratchOffset[i] { c.scratch = s; k = .conv(c) }
            steps.append(Step(layer: i, inputs: layer.inputs.map { location(storage(of: $0)) },
                              output: location(storageOf[i]), count: layer.output.c * layer.output.h * layer.output.w, kernel: k))
        }

        var vector = false
        var t = plan.outputRef
        while case .layer(let j) = t {
            switch plan.layers[j].op {
            case .fc, .flatten: vector = true
            case .relu, .relu6, .tanh, .sigmoid, .softmax, .dropout, .batchnorm: t = plan.layers[j].inputs[0]; continue
            case .conv, .maxpool, .avgpool, .globalavgpool, .add, .concat: vector = false
            }
            break
        }
        let outputCount = plan.output.c * plan.output.h * plan.output.w
        return Program(typeName: typeName, plan: plan, raw: raw, rawCount: rawCount, pack: pack, packedCount: packed,
                       steps: steps, arenaCount: max(high, alignment), output: location(storage(of: plan.outputRef)),
                       inputCount: plan.input.c * plan.input.h * plan.input.w, outputCount: outputCount,
                       outputIsVector: vector)
    }
}
