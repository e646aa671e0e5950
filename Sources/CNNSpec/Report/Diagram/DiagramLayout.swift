// Geometry of the diagram, computed in Swift so that pages are reproducible and testable:
// the overview (one row per DiagramRow, stacked top to bottom, a skip arc beside residual
// and concat rows) and the detail of one unit (its layers in branch lanes, every input an
// edge). The result is a Canvas of boxes and edges; SVGPrinter turns it into text.

struct Point: Hashable { var x: Double, y: Double }

/// A block: a rectangle with up to two lines of text and a tooltip.
struct Box {
    var x: Double, y: Double, w: Double, h: Double
    var kind: BlockKind
    var lines: [String]
    var badge: String?
    var tooltip: String
    /// `data-*` attributes the browser check reads back.
    var data: [(String, String)]
    var warning: String?
    var pill = false
}

/// An edge: a polyline; when `curved`, a cubic curve (4 points: start, two control points,
/// end), or a line then a cubic (5 points).
struct Edge {
    var points: [Point]
    var curved: Bool
    var kind: EdgeKind
    var data: [(String, String)]
}

struct Glyph {
    var x: Double, y: Double, w: Double, h: Double
    var kind: BlockKind
    var tooltip: String
}

struct Label {
    var x: Double, y: Double
    var text: String
    var bold = false
    var anchor = "start"
}

/// A drawing: what SVGPrinter prints.
struct Canvas {
    var width: Double
    var height: Double
    var boxes: [Box] = []
    var edges: [Edge] = []
    var glyphs: [Glyph] = []
    var labels: [Label] = []

    /// Appends another canvas below this one.
    mutating func stack(_ other: Canvas) {
        let dy = height
        boxes += other.boxes.map { var b = $0; b.y += dy; return b }
        edges += other.edges.map { var e = $0; e.points = e.points.map { Point(x: $0.x, y: $0.y + dy) }; return e }
        glyphs += other.glyphs.map { var g = $0; g.y += dy; return g }
        labels += other.labels.map { var l = $0; l.y += dy; return l }
        width = max(width, other.width)
        height += other.height
    }
}

enum DiagramLayout {
    // Overview geometry.
    static let width = 700.0
    static let rowHeight = 48.0
    static let arrow = 12.0
    static let blockX = 100.0
    static let blockW = 450.0
    static let blockH = 32.0
    static let shapeX = 600.0

    /// The tensor glyph: width grows with log2 channels, height with log2 height.
    static func glyph(_ s: Shape, y: Double, kind: BlockKind) -> Glyph {
        let w = min(80, 6 * log2(Double(s.c) + 1))
        let h = min(blockH, 3.4 * log2(Double(s.h) + 1))
        return Glyph(x: 50 - w / 2, y: y + blockH / 2 - h / 2, w: w, h: h, kind: kind,
                     tooltip: "\(s.description) (H x W x C)")
    }

    static func log2(_ v: Double) -> Double {
        // Stdlib only: log2 by halving, with linear interpolation of the remainder.
        var x = v, n = 0.0
        while x >= 2 { x /= 2; n += 1 }
        return n + (x - 1)
    }

    /// The row of the network input.
    static func inputRow(_ plan: Plan) -> Canvas {
        var c = Canvas(width: width, height: rowHeight)
        let y = 4.0
        c.glyphs.append(glyph(plan.input, y: y, kind: .input))
        c.boxes.append(Box(x: blockX, y: y, w: blockW, h: blockH, kind: .input, lines: ["input", plan.name],
                           tooltip: "input \(plan.input.description)", data: [("data-block", "input"), ("data-layers", "0")], pill: true))
        c.labels.append(Label(x: shapeX, y: y + 14, text: plan.input.description, bold: true))
        return c
    }

