// `cnnspec fmt`: prints a parsed spec in one canonical layout. It prints the syntax tree,
// never the source text, so the network cannot change; comments come back from the lexer.
// Spacing, indentation and the order of a built-in layer's named attributes are fixed;
// line breaks are the author's, kept where a list of items (chain, branches, arguments)
// broke in the source. The rules are in docs/FORMAT.md.

public enum SpecFormatter {
    /// The formatted text of a spec, or nil with the syntax errors when it does not parse.
    public static func format(path: String, source: String) -> (text: String?, diagnostics: [Diagnostic]) {
        let (file, diagnostics) = Parser.parse(path: path, source: source)
        if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
        var printer = FormatPrinter(comments: Lexer.comments(source))
        printer.file(file.statements)
        return (printer.text(), diagnostics)
    }

    /// Whether two sources have the same syntax tree (ignoring positions) and the same
    /// comments in the same order: what formatting must preserve.
    public static func sameSpec(_ a: String, _ b: String) -> Bool {
        let (fa, da) = Parser.parse(path: "a", source: a)
        let (fb, db) = Parser.parse(path: "b", source: b)
        guard !da.contains(where: { $0.severity == .error }), !db.contains(where: { $0.severity == .error }) else { return false }
        return fa.statements.map(\.normalized) == fb.statements.map(\.normalized)
            && Lexer.comments(a).map(\.text) == Lexer.comments(b).map(\.text)
    }

    /// A float literal that reads back as the same value: `0.001`, `1e-5`.
    static func floatLiteral(_ v: Double) -> String {
        if v.isInfinite { return v < 0 ? "-1e999" : "1e999" }
        var s = "\(v)"
        // Swift writes 1e-05; the exponent's leading zeros are noise.
        if let e = s.firstIndex(of: "e") {
            let mantissa = s[..<e]
            var exponent = s[s.index(after: e)...]
            var sign = ""
            if let f = exponent.first, f == "-" || f == "+" { sign = f == "-" ? "-" : ""; exponent = exponent.dropFirst() }
            while exponent.count > 1 && exponent.first == "0" { exponent = exponent.dropFirst() }
            s = mantissa + "e" + sign + exponent
        }
        return s
    }
}

/// One output line: its code (indent included), a trailing comment, and for a one-line
/// binding the width of its name (so runs of bindings align their `=`).
private struct OutLine {
    var code: String
    var comment: String?
    var bindingName: String?
    var isBlank: Bool { code.isEmpty && comment == nil }
}

/// Where an expression sits: bracket depth, whether the statement is the network line
/// (whose continuation lines start at column 0), and the extra indent of a chain that is
/// a branch of `|` (so `|` stands out from `-`).
private struct Context {
    var depth = 0
    var network = true
    var branch = false

    var indent: Int { 4 * (network ? depth : max(depth, 1)) + (branch ? 2 : 0) }
    var inside: Context { Context(depth: depth + 1, network: network, branch: false) }
}

private struct FormatPrinter {
    var comments: [Comment]
    var next = 0
    var lines: [OutLine] = []
    var current = ""
    /// Line breaks made inside statements so far.
    var breaks = 0

    init(comments: [Comment]) { self.comments = comments }

    // MARK: file and statements

    mutating func file(_ statements: [Statement]) {
        var lastLine = 0
        for s in statements {
            let (start, end) = s.lineSpan
            ownLineComments(before: start, after: &lastLine)
            if lastLine > 0 && start > lastLine + 1 && !(lines.last?.isBlank ?? true) { lines.append(OutLine(code: "")) }
            let first = lines.count, breaksBefore = breaks
            statement(s)
            // Comments left inside the statement follow it, as the next run sees them: between statements.
            endLine(flushingUpTo: end, indent: 0)
            if case .binding(let name, _, _) = s, breaks == breaksBefore { lines[first].bindingName = name }
            lastLine = end
        }
        ownLineComments(before: Int.max, after: &lastLine)
        while lines.last?.isBlank == true { lines.removeLast() }
    }

