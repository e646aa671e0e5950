// A dense float tensor in PyTorch's layout (row-major, last index fastest): the currency
// between safetensors files, the reference interpreter and the tests.

public struct Tensor: Equatable, Sendable {
    /// Sizes, outermost first (a conv weight is [out, in/groups, kh, kw]).
    public var shape: [Int]
    /// The elements in row-major order; `data.count` should equal the product of `shape`
    /// (the interpreter and the encoder check it, see `elementCount`).
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        self.shape = shape
        self.data = data
    }

    /// The product of `shape`, or nil when a size is negative or the product overflows.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for s in shape {
            guard s >= 0 else { return nil }
            let (r, o) = n.multipliedReportingOverflow(by: s)
            if o { return nil }
            n = r
        }
        return n
    }

    /// Whether `data.count` equals the product of `shape`.
    public var isConsistent: Bool { Tensor.elementCount(shape) == data.count }
}