    /// One overview row: an arrow in, the block, a skip arc for residual and concat rows,
    /// the output shape and the row's parameters on the right.
    static func overviewRow(_ row: DiagramRow, _ plan: Plan, index: Int, warnings: [String]) -> Canvas {
        var c = Canvas(width: width, height: rowHeight)
        let y = arrow
        let cx = blockX + blockW / 2
        let last = plan.layers[row.layers.upperBound - 1]
        let params = row.layers.reduce(0) { $0 + plan.layers[$1].params }
        let macs = row.layers.reduce(0) { $0 + plan.layers[$1].macs }
        c.edges.append(Edge(points: [Point(x: cx, y: 0), Point(x: cx, y: y)], curved: false, kind: .flow,
                            data: [("data-edge", "flow")]))
        let first = row.units[0]
        let badge = row.count > 1 ? "×\(row.count)" : nil
        var tooltip = "\(row.label)\n\(first.summary)\noutput \(last.output.description)"
        if row.count > 1 { tooltip += "\n\(row.count) identical blocks" }
        tooltip += "\nparams \(grouped(params)), MACs \(grouped(macs))"
        for w in warnings { tooltip += "\nwarning: \(w)" }
        c.glyphs.append(glyph(last.output, y: y, kind: row.kind))
        c.boxes.append(Box(x: blockX, y: y, w: blockW, h: blockH, kind: row.kind, lines: [row.label, first.summary],
                           badge: badge, tooltip: tooltip,
                           data: [("data-block", String(index)), ("data-layers", String(row.layers.count)),
                                  ("data-count", String(row.count)), ("data-kind", row.kind.rawValue)],
                           warning: warnings.isEmpty ? nil : warnings.joined(separator: "\n")))
        if let kind = first.skip {
            let right = blockX + blockW
            // From the incoming tensor, along above the block, down its right side into the join.
            c.edges.append(Edge(points: [Point(x: cx, y: 3), Point(x: right - 14, y: 3), Point(x: right + 34, y: 3),
                                         Point(x: right + 34, y: y + blockH - 6), Point(x: right + 1, y: y + blockH - 6)],
                                curved: true, kind: kind, data: [("data-edge", kind.rawValue)]))
        }
        c.labels.append(Label(x: shapeX, y: y + 13, text: last.output.description, bold: true))
        if params > 0 { c.labels.append(Label(x: shapeX, y: y + 26, text: short(params) + " params")) }
        return c
    }

    /// 1.23M, 456k, 789.
    static func short(_ n: Int) -> String {
        let v = Double(n)
        if v >= 1e9 { return Format.decimals(v / 1e9) + "G" }
        if v >= 1e6 { return Format.decimals(v / 1e6) + "M" }
        if v >= 1e3 { return Format.decimals(v / 1e3) + "k" }
        return String(n)
    }

    /// The whole overview: the input, then every row.
    static func overview(_ diagram: Diagram, _ plan: Plan) -> Canvas {
        var c = inputRow(plan)
        let byLayer = warningsByLayer(plan)
        for (i, row) in diagram.rows.enumerated() {
            let ws = row.layers.flatMap { byLayer[plan.layers[$0].name] ?? [] }
            c.stack(overviewRow(row, plan, index: i, warnings: ws))
        }
        c.height += 4
        return c
    }

