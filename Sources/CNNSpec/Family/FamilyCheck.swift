// Checking a family: every member is checked with the same pipeline as a single network
// (`Pipeline.check` on the file parsed once, with the member's bindings as defines), then
// the results are summarized: counts, a compact validity statement, one representative per
// distinct failure, and the ranges of the valid members' costs with the extreme members.

public struct FamilyMember: Sendable {
    public var bindings: Bindings
    /// The member's metrics, nil when it is invalid.
    public var metrics: Metrics?
    /// The member's first error (in source order), nil when it is valid.
    public var error: Diagnostic?
    public var valid: Bool { metrics != nil }
}

/// A group of invalid members that fail with the same error at the same place.
public struct FamilyFailure: Sendable {
    public var id: String
    public var range: SourceRange?
    /// Members with this failure, and the first of them (the representative).
    public var count: Int
    public var representative: Int
    /// The representative's diagnostics, as checking it alone prints them.
    public var diagnostics: [Diagnostic]
}

/// The extremes of one metric over the valid members.
public struct FamilyRange: Sendable {
    public var metric: Requirement.Metric
    public var min: Int
    public var max: Int
    public var minMember: Int
    public var maxMember: Int
}

public struct FamilyResult: Sendable {
    public var name: String
    public var variables: [FamilyVariable]
    public var members: [FamilyMember]
    public var validCount: Int
    public var statement: String
    public var failures: [FamilyFailure]
    public var ranges: [FamilyRange]
    public var requirements: [Requirement]

    /// The valid members ordered by a metric: smallest first, except rf, largest first.
    public func top(_ n: Int, by metric: Requirement.Metric) -> [Int] {
        let valid = members.indices.filter { members[$0].valid }
        let sorted = valid.sorted { a, b in
            let x = members[a].metrics!.value(metric), y = members[b].metrics!.value(metric)
            if x != y { return metric == .rf ? x > y : x < y }
            return a < b
        }
        return Array(sorted.prefix(n))
    }
}

public enum FamilyCheck {
    /// Metrics whose ranges the summary shows.
    static let rangeMetrics: [Requirement.Metric] = [.params, .macs, .rf, .memory]

    /// Checks every member of a family whose variables `Family.variables` found (and whose
    /// size it accepted). `defines` are the concrete -D values, shared by every member.
    public static func run(_ file: SpecFile, variables: [FamilyVariable], defines: [Define]) -> FamilyResult {
        let fixed = defines.filter { $0.domain == nil }
        var members: [FamilyMember] = []
        var failures: [FamilyFailure] = []
        var failureIndex: [String: Int] = [:]
        Family.forEachMember(variables) { bindings in
            let result = Pipeline.check(file, defines: fixed + bindings.defines)
            if let plan = result.plan, !result.hasErrors {
                members.append(FamilyMember(bindings: bindings, metrics: Metrics(plan), error: nil))
                return
            }
            let first = result.diagnostics.first { $0.severity == .error }
            members.append(FamilyMember(bindings: bindings, metrics: nil, error: first))
            let key = "\(first?.id ?? "") \(first?.range?.start.line ?? 0):\(first?.range?.start.column ?? 0)"
            if let i = failureIndex[key] {
                failures[i].count += 1
            } else {
                failureIndex[key] = failures.count
                failures.append(FamilyFailure(id: first?.id ?? "", range: first?.range, count: 1, representative: members.count - 1,
                                              diagnostics: result.diagnostics.filter { $0.severity == .error }))
            }
        }
        var ranges: [FamilyRange] = []
        for metric in rangeMetrics {
            var r: FamilyRange?
            for (i, m) in members.enumerated() {
                guard let v = m.metrics?.value(metric) else { continue }
                guard var x = r else { r = FamilyRange(metric: metric, min: v, max: v, minMember: i, maxMember: i); continue }
                if v < x.min { x.min = v; x.minMember = i }
                if v > x.max { x.max = v; x.maxMember = i }
                r = x
            }
            if let r { ranges.append(r) }
        }
        let valid = members.filter(\.valid).count
        let name = file.path.split(separator: "/").last.map { String($0) }.map { $0.hasSuffix(".cnn") ? String($0.dropLast(4)) : $0 } ?? "family"
        var requirements: [Requirement] = []
        for case .require(let q) in file.statements { requirements.append(q) }
        return FamilyResult(name: name, variables: variables, members: members, validCount: valid,
                            statement: ValidityStatement.describe(variables, members.map(\.bindings.values), members.map(\.valid)),
                            failures: failures, ranges: ranges, requirements: requirements)
    }
}

