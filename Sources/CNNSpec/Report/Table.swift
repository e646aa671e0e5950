// The per-layer table every tabular report prints: built once from the plan (cells as
// text), then laid out as aligned text, Markdown or CSV.

public struct ReportTable {
    public struct Column {
        public var title: String
        public var rightAligned: Bool
    }
    public var columns: [Column]
    public var rows: [[String]]
    public var totals: [String]

    /// `exact`: numbers in full (CSV, Markdown); otherwise short (1.23M) for the terminal.
    public init(_ plan: Plan, exactNumbers: Bool) {
        func num(_ n: Int) -> String { exactNumbers ? String(n) : (n == 0 ? "-" : grouped(n)) }
        func mem(_ n: Int) -> String { exactNumbers ? String(n) : Format.bytes(n) }
        columns = [
            Column(title: "#", rightAligned: true),
            Column(title: "layer", rightAligned: false),
            Column(title: "op", rightAligned: false),
            Column(title: "attrs", rightAligned: false),
            Column(title: "inputs", rightAligned: false),
            Column(title: "output", rightAligned: true),
            Column(title: "params", rightAligned: true),
            Column(title: "MACs", rightAligned: true),
            Column(title: "FLOPs", rightAligned: true),
            Column(title: "RF", rightAligned: true),
            Column(title: "jump", rightAligned: true),
            Column(title: "eff.pad", rightAligned: true),
            Column(title: "memory", rightAligned: true),
        ]
        var previous = "input"
        rows = plan.layers.enumerated().map { i, l in
            let sequential = l.inputNames == [previous]
            previous = l.name
            // A wide join lists its first inputs only: the table stays readable (CSV and JSON list all).
            let shown = exactNumbers ? l.inputNames : Array(l.inputNames.prefix(3)) + (l.inputNames.count > 3 ? ["(+\(l.inputNames.count - 3) more)"] : [])
            return [String(i + 1), l.name, l.op.name, Format.attributes(l.op),
                    sequential && !exactNumbers ? "" : shown.joined(separator: " "),
                    l.output.description, num(l.params), num(l.macs), num(l.flops),
                    l.rf.size.description, l.rf.jump.description, l.rf.padding.description, mem(l.activationBytes)]
        }
        let t = plan.totals
        totals = ["", "total", "", "", "", plan.output.description, num(t.params), num(t.macs), num(t.flops), "", "", "", mem(t.activationBytes)]
    }

    /// Columns padded to their widest cell, two spaces apart.
    public func aligned(dropEmptyColumns: Bool = true) -> String {
        let all = rows + [totals]
        let keep = columns.indices.filter { c in !dropEmptyColumns || all.contains { !$0[c].isEmpty } }
        var width = [Int](repeating: 0, count: columns.count)
        for c in keep { width[c] = ([columns[c].title] + all.map { $0[c] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            keep.map { c in
                let pad = String(repeating: " ", count: width[c] - cells[c].count)
                return columns[c].rightAligned ? pad + cells[c] : cells[c] + pad
            }.joined(separator: "  ").trailingSpacesRemoved()
        }
        var out = line(columns.map(\.title)) + "\n"
        for r in rows { out += line(r) + "\n" }
        out += line(totals) + "\n"
        return out
    }
}

extension String {
    func trailingSpacesRemoved() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
