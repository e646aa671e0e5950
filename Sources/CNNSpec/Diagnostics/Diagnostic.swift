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
/// Go's rules keep the output useful: one error of a kind per line, at most `maxErrors`
/// errors and `maxWarnings` warnings, and no exact repeats.
public struct DiagnosticSink {
    public private(set) var diagnostics: [Diagnostic] = []
    public static let maxErrors = 50
    public static let maxWarnings = 200
    public private(set) var errorCount = 0
    private var warningCount = 0
    /// Errors offered, kept or not: a stage that keeps repeating itself is told to stop.
    private var offeredErrors = 0
    private var errorLines: Set<String> = []
    private var seen: Set<Diagnostic> = []
    public init() {}
    public var hasErrors: Bool { errorCount > 0 }
    /// True once no more errors will be kept: a stage may stop early.
    public var isFull: Bool { errorCount >= Self.maxErrors || offeredErrors >= 20 * Self.maxErrors }
    public mutating func add(_ d: Diagnostic) {
        if d.severity == .error {
            offeredErrors += 1
            if let r = d.range, !errorLines.insert("\(d.id) \(r.start.line)").inserted { return }
            if isFull { return }
            errorCount += 1
        } else {
            if warningCount >= Self.maxWarnings || !seen.insert(d).inserted { return }
            warningCount += 1
        }
        diagnostics.append(d)
    }
    public mutating func add(contentsOf ds: [Diagnostic]) { ds.forEach { add($0) } }
}
