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
        if case .identifier(let name) = current.kind {
            // NAME = ..., NAME? = ...
            if peekKind(1) == .equals || (peekKind(1) == .question && peekKind(2) == .equals) {
                let nameToken = advance()
                var full = name
                if accept(.question) != nil { full += "?" }
                _ = advance() // =
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
