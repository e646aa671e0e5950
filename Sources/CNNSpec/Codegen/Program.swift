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
    /// Conv weights, OIHW (`block` nil) or blocked for the tiled kernel: per group, output
    /// channels in blocks of `block` (zero-padded), [group][block][in channel x tap][lane];
    /// the bias is always materialised (padded likewise); a following batch norm is folded in.
    /// With `tapMajorTaps` > 1 (the taps per channel) the reduction is reordered to (tap,
    /// input channel), to match a channels-last input; 1 keeps PyTorch's (channel, tap).
    case conv(weight: Int, bias: Int?, batchNorm: BatchNormRef?, to: Int, biasTo: Int, outChannels: Int, perOutChannel: Int,
              groups: Int, block: Int?, tapMajorTaps: Int)
    /// 3x3 conv weights as Winograd F(tile x tile, 3x3) filters U = G g G^T,
    /// [(tile + 2)^2][out / 6][in][6] (zero-padded), a following batch norm folded in; the
    /// bias to `biasTo` (out floats).
    case winograd(weight: Int, bias: Int?, batchNorm: BatchNormRef?, to: Int, biasTo: Int, outChannels: Int, inChannels: Int, tile: Int)
    /// FC weights are blocked to [out / 32][in][32] (zero-padded): the kernel keeps 32
    /// outputs in registers and streams each block once.
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
    /// How the input is copied into scratch memory first (padded, or subsampled for a
    /// strided 1x1 conv), and where: an arena offset and a size in floats.
    public var preparation: InputPreparation
    public var scratch: Int?
    public var scratchCount: Int
    /// The output as the kernel walks it: `rows` rows of `rowWidth` pixels; output row r,
    /// column c reads the prepared input at r * strideH * inputRowSize + c * strideW; input
    /// channels are `inputPlane` floats apart. A 1x1 conv without padding is one long row.
    /// With a channels-last input, pixels are `pixelStride` floats apart (else 1).
    public var rows: Int, rowWidth: Int, inputRowSize: Int, strideH: Int, strideW: Int, inputPlane: Int, pixelStride: Int
    public var schedule: ConvSchedule
    /// A tensor added to the output before the activation (a residual add after the conv).
    public var residual: Location?
    /// An activation applied to the output before it is stored (the layer after the conv).
    public var activation: Activation?
    /// Pixel-major output (`oc` floats a pixel) for the max pool that alone reads it, when
    /// the kernel runs with 16-float vectors (32-channel tiles only; planes otherwise).
    public var channelsLastOutput = false

    /// Padded input height and width.
    public var paddedHeight: Int { inHeight + padding.top + padding.bottom }
    public var paddedWidth: Int { inWidth + padding.left + padding.right }
}

public enum InputPreparation: Hashable, Sendable {
    /// The kernel reads the input where it is.
    case none
    /// A padded copy (any padding mode), so that the kernel never tests bounds.
    case pad
    /// Every stride-th pixel of every stride-th row, for a 1x1 conv with a stride.
    case subsample
    /// The input averaged by the average pool that alone reads a 1x1 conv's output: a 1x1
    /// conv maps each pixel by the same affine map, which commutes with averaging pixels
    /// (W avg(x) + b = avg(W x + b)), so the conv runs on the pool's output pixels instead
    /// (DenseNet's transitions: a quarter of the multiply-adds). The pool layer is folded.
    case averagePool(PoolKernel)
    /// Channels last (H x W x C), zero-padded or subsampled as above: a tile's input values
    /// for consecutive input channels are then consecutive.
    case channelsLast
    /// Zero-padded, each padded row stored as its even columns then its odd ones (`half`
    /// floats each), for a conv of stride 2 along the rows: each tap then reads consecutive
    /// floats, as at stride 1.
    case splitColumns(half: Int)
    /// Zero-padded, each padded row stored as its 4 phases, columns 4 m + k at k * quarter + m
    /// (`quarter` floats each), for Winograd F(4x4, 3x3): the input transform then reads
    /// consecutive floats for each column of 8 tiles, with no shuffles.
    /// `bottom` and `right` are the padding there, with the zero rows and columns that make
    /// whole 4x4 tiles of a plane whose sides are not multiples of 4.
    case quarterColumns(quarter: Int, bottom: Int, right: Int)
}