    static func warningsByLayer(_ plan: Plan) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for w in plan.warnings { if let l = w.layer { out[l, default: []].append(w.message) } }
        return out
    }

    // Detail geometry.
    static let laneW = 200.0
    static let detailBoxW = 180.0
    static let detailBoxH = 30.0
    static let detailRowH = 44.0
    static let margin = 10.0

    /// One unit's layers: a node per layer in branch lanes below a node for the unit's input,
    /// an edge per input (residual into an add, concat into a concat).
    static func detail(_ unit: DiagramUnit, _ plan: Plan) -> Canvas {
        let base = unit.layers.lowerBound
        let forkIndex = base - 1
        // Pass 1: rows and lanes. A layer continues its input's lane unless the input already
        // has a follower there or lies outside the unit; a join is placed between its inputs.
        var row: [Int: Int] = [forkIndex: 0]
        var lane: [Int: Int] = [:]
        var followed: Set<Int> = []
        var lanes = 0
        func source(_ r: TensorRef) -> Int { max(Diagram.index(r), forkIndex) }
        for k in unit.layers {
            let ins = plan.layers[k].inputs.map(source)
            row[k] = (ins.map { row[$0] ?? 0 }.max() ?? 0) + 1
            if ins.count == 1 {
                let s = ins[0]
                if s == forkIndex || followed.contains(s) {
                    lane[k] = lanes; lanes += 1
                }
                followed.insert(s)
            }
        }
        // Pass 2: x positions in lanes (fractional for joins and the input node).
        var x: [Int: Double] = [forkIndex: Double(max(lanes, 1) - 1) / 2]
        for k in unit.layers {
            let ins = plan.layers[k].inputs.map(source)
            if let l = lane[k] { x[k] = Double(l) } else { x[k] = ins.map { x[$0] ?? 0 }.reduce(0, +) / Double(ins.count) }
        }
        let maxRow = unit.layers.map { row[$0] ?? 0 }.max() ?? 0
        let minX = unit.layers.map { x[$0] ?? 0 }.min() ?? 0
        var c = Canvas(width: margin * 2 + Double(max(lanes, 1)) * laneW + 40,
                       height: margin * 2 + Double(maxRow + 1) * detailRowH - (detailRowH - detailBoxH))
        func left(_ k: Int) -> Double { margin + ((x[k] ?? 0) - minX) * laneW }
        func top(_ k: Int) -> Double { margin + Double(row[k] ?? 0) * detailRowH }
        let forkName = base == 0 ? "input" : plan.layers[forkIndex].name
        let forkShape = base == 0 ? plan.input : plan.layers[forkIndex].output
        c.boxes.append(Box(x: left(forkIndex), y: top(forkIndex), w: detailBoxW, h: detailBoxH, kind: .input,
                           lines: ["from " + relative(forkName, unit.label), forkShape.description],
                           tooltip: "\(forkName): \(forkShape.description)", data: [("data-from", forkName)], pill: true))
        let byLayer = warningsByLayer(plan)
        for k in unit.layers {
            let l = plan.layers[k]
            let attrs = Format.attributes(l.op)
            var what = l.op.name
            if case .conv(let a) = l.op { what += " \(attrs), \(a.outChannels)" } else if case .fc(let a) = l.op {
                what += " \(a.outFeatures)"
            } else if !attrs.isEmpty { what += " \(attrs)" }
            let ws = byLayer[l.name] ?? []
            var tooltip = "\(l.name)\n\(what)\noutput \(l.output.description)\nparams \(grouped(l.params)), MACs \(grouped(l.macs))\nRF \(l.rf.size.sizeText), jump \(l.rf.jump.sizeText)"
            for w in ws { tooltip += "\nwarning: \(w)" }
            c.boxes.append(Box(x: left(k), y: top(k), w: detailBoxW, h: detailBoxH, kind: BlockKind.of(l.op),
                               lines: [relative(l.name, unit.label) + "  " + l.output.description, what], tooltip: tooltip,
                               data: [("data-layer", l.name), ("data-op", l.op.name)],
                               warning: ws.isEmpty ? nil : ws.joined(separator: "\n")))
            let kind: EdgeKind
            switch l.op {
            case .add: kind = .residual
            case .concat: kind = .concat
            case .conv, .maxpool, .avgpool, .globalavgpool, .fc, .flatten, .relu, .relu6, .tanh, .sigmoid,
                 .softmax, .dropout, .batchnorm: kind = .flow
            }
            let join = l.inputs.count > 1
            for r in l.inputs {
                let s = source(r)
                let from = Point(x: left(s) + detailBoxW / 2, y: top(s) + detailBoxH)
                let to = Point(x: left(k) + detailBoxW / 2, y: top(k))
                let data = [("data-edge", kind.rawValue), ("data-from", s == forkIndex ? forkName : plan.layers[s].name),
                            ("data-to", l.name)]
                let sameLane = abs((x[s] ?? 0) - (x[k] ?? 0)) < 0.01
                if sameLane && (row[k] ?? 0) - (row[s] ?? 0) > 1 {
                    // A skip over the layers between: a curve out to the right.
                    let side = left(k) + detailBoxW
                    c.edges.append(Edge(points: [Point(x: side - 20, y: from.y), Point(x: side + 34, y: from.y + 24),
                                                 Point(x: side + 34, y: to.y - 24), Point(x: side - 20, y: to.y)],
                                        curved: true, kind: kind, data: data))
                } else if sameLane {
                    c.edges.append(Edge(points: [from, to], curved: false, kind: kind, data: data))
                } else if join {
                    c.edges.append(Edge(points: [from, Point(x: from.x, y: to.y - 8), to], curved: false, kind: kind, data: data))
                } else {
                    c.edges.append(Edge(points: [from, Point(x: to.x, y: from.y + 8), to], curved: false, kind: kind, data: data))
                }
            }
        }
        return c
    }

    /// A layer name without the unit's prefix: `conv1` inside `layer1.0`.
    static func relative(_ name: String, _ prefix: String) -> String {
        if name != prefix, name.hasPrefix(prefix + ".") { return String(name.dropFirst(prefix.count + 1)) }
        return name
    }
}

