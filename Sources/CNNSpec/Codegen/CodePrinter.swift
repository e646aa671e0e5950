// A small code printer (after swift-protobuf's): lines at the current indentation, and
// blocks that close themselves, so no emitter ever counts braces.

public struct CodePrinter {
    public private(set) var text = ""
    private var indentation = ""
    public init() {}

    /// Prints one line (or several, each indented); an empty string prints an empty line.
    public mutating func line(_ s: String = "") {
        if s.isEmpty { text += "\n"; return }
        for l in s.split(separator: "\n", omittingEmptySubsequences: false) {
            text += l.isEmpty ? "\n" : indentation + l + "\n"
        }
    }

    /// `header {`, the body one level in, `}`.
    public mutating func block(_ header: String, _ body: (inout CodePrinter) -> Void) {
        line(header + " {")
        indent()
        body(&self)
        outdent()
        line("}")
    }

    public mutating func indent() { indentation += "    " }
    public mutating func outdent() { indentation.removeLast(4) }

    /// Prints text that carries its own indentation (the runtime), shifted to the current level.
    public mutating func verbatim(_ s: String) {
        for l in s.split(separator: "\n", omittingEmptySubsequences: false).dropLast(s.hasSuffix("\n") ? 1 : 0) {
            text += l.isEmpty ? "\n" : indentation + l + "\n"
        }
    }
}
