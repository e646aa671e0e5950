// Messages about families (ranges, sets, per-stage lists) and requirements. Same rules as
// Messages.swift: stable ids, lowercase, no final period.

extension Messages {
    static func emptyRange(_ name: String, _ lo: Int, _ hi: Int, at r: R?) -> Diagnostic {
        error("bad-range", "the range \(lo)...\(hi) of '\(name)' is empty: it ends before it starts", r, help: ["write the smaller number first: \(hi)...\(lo)"])
    }
    static func setValueNotConstant(at r: R?) -> Diagnostic {
        error("bad-range", "a value of a set must be a number, a size, a word, a tuple or a list", r, help: ["for example K = {0, 2}, POOL? = {on, off}, C = {[32, 64], [64, 128]}"])
    }
    static func setRepeats(_ v: Value, at r: R?) -> Diagnostic {
        error("bad-range", "the set lists \(v.shortDescription) twice", r)
    }
    static func badStageCount(_ why: String, at r: R?) -> Diagnostic {
        error("bad-stage-count", why, r, help: ["a per-stage choice is written [{on, off}]*M: one value per stage of [ ]*M"])
    }
    static func familyTooLarge(_ count: Int?, limit: Int, variables: [FamilyVariable], at r: R?) -> Diagnostic {
        let size = count.map { grouped($0) } ?? "more than 2^63"
        let over = variables.isEmpty ? "" : " (" + variables.map { "\($0.name) \($0.text)" }.joined(separator: ", ") + ")"
        return error("family-too-large", "the family has \(size) members\(over), more than the \(grouped(limit)) that are checked", r,
                     help: ["narrow a range or a set, or fix a variable with -D NAME=VALUE"])
    }
    static func familyMemberNeeded(_ v: FamilyVariable, members: Int?, at r: R?) -> Diagnostic {
        error("family-member-needed", "'\(v.name)' ranges over \(v.text): this spec is a family of \(members.map(grouped) ?? "many") members, not one network", r,
              help: ["cnnspec check checks every member; choose one with -D \(v.name)=VALUE (cnnspec instantiate prints it as a spec)"])
    }
    static func unknownMetric(_ t: Token) -> Diagnostic {
        error("bad-requirement", "a requirement bounds one of \(Requirement.Metric.allCases.map(\.rawValue).joined(separator: ", ")); found \(t.kind.spelling)", t.range,
              help: ["for example: require params <= 5M"])
    }
    static func inputBoundNeedsRF(_ m: Requirement.Metric, at r: R) -> Diagnostic {
        error("bad-requirement", "only rf can be compared with the input (require rf >= input), not \(m.rawValue)", r)
    }
    static func requirementFailed(_ q: Requirement, actual: String) -> Diagnostic {
        error("requirement-failed", "the network does not meet 'require \(q.text)': \(q.metric.rawValue) is \(actual)", q.range)
    }
}
