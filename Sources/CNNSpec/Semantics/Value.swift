// Values of the non-layer part of the language: numbers, sizes, words, tuples and lists.
// A list steps with the innermost enclosing `[ ]*n` repetition when a single value is
// needed (docs/LANGUAGE.md, "Lists").

public indirect enum Value: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case float(Double)
    /// `3x3`: height x width.
    case size([Int])
    /// A bare word: `same`, `valid`, `on`, `off`, `yes`, `no`, `floor`, `ceil`, `zeros`...
    case word(String)
    case tuple([Value])
    case list([Value])

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .float(let v): return formatFloat(v)
        case .size(let v): return v.map(String.init).joined(separator: "x")
        case .word(let w): return w
        case .tuple(let v): return "(" + v.map(\.description).joined(separator: ", ") + ")"
        case .list(let v): return "[" + v.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// What kind of value this is, with the value when it is short, for messages.
    var kindName: String {
        switch self {
        case .int(let v): return "the number \(v)"
        case .float(let v): return "the number \(formatFloat(v))"
        case .size: return "the size \(self)"
        case .word(let w): return "the word '\(w)'"
        case .tuple: return "the tuple \(shortDescription)"
        case .list: return "the list \(shortDescription)"
        }
    }

    /// Like `description`, with long lists and tuples cut after 8 values.
    var shortDescription: String {
        switch self {
        case .tuple(let v) where v.count > 8:
            return "(" + v.prefix(8).map(\.description).joined(separator: ", ") + ", ... (\(v.count) values))"
        case .list(let v) where v.count > 8:
            return "[" + v.prefix(8).map(\.description).joined(separator: ", ") + ", ... (\(v.count) values)]"
        default: return description
        }
    }
}

extension Value {
    /// The value of a constant expression (numbers, sizes, words, tuples, flat lists; no
    /// names of a spec), as `-D` values and family sets are written. Nil for anything else.
    static func constant(_ e: Expr) -> Value? {
        switch e {
        case .integer(let v, _): return .int(v)
        case .float(let v, _): return .float(v)
        case .size(let v, _): return .size(v)
        case .name(let n, _): return .word(n)
        case .group(let inner, _, _): return constant(inner)
        case .list(let items, _):
            let vs = items.compactMap(constant)
            return vs.count == items.count && !vs.contains(where: { if case .list = $0 { return true } else { return false } }) ? .list(vs) : nil
        case .tuple(let items, _):
            let vs = items.compactMap(constant)
            return vs.count == items.count ? .tuple(vs) : nil
        case .call, .chain, .branches, .star, .slash, .optional, .labeled: return nil
        }
    }
}

/// Shortest text that reads back as the same Double (`0.001`, `1e-05`, `0.5`).
public func formatFloat(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) + ".0" }
    return "\(v)"
}
