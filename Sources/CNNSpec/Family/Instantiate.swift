// `cnnspec instantiate`: a spec with its -D values written in, so that one member of a
// family (or any spec with overrides) is a concrete file that every command accepts.
// The file is kept as written except the statements the defines replace; a name the file
// does not bind gets a binding after the input line.

public enum Instantiate {
    /// The spec text with every define bound in it. Each define must be a single value.
    public static func render(_ file: SpecFile, defines: [Define], origin: String) -> String {
        var source = Array(file.source.unicodeScalars)
        if source.first == "\u{FEFF}" { source.removeFirst() }
        // Scalar offset of each line start (lines split by "\n", as the lexer counts them).
        var lineStarts = [0]
        for (i, c) in source.enumerated() where c == "\n" { lineStarts.append(i + 1) }
        func offset(_ l: SourceLocation) -> Int { min(source.count, lineStarts[min(l.line, lineStarts.count) - 1] + l.column - 1) }

        var byName: [String: Define] = [:]
        for d in defines { byName[d.name] = d }
        var replaced: Set<String> = []
        var edits: [(start: Int, end: Int, text: String)] = []
        var inputLineEnd = 0
        for statement in file.statements {
            switch statement {
            case .binding(let name, let value, let r):
                if let d = byName[name] { edits.append((offset(r.start), offset(value.range.end), "\(name) = \(d.value)")); replaced.insert(name) }
            case .family(let name, let domain, let r):
                if let d = byName[name] { edits.append((offset(r.start), offset(domain.range.end), "\(name) = \(d.value)")); replaced.insert(name) }
            case .input(_, let r):
                inputLineEnd = lineStarts.count > r.end.line ? lineStarts[r.end.line] : source.count
            case .definition, .network, .require:
                break
            }
        }
        let added = defines.filter { !replaced.contains($0.name) }.map { "\($0.name) = \($0.value)\n" }.joined()
        if !added.isEmpty { edits.append((inputLineEnd, inputLineEnd, (inputLineEnd > 0 && source[inputLineEnd - 1] != "\n" ? "\n" : "") + added)) }

        var out = String.UnicodeScalarView()
        let header = "# instantiated by cnnspec from \(origin)" + (defines.isEmpty ? "" : " with " + defines.map { "\($0.name)=\($0.value)" }.joined(separator: " ")) + "\n"
        out.append(contentsOf: header.unicodeScalars)
        var at = 0
        // Statements do not overlap; an insertion sorts before a replacement at the same place.
        for e in edits.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) where e.start >= at {
            out.append(contentsOf: source[at..<e.start])
            out.append(contentsOf: e.text.unicodeScalars)
            at = e.end
        }
        out.append(contentsOf: source[at...])
        if out.last != "\n" { out.append("\n") }
        return String(out)
    }
}
