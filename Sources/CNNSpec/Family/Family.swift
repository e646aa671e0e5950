// Families: a spec whose counts and switches range over sets (`N = 1...5`, `K = {0, 2}`,
// `POOL? = [{on, off}]*M`, or the same with -D) describes many networks. This file finds
// the free variables and their values, counts the members with checked arithmetic, and
// enumerates each member as the -D bindings that make it one concrete network.

/// What a family variable ranges over.
public enum Domain: Equatable, Sendable {
    /// One of these values for the whole network.
    case values([Value])
    /// A list with one value per stage, each chosen from `choices`; the list's length is
    /// the stage count. A count of 0 gives a single member (the first choice; no stage reads
    /// it), and a count of 1 the choices themselves (`on` rather than `[on]`, which -D reads as `on`).
    case perStage([Value], count: StageCount)
}

public enum StageCount: Equatable, Sendable {
    case fixed(Int)
    /// The value of another (values) family variable.
    case variable(String)
}

/// A free variable of a family.
public struct FamilyVariable: Equatable, Sendable {
    public var name: String
    public var domain: Domain
    /// As written: `1...5`, `{0, 2}`, `[{on, off}]*M`.
    public var text: String
    public var range: SourceRange?
}

/// One member: a value for every free variable, in the family's variable order.
public struct Bindings: Equatable, Sendable {
    public var names: [String]
    public var values: [Value]

    /// The -D defines that bind this member.
    public var defines: [Define] { zip(names, values).map { Define(name: $0, value: $1) } }

    /// `N=2 M=3 POOL?=[on, off, on]`.
    public var compact: String { zip(names, values).map { "\($0)=\($1)" }.joined(separator: " ") }

    /// `-D N=2 -D 'POOL?=[on, off, on]'`: shell-ready.
    public var commandLine: String {
        zip(names, values).map { n, v in
            let text = "\(n)=\(v)"
            return "-D " + (text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "=_-.x".unicodeScalars.contains($0) } ? text : "'\(text)'")
        }.joined(separator: " ")
    }
}

public enum Family {
    /// Largest family `check` enumerates; a larger one is refused with its size.
    public static let maxMembers = 100_000

    public struct Variables: Sendable {
        public var variables: [FamilyVariable]
        /// Members, nil when the count exceeds 2^63.
        public var count: Int?
        public var diagnostics: [Diagnostic]
        public var isFamily: Bool { !variables.isEmpty }
    }

    /// Every name a domain mentions (a stage count may name a variable).
    public static func references(_ d: DomainExpr) -> [String] {
        switch d {
        case .set(let items, _): return items.flatMap(Expander.references)
        case .range: return []
        case .perStage(let inner, let count, _): return references(inner) + Expander.references(count)
        }
    }

