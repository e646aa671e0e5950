// Values of the non-layer part of the language: numbers, sizes, words, tuples and lists.
// A list steps with the innermost enclosing `[ ]*n` repetition when a single value is
// needed (docs/LANGUAGE.md, "Lists").

public indirect enum Value: Equatable, Sendable, CustomStringConvertible {
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

    /// What kind of value this is, for messages.
    var kindName: String {
        switch self {
        case .int: return "a number"
        case .float: return "a decimal number"
        case .size: return "a size"
        case .word(let w): return "the word '\(w)'"
        case .tuple: return "a tuple"
        case .list: return "a list"
        }
    }
}

/// Shortest text that reads back as the same Double (`0.001`, `1e-05`, `0.5`).
public func formatFloat(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) + ".0" }
    return "\(v)"
}
