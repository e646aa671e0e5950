// Checking a family: every member is checked with the same pipeline as a single network
// (`Pipeline.check` on the file parsed once, with the member's bindings as defines), then
// the results are summarized: counts, a compact validity statement, one representative per
// distinct failure, and the ranges of the valid members' costs with the extreme members.
// Members are checked on Dispatch's worker threads (the work is pure and per member).
import Dispatch

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
    struct Outcome: Sendable {
        var metrics: Metrics?
        var errors: [Diagnostic]
    }

    /// Output slots that each worker writes apart (chunk c writes only slots of chunk c).
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Outcome?>
    }

    /// Checks the members in `threads` chunks on Dispatch's worker threads (the checks are
    /// pure functions of the parsed file and the bindings); results keep the members' order.
    static func checkAll(_ all: [Bindings], threads: Int, _ check: @escaping @Sendable (Bindings) -> Outcome) -> [Outcome] {
        let chunks = max(1, min(threads, all.count / 64))
        if chunks == 1 { return all.map(check) }
        let base = UnsafeMutablePointer<Outcome?>.allocate(capacity: all.count)
        base.initialize(repeating: nil, count: all.count)
        defer { base.deinitialize(count: all.count); base.deallocate() }
        let slots = Slots(base: base)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in (all.count * c / chunks)..<(all.count * (c + 1) / chunks) { slots.base[i] = check(all[i]) }
        }
        return (0..<all.count).map { base[$0]! }
    }

    /// Metrics whose ranges the summary shows.
    static let rangeMetrics: [Requirement.Metric] = [.params, .macs, .rf, .memory]

    /// Checks every member of a family whose variables `Family.variables` found (and whose
    /// size it accepted). `defines` are the concrete -D values, shared by every member.
    public static func run(_ file: SpecFile, variables: [FamilyVariable], defines: [Define], threads: Int = 8) -> FamilyResult {
        let fixed = defines.filter { $0.domain == nil }
        var all: [Bindings] = []
        Family.forEachMember(variables) { all.append($0) }
        let outcomes = checkAll(all, threads: threads) { bindings in
            let result = Pipeline.check(file, defines: fixed + bindings.defines)
            if let plan = result.plan, !result.hasErrors { return Outcome(metrics: Metrics(plan), errors: []) }
            return Outcome(metrics: nil, errors: result.diagnostics.filter { $0.severity == .error })
        }
        var members: [FamilyMember] = []
        members.reserveCapacity(all.count)
        var failures: [FamilyFailure] = []
        var failureIndex: [String: Int] = [:]
        for (bindings, o) in zip(all, outcomes) {
            let first = o.errors.first
            members.append(FamilyMember(bindings: bindings, metrics: o.metrics, error: first))
            guard o.metrics == nil else { continue }
            let key = "\(first?.id ?? "") \(first?.range?.start.line ?? 0):\(first?.range?.start.column ?? 0)"
            if let i = failureIndex[key] {
                failures[i].count += 1
            } else {
                failureIndex[key] = failures.count
                failures.append(FamilyFailure(id: first?.id ?? "", range: first?.range, count: 1, representative: members.count - 1, diagnostics: o.errors))
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
                            statement: ValidityStatement.describe(variables, members.map(\.bindings.values), members.map(\.valid),
                                                                 featureMaps: members.map { $0.metrics?.featureMap }),
                            failures: failures, ranges: ranges, requirements: requirements)
    }
}

/// The valid members as a short statement: `valid iff M <= 5`, `valid iff N <= 2 and M <= 4`,
/// or one line per value of the variable that says it best. Values are coded as small
/// integers once, so a statement over 100,000 members takes a few passes over them.
struct ValidityStatement {
    static let maxLines = 12
    let variables: [FamilyVariable]
    /// Each variable's distinct values, in first-seen (enumeration) order.
    let values: [[Value]]
    /// codes[v][i]: the index in values[v] of member i's value of variable v.
    let codes: [[Int]]
    let valid: [Bool]
    /// The last feature map of each valid member, to say why a count has an upper bound.
    let featureMaps: [Pair?]

    static func describe(_ variables: [FamilyVariable], _ rows: [[Value]], _ valid: [Bool], featureMaps: [Pair?] = []) -> String {
        var values: [[Value]] = [], codes: [[Int]] = []
        for v in variables.indices {
            var index: [Value: Int] = [:]
            var seen: [Value] = []
            codes.append(rows.map { row in
                if let k = index[row[v]] { return k }
                index[row[v]] = seen.count
                seen.append(row[v])
                return seen.count - 1
            })
            values.append(seen)
        }
        return ValidityStatement(variables: variables, values: values, codes: codes, valid: valid,
                                 featureMaps: featureMaps.count == valid.count ? featureMaps : valid.map { _ in nil }).describe()
    }

