// Renders diagnostics as the Swift compiler and Go do:
//   path:line:col: error: message
//     4 | net = conv(3x3, 8, stride: 3) - relu
//       |       ^~~~~~~~~~~~~~~~~~~~~~~
//   note: ...
//   help: ...

public struct DiagnosticRenderer {
    public var path: String
    private let lines: [Substring]
    public init(path: String, source: String) {
        self.path = path
        // Split on scalars: in Swift "\r\n" is one Character, and the lexer counts lines by "\n".
        lines = source.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var s = Substring(line)
            if s.unicodeScalars.last == "\r" { s.unicodeScalars.removeLast() }
            return s
        }
    }

    public func render(_ d: Diagnostic) -> String {
        var cache: [Int: [Unicode.Scalar]] = [:]
        return render(d, &cache)
    }

    public func render(_ ds: [Diagnostic]) -> String {
        var cache: [Int: [Unicode.Scalar]] = [:]
        return ds.map { render($0, &cache) }.joined()
    }

    /// `cache` holds the scalars of the lines shown so far: a long line is decoded once.
    private func render(_ d: Diagnostic, _ cache: inout [Int: [Unicode.Scalar]]) -> String {
        var out = ""
        if let r = d.range {
            out += "\(path):\(r.start.line):\(r.start.column): \(d.severity.rawValue): \(d.message)\n"
            out += excerpt(r, &cache)
        } else {
            out += "\(path): \(d.severity.rawValue): \(d.message)\n"
        }
        for n in d.notes {
            if let r = n.range {
                out += "\(path):\(r.start.line):\(r.start.column): note: \(n.message)\n"
                out += excerpt(r, &cache)
            } else {
                out += "note: \(n.message)\n"
            }
        }
        for h in d.help { out += "help: \(h)\n" }
        return out
    }

    /// The source line with a caret under the range (to the end of the line if it spans
    /// lines); a line longer than 100 characters is shown as a window around the caret.
    private func excerpt(_ r: SourceRange, _ cache: inout [Int: [Unicode.Scalar]]) -> String {
        guard r.start.line >= 1, r.start.line <= lines.count else { return "" }
        let scalars = cache[r.start.line] ?? Array(lines[r.start.line - 1].unicodeScalars)
        cache[r.start.line] = scalars
        var startCol = max(1, min(r.start.column, scalars.count + 1))
        var endCol = r.end.line == r.start.line ? max(startCol + 1, r.end.column) : scalars.count + 1
        let window = 100
        var from = 0, to = scalars.count
        if scalars.count > window {
            from = max(0, startCol - 1 - window / 4)
            to = min(scalars.count, from + window)
        }
        var text = String(String.UnicodeScalarView(scalars[from..<to].map { $0 == "\t" ? " " : $0 }))
        var shift = from
        if from > 0 { text = "..." + text; shift -= 3 }
        if to < scalars.count { text += "..." }
        startCol -= shift
        endCol = min(endCol - shift, text.unicodeScalars.count + 1)
        let number = String(r.start.line)
        let gutter = String(repeating: " ", count: number.count)
        let width = max(1, endCol - startCol)
        let marker = String(repeating: " ", count: startCol - 1) + "^" + String(repeating: "~", count: width - 1)
        return " \(number) | \(text)\n \(gutter) | \(marker)\n"
    }
}