/// The valid members as a short statement: `valid iff M <= 5`, `valid iff N <= 2 and M <= 4`,
/// or one line per value of a variable when no single condition says it.
enum ValidityStatement {
    static let maxLines = 12

    static func describe(_ variables: [FamilyVariable], _ rows: [[Value]], _ valid: [Bool]) -> String {
        if valid.allSatisfy({ $0 }) { return "every member is valid" }
        if !valid.contains(true) { return "no member is valid" }
        let all = Array(rows.indices)
        if let c = condition(variables, rows, valid, all) { return "valid iff " + c }
        // Split on the variable with the fewest values, then say the rest per value.
        let counts = variables.indices.map { v in distinct(rows, all, v).count }
        let split = counts.indices.filter { counts[$0] > 1 }.min { counts[$0] < counts[$1] } ?? 0
        var lines: [String] = []
        var said: [(values: [Value], text: String)] = []
        for value in distinct(rows, all, split) {
            let sub = all.filter { rows[$0][split] == value }
            let head = ""
            defer {
                // Consecutive values that say the same thing share a line: `M = 1...5: every member`.
                let text = lines.removeLast()
                if let last = said.last, last.text == text { said[said.count - 1].values.append(value) } else { said.append(([value], text)) }
            }
            if sub.allSatisfy({ valid[$0] }) { lines.append("\(head): every member"); continue }
            if !sub.contains(where: { valid[$0] }) { lines.append("\(head): none"); continue }
            if let c = condition(variables, rows, valid, sub, skipping: split) { lines.append("\(head): " + c); continue }
            let bad = sub.filter { !valid[$0] }
            if bad.count <= 2 {
                let others = variables.indices.filter { $0 != split }
                lines.append("\(head): every member but " + bad.map { i in others.map { "\(variables[$0].name)=\(rows[i][$0])" }.joined(separator: " ") }.joined(separator: " and "))
            } else {
                lines.append("\(head): \(sub.count - bad.count) of \(sub.count) members")
            }
        }
        let name = variables[split].name
        lines = said.map { group in
            let shown = group.values.count == 1 ? group.values[0].shortDescription
                : group.values.count == 2 ? "\(group.values[0].shortDescription), \(group.values[1].shortDescription)"
                : Family.describe(.values(group.values)).hasPrefix("{") ? group.values.map(\.shortDescription).joined(separator: ", ") : Family.describe(.values(group.values))
            return "\(name) = \(shown)" + group.text
        }
        if lines.count > maxLines { lines = Array(lines.prefix(maxLines)) + ["... (\(lines.count - maxLines) more)"] }
        return "valid when\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }

    static func distinct(_ rows: [[Value]], _ subset: [Int], _ v: Int) -> [Value] {
        var out: [Value] = []
        for i in subset where !out.contains(rows[i][v]) { out.append(rows[i][v]) }
        return out
    }

    /// A conjunction of one condition per variable that holds exactly for the valid members
    /// of `subset`, or nil.
    static func condition(_ variables: [FamilyVariable], _ rows: [[Value]], _ valid: [Bool], _ subset: [Int], skipping: Int? = nil) -> String? {
        var parts: [String] = []
        var allowed: [[Value]] = []
        for v in variables.indices {
            let values = distinct(rows, subset, v)
            let ok = values.filter { x in subset.contains { valid[$0] && rows[$0][v] == x } }
            allowed.append(ok)
            if ok.count < values.count, v != skipping {
                guard let part = describe(variables[v].name, ok, of: values) else { return nil }
                parts.append(part)
            }
        }
        for i in subset where valid[i] != variables.indices.allSatisfy({ allowed[$0].contains(rows[i][$0]) }) { return nil }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }

    /// `M <= 5`, `M >= 2`, `2 <= M <= 4`, `K = 0`, `POOL? in {on}`.
    static func describe(_ name: String, _ ok: [Value], of all: [Value]) -> String? {
        if ok.count == 1 { return "\(name) = \(ok[0].shortDescription)" }
        let ints = all.compactMap { if case .int(let i) = $0 { return i } else { return nil } }.sorted()
        let okInts = ok.compactMap { if case .int(let i) = $0 { return i } else { return nil } }.sorted()
        if ints.count == all.count, let lo = okInts.first, let hi = okInts.last,
           let a = ints.firstIndex(of: lo), let b = ints.firstIndex(of: hi), b - a + 1 == okInts.count {
            if a == 0 { return "\(name) <= \(hi)" }
            if b == ints.count - 1 { return "\(name) >= \(lo)" }
            return "\(lo) <= \(name) <= \(hi)"
        }
        // A long list of allowed values is not a compact statement.
        if ok.count > 4 { return nil }
        return "\(name) in {\(ok.map(\.shortDescription).joined(separator: ", "))}"
    }
}
