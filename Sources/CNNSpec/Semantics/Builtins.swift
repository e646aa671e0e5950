// The built-in layer kinds as the language spells them: their positional parameters, their
// named attributes with defaults, and the conversion of argument values into typed
// attributes. Inference gets typed Op values and never sees argument syntax.

enum BuiltinKind: String, CaseIterable {
    case conv, maxpool, avgpool, globalavgpool, fc, flatten, relu, relu6, tanh, sigmoid,
         softmax, dropout, batchnorm, add, concat

    /// Positional parameters, in order.
    var positional: [String] {
        switch self {
        case .conv: return ["kernel", "filters"]
        case .maxpool, .avgpool: return ["kernel"]
        case .fc: return ["out"]
        case .dropout: return ["p"]
        case .globalavgpool, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .batchnorm, .add, .concat:
            return []
        }
    }

    /// Every attribute name the layer accepts (positional ones may also be given by name).
    var attributes: [String] {
        switch self {
        case .conv: return positional + ["stride", "pad", "dilation", "groups", "bias", "pad_mode", "round"]
        case .maxpool: return positional + ["stride", "pad", "round"]
        case .avgpool: return positional + ["stride", "pad", "round", "include_pad"]
        case .fc: return positional + ["bias"]
        case .dropout: return positional
        case .batchnorm: return ["eps"]
        case .globalavgpool, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .add, .concat: return []
        }
    }

    /// Attributes without a default.
    var required: [String] {
        switch self {
        case .conv: return ["kernel", "filters"]
        case .maxpool, .avgpool: return ["kernel"]
        case .fc: return ["out"]
        default: return []
        }
    }

    /// A short usage line for messages.
    var usage: String {
        switch self {
        case .conv: return "conv(3x3, 64, stride: 1, pad: same, dilation: 1, groups: 1, bias: yes, pad_mode: zeros, round: exact)"
        case .maxpool: return "maxpool(2x2, stride: 2, pad: 0, round: exact)"
        case .avgpool: return "avgpool(2x2, stride: 2, pad: 0, round: exact, include_pad: yes)"
        case .fc: return "fc(10, bias: yes)"
        case .dropout: return "dropout(0.5)"
        case .batchnorm: return "batchnorm(eps: 1e-5)"
        case .add: return "add(branch | branch)"
        case .concat: return "concat(branch | branch)"
        case .globalavgpool, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax: return rawValue
        }
    }

    /// A builtin is spelled in lowercase, or in uppercase when used without arguments as
    /// the lecture pattern does (`RELU`, `SOFTMAX`), unless the file defines that name.
    static func lookup(_ name: String) -> BuiltinKind? {
        if let k = BuiltinKind(rawValue: name) { return k }
        if name == name.uppercased(), let k = BuiltinKind(rawValue: name.lowercased()) { return k }
        return nil
    }
}

/// Typed access to the evaluated attributes of one builtin layer; records a diagnostic for
/// each bad value and falls back to a harmless default so checking can go on.
struct AttributeReader {
    let kind: BuiltinKind
    var values: [String: (Value, SourceRange)]
    var diagnostics: [Diagnostic] = []

    func has(_ name: String) -> Bool { values[name] != nil }

    mutating func fail(_ name: String, _ expected: String, _ v: Value, _ r: SourceRange) {
        diagnostics.append(Messages.badAttributeValue(kind.rawValue, name, expected: expected, found: v, at: r))
    }

    mutating func int(_ name: String, default d: Int, min lo: Int) -> Int {
        guard let (v, r) = values[name] else { return d }
        guard case .int(let i) = v else { fail(name, "a whole number", v, r); return d }
        if i < lo { diagnostics.append(Messages.attributeTooSmall(kind.rawValue, name, i, min: lo, at: r)); return d }
        return i
    }

    mutating func pair(_ name: String, default d: Pair, min lo: Int) -> Pair {
        guard let (v, r) = values[name] else { return d }
        var p: Pair
        switch v {
        case .int(let i): p = Pair(square: i)
        case .size(let s) where s.count == 2: p = Pair(s[0], s[1])
        case .tuple(let t) where t.count == 2:
            guard case .int(let a) = t[0], case .int(let b) = t[1] else { fail(name, "a number or a size such as 3x3", v, r); return d }
            p = Pair(a, b)
        default: fail(name, "a number or a size such as 3x3", v, r); return d
        }
        if p.h < lo || p.w < lo {
            diagnostics.append(Messages.attributeTooSmall(kind.rawValue, name, Swift.min(p.h, p.w), min: lo, at: r))
            return d
        }
        return p
    }