    /// The free variables of a spec under `defines`: family statements not bound by a
    /// concrete -D, then -D domains for names the file does not declare as a family.
    public static func variables(_ file: SpecFile, defines: [Define]) -> Variables {
        var byName: [String: Define] = [:]
        for d in defines { byName[d.name] = d }
        var written: [(String, DomainExpr, SourceRange?, String)] = []
        var declared: Set<String> = []
        for case .family(let name, let domain, let r) in file.statements {
            declared.insert(name)
            if let d = byName[name] {
                if let dd = d.domain { written.append((name, dd, nil, "")) }
                continue
            }
            written.append((name, domain, r, text(of: domain.range, in: file.source)))
        }
        for d in defines where d.domain != nil && !declared.contains(d.name) { written.append((d.name, d.domain!, nil, "")) }
        if written.isEmpty { return Variables(variables: [], count: 1, diagnostics: []) }

        var diagnostics: [Diagnostic] = []
        var variables: [FamilyVariable] = []
        var failed: Set<String> = []
        for (name, d, r, t) in written {
            guard let domain = evaluate(d, name: name, at: r, &diagnostics) else { failed.insert(name); continue }
            variables.append(FamilyVariable(name: name, domain: domain, text: t.isEmpty ? describe(domain) : t, range: r))
        }
        // Resolve stage counts that name something: a values variable, a -D number, or a
        // binding of the file to a number.
        let names = Set(variables.map(\.name))
        for i in variables.indices {
            guard case .perStage(let choices, .variable(let n)) = variables[i].domain, !failed.contains(n) else { continue }
            let where_ = variables[i].range
            if let v = variables.first(where: { $0.name == n }) {
                guard case .values(let vs) = v.domain, vs.allSatisfy({ if case .int(let k) = $0 { return k >= 0 } else { return false } }) else {
                    diagnostics.append(Messages.badStageCount("'\(n)' must range over whole numbers of at least 0 to count stages", at: where_))
                    continue
                }
                continue
            }
            var fixed: Value?
            if let d = byName[n], d.domain == nil { fixed = d.value }
            for case .binding(let b, let e, _) in file.statements where b == n && fixed == nil { fixed = Value.constant(e) }
            guard case .int(let k)? = fixed, k >= 0, !names.contains(n) else {
                diagnostics.append(Messages.badStageCount("the stage count '\(n)' must be a whole number of at least 0, or a family variable over such numbers", at: where_))
                continue
            }
            variables[i].domain = .perStage(choices, count: .fixed(k))
        }
        if !diagnostics.isEmpty { return Variables(variables: variables, count: nil, diagnostics: diagnostics) }
        // Values variables first (in order), then per-stage lists, so a count is known before its lists.
        variables = variables.filter { if case .values = $0.domain { return true } else { return false } }
            + variables.filter { if case .perStage = $0.domain { return true } else { return false } }
        let count = memberCount(variables)
        if count.map({ $0 > maxMembers }) ?? true {
            let r = variables.compactMap(\.range).first
            diagnostics.append(Messages.familyTooLarge(count, limit: maxMembers, variables: variables, at: r))
        }
        return Variables(variables: variables, count: count, diagnostics: diagnostics)
    }

