// Performs a Command: reads the spec, runs the pipeline, prints, and returns the exit code.
// File access comes in as closures so tests can drive it without touching the disk.

public struct Driver {
    public var readFile: (String) throws -> String
    public var writeFile: (String, String) throws -> Void
    public var stdout: (String) -> Void
    public var stderr: (String) -> Void

    public init(readFile: @escaping (String) throws -> String, writeFile: @escaping (String, String) throws -> Void,
                stdout: @escaping (String) -> Void, stderr: @escaping (String) -> Void) {
        self.readFile = readFile; self.writeFile = writeFile; self.stdout = stdout; self.stderr = stderr
    }

    /// Largest spec file read; larger ones are refused rather than loaded.
    public static let maxFileBytes = 4 << 20

    public func run(_ args: [String]) -> ExitCode {
        let command: Command
        do {
            command = try Command.parse(args)
        } catch let e as Command.UsageError {
            stderr("cnnspec: error: \(e.message)\n")
            stderr("run 'cnnspec \(e.topic.map { $0 + " " } ?? "")--help' for usage\n")
            return .usage
        } catch {
            return .software
        }
        switch command {
        case .version:
            stdout("cnnspec \(Command.toolVersion)\n")
            return .ok
        case .help(let topic):
            guard let text = Help.text(topic) else {
                stderr("cnnspec: error: no help for '\(topic ?? "")'\n")
                return .usage
            }
            stdout(text)
            return .ok
        case .check(let path, let defines, let options):
            guard let source = read(path) else { return .usage }
            let parsed = Pipeline.parse(path: path, source: source)
            if let code = checkFamily(path, source, parsed, defines, options, format: options.format ?? .text, output: nil) { return code }
            let result = load(path, source, parsed, defines)
            if let code = usageProblem(result.file, defines) { return code }
            guard let plan = result.plan, !result.hasErrors else { return .invalidSpec }
            stdout(options.format == .json ? Reports.render(plan, format: .json) : TextReport.render(plan))
            return .ok
        case .report(let path, let defines, let format, let output, let options):
            guard let source = read(path) else { return .usage }
            let parsed = Pipeline.parse(path: path, source: source)
            if let code = checkFamily(path, source, parsed, defines, options, format: format, output: output) { return code }
            let result = load(path, source, parsed, defines)
            if let code = usageProblem(result.file, defines) { return code }
            guard let plan = result.plan, !result.hasErrors else { return .invalidSpec }
            return emit(Reports.render(plan, format: format), to: output)
        case .instantiate(let path, let defines, let output):
            return instantiate(path, defines, output: output)
        }
    }

    /// Writes a result to `output` (a path, or stdout for nil and "-").
    private func emit(_ text: String, to output: String?) -> ExitCode {
        if let output, output != "-" {
            do { try writeFile(output, text) } catch {
                stderr("cnnspec: error: cannot write \(output): \(error)\n")
                return .usage
            }
        } else {
            stdout(text)
        }
        return .ok
    }

    private func read(_ path: String) -> String? {
        do {
            let source = try readFile(path)
            if source.utf8.count > Self.maxFileBytes {
                stderr("cnnspec: error: \(path) is larger than \(Self.maxFileBytes >> 20) MiB; a spec is a short text file\n")
                return nil
            }
            return source
        } catch {
            stderr("cnnspec: error: cannot read \(path): \(error)\n")
            return nil
        }
    }

