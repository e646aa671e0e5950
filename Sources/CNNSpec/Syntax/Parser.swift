// The parser: tokens to a SpecFile. One function per grammar rule (docs/LANGUAGE.md has
// the grammar). On an error it records a diagnostic, skips to the next statement and goes
// on, so one run reports every syntax error; the pipeline stops after this stage if any.
//
//   statement := "input" SIZE | NAME ["?"] "=" alt | NAME "(" params ")" "=" alt | alt
//   alt       := chain { "|" chain }
//   chain     := term { "-" term }
//   term      := primary { "*" primary | "/" primary | "?" | LABEL }
//   primary   := INT | FLOAT | SIZE | NAME [ "(" args ")" ] | "(" alt {"," alt} ")" | "[" alt {"," alt} "]"

/// Nesting deeper than this is refused with an error instead of exhausting the stack.
let maxNesting = 200
/// Depth of a statement's syntax tree (brackets, calls and postfix operators such as `*n`
/// and `@label`, which nest one level each), so that walking it never exhausts the stack.
let maxTreeDepth = 1_000

struct Parser {
    private var tokens: [Token]
    private var p = 0
    private var depth = 0
    /// The depth of the tree the last parse function returned.
    private var treeDepth = 0
    private(set) var diagnostics: [Diagnostic] = []

    init(tokens: [Token]) { self.tokens = tokens }

    static func parse(path: String, source: String) -> (SpecFile, [Diagnostic]) {
        let (tokens, lexDiagnostics) = Lexer.tokenize(source)
        var parser = Parser(tokens: tokens)
        let statements = parser.file()
        // A bad character already has its error; what the parser then trips over on that line is noise.
        let noisyLines = Set(lexDiagnostics.compactMap { $0.range?.start.line })
        let parseDiagnostics = parser.diagnostics.filter { !noisyLines.contains($0.range?.start.line ?? 0) }
        return (SpecFile(path: path, source: source, statements: statements), lexDiagnostics + parseDiagnostics)
    }

    /// Parses a `-D NAME=VALUE` value with the grammar of the right-hand side of a binding.
    static func parseValue(_ text: String) -> (Expr?, [Diagnostic]) {
        let (tokens, lexDiagnostics) = Lexer.tokenize(text)
        var parser = Parser(tokens: tokens)
        let e = try? parser.alt()
        if e != nil, parser.current.kind != .newline && parser.current.kind != .eof {
            parser.diagnostics.append(Messages.expected("end of value", found: parser.current))
            return (nil, lexDiagnostics + parser.diagnostics)
        }
        return (e, lexDiagnostics + parser.diagnostics)
    }

    /// Parses a `-D NAME=VALUE` value that is a family domain (`1...5`, `{0, 2}`, `[{on, off}]*M`);
    /// nil when the text does not start like one.
    static func parseDomain(_ text: String) -> (DomainExpr?, [Diagnostic])? {
        let (tokens, lexDiagnostics) = Lexer.tokenize(text)
        var parser = Parser(tokens: tokens)
        guard parser.startsDomain() else { return nil }
        let d = try? parser.domain()
        if d != nil, parser.current.kind != .newline && parser.current.kind != .eof {
            parser.diagnostics.append(Messages.expected("end of value", found: parser.current))
            return (nil, lexDiagnostics + parser.diagnostics)
        }
        return (d, lexDiagnostics + parser.diagnostics)
    }

    // MARK: tokens

