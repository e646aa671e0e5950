// Every message cnnspec can print about a spec, in one place. Each has a stable id
// (tests and tools match on it); messages are lowercase, without a final period, and
// name the rule that was broken. Inference messages (shapes and arithmetic) are at the end.

enum Messages {
    typealias R = SourceRange

    static func error(_ id: String, _ message: String, _ r: R?, notes: [Diagnostic.Note] = [], help: [String] = [], layer: String? = nil) -> Diagnostic {
        Diagnostic(.error, id, message, at: r, notes: notes, help: help, layer: layer)
    }
    static func warning(_ id: String, _ message: String, _ r: R?, notes: [Diagnostic.Note] = [], help: [String] = [], layer: String? = nil) -> Diagnostic {
        Diagnostic(.warning, id, message, at: r, notes: notes, help: help, layer: layer)
    }

    /// "did you mean" for a misspelled name: the closest candidate within a small edit distance.
    static func suggestion(_ name: String, _ candidates: [String]) -> [String] {
        let limit = max(1, (name.count + 1) / 3)
        if name.count > 64 { return [] }
        let best = candidates.filter { $0 != name && abs($0.count - name.count) <= limit }
            .map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= limit }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .first
        return best.map { ["did you mean '\($0.0)'?"] } ?? []
    }

    /// Edit distance counting a swap of neighbours as one edit (optimal string alignment).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    // MARK: lexer and parser

    static func unexpectedCharacter(_ c: Unicode.Scalar, at r: R) -> Diagnostic {
        error("unexpected-character", "unexpected character '\(c.escaped(asASCII: true))'", r)
    }
    static func numberTooLarge(_ s: String, at r: R) -> Diagnostic {
        error("number-too-large", "number \(s.count > 24 ? String(s.prefix(20)) + "..." : s) is too large (the limit is 2^53)", r)
    }
    static func malformedNumber(at r: R) -> Diagnostic {
        error("malformed-number", "a number must not run into letters", r, help: ["sizes are written 3x3 or 32x32x3, with no spaces"])
    }
    static func expectedLabel(at r: R) -> Diagnostic {
        error("expected-label", "expected a name after '@'", r, help: ["write conv(3x3, 64)@conv1 or [ ... ]@features"])
    }
    static func expected(_ what: String, found t: Token, opener: R? = nil) -> Diagnostic {
        let notes: [Diagnostic.Note] = opener.map { [.init("to match this bracket", at: $0)] } ?? []
        return error("syntax", "expected \(what), found \(t.kind.spelling)", t.range, notes: notes)
    }
    static func badInput(at r: R) -> Diagnostic {
        error("bad-input", "the input is declared as height x width x channels", r, help: ["write, for example, input 32x32x3 (a 32x32 RGB image)"])
    }
    static func nameTooLong(length: Int, limit: Int, at r: R) -> Diagnostic {
        error("name-too-long", "a name of \(length) characters is longer than the limit of \(limit)", r)
    }
    static func switchNotBindable(_ n: String, at r: R) -> Diagnostic {
        error("unnamed-optional", "the switch '\(n)' cannot be bound: a switch is named like a binding", r,
              help: ["use a label of letters, digits and '_' that starts with a letter, such as @pool?"])
    }
    static func nestingTooDeep(limit: Int, at r: R) -> Diagnostic {
        error("nesting-too-deep", "the expression nests more than \(limit) levels deep (brackets, calls, aliases and postfix operators)", r)
    }

    // MARK: statements and names

    static func duplicateInput(at r: R, first: R) -> Diagnostic {
        error("duplicate-input", "the input is declared twice", r, notes: [.init("first declared here", at: first)])
    }
    static func duplicateName(_ n: String, at r: R, first: R) -> Diagnostic {
        error("duplicate-name", "'\(n)' is defined twice", r, notes: [.init("first defined here", at: first)])
    }
    static func redefinesBuiltin(_ n: String, at r: R) -> Diagnostic {
        error("redefines-builtin", "'\(n)' is a built-in layer and cannot be redefined", r)
    }
    static func duplicateParameter(_ n: String, at r: R) -> Diagnostic {
        error("duplicate-parameter", "parameter '\(n)' is listed twice", r)
    }
    static func secondNetworkLine(at r: R, first: R) -> Diagnostic {
        error("second-network", "a file has one network line, and this is a second one", r,
              notes: [.init("the network line", at: first)],
              help: ["continue a network on the next line by starting that line with '-'"])
    }
    static func missingInput(at r: R) -> Diagnostic {
        error("missing-input", "the file does not declare its input", r, help: ["add a line such as: input 32x32x3   # height x width x channels"])
    }
    static func missingNetwork(at r: R) -> Diagnostic {
        error("missing-network", "the file has no network line", r, help: ["add a line such as: conv(3x3, 16, pad: same) - relu - maxpool(2x2) - fc(10)"])
    }
    static func badInputDims(_ dims: [Int], at r: R) -> Diagnostic {
        let shown = dims.map(String.init).joined(separator: "x")
        let help = dims.count == 2 ? ["a grayscale image has one channel: input \(shown)x1"] : ["write height x width x channels, for example input 224x224x3"]
        return error("bad-input", "the input must have three sizes, height x width x channels; found \(shown)", r, help: help)
    }
    static func zeroInput(_ dims: [Int], at r: R) -> Diagnostic {
        error("bad-input", "every input size must be at least 1", r)
    }
    static func emptyNetwork(at r: R) -> Diagnostic {
        error("empty-network", "the network has no layers", r)
    }
    static func unused(_ n: String, at r: R) -> Diagnostic {
        error("unused-name", "'\(n)' is defined but never used", r, help: ["remove it, or use it in the network line"])
    }
    static func expansionTooLarge(steps: Int, at r: R) -> Diagnostic {
        error("expansion-too-large", "the network takes more than \(steps) steps to expand", r, help: ["is a repetition count too large?"])
    }
    static func tooManyLayers(limit: Int, at r: R) -> Diagnostic {
        error("too-many-layers", "the network expands to more than \(limit) layers", r, help: ["is a repetition count too large?"])
    }
    static func expectedLayer(found e: Expr, at r: R) -> Diagnostic {
        error("expected-layer", "expected a layer here, found a value", r)
    }
    static func expectedValue(found what: String, at r: R) -> Diagnostic {
        error("expected-value", "expected a value here, found \(what)", r)
    }
    static func branchesOutsideJoin(at r: R) -> Diagnostic {
        error("branches-outside-join", "parallel branches 'a | b' must be inside add(...) or concat(...)", r)
    }
    static func negativeCount(_ n: Int, at r: R) -> Diagnostic {
        error("negative-count", "a repetition count must be at least 0, found \(n)", r)
    }
    static func unnamedOptional(at r: R) -> Diagnostic {
        error("unnamed-optional", "'?' needs a name to switch by", r, help: ["put '?' after a defined name (POOL?) or a label (maxpool(2x2)@pool?)"])
    }
    static func badSwitch(_ n: String, _ v: Value, at r: R) -> Diagnostic {
        error("bad-switch", "the switch '\(n)' must be on or off, found \(v.kindName)", r)
    }
    static func percentOutsideRepetition(at r: R) -> Diagnostic {
        error("percent-outside-repetition", "'%' in a label stands for the repetition index, and there is no repetition here", r)
    }
    static func notALayer(_ n: String, _ v: Value?, at r: R) -> Diagnostic {
        error("not-a-layer", "'\(n)' is a value, not a layer", r)
    }
    static func recursive(_ n: String, at r: R) -> Diagnostic {
        error("recursive", "'\(n)' refers to itself", r)
    }
    static func moduleNeedsArguments(_ n: String, _ params: [String], at r: R) -> Diagnostic {
        error("missing-arguments", "'\(n)' takes arguments: \(n)(\(params.joined(separator: ", ")))", r)
    }
    static func undefined(_ n: String, at r: R, candidates: [String]) -> Diagnostic {
        error("undefined-name", "'\(n)' is not defined", r, help: suggestion(n, candidates))
    }
    static func unbound(_ n: String, at r: R, candidates: [String]) -> Diagnostic {
        let s = suggestion(n, candidates)
        return error("unbound-name", "'\(n)' has no value", r,
                     help: s.isEmpty ? ["bind it in the file (\(n) = 3) or on the command line (-D \(n)=3)"] : s)
    }
    static func notCallable(_ n: String, at r: R) -> Diagnostic {
        error("not-callable", "'\(n)' takes no arguments", r, help: ["define it with parameters: \(n)(a, b) = ..."])
    }
    static func callsTooDeep(limit: Int, at r: R) -> Diagnostic {
        error("calls-too-deep", "aliases and module calls nest more than \(limit) levels deep", r)
    }
    static func unknownAttribute(_ a: String, of op: String, at r: R, candidates: [String]) -> Diagnostic {
        let list = candidates.isEmpty ? "none" : candidates.joined(separator: ", ")
        return error("unknown-attribute", "'\(op)' has no attribute '\(a)'", r,
                     notes: [.init("its attributes: \(list)")], help: suggestion(a, candidates))
    }
    static func duplicateAttribute(_ a: String, at r: R) -> Diagnostic {
        error("duplicate-attribute", "'\(a)' is given twice", r)
    }
    static func wrongArgumentCount(_ n: String, _ params: [String], found: Int, at r: R) -> Diagnostic {
        error("argument-count", "'\(n)' takes \(params.count) argument\(params.count == 1 ? "" : "s") (\(params.joined(separator: ", "))), found \(found)", r)
    }
    static func missingArguments(_ n: String, _ missing: [String], at r: R) -> Diagnostic {
        error("missing-arguments", "'\(n)' is missing \(missing.map { "'\($0)'" }.joined(separator: ", "))", r)
    }
    static func tooManyPositional(_ k: BuiltinKind, at r: R) -> Diagnostic {
        error("argument-count", "'\(k.rawValue)' takes \(k.positional.count) unnamed argument\(k.positional.count == 1 ? "" : "s")", r, help: ["usage: \(k.usage)"])
    }
    static func missingAttributes(_ k: BuiltinKind, _ missing: [String], at r: R) -> Diagnostic {
        error("missing-attribute", "'\(k.rawValue)' needs \(missing.joined(separator: " and "))", r, help: ["usage: \(k.usage)"])
    }
    static func joinNeedsBranches(_ op: String, at r: R) -> Diagnostic {
        error("join-branches", "'\(op)' needs two or more branches separated by '|'", r, help: ["for example \(op)(conv(3x3, 64, pad: 1) | id)"])
    }
    static func badAttributeValue(_ op: String, _ a: String, expected: String, found v: Value, at r: R) -> Diagnostic {
        let s: [String]
        if case .word(let w) = v { s = suggestion(w, expected.replacingPrefix("one of ").split(separator: ",").map { $0.trimmingSpaces() }) } else { s = [] }
        return error("bad-attribute", "'\(a)' of '\(op)' must be \(expected), found \(v.kindName)", r, help: s)
    }
    static func attributeTooSmall(_ op: String, _ a: String, _ v: Int, min: Int, at r: R) -> Diagnostic {
        error("attribute-too-small", "'\(a)' of '\(op)' must be at least \(min), found \(v)", r)
    }
    static func nestedList(at r: R) -> Diagnostic {
        error("nested-list", "lists cannot contain lists", r)
    }
    static func arithmeticOverflow(_ text: String, at r: R) -> Diagnostic {
        error("overflow", "\(text) is too large", r)
    }
    static func divisionByZero(at r: R) -> Diagnostic {
        error("division-by-zero", "division by zero", r)
    }
    static func inexactDivision(_ a: Int, _ b: Int, at r: R) -> Diagnostic {
        error("inexact-division", "\(a) / \(b) is not a whole number", r)
    }
    static func badArithmetic(_ x: Value, _ y: Value, product: Bool, at r: R) -> Diagnostic {
        if case .word(let w) = x { return error("unbound-name", "'\(w)' has no value", r) }
        if case .word(let w) = y { return error("unbound-name", "'\(w)' has no value", r) }
        return error("bad-arithmetic", "cannot \(product ? "multiply" : "divide") \(x.kindName) and \(y.kindName)", r)
    }
    static func listOutsideRepetition(_ v: Value, at r: R) -> Diagnostic {
        error("list-outside-repetition", "the list \(v.shortDescription) needs an enclosing [ ]*n repetition to step with", r,
              help: ["lists give one value per iteration of the innermost [ ... ]*n around their use"])
    }
    static func listLengthMismatch(_ v: Value, count: Int, at r: R, repetition: R) -> Diagnostic {
        guard case .list(let items) = v else { return error("list-length", "list length mismatch", r) }
        return error("list-length", "the list \(v.shortDescription) has \(items.count) value\(items.count == 1 ? "" : "s") but the repetition it steps with runs \(count) time\(count == 1 ? "" : "s")", r,
                     notes: [.init("the repetition", at: repetition)],
                     help: ["give the list \(count) value\(count == 1 ? "" : "s") (one per repetition), or change the count"])
    }
    static func expectedInteger(_ what: String, found v: Value, at r: R) -> Diagnostic {
        error("expected-integer", "\(what) must be a whole number, found \(v.kindName)", r)
    }
    static func duplicateLayerName(_ n: String, at r: R, first: R) -> Diagnostic {
        error("duplicate-layer-name", "two layers are named '\(n)'", r, notes: [.init("the other one", at: first)],
              help: ["layer names must be unique; put the repeated part inside [ ... ]@name so that its layers are numbered"])
    }
}

extension String {
    func replacingPrefix(_ p: String) -> String { hasPrefix(p) ? String(dropFirst(p.count)) : self }
}
extension Substring {
    func trimmingSpaces() -> String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
