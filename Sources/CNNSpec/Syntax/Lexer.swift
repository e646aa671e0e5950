// The lexer: source text to tokens. Newlines end statements only outside brackets and only
// when the line cannot continue: a line ending in `-`, `|`, `,`, `=` or `:` continues,
// and so does a line whose successor starts with `-` or `|`. Comments run from `#` to the
// end of the line.

public enum TokenKind: Equatable, Sendable {
    case identifier(String)
    case integer(Int)
    case float(Double)
    /// `3x3`, `32x32x3`: integers joined by `x` with no spaces.
    case size([Int])
    /// `@name`: a layer name or scope label (letters, digits, `_`, `.`, `%`).
    case label(String)
    case lparen, rparen, lbracket, rbracket, comma, colon, equals
    case minus, pipe, star, slash, question
    /// Family sets `{a, b}`, ranges `1...5` and requirements `params <= 5M` (docs/LANGUAGE.md, "Families").
    case lbrace, rbrace, ellipsis, less, lessEqual, greater, greaterEqual
    case newline
    case eof

    var spelling: String {
        switch self {
        case .identifier(let s): return "'\(s)'"
        case .integer(let i): return "'\(i)'"
        case .float(let d): return "'\(d)'"
        case .size(let v): return "'" + v.map(String.init).joined(separator: "x") + "'"
        case .label(let s): return "'@\(s)'"
        case .lparen: return "'('"
        case .rparen: return "')'"
        case .lbracket: return "'['"
        case .rbracket: return "']'"
        case .comma: return "','"
        case .colon: return "':'"
        case .equals: return "'='"
        case .minus: return "'-'"
        case .pipe: return "'|'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .question: return "'?'"
        case .lbrace: return "'{'"
        case .rbrace: return "'}'"
        case .ellipsis: return "'...'"
        case .less: return "'<'"
        case .lessEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterEqual: return "'>='"
        case .newline: return "end of line"
        case .eof: return "end of file"
        }
    }
}

public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var range: SourceRange
}

/// A comment as written, from `#` to the end of its line (trailing spaces removed). The
/// parser never sees comments; `cnnspec fmt` puts them back (SpecFormatter).
public struct Comment: Equatable, Sendable {
    public var text: String
    public var line: Int
    /// Whether code precedes the comment on its line.
    public var trailing: Bool
}

/// Largest integer literal accepted; larger ones are an error, not an overflow trap.
let maxLiteral = 1 << 53
/// Longest name or label accepted (layer names are built from labels).
let maxNameLength = 128
/// Longest full layer name (`scope.scope.layer`).
let maxFullNameLength = 256

struct Lexer {
    private let chars: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var column = 1
    private var depth = 0
    /// The last lookahead: the index of the first significant character after a run of
    /// blank lines, and whether it ends the statement (so blank lines cost O(1) each).
    private var lookahead: (end: Int, ends: Bool)?
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var comments: [Comment] = []

    init(_ text: String) {
        chars = Array(text.unicodeScalars)
        // A byte-order mark some editors write is not part of the spec.
        if chars.first == "\u{FEFF}" { i = 1 }
    }