    /// Comments between statements, each on its line, keeping one blank line where the
    /// source had blank lines.
    mutating func ownLineComments(before line: Int, after lastLine: inout Int) {
        while next < comments.count, comments[next].line < line {
            let c = comments[next]
            if lastLine > 0 && c.line > lastLine + 1 && !(lines.last?.isBlank ?? true) { lines.append(OutLine(code: "")) }
            lines.append(OutLine(code: "", comment: c.text))
            lastLine = c.line
            next += 1
        }
    }

    mutating func statement(_ s: Statement) {
        let ctx = Context(network: s.isNetwork)
        switch s {
        case .input(let dims, _):
            current += "input " + dims.map(String.init).joined(separator: "x")
        case .binding(let name, let value, _):
            current += name + " = "
            expr(value, ctx)
        case .definition(let name, let parameters, let body, _):
            current += name + "(" + parameters.map(\.0).joined(separator: ", ") + ") = "
            expr(body, ctx)
        case .network(let e):
            expr(e, ctx)
        case .family(let name, let domain, _):
            current += name + " = "
            self.domain(domain, ctx)
        case .require(let r):
            current += "require " + r.text
        }
    }

    /// `{a, b}`, `lo...hi`, `[{on, off}]*M`.
    mutating func domain(_ d: DomainExpr, _ ctx: Context) {
        switch d {
        case .set(let values, _):
            current += "{"
            for (i, v) in values.enumerated() {
                if i > 0 { current += ", " }
                expr(v, ctx)
            }
            current += "}"
        case .range(let lo, let hi, _):
            current += "\(lo)...\(hi)"
        case .perStage(let inner, let count, _):
            current += "["
            domain(inner, ctx)
            current += "]*"
            expr(count, ctx)
        }
    }

    /// Ends the current line: the first pending comment, if it followed code, trails it;
    /// the other comments before `line` follow on their own lines at `indent`.
    mutating func endLine(flushingUpTo line: Int, indent: Int) {
        var trailing: String?
        var own: [String] = []
        while next < comments.count, comments[next].line <= line {
            if trailing == nil && own.isEmpty && comments[next].trailing { trailing = comments[next].text } else { own.append(comments[next].text) }
            next += 1
        }
        lines.append(OutLine(code: current, comment: trailing))
        for c in own { lines.append(OutLine(code: String(repeating: " ", count: indent), comment: c)) }
        current = ""
    }

    /// A line break before an item that starts on source line `line`.
    mutating func lineBreak(before line: Int, _ ctx: Context) {
        endLine(flushingUpTo: line - 1, indent: ctx.indent)
        breaks += 1
        current = String(repeating: " ", count: ctx.indent)
    }

    // MARK: expressions

    mutating func expr(_ e: Expr, _ ctx: Context) {
        switch e {
        case .integer(let v, _): current += String(v)
        case .float(let v, _): current += SpecFormatter.floatLiteral(v)
        case .size(let dims, _): current += dims.map(String.init).joined(separator: "x")
        case .name(let n, _): current += n
        case .call(let name, let args, let r, _):
            current += name + "("
            items(Self.canonicalOrder(name, args), ctx.inside, openLine: r.start.line, start: { $0.labelRange?.start.line ?? $0.value.range.start.line },
                  end: { $0.value.range.end.line }) { p, a, c in
                if let label = a.label { p.current += label + ": " }
                p.expr(a.value, c)
            }
            current += ")"
        case .chain(let parts, _):
            separated(parts, ctx, separator: "-", tight: parts.allSatisfy(Self.isPatternAtom))
        case .branches(let parts, _):
            separated(parts, ctx, separator: "|", tight: false)
        case .group(let inner, let square, let r):
            current += square ? "[" : "("
            if inner.range.start.line > r.start.line { lineBreak(before: inner.range.start.line, ctx.inside) }
            expr(inner, ctx.inside)
            current += square ? "]" : ")"
        case .list(let parts, _), .tuple(let parts, _):
            let square: Bool
            if case .list = e { square = true } else { square = false }
            current += square ? "[" : "("
            items(parts, ctx.inside, openLine: e.range.start.line, start: { $0.range.start.line }, end: { $0.range.end.line }) { p, x, c in p.expr(x, c) }
            current += square ? "]" : ")"
        case .star(let x, let n, _):
            expr(x, ctx); current += "*"; expr(n, ctx)
        case .slash(let x, let n, _):
            expr(x, ctx); current += "/"; expr(n, ctx)
        case .optional(let x, _):
            expr(x, ctx); current += "?"
        case .labeled(let x, let label, _):
            expr(x, ctx); current += "@" + label
        }
    }

