// The network IR: a DAG of layers in topological order, every name final, every attribute
// typed. The expander produces it from the syntax tree; inference reads it and never
// changes it. The layer kinds form one closed enum: every pass switches over it exhaustively.

/// A pair of sizes, height first (kernel, stride, dilation, receptive field...).
public struct Pair: Hashable, Sendable, CustomStringConvertible {
    public var h: Int
    public var w: Int
    public init(_ h: Int, _ w: Int) { self.h = h; self.w = w }
    public init(square v: Int) { h = v; w = v }
    public var isSquare: Bool { h == w }
    public var description: String { isSquare ? "\(h)" : "\(h)x\(w)" }
    public var sizeText: String { "\(h)x\(w)" }
}

/// Padding per side, in PyTorch's order of the JSON report: top, left, bottom, right.
public struct Sides: Hashable, Sendable {
    public var top: Int, left: Int, bottom: Int, right: Int
    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top; self.left = left; self.bottom = bottom; self.right = right
    }
    public init(all v: Int) { self.init(top: v, left: v, bottom: v, right: v) }
    public static let zero = Sides(all: 0)
    public var array: [Int] { [top, left, bottom, right] }
    public var isSymmetric: Bool { top == bottom && left == right }
    public var isZero: Bool { self == .zero }
}

/// Padding as written: numbers, or `same` / `valid` resolved by inference.
public enum Padding: Hashable, Sendable {
    case explicit(Sides)
    case same
    case valid
}

public enum PaddingMode: String, Hashable, Sendable, CaseIterable {
    case zeros, reflect, replicate, circular
}

/// How an output size that does not divide is treated. The lectures call it an error
/// (`exact`, the default); PyTorch floors, and pools can opt into `ceil` (ceil_mode).
public enum Rounding: String, Hashable, Sendable, CaseIterable {
    case exact, floor, ceil
}

public struct ConvAttrs: Hashable, Sendable {
    public var outChannels: Int
    public var kernel: Pair
    public var stride: Pair
    public var padding: Padding
    public var dilation: Pair
    public var groups: Int
    public var bias: Bool
    public var paddingMode: PaddingMode
    public var rounding: Rounding
}

extension ConvAttrs {
    /// The input extent one output pixel reads: dilation*(kernel-1) + 1 per axis. Only
    /// used after inference has computed it with overflow checks (outputSize).
    public var span: Pair { Pair((kernel.h - 1) * dilation.h + 1, (kernel.w - 1) * dilation.w + 1) }
}

public struct PoolAttrs: Hashable, Sendable {
    public var kernel: Pair
    public var stride: Pair
    public var padding: Sides
    public var rounding: Rounding
    /// Average pooling only: whether zero padding counts in the divisor (PyTorch's count_include_pad).
    public var countIncludePad: Bool
}

public struct FCAttrs: Hashable, Sendable {
    public var outFeatures: Int
    public var bias: Bool
}

/// The closed set of layer kinds. The raw names are the `op` strings of the JSON report.
public enum Op: Hashable, Sendable {
    case conv(ConvAttrs)
    case maxpool(PoolAttrs)
    case avgpool(PoolAttrs)
    case globalavgpool
    case fc(FCAttrs)
    case flatten
    case relu
    case relu6
    case tanh
    case sigmoid
    case softmax
    case dropout(p: Double)
    case batchnorm(eps: Double)
    case add
    case concat

    public var name: String {
        switch self {
        case .conv: return "conv"
        case .maxpool: return "maxpool"
        case .avgpool: return "avgpool"
        case .globalavgpool: return "globalavgpool"
        case .fc: return "fc"
        case .flatten: return "flatten"
        case .relu: return "relu"
        case .relu6: return "relu6"
        case .tanh: return "tanh"
        case .sigmoid: return "sigmoid"
        case .softmax: return "softmax"
        case .dropout: return "dropout"
        case .batchnorm: return "batchnorm"
        case .add: return "add"
        case .concat: return "concat"
        }
    }

    /// The stem of automatic names at the top level: conv1, pool2, fc3...
    var autoNameStem: String {
        switch self {
        case .maxpool, .avgpool: return "pool"
        case .globalavgpool: return "gap"
        case .batchnorm: return "bn"
        default: return name
        }
    }
}

/// Where a layer reads from: the network input or an earlier layer (by index).
public enum TensorRef: Hashable, Sendable {
    case input
    case layer(Int)
}

public struct Layer: Hashable, Sendable {
    public var name: String
    public var op: Op
    public var inputs: [TensorRef]
    /// The source text that made this layer.
    public var range: SourceRange
    /// The calls of modules this layer was expanded from, outermost first.
    public var expandedFrom: [SourceRange]
}

/// Channels, height, width (PyTorch's order). A vector is c x 1 x 1.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var c: Int, h: Int, w: Int
    public init(c: Int, h: Int, w: Int) { self.c = c; self.h = h; self.w = w }
    /// The lectures' notation, H x W x C.
    public var description: String { "\(h)x\(w)x\(c)" }
}

/// A whole network: its input, its layers in topological order, and which tensor is the output.
public struct Network: Sendable {
    public var name: String
    public var input: Shape
    public var inputRange: SourceRange
    public var layers: [Layer]
    public var output: TensorRef
}
