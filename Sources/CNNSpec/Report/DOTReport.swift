// The Graphviz report (`--format dot`): a node per layer colored by kind, an edge per input
// (residual and concat edges styled apart), residual and concat blocks as clusters.
// cnnspec writes the text itself; `dot -Tsvg` is only needed to draw it.

public enum DOTReport {
    public static func render(_ plan: Plan) -> String {
        let q = { (s: String) in "\"" + Markup.dot(s) + "\"" }
        var out = "// \(plan.name): written by cnnspec \(Command.toolVersion); draw with: dot -Tsvg FILE -o FILE.svg\n"
        out += "digraph \(q(plan.name)) {\n"
        out += "  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n"
        out += "  edge [color=\"#555555\"];\n"
        out += "  input [label=\(q("input\n\(plan.input)")), fillcolor=\"\(BlockKind.input.fill)\", color=\"\(BlockKind.input.stroke)\"];\n"
        func node(_ i: Int, _ indent: String) -> String {
            let l = plan.layers[i]
            let kind = BlockKind.of(l.op)
            let attrs = Format.attributes(l.op)
            let label = "\(l.name)\n\(l.op.name)\(attrs.isEmpty ? "" : " " + attrs)\n\(l.output)"
            return "\(indent)n\(i) [label=\(q(label)), fillcolor=\"\(kind.fill)\", color=\"\(kind.stroke)\"];\n"
        }
        for (u, unit) in Diagram.units(plan).enumerated() {
            if unit.join != nil {
                out += "  subgraph cluster_\(u) {\n    label=\(q(unit.label)); style=\"rounded,dashed\"; color=\"\(unit.kind.stroke)\"; fontname=\"Helvetica\"; fontsize=10;\n"
                for i in unit.layers { out += node(i, "    ") }
                out += "  }\n"
            } else {
                for i in unit.layers { out += node(i, "  ") }
            }
        }
        for (i, l) in plan.layers.enumerated() {
            let style: String
            switch l.op {
            case .add: style = " [color=\"\(BlockKind.residual.stroke)\", penwidth=2]"
            case .concat: style = " [color=\"\(BlockKind.concat.stroke)\", style=dashed, penwidth=2]"
            case .conv, .maxpool, .avgpool, .globalavgpool, .fc, .flatten, .relu, .relu6, .tanh, .sigmoid,
                 .softmax, .dropout, .batchnorm: style = ""
            }
            for r in l.inputs {
                let from: String
                switch r {
                case .input: from = "input"
                case .layer(let k): from = "n\(k)"
                }
                out += "  \(from) -> n\(i)\(style);\n"
            }
        }
        return out + "}\n"
    }
}
