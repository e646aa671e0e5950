// The CSV report: one row per layer with exact numbers, for spreadsheets (RFC 4180 quoting).

public enum CSVReport {
    static let header = ["index", "name", "op", "attrs", "inputs", "out_c", "out_h", "out_w", "params", "macs", "flops",
                         "rf_h", "rf_w", "jump_h", "jump_w", "eff_pad_h", "eff_pad_w", "activation_bytes"]

    public static func render(_ plan: Plan) -> String {
        var out = header.joined(separator: ",") + "\n"
        for (i, l) in plan.layers.enumerated() {
            let cells: [String] = [String(i + 1), l.name, l.op.name, Format.attributes(l.op), l.inputNames.joined(separator: " "),
                                   String(l.output.c), String(l.output.h), String(l.output.w),
                                   String(l.params), String(l.macs), String(l.flops),
                                   String(l.rf.size.h), String(l.rf.size.w), String(l.rf.jump.h), String(l.rf.jump.w), String(l.rf.padding.h), String(l.rf.padding.w),
                                   String(l.activationBytes)]
            out += cells.map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
