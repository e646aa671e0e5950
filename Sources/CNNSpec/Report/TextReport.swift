// The text report of `cnnspec check` and `cnnspec report --format text`.

public enum TextReport {
    public static func render(_ plan: Plan) -> String {
        let t = plan.totals
        var out = "\(plan.name): valid, \(plan.layers.count) layers\n"
        out += "input \(plan.input) -> output \(plan.output)   (sizes are H x W x C)\n\n"
        out += ReportTable(plan, exactNumbers: false).aligned()
        out += "\n"
        out += "params      \(grouped(t.params))"
        if t.buffers > 0 { out += " (+ \(grouped(t.buffers)) batch-norm running statistics, not parameters)" }
        out += "\n"
        out += "MACs        \(grouped(t.macs))   = \(Format.gflops(Double(t.macs) / 1e9)) \"GFLOPS\" as torchvision's model cards count it\n"
        out += "FLOPs       \(grouped(t.flops))   (2 x MACs + bias adds + pooling, activation and batch-norm ops; docs/LANGUAGE.md)\n"
        out += "activations \(Format.bytes(t.activationBytes)) in all, peak \(Format.bytes(t.peakActivationBytes)) live at '\(t.peakLayer)' (float32, batch 1)\n"
        if let i = plan.lastSpatialLayer {
            let l = plan.layers[i]
            out += "receptive field \(l.rf.size.sizeText) at '\(l.name)' (the last spatial layer), effective stride \(l.rf.jump.sizeText), effective padding \(l.rf.padding.sizeText)\n"
        }
        return out
    }
}
