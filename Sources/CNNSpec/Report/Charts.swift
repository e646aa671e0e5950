// Inline SVG charts of the HTML report, drawn from the plan's numbers: bars per layer
// (linear and log scale both drawn; the page shows one), and lines by depth.

enum Charts {
    static let width = 700.0
    static let height = 200.0
    static let left = 56.0
    static let right = 12.0
    static let top = 18.0
    static let bottom = 28.0

    struct Bar {
        var label: String
        var value: Int
        var highlight = false
    }

    static func log10(_ v: Double) -> Double { DiagramLayout.log2(v) / 3.321928094887362 }

    /// A bar per value. Both scales are drawn, `<g class="lin">` and `<g class="log">`;
    /// the page's scale switch hides one. `unit` formats axis and tooltip numbers; log-scale
    /// ticks are powers of `tickBase` (1024 for bytes).
    static func bars(_ id: String, _ bars: [Bar], unit: (Int) -> String, tickBase: Int = 10, note: String?) -> String {
        let n = Markup.num
        let plotW = width - left - right, plotH = height - top - bottom
        let maxV = max(1, bars.map(\.value).max() ?? 1)
        let step = plotW / Double(max(bars.count, 1))
        let barW = max(0.6, step * 0.8)
        var out = "<svg class=\"chart\" id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-size=\"10\" data-bars=\"\(bars.count)\">\n"
        out += axes(bars.count)
        var bands: [(lin: Double, log: Double)] = []
        for b in bars {
            let f = Double(b.value) / Double(maxV)
            bands.append((top + plotH * (1 - f), top + plotH * (1 - log10(Double(b.value) + 1) / log10(Double(maxV) + 1))))
        }
        for scale in ["lin", "log"] {
            let isLog = scale == "log"
            func y(_ v: Int) -> Double {
                let f = isLog ? log10(Double(v) + 1) / log10(Double(maxV) + 1) : Double(v) / Double(maxV)
                return top + plotH * (1 - f)
            }
            // Grid and axis labels.
            let ticks: [Int]
            if isLog {
                var t: [Int] = [0, 1], p = 1
                while p <= maxV / tickBase { p *= tickBase; t.append(p) }
                ticks = t.filter { $0 > 0 }
            } else {
                ticks = [0, maxV / 2, maxV]
            }
            out += "<g class=\"\(scale)\">"
            for t in ticks {
                out += "<line x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(t)))\" y2=\"\(n(y(t)))\" stroke=\"#e3e3e3\"/>"
                out += "<text x=\"\(n(left - 4))\" y=\"\(n(y(t) + 3))\" text-anchor=\"end\" fill=\"#555\">\(Markup.escape(unit(t)))</text>"
            }
            out += "</g>\n"
        }
        // One group per bar: its tooltip, its linear and its log bar.
        for (i, b) in bars.enumerated() {
            let x = n(left + Double(i) * step + (step - barW) / 2)
            out += "<g class=\"bar\(b.highlight ? " peak" : "")\"><title>\(Markup.escape(b.label)): \(Markup.escape(unit(b.value)))</title>"
            for (scale, yy) in [("lin", bands[i].lin), ("log", bands[i].log)] {
                out += "<rect class=\"\(scale)\" x=\"\(x)\" y=\"\(n(yy))\" width=\"\(n(barW))\" height=\"\(n(top + plotH - yy))\"/>"
            }
            out += "</g>\n"
            if b.highlight {
                let cx = left + Double(i) * step + step / 2
                out += "<path class=\"peak-mark\" d=\"M\(n(cx - 5)),\(n(top - 10)) L\(n(cx + 5)),\(n(top - 10)) L\(n(cx)),\(n(top - 2)) z\" fill=\"#c0392b\"/>\n"
            }
        }
        if let note {
            out += "<text x=\"\(n(width - right))\" y=\"\(n(top - 3))\" text-anchor=\"end\" fill=\"#c0392b\" font-weight=\"bold\">\(Markup.escape(note))</text>\n"
        }
        return out + "</svg>\n"
    }

    static func axes(_ count: Int) -> String {
        let n = Markup.num
        let y0 = height - bottom
        var out = "<line x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y0))\" y2=\"\(n(y0))\" stroke=\"#888\"/>"
        out += "<line x1=\"\(n(left))\" x2=\"\(n(left))\" y1=\"\(n(top))\" y2=\"\(n(y0))\" stroke=\"#888\"/>"
        out += "<text x=\"\(n(left + (width - left - right) / 2))\" y=\"\(n(height - 6))\" text-anchor=\"middle\" fill=\"#555\">layer (execution order, \(count) in all)</text>\n"
        return out
    }

    /// Lines by depth on a log2 axis: each series a polyline over every layer.
    static func lines(_ id: String, _ series: [(name: String, color: String, values: [Int])], labels: [String]) -> String {
        let n = Markup.num
        let plotW = width - left - right, plotH = height - top - bottom
        let count = series.first?.values.count ?? 0
        let maxV = max(2, series.flatMap(\.values).max() ?? 2)
        let maxLog = DiagramLayout.log2(Double(maxV))
        func y(_ v: Int) -> Double { top + plotH * (1 - DiagramLayout.log2(Double(max(v, 1))) / maxLog) }
        func x(_ i: Int) -> Double { left + (count > 1 ? plotW * Double(i) / Double(count - 1) : plotW / 2) }
        var out = "<svg class=\"chart\" id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-size=\"10\" data-points=\"\(count)\">\n"
        out += axes(count)
        var t = 1
        while t <= maxV {
            out += "<line x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(t)))\" y2=\"\(n(y(t)))\" stroke=\"#eeeeee\"/>"
            out += "<text x=\"\(n(left - 4))\" y=\"\(n(y(t) + 3))\" text-anchor=\"end\" fill=\"#555\">\(t)</text>"
            t *= t < 4 ? 2 : 4
        }
        out += "\n"
        for (k, s) in series.enumerated() {
            let pts = s.values.enumerated().map { "\(n(x($0.offset))),\(n(y($0.element)))" }.joined(separator: " ")
            out += "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"/>\n"
            for (i, v) in s.values.enumerated() where count <= 60 || i == count - 1 {
                out += "<circle cx=\"\(n(x(i)))\" cy=\"\(n(y(v)))\" r=\"2.5\" fill=\"\(s.color)\"><title>\(Markup.escape(labels[i])): \(Markup.escape(s.name)) \(v)</title></circle>"
            }
            out += "\n<rect x=\"\(n(left + 10 + Double(k) * 190))\" y=\"\(n(top))\" width=\"12\" height=\"4\" fill=\"\(s.color)\"/>"
            out += "<text x=\"\(n(left + 26 + Double(k) * 190))\" y=\"\(n(top + 5))\" fill=\"#333\">\(Markup.escape(s.name))</text>\n"
        }
        return out + "</svg>\n"
    }
}
