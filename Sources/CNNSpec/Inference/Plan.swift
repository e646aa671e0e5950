// The plan: every fact about a checked network, computed once by inference. Reports and
// (later) the code generator read it and never recompute a formula.

/// A weight tensor as PyTorch's state_dict names and shapes it.
public struct WeightTensor: Hashable, Sendable {
    public var name: String
    public var shape: [Int]
}

/// Receptive field facts of one layer's output (Araujo et al., Distill 2019), per axis.
public struct ReceptiveField: Hashable, Sendable {
    /// Size of the input region one output pixel sees.
    public var size: Pair
    /// Effective stride: input pixels between neighbouring output pixels.
    public var jump: Pair
    /// Effective padding: how far the first output pixel's field starts before the input.
    public var padding: Pair

    public static let input = ReceptiveField(size: Pair(square: 1), jump: Pair(square: 1), padding: Pair(square: 0))

    /// Twice the centre of output pixel 0's field, in input coordinates (an integer).
    func doubledCentre() throws -> Pair {
        Pair(try add(size.h - 1, -(try mul(2, padding.h))), try add(size.w - 1, -(try mul(2, padding.w))))
    }
}

public struct PlannedLayer: Sendable {
    public var name: String
    /// The op with everything resolved (`pad: same` is explicit here).
    public var op: Op
    public var inputs: [TensorRef]
    /// Producer names, `"input"` for the network input.
    public var inputNames: [String]
    public var inputShapes: [Shape]
    public var output: Shape
    public var params: Int
    public var macs: Int
    public var flops: Int
    public var rf: ReceptiveField
    /// Bytes of this layer's output tensor (float32).
    public var activationBytes: Int
    public var weights: [WeightTensor]
    public var range: SourceRange
    public var expandedFrom: [SourceRange]
}

public struct Totals: Hashable, Sendable {
    public var params = 0
    public var macs = 0
    public var flops = 0
    /// Sum of every layer's output bytes.
    public var activationBytes = 0
    /// The most bytes alive at once when layers run in order and each tensor is freed
    /// after its last reader (input included, nothing in place).
    public var peakActivationBytes = 0
    /// The layer during which the peak occurs.
    public var peakLayer = ""
    /// Non-trainable state (batch norm running statistics), counted apart from params.
    public var buffers = 0
}

/// A checked network.
public struct Plan: Sendable {
    public var name: String
    public var input: Shape
    public var inputRange: SourceRange
    public var output: Shape
    /// The tensor that is the network's output (normally the last layer).
    public var outputRef: TensorRef
    public var layers: [PlannedLayer]
    public var totals: Totals
    /// Warnings (lints); a plan with errors is never built.
    public var warnings: [Diagnostic]
    /// The last layer with a spatial output before the head (the first fc, flatten or global
    /// pool): where a network's receptive field is quoted (VGG-16: pool5, 212).
    public var lastSpatialLayer: Int?
}

/// Bytes per activation element: the generated code computes in float32.
public let bytesPerElement = 4