    /// `a - b - c` or `a | b`: a break before an item that started a new source line, the
    /// operator leading the new line (so the line cannot end the statement).
    mutating func separated(_ parts: [Expr], _ ctx: Context, separator: String, tight: Bool) {
        var itemContext = ctx
        if separator == "|" { itemContext.branch = true }
        for (i, part) in parts.enumerated() {
            if i > 0 {
                if part.range.start.line > parts[i - 1].range.end.line {
                    lineBreak(before: part.range.start.line, ctx)
                    current += separator + " "
                } else {
                    current += tight ? separator : " \(separator) "
                }
            }
            expr(part, itemContext)
        }
    }

    /// Comma-separated items inside brackets; a break after the opening bracket or a comma
    /// where the source broke.
    mutating func items<T>(_ xs: [T], _ ctx: Context, openLine: Int, start: (T) -> Int, end: (T) -> Int,
                           _ body: (inout FormatPrinter, T, Context) -> Void) {
        for (i, x) in xs.enumerated() {
            if i == 0 && start(x) > openLine { lineBreak(before: start(x), ctx) }
            if i > 0 {
                current += ","
                if start(x) > end(xs[i - 1]) { lineBreak(before: start(x), ctx) } else { current += " " }
            }
            body(&self, x, ctx)
        }
    }

    /// A built-in layer's arguments: positional ones first as written, then the named ones
    /// in the order of BuiltinKind.attributes (its usage line). Definitions keep their order.
    static func canonicalOrder(_ name: String, _ args: [Argument]) -> [Argument] {
        guard let kind = BuiltinKind(rawValue: name) else { return args }
        let rank = { (a: Argument) -> Int in a.label.flatMap { kind.attributes.firstIndex(of: $0) } ?? kind.attributes.count }
        let positional = args.filter { $0.label == nil }
        let named = args.enumerated().filter { $0.element.label != nil }
            .sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        return positional + named
    }

    /// The lecture pattern's pieces, written without spaces: `(CONV-RELU)*N-POOL?`.
    static func isPatternAtom(_ e: Expr) -> Bool {
        switch e {
        case .name(let n, _): return n.contains(where: \.isLetter) && n == n.uppercased()
        case .integer(let v, _): return v >= 0
        case .optional(let x, _): return isPatternAtom(x)
        case .star(let x, let n, _): return isPatternAtom(x) && isPatternAtom(n)
        case .group(.chain(let parts, _), _, _): return parts.allSatisfy(isPatternAtom)
        case .group(let inner, _, _): return isPatternAtom(inner)
        case .float, .size, .call, .chain, .branches, .list, .tuple, .slash, .labeled: return false
        }
    }

    // MARK: layout