/// How a convolution runs: chosen per layer by its shape. Every schedule reads the prepared
/// input without bounds tests, applies bias (batch norm folded in) and a fused activation in
/// registers, and splits its output tiles over threads.
public enum ConvSchedule: Hashable, Sendable {
    /// One channel at a time (depthwise convs): SIMD8 over output pixels of a row, 3x3 taps
    /// unrolled with the weights broadcast once (other kernels a rolled loop, four row
    /// segments at once), on each channel padded into a buffer of the thread's (no padded
    /// copy of the whole input; at stride 2 its rows split into even and odd columns), or 3x3
    /// padded by one with no padded plane: on inputs over 1.2 MB (stride 1) or 2 MB (stride 2)
    /// a ring of three padded rows filled as the output reaches them, at stride 2 on rows of
    /// up to 16 pixels in registers.
    case depthwise
    /// Register tiles of `pixels` output pixels x `block` output channels (SIMD8 vectors over
    /// channels, the input broadcast); the reduction over (input channel, tap) is one rolled
    /// loop reading input offsets from a table (`table`, an offset into the model's tables).
    case channelTiles(block: Int, pixels: Int, table: Int)
    /// Register tiles of 6 output channels (two blocks at a time) x 32 pixels of a row (16 at
    /// a row's end and on rows under 32; SIMD vectors over pixels, the weights broadcast; the
    /// GEMM micro-kernel, `conv6x32`): contiguous loads and stores, for stride-1 rows of at
    /// least 16 pixels with a short reduction (where the scattered stores of `channelTiles`
    /// cost most), 1x1 convs on planes of 128 pixels or more (49 or more with a reduction of
    /// 256+), or channel counts that fill blocks of 6 much better than channel tiles.
    case pixelTiles(table: Int)
    /// Winograd F(2x2, 3x3) or F(4x4, 3x3) (`tile` 2 or 4) on the padded input (3x3, stride 1,
    /// rows of 8+ pixels, 100+ pixels; with tile 2 even output sizes, with tile 4 partial tiles
    /// at the bottom and right, on the rows split by `quarterColumns`): chunks of
    /// `chunkRows` rows of tiles, their transformed input at `transformed` and the
    /// (tile + 2)^2 products at `products` (offsets from the scratch), the
    /// products by the channel-tile kernel with `zeros` (packed) as its bias and `table` the
    /// transformed input's channel offsets; an element of the tile every `vElement` floats in
    /// the transformed input and every `mElement` in the products (`Lowering.skewed`).
    case winograd(tile: Int, chunkRows: Int, transformed: Int, products: Int, zeros: Int, table: Int, vElement: Int, mElement: Int)
}

/// A table of input offsets for a tiled conv, filled at load time: for input channel c and
/// tap (ky, kx), c * planeSize + ky * dilationH * rowSize + kx * dilationW (the column split
/// with `splitHalf`), channel-major;
/// channels last, (ky * dilationH * rowSize + kx * dilationW) * inChannels + c, tap-major.
public struct OffsetTable: Hashable, Sendable {
    public var offset: Int
    public var inChannels: Int, kernel: Pair, dilation: Pair
    public var planeSize: Int, rowSize: Int
    public var channelsLast: Bool
    /// Rows split into even and odd columns (`InputPreparation.splitColumns`): column j of
    /// a row is at (j % 2) * splitHalf + j / 2; 0 when rows are not split.
    public var splitHalf: Int = 0
    public var count: Int { inChannels * kernel.h * kernel.w }
}

public struct PoolKernel: Hashable, Sendable {
    public var channels: Int, inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int
    public var kernel: Pair, stride: Pair
    public var padding: Sides
    public var countIncludePad: Bool
    /// The input is pixel-major when the kernels run with 16-float vectors
    /// (`ConvKernel.channelsLastOutput` of the conv before it).
    public var channelsLastInput = false
}

extension PoolKernel {
    /// A pool with attributes `a` from the tensor shape `x` to `y`.
    init(_ a: PoolAttrs, from x: Shape, to y: Shape) {
        self.init(channels: x.c, inHeight: x.h, inWidth: x.w, outHeight: y.h, outWidth: y.w,
                  kernel: a.kernel, stride: a.stride, padding: a.padding, countIncludePad: a.countIncludePad)
    }
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
    /// Weights blocked as [out / 32][in][32] (zero-padded), the bias padded likewise.
    case fc(inFeatures: Int, outFeatures: Int, weight: Int, bias: Int, activation: Activation?)
    /// Output shares the input's memory: flatten, dropout.
    case alias
    /// Computed by an earlier layer's kernel: a batch norm folded into the conv before it, an
    /// activation fused into it. The output shares that layer's memory.
    case folded
    case scaleShift(channels: Int, size: Int, scale: Int, shift: Int, activation: Activation?)
    case activation(Activation, count: Int)
    case softmax(channels: Int, size: Int)
    case add(count: Int)
    /// The inputs one after another; those marked in place were written there by their own
    /// kernels (their memory lies inside the concat's), the others are copied.
    case concat(channels: [Int], size: Int, inPlace: [Bool])
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
    /// Integer tables (conv input offsets), filled at load time.
    public var tables: [OffsetTable]
    public var tableCount: Int
    public var steps: [Step]
    /// Floats of the activation arena, per image.
    public var arenaCount: Int
    /// Floats of scratch each worker thread owns (0: none): the largest Winograd chunk's
    /// transformed input and products, for the layers whose chunks run a thread each: with
    /// at most `workerScratchThreads` threads (at least a whole chunk for each).
    public var workerScratchCount: Int
    public var workerScratchThreads: Int
    public var output: Location
    public var inputCount: Int
    public var outputCount: Int
    /// PyTorch returns [N, C] after a linear or flatten layer and [N, C, H, W] otherwise.
    public var outputIsVector: Bool
    /// Layers whose output never exists on its own: a conv and the layers fused into it
    /// (batch norm, residual add, activation) except the last, which holds the result.
    public var fusedAway: Set<Int>
    /// Layers whose output is pixel-major with 16-float vectors (`ConvKernel.channelsLastOutput`).
    public var pixelMajorLayers: [Int]
    /// The fc layers at the end and what follows them, run for several images at once.
    public var tail: Tail?
}

