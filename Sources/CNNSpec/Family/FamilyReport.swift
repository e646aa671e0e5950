// The family report: text for people (`cnnspec check` on a family) and JSON for tools
// (family schema 1, docs/REPORT.md). Both only print a FamilyResult.

public enum FamilyReport {
    public static let schema = 1

    static func metricName(_ m: Requirement.Metric) -> String {
        switch m {
        case .params: return "params"
        case .macs: return "MACs"
        case .flops: return "FLOPs"
        case .rf: return "RF"
        case .memory: return "peak memory"
        }
    }

    static func shown(_ m: Requirement.Metric, _ v: Int) -> String {
        switch m {
        case .params, .macs, .flops: return grouped(v)
        case .rf: return "\(v)"
        case .memory: return Format.bytes(v)
        }
    }

    public static func text(_ r: FamilyResult, renderer: DiagnosticRenderer, top: Int?, by: Requirement.Metric) -> String {
        let vars = r.variables.map { "\($0.name) \($0.text)" }.joined(separator: ", ")
        var out = "\(r.name): a family of \(grouped(r.members.count)) member\(r.members.count == 1 ? "" : "s") (\(vars)), \(grouped(r.validCount)) valid\n"
        out += r.statement + "\n"
        if !r.requirements.isEmpty { out += "requirements: " + r.requirements.map(\.text).joined(separator: ", ") + "\n" }
        let invalid = r.members.count - r.validCount
        if invalid > 0 {
            out += "\n\(grouped(invalid)) invalid member\(invalid == 1 ? "" : "s"), \(r.failures.count) distinct failure\(r.failures.count == 1 ? "" : "s") (each shown on its first member):\n"
            for f in r.failures {
                let m = r.members[f.representative]
                out += "\n\(grouped(f.count)) member\(f.count == 1 ? "" : "s") fail\(f.count == 1 ? "s" : "") as \(m.bindings.commandLine) does:\n"
                if let first = f.diagnostics.first { out += renderer.render(first) }
            }
        }
        if r.validCount > 0 {
            out += "\nover the \(grouped(r.validCount)) valid member\(r.validCount == 1 ? "" : "s"):\n"
            let rows = r.ranges.map { g -> [String] in
                [metricName(g.metric), shown(g.metric, g.min), "(\(r.members[g.minMember].bindings.compact))",
                 "to", shown(g.metric, g.max), "(\(r.members[g.maxMember].bindings.compact))"]
            }
            out += aligned(rows, right: [1, 4])
            if let top {
                out += "\ntop \(top) by \(by.rawValue) (\(by == .rf ? "largest" : "smallest") first):\n"
                let rows = r.top(top, by: by).enumerated().map { k, i -> [String] in
                    let m = r.members[i].metrics!
                    return ["\(k + 1).", r.members[i].bindings.compact, "\(by.rawValue) \(m.shown(by))"]
                        + ([.params, .macs, .rf, .memory] as [Requirement.Metric]).filter { $0 != by }.map { "\($0.rawValue) \(m.shown($0))" }
                }
                out += aligned(rows, right: [0])
            }
        }
        return out
    }

    /// Columns separated by two spaces, indented by two, right-aligned where asked.
    static func aligned(_ rows: [[String]], right: Set<Int>) -> String {
        guard let n = rows.map(\.count).max() else { return "" }
        let widths = (0..<n).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            var line = "  "
            for (c, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                line += (right.contains(c) ? pad + cell : cell + (c == row.count - 1 ? "" : pad)) + (c == row.count - 1 ? "" : "  ")
            }
            return line + "\n"
        }.joined()
    }

    /// A binding value as JSON: whole numbers as numbers, everything else as the text -D accepts.
    static func bindingValue(_ v: Value) -> JSON {
        if case .int(let i) = v { return .int(i) }
        return .string(v.description)
    }

    static func bindings(_ b: Bindings) -> JSON { .object(zip(b.names, b.values).map { ($0, bindingValue($1)) }) }

    static func totals(_ m: Metrics) -> JSON {
        .object([("params", .int(m.params)), ("macs", .int(m.macs)), ("flops", .int(m.flops)),
                 ("rf", JSONReport.pair(m.rf)), ("peak_activation_bytes", .int(m.memory))])
    }

    public static func json(_ r: FamilyResult, top: Int?, by: Requirement.Metric) -> String {
        var fields: [(String, JSON)] = [
            ("family_schema", .int(schema)),
            ("network", .string(r.name)),
            ("variables", .array(r.variables.map { .object([("name", .string($0.name)), ("values", .string($0.text))]) })),
            ("requirements", .array(r.requirements.map { .string($0.text) })),
            ("member_count", .int(r.members.count)),
            ("valid_count", .int(r.validCount)),
            ("validity", .string(r.statement)),
            ("failures", .array(r.failures.map { f in
                let d = f.diagnostics.first
                return .object([
                    ("id", .string(f.id)), ("message", .string(d?.message ?? "")),
                    ("line", f.range.map { .int($0.start.line) } ?? .null), ("column", f.range.map { .int($0.start.column) } ?? .null),
                    ("members", .int(f.count)), ("bindings", bindings(r.members[f.representative].bindings)),
                ])
            })),
            ("ranges", .object(r.ranges.map { g in
                (g.metric.rawValue, .object([("min", .int(g.min)), ("min_bindings", bindings(r.members[g.minMember].bindings)),
                                             ("max", .int(g.max)), ("max_bindings", bindings(r.members[g.maxMember].bindings))]))
            })),
        ]
        if let top {
            fields.append(("top", .object([("by", .string(by.rawValue)), ("members", .array(r.top(top, by: by).map { .int($0) }))])))
        }
        fields.append(("members", .array(r.members.map { m in
            .object([
                ("bindings", bindings(m.bindings)),
                ("valid", .bool(m.valid)),
                ("totals", m.metrics.map(totals) ?? .null),
                ("error", m.error.map { d in .object([("id", .string(d.id)), ("message", .string(d.message)),
                                                       ("line", d.range.map { .int($0.start.line) } ?? .null),
                                                       ("column", d.range.map { .int($0.start.column) } ?? .null)]) } ?? .null),
            ])
        })))
        return JSON.object(fields).rendered()
    }
}
