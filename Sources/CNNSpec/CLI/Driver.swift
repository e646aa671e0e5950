// Performs a Command: reads the spec, runs the pipeline, prints, and returns the exit code.
// File access comes in as closures so tests can drive it without touching the disk.

public struct Driver {
    public var readFile: (String) throws -> String
    public var writeFile: (String, String) throws -> Void
    public var stdout: (String) -> Void
    public var stderr: (String) -> Void
    /// Creates a directory if it does not exist (gen -o DIR).
    public var makeDirectory: (String) throws -> Void
    /// A new empty directory for build's sources.
    public var temporaryDirectory: () throws -> String
    /// Removes a file or an empty directory.
    public var remove: (String) -> Void
    /// Runs a program (argv[0] looked up on the PATH) and returns its exit status.
    public var runProgram: ([String]) -> Int32

    /// Replaces a file's contents safely (`fmt -w`); nil uses writeFile.
    public var replaceFile: ((String, String) throws -> Void)?

    public struct Unavailable: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "not available here" }
    }

    public init(readFile: @escaping (String) throws -> String, writeFile: @escaping (String, String) throws -> Void,
                stdout: @escaping (String) -> Void, stderr: @escaping (String) -> Void,
                makeDirectory: @escaping (String) throws -> Void = { _ in throw Unavailable() },
                temporaryDirectory: @escaping () throws -> String = { throw Unavailable() },
                remove: @escaping (String) -> Void = { _ in },
                runProgram: @escaping ([String]) -> Int32 = { _ in 127 }) {
        self.readFile = readFile; self.writeFile = writeFile; self.stdout = stdout; self.stderr = stderr
        self.makeDirectory = makeDirectory; self.temporaryDirectory = temporaryDirectory; self.remove = remove; self.runProgram = runProgram
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
        case .explain(let path, let layers, let defines, let format):
            return explain(path, layers, defines, format)
        case .fmt(let paths, let mode):
            return fmt(paths, mode)
        case .gen(let paths, let defines, let directory, let typeName, let index, let sharedRuntime):
            var files: [GeneratedFile] = []
            var models: [(spec: String, typeName: String)] = []
            for path in paths {
                guard let result = load(path, defines) else { return .usage }
                if let code = usageProblem(result, defines) { return code }
                guard let plan = result.plan, !result.hasErrors else { return .invalidSpec }
                let name = typeName ?? Generator.typeName(forSpecAt: path)
                if let clash = models.first(where: { $0.typeName == name }) {
                    stderr("cnnspec: error: \(path) and \(clash.spec) would both generate the type \(name)\n")
                    return .usage
                }
                files.append(Generator.generate(plan, typeName: name, sourcePath: path, sharedRuntime: sharedRuntime))
                models.append((path, name))
            }
            if index { files.append(Generator.index(models)) }
            if sharedRuntime { files.append(Generator.sharedRuntimeFile()) }
            if let clash = Self.clash(files) {
                stderr("cnnspec: error: two generated files would be named \(clash) (a type name takes the file of the same name; choose another with --name)\n")
                return .usage
            }
            do { try makeDirectory(directory) } catch {
                stderr("cnnspec: error: cannot create \(directory): \(error)\n")
                return .usage
            }
            for file in files {
                let target = directory.hasSuffix("/") ? directory + file.fileName : directory + "/" + file.fileName
                do { try writeFile(target, file.text) } catch {
                    stderr("cnnspec: error: cannot write \(target): \(error)\n")
                    return .usage
                }
                stdout("wrote \(target)\n")
            }
            return .ok
        case .build(let options):
            return build(options)
        }
    }

    /// Generates the model and a main file into a temporary directory and compiles them.
    private func build(_ o: Command.BuildOptions) -> ExitCode {
        guard let result = load(o.path, o.defines) else { return .usage }
        if let code = usageProblem(result, o.defines) { return code }
        guard let plan = result.plan, !result.hasErrors else { return .invalidSpec }
        let typeName = o.typeName ?? Generator.typeName(forSpecAt: o.path)
        let exe = o.output.split(separator: "/").last.map(String.init) ?? o.output
        let files = Generator.buildFiles(plan, typeName: typeName, sourcePath: o.path, executableName: exe)
        if let clash = Self.clash(files) {
            stderr("cnnspec: error: the type \(typeName) would take the file \(clash), which the program needs for something else; choose another name with --name\n")
            return .usage
        }
        let directory: String
        do { directory = try temporaryDirectory() } catch {
            stderr("cnnspec: error: cannot create a temporary directory: \(error)\n")
            return .software
        }
        defer {
            for f in files { remove(directory + "/" + f.fileName) }
            remove(directory)
        }
        for f in files {
            do { try writeFile(directory + "/" + f.fileName, f.text) } catch {
                stderr("cnnspec: error: cannot write \(directory)/\(f.fileName): \(error)\n")
                return .software
            }
        }
        let argv = [o.swiftc] + Generator.swiftcFlags + Generator.buildThreadFlags + o.extraFlags + files.map { directory + "/" + $0.fileName } + ["-o", o.output]
        stderr("cnnspec: compiling \(plan.name): \(argv.joined(separator: " "))\n")
        let status = runProgram(argv)
        if status != 0 {
            stderr("cnnspec: error: \(o.swiftc) failed (exit status \(status))\(status == 127 ? ": is it installed and on the PATH? (--swiftc PATH)" : "")\n")
            return .software
        }
        stdout("built \(o.output)\n")
        return .ok
    }

    /// A file name that two of `files` share, ignoring case (as macOS's file systems do): one
    /// would overwrite the other (a type named `main` and the program's main.swift).
    static func clash(_ files: [GeneratedFile]) -> String? {
        var seen = Set<String>()
        return files.first { !seen.insert($0.fileName.lowercased()).inserted }?.fileName
    }

    /// Reads, parses and checks a spec, printing its diagnostics. Nil when the file cannot be read.
    func load(_ path: String, _ defines: [Define]) -> CheckResult? {
        guard let source = read(path) else { return nil }
        return load(path, source, Pipeline.parse(path: path, source: source), defines)
    }

    func usageProblem(_ result: CheckResult, _ defines: [Define]) -> ExitCode? { usageProblem(result.file, defines) }

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
        case .markdown, .csv, .html, .svg, .dot:
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
    func usageProblem(_ file: SpecFile, _ defines: [Define]) -> ExitCode? {
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