/// The steps from the first of the fc layers that end a net (with the activations, dropouts
/// and softmax between and after them) run for up to `group` images of a batch at once, so
/// that each fc layer reads its weights once for the group rather than once an image
/// (AlexNet's and VGG-16's classifiers read 235 and 494 MB). Their arena floats
/// `low ..< low + span` are laid out once per image in a buffer of their own; the images
/// before the tail run one by one as before, each leaving the first fc's input there.
public struct Tail: Hashable, Sendable {
    public static let group = 8
    /// The index of the first fc's step in `Program.steps`.
    public var start: Int
    public var low: Int
    public var span: Int
    /// The first fc's input: its arena offset and floats.
    public var input: Int
    public var inputCount: Int

    /// The tail of `steps`, if the net ends in fc layers reading and writing the arena only
    /// (no step of the tail reads a float that a step before the tail wrote, except the first
    /// fc's input).
    static func find(_ steps: [Step], output: Location, outputCount: Int) -> Tail? {
        func isTail(_ k: Kernel) -> Bool {
            switch k {
            case .fc, .alias, .folded, .activation, .softmax: return true
            case .conv, .maxPool, .avgPool, .globalAvgPool, .scaleShift, .add, .concat: return false
            }
        }
        var begin = steps.count
        while begin > 0 && isTail(steps[begin - 1].kernel) { begin -= 1 }
        guard let start = steps[begin...].firstIndex(where: { if case .fc = $0.kernel { return true } else { return false } }),
              case .arena(let input) = steps[start].inputs[0], case .fc(let inputCount, _, _, _, _) = steps[start].kernel,
              case .arena(let out) = output else { return nil }
        // Every float a tail step reads: the first fc's input or a tail step's output.
        var written: [Int: Int] = [input: inputCount]
        var (low, high) = (min(input, out), max(input + inputCount, out + outputCount))
        for step in steps[start...] {
            guard case .arena(let o) = step.output else { return nil }
            var reads = step.count
            switch step.kernel {
            case .folded: continue
            case .alias where step.inputs[0] == step.output: continue
            case .fc(let n, _, _, _, _): reads = n
            default: break
            }
            for i in step.inputs {
                guard case .arena(let at) = i, let count = written[at], count >= reads else { return nil }
                (low, high) = (min(low, at), max(high, at + reads))
            }
            written[o] = step.count
            (low, high) = (min(low, o), max(high, o + step.count))
        }
        return Tail(start: start, low: low, span: high - low, input: input, inputCount: inputCount)
    }
}

public enum Lowering {
    /// Winograd runs 3x3 convs with at least this many input channels (F(2x2, 3x3) at 32
    /// input channels measured level with the direct kernel, ahead from 64 on)...
    static let winogradChannels = 32
    /// ... and F(2x2, 3x3) at least this many output channels unless the input has at most this many or
    /// the rows have 16+ tiles (`winogradWideRow`): at 128 -> 32 (DenseNet-121's 3x3 convs)
    /// the direct 32-channel tiles measured 20-25% faster with 16-float vectors on 28x28 and
    /// 14x14 planes, Winograd 11% faster on 56x56 ones, where its transforms take 16 tiles at
    /// a time (with 8-float vectors Winograd won on all three, by 18% at 56x56); at 32 -> 32
    /// (cs231n_pattern's, a reduction of 288) Winograd 30% faster.
    static let winogradOutChannels = 64
    static let winogradWideRow = 16
    /// ... and at least this many output pixels: on 8x8 planes (16 tiles, too few for the
    /// products' 32-pixel tiles) the direct kernel measured 30% faster (cs231n_pattern's conv5
    /// and conv6 on an AVX-512 Xeon).
    static let winogradPixels = 100
    /// The transformed input of one Winograd chunk, per element of the tile: at most this...
    static let winogradBytes = 131_072
    /// ... and a tile costs this much more (in percent) when a chunk's transformed input,
    /// products and filters together are over `winogradCacheBytes` (of the 2 MB L2 of the
    /// Xeon measured).
    static let winogradSpill = 15
    static let winogradCacheBytes = 1_310_720
    /// F(4x4, 3x3) runs 3x3 convs whose planes make at least this many 4x4 tiles, whatever
    /// their channels: against F(2x2, 3x3) 24-28% faster on ResNet-50's 56x56 and 28x28
    /// layers and 44% on 14x14 ones, against the direct kernels 35% faster at 128 -> 32 on
    /// 28x28 planes (DenseNet-121's) and 49% on AlexNet's 13x13 ones.
    static let winograd4x4Tiles = 16

