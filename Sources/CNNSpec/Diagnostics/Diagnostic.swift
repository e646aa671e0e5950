// Diagnostics are values: a severity, a stable id, a message phrased as the broken rule,
// a source range, notes and help lines. They are rendered once, by DiagnosticRenderer.
// The messages themselves are built in Messages.swift, one place for all of them.

/// A position in a source file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Hashable, Comparable, Sendable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A half-open range of source text, `start ..< end`, inside one file.
public struct SourceRange: Hashable, Sendable {
    public var start: SourceLocation
    public var end: SourceLocation
    public init(_ start: SourceLocation, _ end: SourceLocation) { self.start = start; self.end = end }
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}

public enum Severity: String, Sendable, Codable {
    case error, warning
}

/// One diagnostic. `id` is stable (tests and tools match on it); `message` is lowercase,
/// without a final period, phrased as the rule that was broken.
public struct Diagnostic: Error, Hashable, Sendable {
    public struct Note: Hashable, Sendable {
        public var message: String
        public var range: SourceRange?
        public init(_ message: String, at range: SourceRange? = nil) { self.message = message; self.range = range }
    }
    public var severity: Severity
    public var id: String
    public var message: String
    public var range: SourceRange?
    public var notes: [Note]
    public var help: [String]
    /// The layer the diagnostic concerns, when there is one (reports show it beside the layer).
    public var layer: String?

    public init(_ severity: Severity, _ id: String, _ message: String, at range: SourceRange?,
                notes: [Note] = [], help: [String] = [], layer: String? = nil) {
        self.severity = severity; self.id = id; self.message = message; self.range = range
        self.notes = notes; self.help = help; self.layer = layer
    }
}

/// What a stage hands on when it fails: every diagnostic it found (errors and warnings).
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Collects diagnostics inside a stage: stages recover and keep going, and stop between stages.
public struct DiagnosticSink {
    public private(set) var diagnostics: [Diagnostic] = []
    /// At most this many errors are kept; the rest are counted and summarized.
    public static let maxErrors = 50
    public private(set) var droppedErrors = 0
    public init() {}
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public mutating func add(_ d: Diagnostic) {
        if d.severity == .error {
            // Go's rule: one error per line is enough, and a cap on the count.
            if let r = d.range, diagnostics.contains(where: { $0.severity == .error && $0.range?.start.line == r.start.line && $0.id == d.id }) { return }
            if diagnostics.filter({ $0.severity == .error }).count >= Self.maxErrors { droppedErrors += 1; return }
        } else if diagnostics.contains(d) {
            return
        }
        diagnostics.append(d)
    }
    public mutating func add(contentsOf ds: [Diagnostic]) { ds.forEach { add($0) } }
}
