// The Markdown report: a summary and the per-layer table with exact numbers.

public enum MarkdownReport {
    public static func render(_ plan: Plan) -> String {
        let t = plan.totals
        var out = "# \(plan.name)\n\n"
        out += "Input \(plan.input), output \(plan.output) (H x W x C), \(plan.layers.count) layers.\n\n"
        out += "| total | value |\n|---|---:|\n"
        out += "| params | \(grouped(t.params)) |\n"
        out += "| MACs (torchvision's \"GFLOPS\") | \(grouped(t.macs)) (\(Format.gflops(Double(t.macs) / 1e9)) G) |\n"
        out += "| FLOPs (2 x MACs + bias, pooling, activation ops) | \(grouped(t.flops)) |\n"
        out += "| activation memory, all layers | \(grouped(t.activationBytes)) B |\n"
        out += "| peak live activation memory | \(grouped(t.peakActivationBytes)) B at `\(t.peakLayer)` |\n\n"
        let table = ReportTable(plan, exactNumbers: true)
        out += "| " + table.columns.map(\.title).joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.rightAligned ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in table.rows + [table.totals] {
            out += "| " + row.map { $0.isEmpty ? "" : ($0.contains("|") ? $0.split(separator: "|").joined(separator: "\\|") : $0) }.joined(separator: " | ") + " |\n"
        }
        if !plan.warnings.isEmpty {
            out += "\n## Warnings\n\n"
            for w in plan.warnings {
                out += "- " + (w.layer.map { "`\($0)`: " } ?? "") + w.message + "\n"
            }
        }
        return out
    }
}