    /// The source text of a range (for showing a domain as written).
    static func text(of r: SourceRange, in source: String) -> String {
        var line = 1, column = 1
        var out = String.UnicodeScalarView()
        var scalars = source.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        for c in scalars {
            let here = SourceLocation(line: line, column: column)
            if here >= r.end { break }
            if here >= r.start { out.append(c) }
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return String(out)
    }

    static func describe(_ d: Domain) -> String {
        switch d {
        case .values(let vs):
            let ints = vs.compactMap { if case .int(let i) = $0 { return i } else { return nil } }
            if ints.count == vs.count, ints.count > 2, let lo = ints.first, ints == Array(lo..<(lo + ints.count)) { return "\(lo)...\(lo + ints.count - 1)" }
            return "{" + vs.map(\.description).joined(separator: ", ") + "}"
        case .perStage(let vs, .fixed(let n)): return "[{" + vs.map(\.description).joined(separator: ", ") + "}]*\(n)"
        case .perStage(let vs, .variable(let n)): return "[{" + vs.map(\.description).joined(separator: ", ") + "}]*\(n)"
        }
    }

    private static func evaluate(_ d: DomainExpr, name: String, at r: SourceRange?, _ diagnostics: inout [Diagnostic]) -> Domain? {
        switch d {
        case .range(let lo, let hi, let rr):
            let at = r == nil ? nil : rr
            if hi < lo { diagnostics.append(Messages.emptyRange(name, lo, hi, at: at)); return nil }
            // Both bounds are at most 2^53 in size, so hi - lo + 1 cannot overflow.
            if hi - lo + 1 > maxMembers {
                diagnostics.append(Messages.familyTooLarge(hi - lo + 1, limit: maxMembers, variables: [], at: at))
                return nil
            }
            return .values((lo...hi).map(Value.int))
        case .set(let items, _):
            var values: [Value] = []
            for item in items {
                guard let v = Value.constant(item) else {
                    diagnostics.append(Messages.setValueNotConstant(at: r == nil ? nil : item.range))
                    return nil
                }
                if values.contains(v) { diagnostics.append(Messages.setRepeats(v, at: r == nil ? nil : item.range)); return nil }
                values.append(v)
            }
            return .values(values)
        case .perStage(let inner, let countExpr, let rr):
            let at = r == nil ? nil : rr
            guard case .values(let choices)? = evaluate(inner, name: name, at: r, &diagnostics) else {
                if case .perStage = inner { diagnostics.append(Messages.badStageCount("[ ]*n holds a set or a range, not another [ ]*n", at: at)) }
                return nil
            }
            switch countExpr {
            case .integer(let n, _) where n >= 0: return .perStage(choices, count: .fixed(n))
            case .name(let n, _): return .perStage(choices, count: .variable(n))
            default:
                diagnostics.append(Messages.badStageCount("the number of stages must be a whole number of at least 0 or a name", at: at))
                return nil
            }
        }
    }

    /// The number of members, with checked arithmetic; nil beyond Int.max.
    static func memberCount(_ variables: [FamilyVariable]) -> Int? {
        func mul(_ a: Int?, _ b: Int?) -> Int? {
            guard let a, let b else { return nil }
            let (p, o) = a.multipliedReportingOverflow(by: b)
            return o ? nil : p
        }
        func power(_ base: Int, _ n: Int) -> Int? {
            if n == 0 { return 1 }
            var r: Int? = 1
            for _ in 0..<n { r = mul(r, base); if r == nil { return nil } }
            return r
        }
        var total: Int? = 1
        var dependents: [String: [Int]] = [:]
        for v in variables {
            if case .perStage(let choices, .variable(let c)) = v.domain { dependents[c, default: []].append(choices.count) }
        }
        for v in variables {
            switch v.domain {
            case .values(let vs):
                guard let deps = dependents[v.name] else { total = mul(total, vs.count); continue }
                // Sum over the count's values of the product of its lists' choices.
                var sum: Int? = 0
                for case .int(let n) in vs {
                    var p: Int? = 1
                    for k in deps { p = mul(p, n == 0 ? 1 : power(k, n)) }
                    guard let s = sum, let q = p else { sum = nil; break }
                    let (r, o) = s.addingReportingOverflow(q)
                    sum = o ? nil : r
                }
                total = mul(total, sum)
            case .perStage(let choices, .fixed(let n)):
                total = mul(total, n == 0 ? 1 : power(choices.count, n))
            case .perStage(_, .variable):
                break // counted with its count variable
            }
            if total == nil { return nil }
        }
        return total
    }

    /// Calls `body` with every member's bindings, the first variable varying slowest.
    static func forEachMember(_ variables: [FamilyVariable], _ body: (Bindings) -> Void) {
        var values: [Value] = []
        values.reserveCapacity(variables.count)
        let names = variables.map(\.name)
        func next(_ i: Int) {
            if i == variables.count { body(Bindings(names: names, values: values)); return }
            let options: [Value]
            switch variables[i].domain {
            case .values(let vs): options = vs
            case .perStage(let choices, let count):
                var n = 0
                switch count {
                case .fixed(let k): n = k
                case .variable(let c):
                    if let j = names.firstIndex(of: c), case .int(let k) = values[j] { n = k }
                }
                if n == 0 {
                    options = [choices[0]]
                } else if n == 1 {
                    options = choices // one stage: the value itself, as -D writes it
                } else {
                    // Every list of n choices, the first stage varying slowest.
                    var lists: [Value] = []
                    var digits = [Int](repeating: 0, count: n)
                    while true {
                        lists.append(.list(digits.map { choices[$0] }))
                        var k = n - 1
                        while k >= 0 && digits[k] == choices.count - 1 { digits[k] = 0; k -= 1 }
                        if k < 0 { break }
                        digits[k] += 1
                    }
                    options = lists
                }
            }
            for o in options {
                values.append(o)
                next(i + 1)
                values.removeLast()
            }
        }
        next(0)
    }
}