    static func tokenize(_ text: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(text)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics)
    }

    /// The comments of a source text, in order.
    static func comments(_ text: String) -> [Comment] {
        var lexer = Lexer(text)
        lexer.run()
        return lexer.comments
    }

    private var location: SourceLocation { SourceLocation(line: line, column: column) }
    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < chars.count ? chars[i + k] : nil }

    private mutating func advance() {
        if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }

    private static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }
    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    /// Characters that can start a token, a comment or whitespace.
    private static func isKnown(_ c: Unicode.Scalar) -> Bool {
        isIdentPart(c) || " \t\r\n#()[]{},:=-|*/?@.<>".unicodeScalars.contains(c)
    }
    private static func isIdentPart(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || isDigit(c) }

    private mutating func emit(_ kind: TokenKind, from start: SourceLocation) {
        tokens.append(Token(kind: kind, range: SourceRange(start, location)))
    }

    /// Whether a newline here ends a statement (see the file header for the rule).
    private mutating func newlineEndsStatement() -> Bool {
        if depth > 0 { return false }
        guard let last = tokens.last else { return false }
        switch last.kind {
        case .newline, .minus, .pipe, .comma, .equals, .colon: return false
        default: break
        }
        // Look at the first significant character of the following lines.
        if let l = lookahead, i < l.end { return l.ends }
        var j = i + 1
        var ends = true
        while j < chars.count {
            let c = chars[j]
            if c == " " || c == "\t" || c == "\r" || c == "\n" { j += 1; continue }
            if c == "#" {
                while j < chars.count && chars[j] != "\n" { j += 1 }
                continue
            }
            ends = !(c == "-" || c == "|")
            break
        }
        lookahead = (j, ends)
        return ends
    }

    private mutating func run() {
        while let c = peek() {
            // Past this many errors the rest of the file is noise.
            if diagnostics.count >= DiagnosticSink.maxErrors { break }
            let start = location
            switch c {
            case " ", "\t", "\r":
                advance()
            case "\n":
                if newlineEndsStatement() { emit(.newline, from: start) }
                advance()
            case "#":
                var text = String.UnicodeScalarView()
                while let d = peek(), d != "\n" { text.append(d); advance() }
                while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
                comments.append(Comment(text: String(text), line: start.line, trailing: tokens.last?.range.end.line == start.line))
            case "(": advance(); depth += 1; emit(.lparen, from: start)
            case ")": advance(); depth = max(0, depth - 1); emit(.rparen, from: start)
            case "[": advance(); depth += 1; emit(.lbracket, from: start)
            case "]": advance(); depth = max(0, depth - 1); emit(.rbracket, from: start)
            case "{": advance(); depth += 1; emit(.lbrace, from: start)
            case "}": advance(); depth = max(0, depth - 1); emit(.rbrace, from: start)
            case "." where peek(1) == "." && peek(2) == ".":
                advance(); advance(); advance(); emit(.ellipsis, from: start)
            case "<", ">":
                advance()
                let orEqual = peek() == "="
                if orEqual { advance() }
                emit(c == "<" ? (orEqual ? .lessEqual : .less) : (orEqual ? .greaterEqual : .greater), from: start)
            case ",": advance(); emit(.comma, from: start)
            case ":": advance(); emit(.colon, from: start)
            case "=": advance(); emit(.equals, from: start)
            case "-": advance(); emit(.minus, from: start)
            case "|": advance(); emit(.pipe, from: start)
            case "*": advance(); emit(.star, from: start)
            case "/": advance(); emit(.slash, from: start)
            case "?": advance(); emit(.question, from: start)
            case "@":
                advance()
                var name = ""
                while let d = peek(), Self.isIdentPart(d) || d == "." || d == "%" { name.unicodeScalars.append(d); advance() }
                if name.isEmpty {
                    diagnostics.append(Messages.expectedLabel(at: SourceRange(start, location)))
                } else if name.count > maxNameLength {
                    diagnostics.append(Messages.nameTooLong(length: name.count, limit: maxNameLength, at: SourceRange(start, location)))
                } else {
                    emit(.label(name), from: start)
                }
            default:
                if Self.isDigit(c) || (c == "." && peek(1).map(Self.isDigit) == true) {
                    lexNumber(start)
                } else if Self.isIdentStart(c) {
                    var name = ""
                    while let d = peek(), Self.isIdentPart(d) { name.unicodeScalars.append(d); advance() }
                    if name.count > maxNameLength {
                        diagnostics.append(Messages.nameTooLong(length: name.count, limit: maxNameLength, at: SourceRange(start, location)))
                    }
                    emit(.identifier(name), from: start)
                } else {
                    // One error for a run of stray characters.
                    advance()
                    while let d = peek(), !Self.isKnown(d) { advance() }
                    diagnostics.append(Messages.unexpectedCharacter(c, at: SourceRange(start, location)))
                }
            }
        }
        if let last = tokens.last, last.kind != .newline { tokens.append(Token(kind: .newline, range: SourceRange(last.range.end, last.range.end))) }
        tokens.append(Token(kind: .eof, range: SourceRange(location, location)))
    }

    private mutating func digits() -> String {
        var s = ""
        while let d = peek(), Self.isDigit(d) || d == "_" { if d != "_" { s.unicodeScalars.append(d) }; advance() }
        return s
    }

    private mutating func integerValue(_ s: String, _ start: SourceLocation) -> Int {
        if let v = Int(s), v <= maxLiteral { return v }
        diagnostics.append(Messages.numberTooLarge(s, at: SourceRange(start, location)))
        return 0
    }

    /// Unit suffixes a number may carry: k, M, G (powers of 1000) and KiB, MiB, GiB (of 1024).
    static let suffixes: [(String, Int)] = [("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000),
                                            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30)]

    /// Consumes a unit suffix that ends the number (not followed by more letters or digits).
    private mutating func suffixScale() -> Int? {
        for (text, scale) in Self.suffixes {
            let n = text.unicodeScalars.count
            guard Array(text.unicodeScalars).enumerated().allSatisfy({ peek($0.offset) == $0.element }) else { continue }
            if let after = peek(n), Self.isIdentPart(after) { continue }
            for _ in 0..<n { advance() }
            return scale
        }
        return nil
    }

    private mutating func lexNumber(_ start: SourceLocation) {
        var text = digits()
        var isFloat = false
        if peek() == ".", let n = peek(1), Self.isDigit(n) {
            isFloat = true; text += "."; advance(); text += digits()
        }
        if let e = peek(), e == "e" || e == "E",
           let n = peek(1), Self.isDigit(n) || ((n == "-" || n == "+") && peek(2).map(Self.isDigit) == true) {
            isFloat = true
            text += "e"; advance()
            if let sign = peek(), sign == "-" || sign == "+" { text.unicodeScalars.append(sign); advance() }
            text += digits()
        }
        if let scale = suffixScale() {
            // `5M`, `1.5G`, `512KiB`: a count with a unit, for requirements (an exact integer).
            let v = (Double(text) ?? 0) * Double(scale)
            guard v == v.rounded(), v <= Double(maxLiteral) else {
                diagnostics.append(v == v.rounded() ? Messages.numberTooLarge(text, at: SourceRange(start, location)) : Messages.malformedNumber(at: SourceRange(start, location)))
                return
            }
            emit(.integer(Int(v)), from: start)
            return
        }
        if isFloat {
            emit(.float(Double(text) ?? 0), from: start)
            return
        }
        var parts = [integerValue(text, start)]
        // `3x3`, `32x32x3`: an x directly between digits.
        while peek() == "x", let n = peek(1), Self.isDigit(n) {
            advance()
            parts.append(integerValue(digits(), start))
        }
        if let d = peek(), Self.isIdentStart(d) {
            // `3x` or `12abc`: a number glued to letters is a typo, say so.
            while let d = peek(), Self.isIdentPart(d) { advance() }
            diagnostics.append(Messages.malformedNumber(at: SourceRange(start, location)))
            return
        }
        emit(parts.count == 1 ? .integer(parts[0]) : .size(parts), from: start)
    }
}