extension DiagramLayout {
    /// The legend: a swatch per block kind the network uses, and the edge kinds it has.
    static func legend(_ plan: Plan, _ diagram: Diagram) -> Canvas {
        var kinds: [BlockKind] = [.input]
        for l in plan.layers where !kinds.contains(BlockKind.of(l.op)) { kinds.append(BlockKind.of(l.op)) }
        kinds = BlockKind.allCases.filter(kinds.contains)
        var c = Canvas(width: width, height: 0)
        var x = 8.0, y = 8.0
        for k in kinds {
            let w = 22 + Double(k.title.count) * 6.3 + 14
            if x + w > width { x = 8; y += 20 }
            c.glyphs.append(Glyph(x: x, y: y, w: 16, h: 12, kind: k, tooltip: k.title))
            c.labels.append(Label(x: x + 22, y: y + 10, text: k.title))
            x += w
        }
        var edgeKinds: [EdgeKind] = [.flow]
        for l in plan.layers {
            if l.op == .add, !edgeKinds.contains(.residual) { edgeKinds.append(.residual) }
            if l.op == .concat, !edgeKinds.contains(.concat) { edgeKinds.append(.concat) }
        }
        x = 8; y += 22
        for k in edgeKinds {
            c.edges.append(Edge(points: [Point(x: x, y: y + 6), Point(x: x + 30, y: y + 6)], curved: false, kind: k,
                                data: [("data-legend", k.rawValue)]))
            let text = k == .flow ? "data flow" : k == .residual ? "residual edge (into add)" : "concat edge (into concat)"
            c.labels.append(Label(x: x + 38, y: y + 10, text: text))
            x += 38 + Double(text.count) * 6.3 + 20
        }
        let collapsed = diagram.rows.contains { $0.count > 1 }
        if collapsed {
            c.labels.append(Label(x: x, y: y + 10, text: "×N: N identical blocks in a row", bold: false))
        }
        c.height = y + 22
        return c
    }

    /// `--format svg`: the legend, then the overview.
    static func standalone(_ plan: Plan, _ diagram: Diagram) -> Canvas {
        var c = Canvas(width: width, height: 26)
        c.labels.append(Label(x: 8, y: 18, text: "\(plan.name): \(plan.layers.count) layers, \(grouped(plan.totals.params)) params, \(grouped(plan.totals.macs)) MACs", bold: true))
        c.stack(legend(plan, diagram))
        c.stack(overview(diagram, plan))
        return c
    }
}