    /// Rows of 2x2 tiles a Winograd chunk takes (whole rows: the transforms run along them).
    /// The products' kernel takes a chunk's tiles 32 at a time (a partial 32 computed whole,
    /// or as 16 when it is 16 or fewer; under 32 tiles the 8-float kernel), and the kernel
    /// runs a last chunk that is too small as a whole one overlapping the one before. Of the
    /// chunk sizes up to `winogradBytes` of transformed input per element (or the least that
    /// makes 32 tiles), the one that computes the fewest tiles, a tile counted
    /// `winogradSpill` percent dearer when the chunk does not stay in cache; on a tie, the larger.
    public static func winogradChunkRows(across: Int, down: Int, inChannels: Int, outChannels: Int, elements: Int = 16) -> Int {
        let least = min(down, (32 + across - 1) / across)
        let filters = elements * ((outChannels + 5) / 6 * 6) * inChannels
        func floats(_ rows: Int) -> Int { inChannels * (rows * across + 8) }
        func computed(_ tiles: Int) -> Int {
            let rest = tiles % 32
            return tiles - rest + (rest == 0 ? 0 : rest <= 16 ? 16 : 32)
        }
        func cost(_ rows: Int) -> Int {
            var total = 0, next = 0
            while next < down {
                let left = min(rows, down - next)
                let taken = left * across >= 16 ? left : rows
                total += computed(taken * across)
                next = min(next, down - taken) + taken
            }
            let cached = elements * (skewed(floats(rows)) + skewed(outChannels * rows * across)) + filters
            return total * (cached * 4 > winogradCacheBytes ? 100 + winogradSpill : 100)
        }
        var best = least
        for rows in least ... down where floats(rows) * 4 <= winogradBytes && cost(rows) <= cost(best) {
            best = rows
        }
        return best
    }
    /// Convs of stride 2 along the rows with at most this reduction (input channels x taps)
    /// read split rows with pixel tiles (docs/BENCHMARKS.md; at 147, ResNet's first conv, it
    /// measured level with channel tiles).
    static let splitReduction = 128
    /// Activation buffers start on 64-byte boundaries (16 floats).
    static let alignment = 16

    /// The stride of `count` floats that Winograd's 16 elements of the tile are apart: an odd
    /// number of 64-byte lines, so that the transforms' 16 streams fall in 16 different sets of
    /// a 4 KB-period L1 cache. A multiple of 4 KB put all 16 in one set (ResNet's 64-channel
    /// 56x56 layers, 14 rows of tiles a chunk: 1.75 -> 1.43 ms).
    public static func skewed(_ count: Int) -> Int {
        ((count + 15) / 16 | 1) * 16
    }

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
        // Storages placed inside another (a concat's inputs): the outer one and the offset.
        var within: [Int: (outer: Int, offset: Int)] = [:]
        /// s and the storages inside it, at any depth.
        func nested(_ s: Int) -> [Int] {
            [s] + within.filter { $0.value.outer == s }.keys.sorted().flatMap { nested($0) }
        }

