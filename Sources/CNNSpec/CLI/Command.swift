// The command line as a value: argv -> Command is a pure function (tested), and main.swift
// only performs it. Usage errors exit 64, invalid specs 65, internal errors 70.

public enum ExitCode: Int32 {
    case ok = 0
    /// `cnnspec fmt --check`: a file is not formatted.
    case notFormatted = 1
    case usage = 64
    case invalidSpec = 65
    case software = 70
}

public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, markdown, csv, html, svg, dot
}

public enum Command: Equatable {
    case check(path: String, defines: [Define], options: FamilyOptions = FamilyOptions())
    case report(path: String, defines: [Define], format: ReportFormat, output: String?, options: FamilyOptions = FamilyOptions())
    /// Prints the spec with every -D written in (one member of a family as a concrete spec).
    case instantiate(path: String, defines: [Define], output: String?)
    /// Writes the generated Swift of specs into a directory (and, with `index`, their table).
    case gen(paths: [String], defines: [Define], directory: String, typeName: String?, index: Bool, sharedRuntime: Bool = false)
    /// Generates and compiles a standalone executable.
    case build(BuildOptions)
    case explain(path: String, layers: [String], defines: [Define], format: ExplainFormat)
    case fmt(paths: [String], mode: FormatMode)
    case help(topic: String?)
    case version

    public static let toolVersion = "0.1.0"

    /// Options of `check` and `report` for families (and `check --format`).
    public struct FamilyOptions: Equatable, Sendable {
        /// `--top N`: list the N best valid members.
        public var top: Int?
        /// `--by METRIC` (default macs).
        public var by: Requirement.Metric
        /// `check --format text|json`; nil when not given.
        public var format: ReportFormat?
        public init(top: Int? = nil, by: Requirement.Metric = .macs, format: ReportFormat? = nil) {
            self.top = top; self.by = by; self.format = format
        }
    }

    public struct UsageError: Error, Equatable {
        public var message: String
        public var topic: String?
    }

    public static func parse(_ args: [String]) throws -> Command {
        guard let first = args.first else { return .help(topic: nil) }
        switch first {
        case "-h", "--help", "help":
            if args.count > 1 { return .help(topic: args[1]) }
            return .help(topic: nil)
        case "--version", "-V", "version": return .version
        case "explain": return try parseExplain(args)
        case "fmt": return try parseFmt(args)
        case "check", "report", "instantiate":
            var path: String?
            var options = FamilyOptions()
            var byGiven = false
            var defines: [Define] = []
            var format = ReportFormat.text
            var formatGiven = false
            var output: String?
            var i = 1
            func value(_ flag: String) throws -> String {
                i += 1
                guard i < args.count else { throw UsageError(message: "\(flag) needs a value", topic: first) }
                return args[i]
            }
            while i < args.count {
                let a = args[i]
                switch a {
                case "-h", "--help": return .help(topic: first)
                case "-D", "--define": defines.append(try parseDefine(try value(a), topic: first))
                case "--format" where first != "instantiate", "-f" where first != "instantiate":
                    if formatGiven { throw UsageError(message: "--format is given twice", topic: first) }
                    format = try parseFormat(try value(a))
                    formatGiven = true
                case "-o" where first != "check", "--output" where first != "check":
                    output = try value(a)
                case "--top" where first != "instantiate":
                    let v = try value(a)
                    guard let n = Int(v), n >= 1 else { throw UsageError(message: "--top needs a whole number of at least 1, found '\(v)'", topic: first) }
                    options.top = n
                case "--by" where first != "instantiate":
                    let v = try value(a)
                    guard let m = Requirement.Metric(rawValue: v) else {
                        throw UsageError(message: "--by: unknown metric '\(v)'; choose one of \(Requirement.Metric.allCases.map(\.rawValue).joined(separator: ", "))", topic: first)
                    }
                    options.by = m
                    byGiven = true
                default:
                    if a.hasPrefix("-D"), a.count > 2 {
                        defines.append(try parseDefine(String(a.dropFirst(2)), topic: first))
                    } else if a.hasPrefix("--format="), first != "instantiate" {
                        if formatGiven { throw UsageError(message: "--format is given twice", topic: first) }
                        format = try parseFormat(String(a.dropFirst("--format=".count)))
                        formatGiven = true
                    } else if a.hasPrefix("-") && a != "-" {
                        throw UsageError(message: "unknown option '\(a)'", topic: first)
                    } else if path == nil {
                        path = a
                    } else {
                        throw UsageError(message: "unexpected argument '\(a)': give one spec file", topic: first)
                    }
                }
                i += 1
            }
            guard let path else { throw UsageError(message: "missing spec file", topic: first) }
            var seen: Set<String> = []
            for d in defines where !seen.insert(d.name).inserted {
                throw UsageError(message: "-D \(d.name) is given twice", topic: first)
            }
            if byGiven && options.top == nil { throw UsageError(message: "--by orders the members --top lists; give --top N too", topic: first) }
            if first == "check" {
                if formatGiven {
                    guard format == .text || format == .json else { throw UsageError(message: "check prints text or json; report writes \(format.rawValue)", topic: first) }
                    options.format = format
                }
                return .check(path: path, defines: defines, options: options)
            }
            if let output, output == path, path != "-" {
                throw UsageError(message: "-o \(output) would overwrite the spec itself", topic: first)
            }
            if first == "instantiate" {
                if let d = defines.first(where: { $0.domain != nil }) {
                    throw UsageError(message: "-D \(d.name): instantiate needs one value, not a range or a set", topic: first)
                }
                return .instantiate(path: path, defines: defines, output: output)
            }
            return .report(path: path, defines: defines, format: format, output: output, options: options)
        case "gen", "build":
            return try parseCodegen(first, Array(args.dropFirst()))
        default:
            throw UsageError(message: "unknown command '\(first)'", topic: nil)
        }
    }