    private var current: Token { tokens[p] }
    private func peekKind(_ k: Int) -> TokenKind { tokens[min(p + k, tokens.count - 1)].kind }
    @discardableResult private mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }
    private mutating func accept(_ k: TokenKind) -> Token? {
        if current.kind == k { return advance() }
        return nil
    }
    private struct Failed: Error {}
    private mutating func expect(_ k: TokenKind, _ what: String, opener: SourceRange? = nil) throws -> Token {
        if let t = accept(k) { return t }
        diagnostics.append(Messages.expected(what, found: current, opener: opener))
        throw Failed()
    }

    // MARK: statements

    private mutating func file() -> [Statement] {
        var out: [Statement] = []
        while current.kind != .eof && diagnostics.count < DiagnosticSink.maxErrors {
            if accept(.newline) != nil { continue }
            do {
                out.append(try statement())
                if current.kind != .newline && current.kind != .eof {
                    diagnostics.append(Messages.expected("end of statement", found: current))
                    throw Failed()
                }
            } catch {
                // Recover: skip to the end of this statement.
                while current.kind != .newline && current.kind != .eof { advance() }
            }
        }
        return out
    }

    private mutating func statement() throws -> Statement {
        if case .identifier("input") = current.kind, case .size = peekKind(1) {
            let start = advance()
            guard case .size(let dims) = advance().kind else { throw Failed() }
            let r = start.range.union(tokens[p - 1].range)
            return .input(dims: dims, r)
        }
        if case .identifier("input") = current.kind {
            diagnostics.append(Messages.badInput(at: current.range.union(tokens[min(p + 1, tokens.count - 1)].range)))
            throw Failed()
        }
        if case .identifier("require") = current.kind, case .identifier = peekKind(1) {
            return .require(try requirement())
        }
        if case .identifier(let name) = current.kind {
            // NAME = ..., NAME? = ...
            if peekKind(1) == .equals || (peekKind(1) == .question && peekKind(2) == .equals) {
                let nameToken = advance()
                var full = name
                if accept(.question) != nil { full += "?" }
                _ = advance() // =
                if startsDomain() { return .family(name: full, domain: try domain(), nameRange: nameToken.range) }
                let value = try alt()
                return .binding(name: full, value: value, nameRange: nameToken.range)
            }
            // name(a, b) = ... : look for `)` followed by `=`.
            if peekKind(1) == .lparen, let close = matchingParen(from: p + 1), tokens[close + 1].kind == .equals {
                let nameToken = advance()
                _ = advance() // (
                var params: [(String, SourceRange)] = []
                if current.kind != .rparen {
                    repeat {
                        guard case .identifier(let param) = current.kind else {
                            diagnostics.append(Messages.expected("parameter name", found: current))
                            throw Failed()
                        }
                        params.append((param, advance().range))
                    } while accept(.comma) != nil
                }
                _ = try expect(.rparen, "')'")
                _ = try expect(.equals, "'='")
                let body = try alt()
                return .definition(name: name, parameters: params, body: body, nameRange: nameToken.range)
            }
        }
        return .network(try alt())
    }

    // MARK: families

    /// Whether a family domain starts here: `{`, `lo...`, or `[` followed by one of those.
    private func startsDomain() -> Bool {
        func at(_ k: Int) -> Bool {
            switch peekKind(k) {
            case .lbrace: return true
            case .integer: return peekKind(k + 1) == .ellipsis
            case .minus:
                if case .integer = peekKind(k + 1) { return peekKind(k + 2) == .ellipsis }
                return false
            default: return false
            }
        }
        return at(0) || (peekKind(0) == .lbracket && at(1))
    }

    ///   domain := "{" alt { "," alt } "}" | ["-"] INTEGER "..." ["-"] INTEGER | "[" domain "]" "*" primary
    private mutating func domain() throws -> DomainExpr {
        let t = current
        switch t.kind {
        case .lbrace:
            return try nested { parser in
                parser.advance()
                var items = [try parser.alt()]
                while parser.accept(.comma) != nil { items.append(try parser.alt()) }
                let close = try parser.expect(.rbrace, "'}' or ','", opener: t.range)
                return .set(items, t.range.union(close.range))
            }
        case .lbracket:
            return try nested { parser in
                parser.advance()
                let inner = try parser.domain()
                _ = try parser.expect(.rbracket, "']'", opener: t.range)
                _ = try parser.expect(.star, "'*' and the number of stages")
                let n = try parser.primary()
                return .perStage(inner, count: n, t.range.union(n.range))
            }
        default:
            let lo = try boundInteger()
            _ = try expect(.ellipsis, "'...'")
            let hi = try boundInteger()
            return .range(lo, hi, t.range.union(tokens[p - 1].range))
        }
    }

    /// An integer bound of a range, possibly negative.
    private mutating func boundInteger() throws -> Int {
        let negative = accept(.minus) != nil
        guard case .integer(let v) = current.kind else {
            diagnostics.append(Messages.expected("a whole number", found: current))
            throw Failed()
        }
        advance()
        return negative ? -v : v
    }

    ///   requirement := "require" NAME ( "<" | "<=" | ">" | ">=" ) ( INTEGER | "input" )
    private mutating func requirement() throws -> Requirement {
        let start = advance()
        let metricToken = advance()
        guard case .identifier(let m) = metricToken.kind, let metric = Requirement.Metric(rawValue: m) else {
            diagnostics.append(Messages.unknownMetric(metricToken))
            throw Failed()
        }
        let comparison: Requirement.Comparison
        switch current.kind {
        case .less: comparison = .less
        case .lessEqual: comparison = .lessEqual
        case .greater: comparison = .greater
        case .greaterEqual: comparison = .greaterEqual
        default:
            diagnostics.append(Messages.expected("'<=', '<', '>=' or '>'", found: current))
            throw Failed()
        }
        advance()
        let boundToken = advance()
        let bound: Requirement.Bound
        switch boundToken.kind {
        case .integer(let n): bound = .number(n)
        case .identifier("input") where metric == .rf: bound = .input
        case .identifier("input"):
            diagnostics.append(Messages.inputBoundNeedsRF(metric, at: boundToken.range))
            throw Failed()
        default:
            diagnostics.append(Messages.expected("a number such as 5M or 1G\(metric == .rf ? ", or input" : "")", found: boundToken))
            throw Failed()
        }
        return Requirement(metric: metric, comparison: comparison, bound: bound, range: start.range.union(boundToken.range))
    }

    private func matchingParen(from open: Int) -> Int? {
        var d = 0
        var k = open
        while k < tokens.count {
            switch tokens[k].kind {
            case .lparen, .lbracket: d += 1
            case .rparen, .rbracket:
                d -= 1
                if d == 0 { return k + 1 < tokens.count ? k : nil }
            case .newline, .eof: return nil
            default: break
            }
            k += 1
        }
        return nil
    }

    // MARK: expressions

    private mutating func nested<T>(_ body: (inout Parser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > maxNesting {
            diagnostics.append(Messages.nestingTooDeep(limit: maxNesting, at: current.range))
            throw Failed()
        }
        return try body(&self)
    }

    mutating func alt() throws -> Expr {
        let first = try chain()
        guard current.kind == .pipe else { return first }
        var items = [first]
        var depth = treeDepth
        while accept(.pipe) != nil { items.append(try chain()); depth = max(depth, treeDepth) }
        treeDepth = depth + 1
        return .branches(items, first.range.union(items.last!.range))
    }

    private mutating func chain() throws -> Expr {
        let first = try term()
        guard current.kind == .minus else { return first }
        var items = [first]
        var depth = treeDepth
        while accept(.minus) != nil { items.append(try term()); depth = max(depth, treeDepth) }
        treeDepth = depth + 1
        return .chain(items, first.range.union(items.last!.range))
    }

    private mutating func term() throws -> Expr {
        var e = try primary()
        var depth = treeDepth
        while true {
            switch current.kind {
            case .star:
                advance()
                let n = try primary()
                depth = max(depth, treeDepth) + 1
                e = .star(e, n, e.range.union(n.range))
            case .slash:
                advance()
                let n = try primary()
                depth = max(depth, treeDepth) + 1
                e = .slash(e, n, e.range.union(n.range))
            case .question:
                let q = advance()
                depth += 1
                e = .optional(e, e.range.union(q.range))
            case .label(let name):
                let l = advance()
                depth += 1
                e = .labeled(e, name, e.range.union(l.range))
            default:
                treeDepth = depth
                return e
            }
            if depth > maxTreeDepth {
                diagnostics.append(Messages.nestingTooDeep(limit: maxTreeDepth, at: tokens[p - 1].range))
                throw Failed()
            }
        }
    }

    private mutating func primary() throws -> Expr {
        let t = current
        switch t.kind {
        case .integer(let v): advance(); treeDepth = 1; return .integer(v, t.range)
        case .float(let v): advance(); treeDepth = 1; return .float(v, t.range)
        case .size(let v): advance(); treeDepth = 1; return .size(v, t.range)
        case .minus:
            // A negative literal: `-1` where a value starts (a chain's `-` follows a complete term).
            switch peekKind(1) {
            case .integer(let v): advance(); let n = advance(); treeDepth = 1; return .integer(-v, t.range.union(n.range))
            case .float(let v): advance(); let n = advance(); treeDepth = 1; return .float(-v, t.range.union(n.range))
            default: break
            }
            diagnostics.append(Messages.expected("a layer, a name or a number", found: t))
            throw Failed()
        case .identifier(let name):
            advance()
            guard current.kind == .lparen else { treeDepth = 1; return .name(name, t.range) }
            return try nested { parser in
                parser.advance()
                var args: [Argument] = []
                var depth = 0
                if parser.current.kind != .rparen {
                    repeat {
                        if case .identifier(let label) = parser.current.kind, parser.peekKind(1) == .colon {
                            let l = parser.advance()
                            parser.advance()
                            args.append(Argument(label: label, labelRange: l.range, value: try parser.alt()))
                        } else {
                            args.append(Argument(label: nil, labelRange: nil, value: try parser.alt()))
                        }
                        depth = max(depth, parser.treeDepth)
                    } while parser.accept(.comma) != nil
                }
                let close = try parser.expect(.rparen, "')' or ','", opener: t.range)
                parser.treeDepth = depth + 1
                return .call(name, args, t.range.union(close.range), nameRange: t.range)
            }
        case .lparen, .lbracket:
            let square = t.kind == .lbracket
            return try nested { parser in
                parser.advance()
                var items = [try parser.alt()]
                var depth = parser.treeDepth
                while parser.accept(.comma) != nil { items.append(try parser.alt()); depth = max(depth, parser.treeDepth) }
                let close = try parser.expect(square ? .rbracket : .rparen, square ? "']' or ','" : "')' or ','", opener: t.range)
                parser.treeDepth = depth + 1
                let r = t.range.union(close.range)
                if items.count == 1 { return .group(items[0], square: square, r) }
                return square ? .list(items, r) : .tuple(items, r)
            }
        default:
            diagnostics.append(Messages.expected("a layer, a name or a number", found: t))
            throw Failed()
        }
    }
}