    /// Checks a family member by member (FamilyCheck.swift). Nil when the spec is not a family
    /// (or does not parse): the single-network path then reports it.
    private func checkFamily(_ path: String, _ source: String, _ parsed: (SpecFile, [Diagnostic]), _ defines: [Define], _ options: Command.FamilyOptions,
                             format: ReportFormat, output: String?) -> ExitCode? {
        let (file, parseDiagnostics) = parsed
        if parseDiagnostics.contains(where: { $0.severity == .error }) { return nil }
        let family = Family.variables(file, defines: defines)
        guard family.isFamily else { return nil }
        if let code = usageProblem(file, defines) { return code }
        let renderer = DiagnosticRenderer(path: path, source: source)
        if !family.diagnostics.isEmpty {
            stderr(renderer.render(family.diagnostics))
            stderr("\(family.diagnostics.count) error\(family.diagnostics.count == 1 ? "" : "s")\n")
            return .invalidSpec
        }
        let result = FamilyCheck.run(file, variables: family.variables, defines: defines)
        let text: String
        switch format {
        case .text: text = FamilyReport.text(result, renderer: renderer, top: options.top, by: options.by)
        case .json: text = FamilyReport.json(result, top: options.top, by: options.by)
        case .markdown, .csv:
            stderr("cnnspec: error: a family report is text or json, not \(format.rawValue)\n")
            return .usage
        }
        let code = emit(text, to: output)
        return code == .ok && result.validCount == 0 ? .invalidSpec : code
    }

    /// `cnnspec instantiate`: the spec with the defines written in; every family variable must be bound.
    private func instantiate(_ path: String, _ defines: [Define], output: String?) -> ExitCode {
        guard let source = read(path) else { return .usage }
        let (file, parseDiagnostics) = Pipeline.parse(path: path, source: source)
        if parseDiagnostics.contains(where: { $0.severity == .error }) {
            stderr(DiagnosticRenderer(path: path, source: source).render(parseDiagnostics))
            return .invalidSpec
        }
        if let code = usageProblem(file, defines) { return code }
        let free = Family.variables(file, defines: defines).variables
        if !free.isEmpty {
            stderr("cnnspec: error: instantiate needs one value for every family variable; still free: \(free.map { "\($0.name) (\($0.text))" }.joined(separator: ", "))\n")
            stderr("run 'cnnspec instantiate --help' for usage\n")
            return .usage
        }
        let text = Instantiate.render(file, defines: defines, origin: path)
        let code = emit(text, to: output)
        // The member may be invalid: say so (the spec is still printed, to be fixed or checked).
        let shown = output.map { $0 == "-" ? "<stdout>" : $0 } ?? "<stdout>"
        let result = Pipeline.check(path: shown, source: text)
        if result.hasErrors {
            stderr(DiagnosticRenderer(path: shown, source: text).render(result.diagnostics.filter { $0.severity == .error }))
            return code == .ok ? .invalidSpec : code
        }
        return code
    }

    /// Checks a spec, printing its diagnostics.
    private func load(_ path: String, _ source: String, _ parsed: (SpecFile, [Diagnostic]), _ defines: [Define]) -> CheckResult {
        let result = Pipeline.check(parsed.0, defines: defines, parseDiagnostics: parsed.1)
        stderr(DiagnosticRenderer(path: path, source: source).render(result.diagnostics))
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        if errors > 0 { stderr("\(errors) error\(errors == 1 ? "" : "s")\n") }
        return result
    }

    /// A -D naming nothing in the spec is a usage error (exit 64), not a spec error.
    private func usageProblem(_ file: SpecFile, _ defines: [Define]) -> ExitCode? {
        if defines.isEmpty { return nil }
        // The names the spec binds or mentions (switches as `NAME?`), from its syntax tree.
        var mentioned: Set<String> = []
        for statement in file.statements {
            switch statement {
            case .input: break
            case .binding(let n, let e, _): mentioned.insert(n); mentioned.formUnion(Expander.references(e))
            case .family(let n, let d, _): mentioned.insert(n); mentioned.formUnion(Family.references(d))
            case .require: break
            case .definition(_, _, let body, _): mentioned.formUnion(Expander.references(body))
            case .network(let e): mentioned.formUnion(Expander.references(e))
            }
        }
        for d in defines {
            if !mentioned.contains(d.name) {
                stderr("cnnspec: error: -D \(d.name): the spec has no '\(d.name)'\n")
                return .usage
            }
        }
        return nil
    }
}