    public struct BuildOptions: Equatable, Sendable {
        public var path: String
        public var defines: [Define]
        public var output: String
        public var typeName: String?
        /// The compiler: --swiftc, else swiftc on the PATH.
        public var swiftc: String
        /// Extra compiler flags (-Xswiftc FLAG).
        public var extraFlags: [String]
    }

    /// `gen FILE -o DIR [--name T] [-D ...]` and `build FILE -o EXE [--name T] [--swiftc P] [-Xswiftc F]... [-D ...]`.
    static func parseCodegen(_ command: String, _ args: [String]) throws -> Command {
        var paths: [String] = [], output: String?, name: String?, swiftc: String?
        var index = false
        var sharedRuntime = false
        var defines: [Define] = []
        var flags: [String] = []
        var i = 0
        func value(_ flag: String) throws -> String {
            i += 1
            guard i < args.count else { throw UsageError(message: "\(flag) needs a value", topic: command) }
            return args[i]
        }
        while i < args.count {
            let a = args[i]
            switch a {
            case "-h", "--help": return .help(topic: command)
            case "-D", "--define": defines.append(try parseDefine(try value(a), topic: command))
            case "-o", "--output":
                if output != nil { throw UsageError(message: "-o is given twice", topic: command) }
                output = try value(a)
            case "--name":
                if name != nil { throw UsageError(message: "--name is given twice", topic: command) }
                name = try value(a)
            case "--swiftc" where command == "build": swiftc = try value(a)
            case "-Xswiftc" where command == "build": flags.append(try value(a))
            case "--index" where command == "gen": index = true
            case "--shared-runtime" where command == "gen": sharedRuntime = true
            default:
                if a.hasPrefix("-D"), a.count > 2 {
                    defines.append(try parseDefine(String(a.dropFirst(2)), topic: command))
                } else if a.hasPrefix("-") {
                    throw UsageError(message: "unknown option '\(a)'", topic: command)
                } else if paths.isEmpty || command == "gen" {
                    paths.append(a)
                } else {
                    throw UsageError(message: "unexpected argument '\(a)': give one spec file", topic: command)
                }
            }
            i += 1
        }
        guard let path = paths.first else { throw UsageError(message: "missing spec file", topic: command) }
        if paths.count > 1, name != nil { throw UsageError(message: "--name needs a single spec file", topic: command) }
        guard let output, !output.isEmpty else {
            throw UsageError(message: command == "gen" ? "give the output directory with -o DIR" : "give the executable's path with -o EXE", topic: command)
        }
        if let name, !Generator.isValidTypeName(name) {
            throw UsageError(message: "--name '\(name)' is not a usable Swift type name (letters, digits and _, not starting with a digit)", topic: command)
        }
        var seen: Set<String> = []
        for d in defines where !seen.insert(d.name).inserted {
            throw UsageError(message: "-D \(d.name) is given twice", topic: command)
        }
        if paths.contains(output) { throw UsageError(message: "-o \(output) would overwrite a spec", topic: command) }
        if command == "gen" { return .gen(paths: paths, defines: defines, directory: output, typeName: name, index: index, sharedRuntime: sharedRuntime) }
        return .build(BuildOptions(path: path, defines: defines, output: output, typeName: name, swiftc: swiftc ?? "swiftc", extraFlags: flags))
    }

    static func parseFormat(_ v: String) throws -> ReportFormat {
        guard let f = ReportFormat(rawValue: v) else {
            throw UsageError(message: "unknown format '\(v)'; choose one of \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))", topic: "report")
        }
        return f
    }

    /// `NAME=VALUE`, where VALUE is a number, a size, a word, a tuple or a list.
    static func parseDefine(_ text: String, topic: String) throws -> Define {
        guard let eq = text.firstIndex(of: "=") else {
            throw UsageError(message: "-D needs NAME=VALUE, found '\(text)'", topic: topic)
        }
        let name = String(text[..<eq])
        let valueText = String(text[text.index(after: eq)...])
        let base = name.hasSuffix("?") ? String(name.dropLast()) : name
        guard let head = base.unicodeScalars.first, head == "_" || (head.properties.isAlphabetic && head.isASCII),
              base.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }) else {
            throw UsageError(message: "-D: '\(name)' is not a name", topic: topic)
        }
        if let (domain, diagnostics) = Parser.parseDomain(valueText) {
            guard let domain, diagnostics.isEmpty else {
                throw UsageError(message: "-D \(name): '\(valueText)' is not a range or a set: \(diagnostics.first?.message ?? "")", topic: topic)
            }
            return Define(name: name, domain: domain)
        }
        guard let v = constantValue(valueText) else {
            throw UsageError(message: "-D \(name): '\(valueText)' is not a value (a number, a size such as 3x3, a word such as off, a list such as [64, 128], a range such as 1...5, or a set such as {0, 2})", topic: topic)
        }
        return Define(name: name, value: v)
    }

    /// Evaluates a constant value expression (no names of the spec).
    static func constantValue(_ text: String) -> Value? {
        let (expr, diagnostics) = Parser.parseValue(text)
        guard let expr, diagnostics.isEmpty else { return nil }
        return Value.constant(expr)
    }
}
