// Lints: the lectures' heuristics as warnings. They never make a spec invalid.

enum Lints {
    static func run(_ plan: Plan, _ net: Network) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let s = plan.input
        if s.c > s.h && s.h <= 4 && s.c >= 8 { out.append(Messages.swappedInput(s, at: plan.inputRange)) }
        var consumers = [Int](repeating: 0, count: plan.layers.count)
        for l in plan.layers { for case .layer(let j) in l.inputs { consumers[j] += 1 } }
        for (i, l) in plan.layers.enumerated() {
            switch l.op {
            case .conv(let a):
                if a.kernel.h % 2 == 0 || a.kernel.w % 2 == 0 { out.append(Messages.evenKernel(l, a.kernel)) }
                let span = a.span
                // A strided 1x1 conv is the projection-shortcut idiom (ResNet): skipping is its point.
                if a.stride.h > span.h || a.stride.w > span.w, a.kernel != Pair(square: 1) {
                    out.append(Messages.strideSkips(l, stride: a.stride, span: span))
                }
            case .maxpool(let a), .avgpool(let a):
                if a.stride.h > a.kernel.h || a.stride.w > a.kernel.w { out.append(Messages.strideSkips(l, stride: a.stride, span: a.kernel)) }
            case .fc:
                if l.params > plan.totals.params - l.params, plan.layers.count > 1 {
                    out.append(Messages.fcDominates(l, total: plan.totals.params, fanIn: l.inputShapes[0].c * l.inputShapes[0].h * l.inputShapes[0].w))
                }
            case .batchnorm:
                if case .layer(let j) = l.inputs[0], case .conv(let a) = plan.layers[j].op, a.bias, consumers[j] == 1 {
                    out.append(Messages.biasBeforeBatchnorm(plan.layers[j], l, saved: a.outChannels))
                }
            case .relu, .relu6, .tanh, .sigmoid:
                if case .layer(let j) = l.inputs[0], plan.layers[j].op == l.op {
                    out.append(Messages.activationTwice(l, after: plan.layers[j]))
                }
            case .softmax:
                if consumers[i] > 0 { out.append(Messages.softmaxNotLast(l)) }
            case .globalavgpool, .flatten, .dropout, .add, .concat:
                break
            }
        }
        if let i = plan.lastSpatialLayer, case let l = plan.layers[i], l.rf.size.h < s.h || l.rf.size.w < s.w {
            out.append(Messages.smallReceptiveField(l, input: s))
        }
        return out
    }
}
