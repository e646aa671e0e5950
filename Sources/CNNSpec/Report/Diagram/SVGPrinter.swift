// Prints a Canvas as SVG text: boxes as <g class="blk"> with a <title> tooltip, edges as
// <path class="edge"> with an arrowhead per kind. `--format svg` is the overview alone.

enum SVGPrinter {
    /// Arrowhead markers, one per edge kind; the HTML page prints them once for all its drawings.
    static func defs() -> String {
        var out = "<defs>"
        for kind in [EdgeKind.flow, .residual, .concat] {
            out += "<marker id=\"arrow-\(kind.rawValue)\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\">"
            out += "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"\(color(kind))\"/></marker>"
        }
        return out + "</defs>"
    }

    static func color(_ kind: EdgeKind) -> String {
        switch kind {
        case .flow: return "#555555"
        case .residual: return BlockKind.residual.stroke
        case .concat: return BlockKind.concat.stroke
        }
    }

    /// The drawing's styles: colors per block and edge kind, text sizes. Printed inside a
    /// standalone SVG and once in the HTML page's stylesheet.
    static func css() -> String {
        var out = ".edge{fill:none;stroke-width:1.2}.edge.flow{stroke:\(color(.flow))}"
        out += ".edge.residual{stroke:\(color(.residual));stroke-width:2.2}"
        out += ".edge.concat{stroke:\(color(.concat));stroke-width:2;stroke-dasharray:5 3}\n"
        for k in BlockKind.allCases { out += ".k-\(k.rawValue){fill:\(k.fill);stroke:\(k.stroke)}" }
        out += "\n.blk rect.warned{stroke:#d35400;stroke-width:2}.t1{font-weight:bold;font-size:11px;fill:#1a1a1a}"
        out += ".t2{font-size:10px;fill:#1a1a1a}.badge{font-size:14px;font-weight:bold}.warn{fill:#d35400;font-weight:bold}\n"
        return out
    }

    static let font = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""

    /// The drawing; `attrs` go on the <svg> element; `standalone` adds the XML namespace
    /// declaration's companions (defs, a background) for a file of its own.
    static func render(_ c: Canvas, attrs: [(String, String)], standalone: Bool) -> String {
        let n = Markup.num
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(c.width))\" height=\"\(n(c.height))\" viewBox=\"0 0 \(n(c.width)) \(n(c.height))\"" + (standalone ? " \(font) font-size=\"11\"" : "") + Markup.attrs(attrs) + ">\n"
        if standalone {
            out += defs() + "\n<style>\n" + css() + "</style>\n"
            out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        }
        for e in c.edges { out += edge(e) }
        for g in c.glyphs {
            out += "<rect class=\"glyph k-\(g.kind.rawValue)\" x=\"\(n(g.x))\" y=\"\(n(g.y))\" width=\"\(n(g.w))\" height=\"\(n(g.h))\"><title>\(Markup.escape(g.tooltip))</title></rect>\n"
        }
        for b in c.boxes { out += box(b) }
        for l in c.labels {
            out += "<text x=\"\(n(l.x))\" y=\"\(n(l.y))\" text-anchor=\"\(l.anchor)\"\(l.bold ? " font-weight=\"bold\"" : "") fill=\"#222222\">\(Markup.escape(l.text))</text>\n"
        }
        return out + "</svg>\n"
    }

    static func edge(_ e: Edge) -> String {
        let n = Markup.num
        var d = "M\(n(e.points[0].x)),\(n(e.points[0].y))"
        if e.curved && e.points.count >= 4 {
            if e.points.count == 5 { d += " L\(n(e.points[1].x)),\(n(e.points[1].y))" }
            d += " C" + e.points.suffix(3).map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        } else {
            for p in e.points.dropFirst() { d += " L\(n(p.x)),\(n(p.y))" }
        }
        return "<path class=\"edge \(e.kind.rawValue)\"\(Markup.attrs(e.data)) d=\"\(d)\" marker-end=\"url(#arrow-\(e.kind.rawValue))\"/>\n"
    }

    /// Characters of 11px text that fit in `width` pixels (about 6.3 px each).
    static func fit(_ s: String, _ width: Double, charWidth: Double = 6.3) -> String {
        let maxChars = Int(width / charWidth)
        if s.count <= maxChars { return s }
        return String(s.prefix(max(1, maxChars - 1))) + "…"
    }

    static func box(_ b: Box) -> String {
        let n = Markup.num
        var out = "<g class=\"blk\"\(Markup.attrs(b.data))><title>\(Markup.escape(b.tooltip))</title>"
        let r = b.pill ? b.h / 2 : 4
        out += "<rect x=\"\(n(b.x))\" y=\"\(n(b.y))\" width=\"\(n(b.w))\" height=\"\(n(b.h))\" rx=\"\(n(r))\" class=\"k-\(b.kind.rawValue)\(b.warning == nil ? "" : " warned")\"/>"
        var room = b.w - 12
        if let badge = b.badge {
            out += "<text x=\"\(n(b.x + b.w - 8))\" y=\"\(n(b.y + b.h / 2 + 5))\" text-anchor=\"end\" class=\"badge\" fill=\"\(b.kind.stroke)\">\(Markup.escape(badge))</text>"
            room -= 44
        }
        if b.warning != nil {
            out += "<text class=\"warn\" x=\"\(n(b.x + b.w - (b.badge == nil ? 8 : 52)))\" y=\"\(n(b.y + 13))\" text-anchor=\"end\">⚠</text>"
            room -= 16
        }
        let lines = b.lines.prefix(2)
        let twoLines = lines.count == 2
        for (i, line) in lines.enumerated() {
            let y = twoLines ? b.y + (i == 0 ? 13 : 26) : b.y + b.h / 2 + 4
            let size = i == 0 ? 11.0 : 10.0
            out += "<text x=\"\(n(b.x + (b.pill ? 14 : 6)))\" y=\"\(n(y))\" class=\"t\(i + 1)\">\(Markup.escape(fit(line, room - (b.pill ? 8 : 0), charWidth: size * 0.6)))</text>"
        }
        return out + "</g>\n"
    }
}