        var pack: [PackStep] = []
        var packed = 0
        // Every packed tensor starts on a 64-byte boundary (16 floats, like the buffer): a
        // kernel's 16-float weight vectors then never straddle two cache lines.
        func reserve(_ count: Int) -> Int {
            packed = (packed + alignment - 1) / alignment * alignment
            defer { packed += count }
            return packed
        }
        var tables: [OffsetTable] = []
        var tableCount = 0
        var workerScratchCount = 0, workerScratchThreads = 0
        var kernels: [Kernel] = []
        // The conv whose kernel computes a folded layer (batch norm, residual add, activation),
        // and the shortcut tensor a conv adds.
        var computedBy: [Int: Int] = [:]
        var residualOf: [Int: TensorRef] = [:]
        // Batch norms that fold into their conv: the conv's only reader, the conv not folded yet.
        var foldInto: [Int: Int] = [:]
        for (i, layer) in plan.layers.enumerated() {
            guard case .batchnorm = layer.op, case .layer(let j) = layer.inputs[0],
                  case .conv = plan.layers[j].op, readers[j] == [i] else { continue }
            foldInto[j] = i
        }
        // Average pools that alone read a stride-1 1x1 conv (no batch norm between) run before
        // it (`InputPreparation.averagePool`): every window's divisor counts input pixels only
        // (no padding, or padding left out of the count), so the bias commutes too.
        var poolFirst: [Int: Int] = [:]
        for (i, layer) in plan.layers.enumerated() {
            guard case .avgpool(let a) = layer.op, a.padding.isZero || !a.countIncludePad,
                  case .layer(let j) = layer.inputs[0], readers[j] == [i], foldInto[j] == nil,
                  case .conv(let c) = plan.layers[j].op, c.kernel == Pair(1, 1), c.stride == Pair(1, 1),
                  case .explicit(let sides) = c.padding, sides.isZero else { continue }
            poolFirst[j] = i
        }
        let poolsRunFirst = Set(poolFirst.values)

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
                // Run on the average pool's output pixels if it comes first.
                let pooled = poolFirst[i].map { plan.layers[$0] }
                let shape = pooled?.output ?? layer.output
                let y = shape, size = shape.c * shape.h * shape.w
                let icg = x.c / a.groups, ocg = y.c / a.groups
                let perOut = icg * a.kernel.h * a.kernel.w
                var k = ConvKernel(
                    inChannels: x.c, inHeight: x.h, inWidth: x.w, outChannels: y.c, outHeight: y.h, outWidth: y.w,
                    kernel: a.kernel, stride: a.stride, dilation: a.dilation, groups: a.groups, padding: sides,
                    mode: a.paddingMode, weight: 0, bias: 0, preparation: .none, scratch: nil, scratchCount: 0,
                    rows: y.h, rowWidth: y.w, inputRowSize: x.w, strideH: a.stride.h, strideW: a.stride.w, inputPlane: x.h * x.w, pixelStride: 1,
                    schedule: .depthwise, residual: nil, activation: nil)
                let pointwise = a.kernel == Pair(1, 1) && sides.isZero
                let depthwise = icg == 1 && ocg == 1
                if pointwise {
                    // A 1x1 conv is a matrix product over the pixels: one long row.
                    if a.stride != Pair(1, 1) {
                        k.preparation = .subsample
                        k.scratchCount = x.c * y.h * y.w
                    }
                    if let pooled, case .avgpool(let pa) = pooled.op {
                        k.preparation = .averagePool(PoolKernel(pa, from: x, to: y))
                        k.scratchCount = x.c * y.h * y.w
                    }
                    (k.rows, k.rowWidth, k.inputRowSize, k.strideH, k.strideW, k.inputPlane) = (1, y.h * y.w, y.h * y.w, 1, 1, y.h * y.w)
                } else if depthwise {
                    // The depthwise kernel pads each channel itself, into a buffer of its own.
                    (k.inputRowSize, k.inputPlane) = (k.paddedWidth, k.paddedHeight * k.paddedWidth)
                } else if a.stride.w == 2 && a.groups == 1 && a.paddingMode == .zeros && y.w >= 16 && perOut <= Lowering.splitReduction {
                    // Stride 2 along the rows read as stride 1 on split rows: pixel tiles apply.
                    let half = (k.paddedWidth + 1) / 2
                    k.preparation = .splitColumns(half: half)
                    k.scratchCount = x.c * k.paddedHeight * 2 * half
                    (k.inputRowSize, k.inputPlane, k.strideW) = (2 * half, k.paddedHeight * 2 * half, 1)
                } else if !sides.isZero {
                    k.preparation = .pad
                    k.scratchCount = x.c * k.paddedHeight * k.paddedWidth
                    (k.inputRowSize, k.inputPlane) = (k.paddedWidth, k.paddedHeight * k.paddedWidth)
                }
                // Winograd F(2x2, 3x3) where it was measured to win (docs/BENCHMARKS.md).
                // Winograd where it was measured to win (docs/BENCHMARKS.md): F(4x4, 3x3) where the
                // plane makes 16 or more 4x4 tiles (the products' kernel takes 16 at a time), the
                // last ones partial (2.25 multiply-adds a pixel per channel pair, against 4 for
                // F(2x2, 3x3) and 9 for the direct kernels); F(2x2, 3x3) on smaller even planes.
                let tile = (y.h + 3) / 4 * ((y.w + 3) / 4) >= Lowering.winograd4x4Tiles ? 4 : 2
                let winograd = a.kernel == Pair(3, 3) && a.stride == Pair(1, 1) && a.dilation == Pair(1, 1) && a.groups == 1
                    && a.paddingMode == .zeros && y.w >= 8 && y.h * y.w >= Lowering.winogradPixels && x.c >= Lowering.winogradChannels
                    && (tile == 4 || y.h % 2 == 0 && y.w % 2 == 0
                        && (y.c >= Lowering.winogradOutChannels || x.c <= Lowering.winogradOutChannels || y.w / 2 >= Lowering.winogradWideRow))
                if winograd {
                    let elements = (tile + 2) * (tile + 2)
                    let across = (y.w + tile - 1) / tile, down = (y.h + tile - 1) / tile
                    let chunkRows = Lowering.winogradChunkRows(across: across, down: down, inChannels: x.c, outChannels: y.c, elements: elements)
                    // The padded input (a copy even without padding: the chunks' buffers follow
                    // it in the same scratch), with slack for a strided read past the last row.
                    if tile == 4 {
                        let extraBottom = 4 * down - y.h, extraRight = 4 * across - y.w
                        let quarter = (k.paddedWidth + extraRight + 3) / 4
                        k.preparation = .quarterColumns(quarter: quarter, bottom: sides.bottom + extraBottom, right: sides.right + extraRight)
                        (k.inputRowSize, k.inputPlane) = (4 * quarter, (k.paddedHeight + extraBottom) * 4 * quarter)
                    } else {
                        k.preparation = .pad
                        (k.inputRowSize, k.inputPlane) = (k.paddedWidth, k.paddedHeight * k.paddedWidth)
                    }
                    let padded = (x.c * k.inputPlane + 16 + 15) / 16 * 16
                    let vElement = Lowering.skewed(x.c * (chunkRows * across + 8))
                    let mElement = Lowering.skewed(y.c * chunkRows * across)
                    let t = OffsetTable(offset: tableCount, inChannels: x.c, kernel: Pair(1, 1), dilation: Pair(1, 1),
                                        planeSize: chunkRows * across + 8, rowSize: chunkRows * across + 8, channelsLast: false)
                    tables.append(t)
                    tableCount += t.count
                    let blocks = (y.c + 5) / 6
                    k.weight = reserve(elements * blocks * 6 * x.c)
                    k.bias = reserve(y.c)
                    k.schedule = .winograd(tile: tile, chunkRows: chunkRows, transformed: padded, products: padded + elements * vElement,
                                           zeros: reserve(blocks * 6), table: t.offset, vElement: vElement, mElement: mElement)
                    // One chunk's transformed input and products (the slack of the products after).
                    let chunkBuffers = elements * vElement + elements * mElement + 8
                    k.scratchCount = padded + chunkBuffers
                    workerScratchCount = max(workerScratchCount, chunkBuffers)
                    workerScratchThreads = max(workerScratchThreads, down / chunkRows)
                    pack.append(.winograd(weight: weight("weight")!, bias: a.bias ? weight("bias") : nil,
                                          batchNorm: foldInto[i].map { batchNorm(plan.layers[$0]) },
                                          to: k.weight, biasTo: k.bias, outChannels: y.c, inChannels: x.c, tile: tile))
                    kernels.append(.conv(k))
                    storageOf[i] = newStorage(i, size)
                    break
                }
                let block: Int
                if depthwise {
                    block = 0
                } else {
                    // Measured (docs/BENCHMARKS.md): pixel tiles win on short reductions, where the
                    // scattered stores of channel tiles cost most, and on 1x1 convs from 14x14 planes
                    // on (a matrix product), on 7x7 ones (a plane one tile of 48 pixels and a 49th:
                    // MobileNetV2's 160 -> 960 convs 8% faster than by channel tiles), and on other
                    // planes of 49+ pixels with reductions of 256+ (two blocks at a time and packed
                    // panels; on shorter ones the overlapping tiles lose), and wherever channel
                    // tiles would compute a quarter more channels than blocks of 6 (convnetjs_cifar's
                    // 16 -> 20 5x5 conv, 24 channels against 32: 16% faster).
                    // Channel tiles of 32 channels (16-float vectors where the CPU has them, else
                    // two 16-channel halves) unless rounding the channels up to 32 wastes more
                    // than an eighth of them.
                    let tile32 = (ocg + 31) / 32 * 32 - (ocg + 15) / 16 * 16 <= ocg / 8
                    let channelBlock = ocg <= 8 ? 8 : tile32 ? 32 : 16
                    let channelTileWaste = 4 * ((ocg + channelBlock - 1) / channelBlock * channelBlock) >= 5 * ((ocg + 5) / 6 * 6)
                    let pixelTiles = k.strideW == 1 && k.rowWidth >= 16
                        && (perOut <= 128 || channelTileWaste || (pointwise && (k.rowWidth >= 128 || k.rowWidth == 49 || (k.rowWidth >= 49 && perOut >= 256))))
                    block = pixelTiles ? 6 : channelBlock
                    // Small planes (7x7, 14x14...) with many channels: a tile's broadcasts would
                    // hit a new cache line per input channel; channels-last input is read in order.
                    let channelsLast = !pixelTiles && block >= 16 && a.groups == 1 && a.paddingMode == .zeros && y.h * y.w <= 64 && pooled == nil
                    if channelsLast {
                        k.preparation = .channelsLast
                        k.pixelStride = x.c
                        k.scratchCount = x.c * (pointwise ? y.h * y.w : k.paddedHeight * k.paddedWidth)
                    }
                    var t = OffsetTable(offset: tableCount, inChannels: icg, kernel: a.kernel, dilation: a.dilation,
                                        planeSize: k.inputPlane, rowSize: k.inputRowSize, channelsLast: channelsLast)
                    if case .splitColumns(let half) = k.preparation { t.splitHalf = half }
                    tables.append(t)
                    tableCount += t.count
                    k.schedule = pixelTiles ? .pixelTiles(table: t.offset)
                                            : .channelTiles(block: block, pixels: block == 32 ? 7 : block == 16 ? 6 : 8, table: t.offset)
                }
                let paddedOut = block == 0 ? ocg : (ocg + block - 1) / block * block
                k.weight = reserve(a.groups * paddedOut * perOut)
                k.bias = reserve(a.groups * paddedOut)
                pack.append(.conv(weight: weight("weight")!, bias: a.bias ? weight("bias") : nil,
                                  batchNorm: foldInto[i].map { batchNorm(plan.layers[$0]) },
                                  to: k.weight, biasTo: k.bias, outChannels: y.c, perOutChannel: perOut,
                                  groups: a.groups, block: block == 0 ? nil : block,
                                  tapMajorTaps: k.preparation == .channelsLast ? a.kernel.h * a.kernel.w : 1))
                kernels.append(.conv(k))
                storageOf[i] = newStorage(i, size)
            case .avgpool where poolsRunFirst.contains(i):
                // Run before the conv that it alone reads (`InputPreparation.averagePool`).
                guard case .layer(let j) = layer.inputs[0] else { fatalError("a pooled conv's pool reads the conv") }
                computedBy[i] = j
                kernels.append(.folded)
                storageOf[i] = share(i, storageOf[j])
            case .maxpool(let a), .avgpool(let a):
                let k = PoolKernel(a, from: x, to: y)
                if case .maxpool = layer.op { kernels.append(.maxPool(k)) } else { kernels.append(.avgPool(k)) }
                storageOf[i] = newStorage(i, size)
            case .globalavgpool:
                kernels.append(.globalAvgPool(channels: x.c, size: x.h * x.w))
                storageOf[i] = newStorage(i, size)
            case .fc(let a):
                let fanIn = x.c * x.h * x.w
                let padded = (a.outFeatures + 31) / 32 * 32
                let w = reserve(fanIn * padded)
                let b = reserve(padded)
                pack.append(.fc(weight: weight("weight")!, bias: a.bias ? weight("bias") : nil, to: w, biasTo: b,
                                outFeatures: a.outFeatures, inFeatures: fanIn))
                kernels.append(.fc(inFeatures: fanIn, outFeatures: a.outFeatures, weight: w, bias: b, activation: nil))
                storageOf[i] = newStorage(i, size)
            case .flatten, .dropout:
                kernels.append(.alias)
                storageOf[i] = share(i, inStorage)
            case .batchnorm:
                if case .layer(let j) = layer.inputs[0], foldInto[j] == i {
                    computedBy[i] = j
                    kernels.append(.folded)
                    storageOf[i] = share(i, inStorage)
                } else {
                    let s = reserve(y.c), t = reserve(y.c)
                    pack.append(.batchNorm(batchNorm(layer), scaleTo: s, shiftTo: t, channels: y.c))
                    kernels.append(.scaleShift(channels: y.c, size: y.h * y.w, scale: s, shift: t, activation: nil))
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
                // A residual add of a conv's output (read by nothing else) is done by the conv
                // as it stores: the shortcut is added in registers, into the conv's memory.
                if layer.inputs.count == 2,
                   let (j, other) = layer.inputs.indices.lazy.compactMap({ n -> (Int, TensorRef)? in
                       // The shortcut must be computed before the conv runs.
                       guard case .layer(let j) = layer.inputs[n], readers[j] == [i], layer.inputs[1 - n] != layer.inputs[n],
                             case .conv(let k) = kernels[computedBy[j] ?? j], k.schedule != .depthwise else { return nil }
                       if case .layer(let r) = layer.inputs[1 - n], r >= computedBy[j] ?? j { return nil }
                       return (j, layer.inputs[1 - n])
                   }).first {
                    residualOf[computedBy[j] ?? j] = other
                    computedBy[i] = computedBy[j] ?? j
                    kernels.append(.folded)
                    storageOf[i] = share(i, storageOf[j])
                } else {
                    kernels.append(.add(count: size))
                    storageOf[i] = newStorage(i, size)
                }
            case .concat:
                // An input whose memory holds nothing read after the concat is placed inside
                // the concat's memory at its channels, so its kernel writes it there and the
                // concat copies nothing (DenseNet's chains of concats nest this way).
                let s = newStorage(i, size), sources = layer.inputs.map(storage(of:))
                var offset = 0, inPlace: [Bool] = []
                for (t, shape) in zip(sources, layer.inputShapes) {
                    let count = shape.c * shape.h * shape.w
                    let fits = t >= 0 && within[t] == nil && storageSize[t] == count && sources.filter { $0 == t }.count == 1
                        && nested(t).allSatisfy { lastUser($0, i) }
                    if fits { within[t] = (s, offset) }
                    inPlace.append(fits)
                    offset += count
                }
                kernels.append(.concat(channels: layer.inputShapes.map(\.c), size: y.h * y.w, inPlace: inPlace))
                storageOf[i] = s
            }
        }

        // An activation that is the only reader of a conv, fc or standalone batch norm and
        // runs in place is applied by that kernel as it stores (through a folded batch norm
        // or residual add too).
        for (i, layer) in plan.layers.enumerated() {
            guard case .layer(let j) = layer.inputs[0], readers[j] == [i], storageOf[i] >= 0, storageOf[i] == storageOf[j] else { continue }
            let f: Activation
            switch layer.op {
            case .relu: f = .relu
            case .relu6: f = .relu6
            case .tanh: f = .tanh
            case .sigmoid: f = .sigmoid
            default: continue
            }
            let c = computedBy[j] ?? j
            switch kernels[c] {
            case .conv(var k) where k.activation == nil:
                k.activation = f
                kernels[c] = .conv(k)
            case .fc(let n, let m, let w, let b, nil):
                kernels[c] = .fc(inFeatures: n, outFeatures: m, weight: w, bias: b, activation: f)
            case .scaleShift(let ch, let size, let s, let t, nil):
                kernels[c] = .scaleShift(channels: ch, size: size, scale: s, shift: t, activation: f)
            default:
                continue
            }
            kernels[i] = .folded
            computedBy[i] = c
        }

        // A conv by 32-channel tiles whose output (through the layers folded into it) only a max
        // pool reads hands it pixel by pixel, 32 channels a store, instead of scattering each
        // pixel's 32 channels over 32 planes (measured: 22% of a 7x7/2 stem's time); the pool
        // stores into planes once, on a quarter of the pixels.
        var pixelMajor: Set<Int> = []
        for (m, layer) in plan.layers.enumerated() {
            guard case .maxPool(var pool) = kernels[m], case .layer(let j) = layer.inputs[0] else { continue }
            let c = computedBy[j] ?? j, s = storageOf[j]
            guard s >= 0, case .conv(var k) = kernels[c], case .channelTiles(32, _, _) = k.schedule, k.groups == 1,
                  k.outChannels % 32 == 0, residualOf[c] == nil,
                  // (So it is not inside a concat either: the concat would read it.)
                  storageTensors[s].allSatisfy({ t in readers[t].allSatisfy { storageTensors[s].contains($0) || $0 == m } })
            else { continue }
            k.channelsLastOutput = true
            kernels[c] = .conv(k)
            pool.channelsLastInput = true
            kernels[m] = .maxPool(pool)
            pixelMajor.insert(s)
        }

        // Scratch: a conv's prepared input, alive during the conv only.
        var scratchSize = [Int: Int]()
        for (i, k) in kernels.enumerated() {
            if case .conv(let c) = k, c.preparation != .none { scratchSize[i] = c.scratchCount }
        }

        // Lifetimes, then first-fit placement in layer order: a layer's output (and scratch)
        // is placed before the buffers it frees, so it never overlaps its inputs. A storage
        // with others inside it lives from the first of them to the last use of any.
        var lastUse = [Int](repeating: 0, count: storageSize.count)
        for s in storageSize.indices {
            lastUse[s] = storageTensors[s].flatMap { readers[$0] }.max() ?? storageDef[s]
        }
        var firstDef = storageDef
        for s in storageSize.indices where within[s] == nil {
            for t in nested(s) {
                firstDef[s] = min(firstDef[s], storageDef[t])
                lastUse[s] = max(lastUse[s], lastUse[t])
            }
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
            for s in storageSize.indices where firstDef[s] == i && within[s] == nil { offsetOf[s] = place(storageSize[s], s) }
            if let size = scratchSize[i] { scratchOffset[i] = place(size, -1 - i) }
            live.removeAll { $0.storage == -1 - i || ($0.storage >= 0 && lastUse[$0.storage] == i) }
        }

        func offset(_ s: Int) -> Int { within[s].map { offset($0.outer) + $0.offset } ?? offsetOf[s] }
        func location(_ s: Int) -> Location { s < 0 ? .input : .arena(offset(s)) }
        var steps: [Step] = []
        for (i, layer) in plan.layers.enumerated() {
            var k = kernels[i]
            if case .conv(var c) = k {
                c.scratch = scratchOffset[i]
                c.residual = residualOf[i].map { location(storage(of: $0)) }
                k = .conv(c)
            }
            // (A conv that an average pool ran before holds the pool's output.)
            let shape = poolFirst[i].map { plan.layers[$0].output } ?? layer.output
            steps.append(Step(layer: i, inputs: layer.inputs.map { location(storage(of: $0)) },
                              output: location(storageOf[i]), count: shape.c * shape.h * shape.w, kernel: k))
        }

        var lastOfChain: [Int: Int] = [:]
        for (layer, conv) in computedBy { lastOfChain[conv] = max(lastOfChain[conv] ?? conv, layer) }
        var fusedAway: Set<Int> = []
        for (layer, conv) in computedBy where layer != lastOfChain[conv] { fusedAway.insert(layer) }
        for (conv, last) in lastOfChain where last != conv { fusedAway.insert(conv) }

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
                       tables: tables, tableCount: tableCount, steps: steps, arenaCount: max(high, alignment),
                       workerScratchCount: workerScratchCount, workerScratchThreads: workerScratchThreads, output: location(storage(of: plan.outputRef)),
                       inputCount: plan.input.c * plan.input.h * plan.input.w, outputCount: outputCount,
                       outputIsVector: vector, fusedAway: fusedAway,
                       pixelMajorLayers: plan.layers.indices.filter { storageOf[$0] >= 0 && pixelMajor.contains(storageOf[$0]) },
                       tail: Tail.find(steps, output: location(storage(of: plan.outputRef)), outputCount: outputCount))
    }
}