    mutating func bool(_ name: String, default d: Bool) -> Bool {
        guard let (v, r) = values[name] else { return d }
        switch v {
        case .word("yes"), .word("true"), .word("on"), .int(1): return true
        case .word("no"), .word("false"), .word("off"), .int(0): return false
        default: fail(name, "yes or no", v, r); return d
        }
    }

    mutating func word<T: RawRepresentable & CaseIterable>(_ name: String, default d: T) -> T where T.RawValue == String {
        guard let (v, r) = values[name] else { return d }
        if case .word(let w) = v, let t = T(rawValue: w) { return t }
        fail(name, "one of " + T.allCases.map(\.rawValue).joined(separator: ", "), v, r)
        return d
    }

    mutating func float(_ name: String, default d: Double, range: ClosedRange<Double>) -> Double {
        guard let (v, r) = values[name] else { return d }
        var x: Double
        switch v {
        case .float(let f): x = f
        case .int(let i): x = Double(i)
        default: fail(name, "a number", v, r); return d
        }
        if !range.contains(x) {
            fail(name, "a number from \(formatFloat(range.lowerBound)) to \(formatFloat(range.upperBound))", v, r)
            return d
        }
        return x
    }

    /// Pool padding: a number, a size (h x w), or a tuple (h, w) or (top, left, bottom, right).
    mutating func sides(_ name: String) -> Sides {
        guard let (v, r) = values[name] else { return .zero }
        var out: Sides?
        switch v {
        case .int(let p): out = Sides(all: p)
        case .size(let s) where s.count == 2: out = Sides(top: s[0], left: s[1], bottom: s[0], right: s[1])
        case .tuple(let t):
            let ints = t.compactMap { if case .int(let i) = $0 { return i } else { return nil } }
            if ints.count == t.count && t.count == 2 { out = Sides(top: ints[0], left: ints[1], bottom: ints[0], right: ints[1]) }
            if ints.count == t.count && t.count == 4 { out = Sides(top: ints[0], left: ints[1], bottom: ints[2], right: ints[3]) }
        default: break
        }
        guard let s = out else {
            fail(name, "a number, a size such as 1x2, or (top, left, bottom, right)", v, r)
            return .zero
        }
        if s.array.contains(where: { $0 < 0 }) {
            diagnostics.append(Messages.attributeTooSmall(kind.rawValue, name, s.array.min()!, min: 0, at: r))
            return .zero
        }
        return s
    }

    mutating func padding(_ name: String) -> Padding {
        if let (v, _) = values[name], case .word(let w) = v {
            if w == "same" { return .same }
            if w == "valid" { return .valid }
        }
        if let (v, r) = values[name], case .word = v {
            fail(name, "same, valid, a number, a size such as 1x2, or (top, left, bottom, right)", v, r)
            return .explicit(.zero)
        }
        return .explicit(sides(name))
    }

    /// Builds the layer's Op from its attributes (the defaults are PyTorch's, except
    /// `round: exact`, the lectures' rule that a size must divide).
    mutating func op() -> Op {
        switch kind {
        case .conv:
            let kernel = pair("kernel", default: Pair(square: 1), min: 1)
            return .conv(ConvAttrs(
                outChannels: int("filters", default: 1, min: 1),
                kernel: kernel,
                stride: pair("stride", default: Pair(square: 1), min: 1),
                padding: padding("pad"),
                dilation: pair("dilation", default: Pair(square: 1), min: 1),
                groups: int("groups", default: 1, min: 1),
                bias: bool("bias", default: true),
                paddingMode: word("pad_mode", default: PaddingMode.zeros),
                rounding: word("round", default: Rounding.exact)))
        case .maxpool, .avgpool:
            let kernel = pair("kernel", default: Pair(square: 1), min: 1)
            let attrs = PoolAttrs(
                kernel: kernel,
                stride: pair("stride", default: kernel, min: 1),
                padding: sides("pad"),
                rounding: word("round", default: Rounding.exact),
                countIncludePad: bool("include_pad", default: true))
            return kind == .maxpool ? .maxpool(attrs) : .avgpool(attrs)
        case .fc: return .fc(FCAttrs(outFeatures: int("out", default: 1, min: 1), bias: bool("bias", default: true)))
        case .dropout: return .dropout(p: float("p", default: 0.5, range: 0...1))
        case .batchnorm: return .batchnorm(eps: float("eps", default: 1e-5, range: 1e-300...1))
        case .globalavgpool: return .globalavgpool
        case .flatten: return .flatten
        case .relu: return .relu
        case .relu6: return .relu6
        case .tanh: return .tanh
        case .sigmoid: return .sigmoid
        case .softmax: return .softmax
        case .add: return .add
        case .concat: return .concat
        }
    }
}
