// Performs a Command: reads the spec, runs the pipeline, prints, and returns the exit code.
// File access comes in as closures so tests can drive it without touching the disk.

public struct Driver {
    public var readFile: (String) throws -> String
    public var writeFile: (String, String) throws -> Void
    public var stdout: (String) -> Void
    public var stderr: (String) -> Void
    /// Replaces a file's contents safely (`fmt -w`); nil uses writeFile.
    public var replaceFile: ((String, String) throws -> Void)?

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
        case .check(let path, let defines):
            guard let result = load(path, defines) else { return .usage }
            if let code = usageProblem(result, defines) { return code }
            guard let plan = result.plan, !result.hasErrors else { return .invalidSpec }
            stdout(TextReport.render(plan))
            return .ok
        case .report(let path, let defines, let format, let output):
            guard let result = load(path, defines) else { return .usage }
            if let code = usageProblem(result, defines) { return code }
            guard let plan = result.plan, !result.hasErrors else { return .invalidSpec }
            let text = Reports.render(plan, format: format)
            if let output, output != "-" {
                do { try writeFile(output, text) } catch {
                    stderr("cnnspec: error: cannot write \(output): \(error)\n")
                    return .usage
                }
            } else {
                stdout(text)
            }
            return .ok
        case .explain(let path, let layers, let defines, let format):
            return explain(path, layers, defines, format)
        case .fmt(let paths, let mode):
            return fmt(paths, mode)
        }
    }

    /// Reads and checks a spec, printing its diagnostics. Nil when the file cannot be read.
    func load(_ path: String, _ defines: [Define]) -> CheckResult? {
        let source: String
        do { source = try readFile(path) } catch {
            stderr("cnnspec: error: cannot read \(path): \(error)\n")
            return nil
        }
        if source.utf8.count > Self.maxFileBytes {
            stderr("cnnspec: error: \(path) is larger than \(Self.maxFileBytes >> 20) MiB; a spec is a short text file\n")
            return nil
        }
        let result = Pipeline.check(path: path, source: source, defines: defines)
        stderr(DiagnosticRenderer(path: path, source: source).render(result.diagnostics))
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        if errors > 0 { stderr("\(errors) error\(errors == 1 ? "" : "s")\n") }
        return result
    }

    /// A -D naming nothing in the spec is a usage error (exit 64), not a spec error.
    func usageProblem(_ result: CheckResult, _ defines: [Define]) -> ExitCode? {
        if defines.isEmpty { return nil }
        // The names the spec binds or mentions (switches as `NAME?`), from its syntax tree.
        var mentioned: Set<String> = []
        for statement in result.file.statements {
            switch statement {
            case .input: break
            case .binding(let n, let e, _): mentioned.insert(n); mentioned.formUnion(Expander.references(e))
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
