// Invariants every plan must satisfy. Tests run the verifier on every spec; a violation is
// a bug in cnnspec, never a user error.

public enum PlanVerifier {
    /// The broken invariants, empty when the plan is sound.
    public static func verify(_ plan: Plan) -> [String] {
        var problems: [String] = []
        var seen: Set<String> = []
        var params = 0, macs = 0, flops = 0, bytes = 0, buffers = 0
        for (i, l) in plan.layers.enumerated() {
            if l.name.isEmpty || !seen.insert(l.name).inserted { problems.append("layer \(i): name '\(l.name)' is empty or repeated") }
            for case .layer(let j) in l.inputs where j >= i { problems.append("\(l.name): reads layer \(j), which is not earlier") }
            if l.inputs.count != l.inputNames.count || l.inputs.count != l.inputShapes.count { problems.append("\(l.name): input lists differ in length") }
            if l.output.c < 1 || l.output.h < 1 || l.output.w < 1 { problems.append("\(l.name): empty output \(l.output)") }
            if l.activationBytes != l.output.c * l.output.h * l.output.w * bytesPerElement { problems.append("\(l.name): activation bytes") }
            let numel = l.weights.reduce(0) { $0 + $1.shape.reduce(1, *) }
            var layerBuffers = 0
            switch l.op {
            case .batchnorm: layerBuffers = 2 * l.output.c
            case .conv(let a):
                guard case .explicit = a.padding else { problems.append("\(l.name): padding not resolved"); break }
            case .maxpool, .avgpool, .globalavgpool, .fc, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .dropout, .add, .concat:
                break
            }
            if numel != l.params + layerBuffers { problems.append("\(l.name): weights hold \(numel) numbers, params + buffers are \(l.params + layerBuffers)") }
            if l.macs > 0 && l.flops < 2 * l.macs { problems.append("\(l.name): FLOPs below 2 x MACs") }
            if l.rf.size.h < 1 || l.rf.jump.h < 1 { problems.append("\(l.name): receptive field not positive") }
            for case .layer(let j) in l.inputs where j < i {
                let producer = plan.layers[j]
                if producer.rf.size.h > l.rf.size.h || producer.rf.size.w > l.rf.size.w { problems.append("\(l.name): receptive field shrank") }
            }
            params += l.params; macs += l.macs; flops += l.flops; bytes += l.activationBytes; buffers += layerBuffers
        }
        let t = plan.totals
        if (t.params, t.macs, t.flops, t.activationBytes, t.buffers) != (params, macs, flops, bytes, buffers) { problems.append("totals are not the sums of the layers") }
        if t.peakActivationBytes > bytes + plan.input.c * plan.input.h * plan.input.w * bytesPerElement { problems.append("peak exceeds everything allocated") }
        if t.peakActivationBytes < (plan.layers.map(\.activationBytes).max() ?? 0) { problems.append("peak below the largest tensor") }
        return problems
    }
}