    /// Aligns the `=` of runs of one-line bindings and the comments of runs of lines that
    /// end in a comment, then joins the lines.
    func text() -> String {
        var out = lines
        var i = 0
        while i < out.count {
            var j = i
            while j < out.count, out[j].bindingName != nil { j += 1 }
            if j > i + 1 {
                let width = out[i..<j].map { $0.bindingName!.count }.max()!
                for k in i..<j {
                    let name = out[k].bindingName!
                    out[k].code = name + String(repeating: " ", count: width - name.count) + out[k].code.dropFirst(name.count)
                }
            }
            i = max(j, i + 1)
        }
        i = 0
        while i < out.count {
            var j = i
            while j < out.count, out[j].comment != nil, !out[j].code.allSatisfy({ $0 == " " }) { j += 1 }
            let column = out[i..<max(j, i)].map(\.code.count).max().map { $0 + 2 } ?? 0
            for k in i..<j { out[k].code += String(repeating: " ", count: column - out[k].code.count) }
            i = max(j, i + 1)
        }
        return out.map { ($0.code + ($0.comment ?? "")).trailingSpacesRemoved() + "\n" }.joined()
    }
}

extension Statement {
    var isNetwork: Bool { if case .network = self { return true } else { return false } }

    /// The first and last source line of the statement.
    var lineSpan: (Int, Int) {
        switch self {
        case .input(_, let r): return (r.start.line, r.end.line)
        case .binding(_, let v, let r): return (r.start.line, v.range.end.line)
        case .definition(_, _, let body, let r): return (r.start.line, body.range.end.line)
        case .network(let e): return (e.range.start.line, e.range.end.line)
        case .family(_, let d, let r): return (r.start.line, d.range.end.line)
        case .require(let r): return (r.range.start.line, r.range.end.line)
        }
    }

    /// The statement with every source range zeroed and built-in attributes in canonical
    /// order: trees that mean the same compare equal.
    var normalized: Statement {
        switch self {
        case .input(let dims, _): return .input(dims: dims, .none)
        case .binding(let n, let v, _): return .binding(name: n, value: v.normalized, nameRange: .none)
        case .definition(let n, let ps, let body, _):
            return .definition(name: n, parameters: ps.map { ($0.0, .none) }, body: body.normalized, nameRange: .none)
        case .network(let e): return .network(e.normalized)
        case .family(let n, let d, _): return .family(name: n, domain: d.normalized, nameRange: .none)
        case .require(var r): r.range = .none; return .require(r)
        }
    }
}

extension DomainExpr {
    var normalized: DomainExpr {
        switch self {
        case .set(let vs, _): return .set(vs.map(\.normalized), .none)
        case .range(let lo, let hi, _): return .range(lo, hi, .none)
        case .perStage(let d, let n, _): return .perStage(d.normalized, count: n.normalized, .none)
        }
    }
}

extension Expr {
    /// The tree with every source range zeroed and built-in attributes in canonical order.
    var normalized: Expr {
        switch self {
        case .integer(let v, _): return .integer(v, .none)
        case .float(let v, _): return .float(v, .none)
        case .size(let v, _): return .size(v, .none)
        case .name(let n, _): return .name(n, .none)
        case .call(let n, let args, _, _):
            let ordered = FormatPrinter.canonicalOrder(n, args)
            return .call(n, ordered.map { Argument(label: $0.label, labelRange: nil, value: $0.value.normalized) }, .none, nameRange: .none)
        case .chain(let xs, _): return .chain(xs.map(\.normalized), .none)
        case .branches(let xs, _): return .branches(xs.map(\.normalized), .none)
        case .group(let x, let square, _): return .group(x.normalized, square: square, .none)
        case .list(let xs, _): return .list(xs.map(\.normalized), .none)
        case .tuple(let xs, _): return .tuple(xs.map(\.normalized), .none)
        case .star(let x, let n, _): return .star(x.normalized, n.normalized, .none)
        case .slash(let x, let n, _): return .slash(x.normalized, n.normalized, .none)
        case .optional(let x, _): return .optional(x.normalized, .none)
        case .labeled(let x, let l, _): return .labeled(x.normalized, l, .none)
        }
    }
}

extension SourceRange {
    fileprivate static let none = SourceRange(SourceLocation(line: 0, column: 0), SourceLocation(line: 0, column: 0))
}