    func describe() -> String {
        if valid.allSatisfy({ $0 }) { return "every member is valid" }
        if !valid.contains(true) { return "no member is valid" }
        let all = Array(valid.indices)
        if let c = condition(all, skipping: nil) { return "valid iff " + c + reason(c) }
        // Split on the variable whose values give the fewest lines without a compact condition.
        var best: (score: Int, lines: [String])?
        for v in variables.indices where values[v].count > 1 && values[v].count <= 64 {
            let (score, lines) = split(all, on: v)
            if best == nil || score < best!.score || (score == best!.score && lines.count < best!.lines.count) { best = (score, lines) }
        }
        guard var lines = best?.lines else { return "\(grouped(valid.filter { $0 }.count)) of \(grouped(valid.count)) members are valid" }
        if lines.count > Self.maxLines { lines = Array(lines.prefix(Self.maxLines)) + ["... (\(lines.count - Self.maxLines) more)"] }
        return "valid when\n" + lines.map { "  " + $0 }.joined(separator: "\n")
    }

    /// For `valid iff M <= 5`: the last feature map at M = 5 when every valid member there has
    /// the same one (` (at M = 5 the last feature map is 1x1)`), else nothing.
    func reason(_ c: String) -> String {
        for v in variables.indices {
            guard c.hasPrefix(variables[v].name + " <= "), let k = Int(c.dropFirst(variables[v].name.count + 4)) else { continue }
            let maps = valid.indices.filter { valid[$0] && values[v][codes[v][$0]] == .int(k) }.compactMap { featureMaps[$0] }
            guard let first = maps.first, maps.allSatisfy({ $0 == first }) else { return "" }
            return " (at \(variables[v].name) = \(k) the last feature map is \(first.sizeText))"
        }
        return ""
    }

    /// One line per value of variable `v` (consecutive values saying the same share a line),
    /// and how many lines fall back to a count.
    func split(_ subset: [Int], on v: Int) -> (Int, [String]) {
        var groups: [[Int]] = Array(repeating: [], count: values[v].count)
        for i in subset { groups[codes[v][i]].append(i) }
        var said: [(values: [Value], text: String)] = []
        var score = 0
        for (k, sub) in groups.enumerated() where !sub.isEmpty {
            let text: String
            let bad = sub.filter { !valid[$0] }
            if bad.isEmpty {
                text = "every member"
            } else if bad.count == sub.count {
                text = "none"
            } else if let c = condition(sub, skipping: v) {
                text = c
            } else if bad.count <= 2 {
                let others = variables.indices.filter { $0 != v }
                text = "every member but " + bad.map { i in others.map { "\(variables[$0].name)=\(values[$0][codes[$0][i]])" }.joined(separator: " ") }.joined(separator: " and ")
            } else {
                text = "\(grouped(sub.count - bad.count)) of \(grouped(sub.count)) members"
                score += 1
            }
            if let last = said.last, last.text == text { said[said.count - 1].values.append(values[v][k]) } else { said.append(([values[v][k]], text)) }
        }
        let name = variables[v].name
        return (score, said.map { group in
            let range = Family.describe(.values(group.values))
            let shown = group.values.count == 1 ? group.values[0].shortDescription
                : range.hasPrefix("{") ? group.values.map(\.shortDescription).joined(separator: ", ") : range
            return "\(name) = \(shown): " + group.text
        })
    }

    /// A conjunction of one condition per variable that holds exactly for the valid members
    /// of `subset`, or nil.
    func condition(_ subset: [Int], skipping: Int?) -> String? {
        var parts: [String] = []
        var allowed: [[Bool]] = []
        for v in variables.indices {
            var present = [Bool](repeating: false, count: values[v].count)
            var ok = present
            for i in subset {
                present[codes[v][i]] = true
                if valid[i] { ok[codes[v][i]] = true }
            }
            allowed.append(ok)
            let all = values[v].indices.filter { present[$0] }.map { values[v][$0] }
            let good = values[v].indices.filter { ok[$0] }.map { values[v][$0] }
            if good.count < all.count, v != skipping {
                guard let part = Self.describe(variables[v].name, good, of: all) else { return nil }
                parts.append(part)
            }
        }
        for i in subset where valid[i] != variables.indices.allSatisfy({ allowed[$0][codes[$0][i]] }) { return nil }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }

    /// `M <= 5`, `M >= 2`, `2 <= M <= 4`, `K = 0`, `C in {16, 32}`, `POOL? != [on, on]`.
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
        let excluded = all.filter { !ok.contains($0) }
        if excluded.count == 1 { return "\(name) != \(excluded[0].shortDescription)" }
        // A long list of allowed values is not a compact statement.
        if ok.count <= 4 { return "\(name) in {\(ok.map(\.shortDescription).joined(separator: ", "))}" }
        if excluded.count <= 2 { return "\(name) not in {\(excluded.map(\.shortDescription).joined(separator: ", "))}" }
        return nil
    }
}
