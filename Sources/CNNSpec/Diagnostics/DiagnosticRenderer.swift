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
        lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    public func render(_ d: Diagnostic) -> String {
        var out = ""
        if let r = d.range {
            out += "\(path):\(r.start.line):\(r.start.column): \(d.severity.rawValue): \(d.message)\n"
            out += excerpt(r)
        } else {
            out += "\(path): \(d.severity.rawValue): \(d.message)\n"
        }
        for n in d.notes {
            if let r = n.range {
                out += "\(path):\(r.start.line):\(r.start.column): note: \(n.message)\n"
                out += excerpt(r)
            } else {
                out += "note: \(n.message)\n"
            }
        }
        for h in d.help { out += "help: \(h)\n" }
        return out
    }

    public func render(_ ds: [Diagnostic]) -> String { ds.map(render).joined() }

    /// The source line with a caret under the range (to the end of the line if it spans lines).
    private func excerpt(_ r: SourceRange) -> String {
        guard r.start.line >= 1, r.start.line <= lines.count else { return "" }
        let text = String(lines[r.start.line - 1]).replacingTabs()
        let number = String(r.start.line)
        let gutter = String(repeating: " ", count: number.count)
        let startCol = max(1, min(r.start.column, text.unicodeScalars.count + 1))
        let endCol = r.end.line == r.start.line ? max(startCol + 1, r.end.column) : text.unicodeScalars.count + 1
        let width = max(1, endCol - startCol)
        let marker = String(repeating: " ", count: startCol - 1) + "^" + String(repeating: "~", count: width - 1)
        return " \(number) | \(text)\n \(gutter) | \(marker)\n"
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) })
    }
}
