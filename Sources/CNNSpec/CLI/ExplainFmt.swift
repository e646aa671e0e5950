// The teaching and tidying commands: `cnnspec explain` (every number as worked arithmetic)
// and `cnnspec fmt` (one canonical layout). Their argv parsing and their driver steps.

/// What `fmt` does with the formatted text.
public enum FormatMode: String, Equatable, Sendable {
    /// Print it on stdout.
    case print
    /// Exit 1 when a file differs from it.
    case check
    /// Rewrite the file in place.
    case write
}

extension Command {
    /// `explain FILE [LAYER...] [-D NAME=VALUE]... [--format text|markdown]`
    static func parseExplain(_ args: [String]) throws -> Command {
        var path: String?
        var layers: [String] = []
        var defines: [Define] = []
        var format: ExplainFormat?
        var i = 1
        func setFormat(_ v: String) throws {
            if format != nil { throw UsageError(message: "--format is given twice", topic: "explain") }
            guard let f = ExplainFormat(rawValue: v) else {
                throw UsageError(message: "unknown format '\(v)'; choose one of \(ExplainFormat.allCases.map(\.rawValue).joined(separator: ", "))", topic: "explain")
            }
            format = f
        }
        while i < args.count {
            let a = args[i]
            switch a {
            case "-h", "--help": return .help(topic: "explain")
            case "-D", "--define", "-f", "--format":
                i += 1
                guard i < args.count else { throw UsageError(message: "\(a) needs a value", topic: "explain") }
                if a == "-D" || a == "--define" { defines.append(try parseDefine(args[i], topic: "explain")) } else { try setFormat(args[i]) }
            default:
                if a.hasPrefix("-D"), a.count > 2 {
                    defines.append(try parseDefine(String(a.dropFirst(2)), topic: "explain"))
                } else if a.hasPrefix("--format=") {
                    try setFormat(String(a.dropFirst("--format=".count)))
                } else if a.hasPrefix("-") && a != "-" {
                    throw UsageError(message: "unknown option '\(a)'", topic: "explain")
                } else if path == nil {
                    path = a
                } else {
                    layers.append(a)
                }
            }
            i += 1
        }
        guard let path else { throw UsageError(message: "missing spec file", topic: "explain") }
        var seen: Set<String> = []
        for d in defines where !seen.insert(d.name).inserted {
            throw UsageError(message: "-D \(d.name) is given twice", topic: "explain")
        }
        return .explain(path: path, layers: layers, defines: defines, format: format ?? .text)
    }

    /// `fmt FILE... [--check | -w]`: several files only with --check or -w.
    static func parseFmt(_ args: [String]) throws -> Command {
        var paths: [String] = []
        var mode = FormatMode.print
        for a in args.dropFirst() {
            switch a {
            case "-h", "--help": return .help(topic: "fmt")
            case "--check", "-w", "--write":
                let m: FormatMode = a == "--check" ? .check : .write
                if mode != .print && mode != m { throw UsageError(message: "--check and -w exclude each other", topic: "fmt") }
                mode = m
            default:
                if a.hasPrefix("-") && a != "-" { throw UsageError(message: "unknown option '\(a)'", topic: "fmt") }
                paths.append(a)
            }
        }
        if paths.isEmpty { throw UsageError(message: "missing spec file", topic: "fmt") }
        if mode == .print && paths.count > 1 { throw UsageError(message: "give one file, or use --check or -w for several", topic: "fmt") }
        if mode == .write && paths.contains("-") { throw UsageError(message: "-w cannot rewrite standard input", topic: "fmt") }
        return .fmt(paths: paths, mode: mode)
    }
}

extension Driver {
    func explain(_ path: String, _ names: [String], _ defines: [Define], _ format: ExplainFormat) -> ExitCode {
        guard let result = load(path, defines) else { return .usage }
        if let code = usageProblem(result, defines) { return code }
        // Expansion is cheap: redo it to get the network, and the layers that did work out.
        if result.diagnostics.contains(where: { $0.severity == .error && $0.layer == nil }) { return .invalidSpec }
        let (network, _) = Pipeline.expand(result.file, defines: defines)
        guard let network else { return .invalidSpec }
        var planned: [PlannedLayer?]
        if let plan = result.plan { planned = plan.layers } else { planned = Inference.layers(network).0 }
        var explained = Explain.layers(network, planned: planned, diagnostics: result.diagnostics)
        if !names.isEmpty {
            let all = explained.map(\.name)
            for n in names where !all.contains(where: { $0 == n || $0.hasPrefix(n + ".") }) {
                stderr("cnnspec: error: the network has no layer '\(n)'\(Self.nearNames(n, all))\n")
                return .usage
            }
            explained = explained.filter { e in names.contains { e.name == $0 || e.name.hasPrefix($0 + ".") } }
        }
        let totals = names.isEmpty ? result.plan.map(Explain.totals) : nil
        stdout(Explain.render(explained, network: network.name, input: network.input, totals: totals, format: format))
        return result.plan == nil ? .invalidSpec : .ok
    }

    /// `; layers with near names: conv1, conv2` (closest first), or the first few names.
    static func nearNames(_ name: String, _ all: [String]) -> String {
        let limit = max(2, name.count / 2)
        let near = all.map { ($0, Messages.editDistance(name.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= limit || $0.0.hasPrefix(name) || name.hasPrefix($0.0) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(6).map(\.0)
        if !near.isEmpty { return "; layers with near names: " + near.joined(separator: ", ") }
        return "; its layers are " + all.prefix(6).joined(separator: ", ") + (all.count > 6 ? ", ..." : "")
    }

    func fmt(_ paths: [String], _ mode: FormatMode) -> ExitCode {
        var code = ExitCode.ok
        for path in paths {
            let source: String
            do { source = try readFile(path) } catch {
                stderr("cnnspec: error: cannot read \(path): \(error)\n")
                return .usage
            }
            let (formatted, diagnostics) = SpecFormatter.format(path: path, source: source)
            guard let formatted else {
                stderr(DiagnosticRenderer(path: path, source: source).render(diagnostics))
                code = .invalidSpec
                continue
            }
            // The formatter prints the syntax tree, so this cannot fail; if it ever did, the
            // file must stay as it is.
            guard SpecFormatter.sameSpec(source, formatted), SpecFormatter.format(path: path, source: formatted).text == formatted else {
                stderr("cnnspec: internal error: formatting \(path) would change it; the file is left as it is\n")
                return .software
            }
            switch mode {
            case .print:
                stdout(formatted)
            case .check:
                if formatted != source {
                    stderr("\(path): not formatted (cnnspec fmt -w \(path) rewrites it)\n")
                    if code == .ok { code = .notFormatted }
                }
            case .write:
                guard formatted != source else { continue }
                do { try (replaceFile ?? writeFile)(path, formatted) } catch {
                    stderr("cnnspec: error: cannot write \(path): \(error)\n")
                    return .usage
                }
            }
        }
        return code
    }
}
