// The syntax tree of a .cnn file, exactly as written: no names resolved, no values computed.
// One expression type serves layers, numbers and lists alike; the expander decides by
// context what an expression means (`*` repeats a layer and multiplies a number).

/// An expression with its source range.
public indirect enum Expr: Equatable, Sendable {
    case integer(Int, SourceRange)
    case float(Double, SourceRange)
    /// `3x3`, `32x32x3`.
    case size([Int], SourceRange)
    /// A name: a binding, a definition without parameters, a layer kind, or a word such as `same`.
    case name(String, SourceRange)
    /// `f(args)`: a layer with attributes or a call of a parameterized definition.
    case call(String, [Argument], SourceRange, nameRange: SourceRange)
    /// `a - b - c`: layers in sequence.
    case chain([Expr], SourceRange)
    /// `a | b | c`: parallel branches (only inside `add(...)` and `concat(...)`).
    case branches([Expr], SourceRange)
    /// `( e )` (round) or `[ e ]` (square): grouping. Square groups are the stages that lists step with.
    case group(Expr, square: Bool, SourceRange)
    /// `[a, b, c]`: a list whose elements step with the enclosing `[ ]*n` repetition.
    case list([Expr], SourceRange)
    /// `(a, b)`: a tuple (padding per side, a stride pair).
    case tuple([Expr], SourceRange)
    /// `e * n`: a repetition of layers, or a product of numbers.
    case star(Expr, Expr, SourceRange)
    /// `e / n`: exact division of numbers.
    case slash(Expr, Expr, SourceRange)
    /// `e?`: an optional layer, switched by the binding `NAME?` (on by default).
    case optional(Expr, SourceRange)
    /// `e @name`: names one layer, or opens a naming scope over several.
    case labeled(Expr, String, SourceRange)

    public var range: SourceRange {
        switch self {
        case .integer(_, let r), .float(_, let r), .size(_, let r), .name(_, let r),
             .chain(_, let r), .branches(_, let r), .group(_, _, let r), .list(_, let r),
             .tuple(_, let r), .star(_, _, let r), .slash(_, _, let r), .optional(_, let r),
             .labeled(_, _, let r):
            return r
        case .call(_, _, let r, _):
            return r
        }
    }
}

/// One argument of a call: positional (`3x3`) or named (`stride: 2`).
public struct Argument: Equatable, Sendable {
    public var label: String?
    public var labelRange: SourceRange?
    public var value: Expr
}

/// A top-level statement.
public enum Statement: Equatable, Sendable {
    /// `input 32x32x3`: height x width x channels.
    case input(dims: [Int], SourceRange)
    /// `NAME = expr` or the switch `NAME? = on`.
    case binding(name: String, value: Expr, nameRange: SourceRange)
    /// `name(a, b) = expr`.
    case definition(name: String, parameters: [(String, SourceRange)], body: Expr, nameRange: SourceRange)
    /// The network line.
    case network(Expr)
    /// `N = 1...5`, `K = {0, 2}`, `POOL? = [{on, off}]*M`: a family variable (docs/LANGUAGE.md, "Families").
    case family(name: String, domain: DomainExpr, nameRange: SourceRange)
    /// `require params <= 5M`: a requirement every valid network (or family member) must meet.
    case require(Requirement)

    public static func == (a: Statement, b: Statement) -> Bool {
        switch (a, b) {
        case let (.input(x, r), .input(y, s)): return x == y && r == s
        case let (.binding(n, v, r), .binding(m, w, s)): return n == m && v == w && r == s
        case let (.definition(n, p, b1, r), .definition(m, q, b2, s)):
            return n == m && p.map(\.0) == q.map(\.0) && b1 == b2 && r == s
        case let (.network(x), .network(y)): return x == y
        case let (.family(n, d, r), .family(m, e, s)): return n == m && d == e && r == s
        case let (.require(x), .require(y)): return x == y
        default: return false
        }
    }
}

/// The values a family variable ranges over, as written.
public indirect enum DomainExpr: Equatable, Sendable {
    /// `{a, b, c}`: each value in turn.
    case set([Expr], SourceRange)
    /// `lo...hi`: every integer from lo to hi.
    case range(Int, Int, SourceRange)
    /// `[S]*n`: a list of n values (one per stage), each chosen from S.
    case perStage(DomainExpr, count: Expr, SourceRange)

    public var range: SourceRange {
        switch self {
        case .set(_, let r), .range(_, _, let r), .perStage(_, _, let r): return r
        }
    }
}

/// `require METRIC OP BOUND`.
public struct Requirement: Equatable, Sendable {
    public enum Metric: String, CaseIterable, Sendable {
        case params, macs, flops, rf, memory
    }
    public enum Comparison: String, CaseIterable, Sendable {
        case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    }
    public enum Bound: Equatable, Sendable {
        case number(Int)
        /// The input's height and width (for `rf`).
        case input
    }
    public var metric: Metric
    public var comparison: Comparison
    public var bound: Bound
    /// The whole statement.
    public var range: SourceRange
    /// A bound as it is usually written: 5M, 1G, 256KiB, else the number.
    static func withUnit(_ n: Int) -> String {
        for (unit, scale) in [("G", 1_000_000_000), ("M", 1_000_000), ("k", 1_000), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where n != 0 && n % scale == 0 {
            return "\(n / scale)\(unit)"
        }
        return String(n)
    }
    /// The statement without `require`, for messages: `params <= 5M`.
    public var text: String {
        let b: String
        switch bound {
        case .number(let n): b = Self.withUnit(n)
        case .input: b = "input"
        }
        return "\(metric.rawValue) \(comparison.rawValue) \(b)"
    }
}

/// A parsed file.
public struct SpecFile: Sendable {
    public var path: String
    public var source: String
    public var statements: [Statement]
}
