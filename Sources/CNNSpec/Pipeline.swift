// The whole pipeline on one screen: parse -> expand -> infer -> (report | emit).
// Each stage is a function from one value to the next; each recovers and collects every
// diagnostic it can, and the pipeline stops between stages when a stage found errors.

public struct CheckResult: Sendable {
    public var file: SpecFile
    /// The checked network, nil when the spec has errors.
    public var plan: Plan?
    /// Errors and warnings, in source order.
    public var diagnostics: [Diagnostic]
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

public enum Pipeline {
    public static func parse(path: String, source: String) -> (SpecFile, [Diagnostic]) {
        Parser.parse(path: path, source: source)
    }

    public static func expand(_ file: SpecFile, defines: [Define] = []) -> (Network?, [Diagnostic]) {
        Expander.expand(file, defines: defines)
    }

    public static func infer(_ network: Network) -> (Plan?, [Diagnostic]) {
        Inference.run(network)
    }

    /// Parses, expands and infers a spec. `defines` are the `-D NAME=VALUE` overrides.
    public static func check(path: String, source: String, defines: [Define] = []) -> CheckResult {
        let (file, parseDiagnostics) = parse(path: path, source: source)
        return check(file, defines: defines, parseDiagnostics: parseDiagnostics)
    }

    /// Checks a parsed spec as one network: every family variable must be bound by a define
    /// (a family is checked member by member, FamilyCheck.swift), and the plan must meet
    /// the spec's requirements.
    public static func check(_ file: SpecFile, defines: [Define], parseDiagnostics: [Diagnostic] = []) -> CheckResult {
        var result = CheckResult(file: file, plan: nil, diagnostics: parseDiagnostics)
        if result.hasErrors { return result.sorted() }
        let family = Family.variables(file, defines: defines)
        result.diagnostics += family.diagnostics
        if result.hasErrors { return result.sorted() }
        if let v = family.variables.first {
            result.diagnostics.append(Messages.familyMemberNeeded(v, members: family.count, at: v.range))
            return result.sorted()
        }
        let (network, expandDiagnostics) = expand(file, defines: defines)
        result.diagnostics += expandDiagnostics
        guard let network, !result.hasErrors else { return result.sorted() }
        let (plan, inferDiagnostics) = infer(network)
        result.diagnostics += inferDiagnostics
        if let plan {
            let unmet = Requirements.check(plan, file)
            result.diagnostics += unmet
            result.plan = unmet.isEmpty ? plan : nil
        }
        return result.sorted()
    }
}

extension CheckResult {
    fileprivate func sorted() -> CheckResult {
        var r = self
        r.diagnostics = diagnostics.enumerated().sorted { a, b in
            let la = a.element.range?.start ?? SourceLocation(line: 0, column: 0)
            let lb = b.element.range?.start ?? SourceLocation(line: 0, column: 0)
            return (la, a.offset) < (lb, b.offset)
        }.map(\.element)
        return r
    }
}
