// The HTML report: one self-contained page (no network, no external scripts or fonts) with
// the diagram (rows expand to their layers), charts of params, MACs, receptive field,
// spatial size and memory, and the sortable per-layer table with warnings beside layers.
// Every number comes from the plan; the page's small script only sorts, toggles and
// records load errors (the browser check reads them back).

public enum HTMLReport {
    public static func render(_ plan: Plan) -> String {
        let diagram = Diagram(plan)
        let t = plan.totals
        let e = Markup.escape
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(e(plan.name)) · cnnspec</title>\n"
        // First thing on the page: record errors where a headless browser can read them.
        out += "<script>(function(){var d=document.documentElement,n=0;function rec(m){n++;d.setAttribute('data-errors',String(n));d.setAttribute('data-error-last',String(m).slice(0,300));}window.addEventListener('error',function(ev){rec(ev.message||'resource error');},true);var ce=console.error;console.error=function(){rec(Array.prototype.join.call(arguments,' '));ce.apply(console,arguments);};})();</script>\n"
        out += "<style>\n\(style)\(SVGPrinter.css())</style>\n</head>\n"
        let peakIndex = plan.layers.firstIndex { $0.name == t.peakLayer }
        let edges = plan.layers.reduce(0) { $0 + $1.inputs.count }
        let residual = plan.layers.filter { $0.op == .add }.reduce(0) { $0 + $1.inputs.count }
        let concat = plan.layers.filter { $0.op == .concat }.reduce(0) { $0 + $1.inputs.count }
        out += "<body data-network=\"\(e(plan.name))\" data-layers=\"\(plan.layers.count)\" data-rows=\"\(diagram.rows.count)\" data-edges=\"\(edges)\" data-residual-edges=\"\(residual)\" data-concat-edges=\"\(concat)\" data-skip-arcs=\"\(diagram.rows.filter { $0.units[0].skip != nil }.count)\">\n"
        out += "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\">\(SVGPrinter.defs())</svg>\n"
        out += "<header><h1>\(e(plan.name))</h1>\n"
        out += "<p>input \(plan.input) → output \(plan.output) (H x W x C), \(plan.layers.count) layers in \(diagram.rows.count) rows. Written by cnnspec \(Command.toolVersion).</p>\n"
        out += "<nav><a href=\"#diagram\">diagram</a> · <a href=\"#charts\">charts</a> · <a href=\"#layers\">layers</a>\(plan.warnings.isEmpty ? "" : " · <a href=\"#warnings\">warnings (\(plan.warnings.count))</a>")</nav></header>\n"
        out += totals(plan)
        if !plan.warnings.isEmpty { out += warnings(plan) }
        out += diagramSection(plan, diagram)
        out += charts(plan, peakIndex: peakIndex)
        out += table(plan)
        out += "<script>\n\(script)</script>\n</body>\n</html>\n"
        return out
    }

    static func totals(_ plan: Plan) -> String {
        let t = plan.totals
        var rows: [(String, String)] = [
            ("params", grouped(t.params) + (t.buffers > 0 ? " (+ \(grouped(t.buffers)) batch-norm running statistics, not parameters)" : "")),
            ("MACs", "\(grouped(t.macs)) = \(Format.gflops(Double(t.macs) / 1e9)) \"GFLOPS\" as torchvision's model cards count it"),
            ("FLOPs", grouped(t.flops)),
            ("activations", "\(Format.bytes(t.activationBytes)) in all; peak \(Format.bytes(t.peakActivationBytes)) live at \(t.peakLayer) (float32, batch 1)"),
        ]
        if let i = plan.lastSpatialLayer {
            let l = plan.layers[i]
            rows.append(("receptive field", "\(l.rf.size.sizeText) at \(l.name) (the last spatial layer), effective stride \(l.rf.jump.sizeText), effective padding \(l.rf.padding.sizeText)"))
        }
        var out = "<section id=\"totals\"><h2>Totals</h2>\n<table class=\"totals\">\n"
        for (k, v) in rows { out += "<tr><th>\(Markup.escape(k))</th><td>\(Markup.escape(v))</td></tr>\n" }
        out += "</table>\n<p class=\"convention\"><b>FLOP convention:</b> \(Markup.escape(JSONReport.flopsConvention)). A MAC (multiply-accumulate) is the unit torchvision calls a FLOP.</p></section>\n"
        return out
    }

    static func warnings(_ plan: Plan) -> String {
        var out = "<section id=\"warnings\"><h2>Warnings</h2>\n<ul>\n"
        for w in plan.warnings {
            let at = w.range.map { "line \($0.start.line): " } ?? ""
            let layer = w.layer.map { "<a href=\"#layer-\(anchor($0))\"><code>\(Markup.escape($0))</code></a>: " } ?? ""
            out += "<li class=\"warning\" data-id=\"\(Markup.escape(w.id))\">\(at)\(layer)\(Markup.escape(w.message)) <span class=\"id\">[\(Markup.escape(w.id))]</span></li>\n"
        }
        return out + "</ul></section>\n"
    }

    /// An id-safe form of a layer name (names are [A-Za-z0-9_.]; anything else becomes _).
    static func anchor(_ name: String) -> String {
        String(name.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "." || s == "-") ? Character(s) : "_"
        })
    }

    static func diagramSection(_ plan: Plan, _ diagram: Diagram) -> String {
        var out = "<section id=\"diagram\"><h2>Diagram</h2>\n"
        out += "<p class=\"hint\">One block per layer or per repeated group (×N). The glyph on the left grows with the output's channels (width) and height; the right column is the output shape H x W x C. Click a block to show its layers. <button type=\"button\" id=\"expand-all\">expand all</button> <button type=\"button\" id=\"collapse-all\">collapse all</button></p>\n"
        out += SVGPrinter.render(DiagramLayout.legend(plan, diagram), attrs: [("class", "legend")], standalone: false)
        out += "<div class=\"diagram\">\n"
        out += SVGPrinter.render(DiagramLayout.inputRow(plan), attrs: [("class", "ov")], standalone: false)
        let byLayer = DiagramLayout.warningsByLayer(plan)
        for (i, row) in diagram.rows.enumerated() {
            let ws = row.layers.flatMap { byLayer[plan.layers[$0].name] ?? [] }
            out += "<details class=\"row\" data-row=\"\(i)\"><summary>"
            out += SVGPrinter.render(DiagramLayout.overviewRow(row, plan, index: i, warnings: ws), attrs: [("class", "ov")], standalone: false)
            out += "</summary>\n<div class=\"detail\">\n"
            for (k, unit) in row.units.enumerated() {
                if row.count > 1 { out += "<p class=\"unit\">\(k + 1) of \(row.count): <code>\(Markup.escape(unit.label))</code></p>\n" }
                out += SVGPrinter.render(DiagramLayout.detail(unit, plan), attrs: [("class", "dt")], standalone: false)
            }
            out += "</div></details>\n"
        }
        return out + "</div></section>\n"
    }

    static func charts(_ plan: Plan, peakIndex: Int?) -> String {
        let weighted = plan.layers.filter { $0.params > 0 || $0.macs > 0 }
        var out = "<section id=\"charts\"><h2>Charts</h2>\n"
        out += "<p><label><input type=\"checkbox\" id=\"logscale\"> log scale</label> (bars; hover a bar for its layer)</p>\n"
        out += "<h3>Parameters per layer</h3>\n"
        out += Charts.bars("chart-params", weighted.map { Charts.Bar(label: $0.name, value: $0.params) }, unit: DiagramLayout.short, note: nil)
        out += "<h3>MACs per layer</h3>\n"
        out += Charts.bars("chart-macs", weighted.map { Charts.Bar(label: $0.name, value: $0.macs) }, unit: DiagramLayout.short, note: nil)
        out += "<h3>Receptive field and spatial size by depth</h3>\n"
        out += Charts.lines("chart-rf", [("receptive field (height)", "#c0392b", plan.layers.map(\.rf.size.h)),
                                         ("output height", "#2f6db5", plan.layers.map(\.output.h))],
                            labels: plan.layers.map(\.name))
        out += "<h3>Activation memory by layer</h3>\n"
        let t = plan.totals
        out += Charts.bars("chart-memory", plan.layers.enumerated().map { i, l in
            Charts.Bar(label: l.name, value: l.activationBytes, highlight: i == peakIndex)
        }, unit: Format.bytes, tickBase: 1024, note: "peak: \(Format.bytes(t.peakActivationBytes)) live at \(t.peakLayer)")
        out += "<p class=\"hint\">Each bar is one layer's output (float32, batch 1); red marks the layer during which the most bytes are alive at once (inputs freed after their last reader).</p>\n"
        return out + "</section>\n"
    }

    static func table(_ plan: Plan) -> String {
        let shown = ReportTable(plan, exactNumbers: false)
        let exact = ReportTable(plan, exactNumbers: true)
        let byLayer = DiagramLayout.warningsByLayer(plan)
        var out = "<section id=\"layers\"><h2>Layers</h2>\n<p class=\"hint\">Click a column title to sort. Sizes are H x W x C.</p>\n<div class=\"scroll\"><table class=\"layers\" id=\"layer-table\">\n<thead><tr>"
        for (i, c) in shown.columns.enumerated() {
            out += "<th data-col=\"\(i)\"\(c.rightAligned ? " class=\"num\"" : "")>\(Markup.escape(c.title))</th>"
        }
        out += "<th>warnings</th></tr></thead>\n<tbody>\n"
        for (r, row) in shown.rows.enumerated() {
            let name = plan.layers[r].name
            let ws = byLayer[name] ?? []
            out += "<tr id=\"layer-\(anchor(name))\"\(ws.isEmpty ? "" : " class=\"warned\"")>"
            for (i, cell) in row.enumerated() {
                // The sort key only where it differs from the text shown (grouped digits, shapes).
                let key = sortKey(exact.rows[r][i], plan.layers[r])
                out += "<td\(key == cell ? "" : Markup.attrs([("data-v", key)]))\(shown.columns[i].rightAligned ? " class=\"num\"" : "")>\(Markup.escape(cell))</td>"
            }
            out += "<td class=\"w\">\(ws.map { "⚠ " + Markup.escape($0) }.joined(separator: "<br>"))</td></tr>\n"
        }
        out += "</tbody>\n<tfoot><tr>" + shown.totals.map { "<td>\(Markup.escape($0))</td>" }.joined() + "<td></td></tr></tfoot>\n</table></div></section>\n"
        return out
    }

    /// The value a column sorts by: exact numbers, and element counts for shapes.
    static func sortKey(_ exact: String, _ l: PlannedLayer) -> String {
        if exact == l.output.description { return String(l.output.c * l.output.h * l.output.w) }
        return exact
    }

    static let style = """
    body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:16px 24px;color:#1a1a1a;max-width:1100px}
    svg{font-size:11px}svg.chart{font-size:10px}
    h1{margin:0 0 4px}h2{border-bottom:1px solid #ddd;padding-bottom:2px;margin-top:28px}h3{font-size:14px;margin:14px 0 4px}
    table.totals th{text-align:left;padding-right:12px;font-weight:600}
    .convention,.hint{font-size:13px;color:#444}
    .diagram details>summary{list-style:none;cursor:pointer;display:block}
    .diagram details>summary::-webkit-details-marker{display:none}
    .diagram svg.ov{display:block}
    .diagram details[open]>summary svg g.blk rect{stroke-width:2.5}
    .detail{margin:2px 0 6px 100px;padding:4px 8px;border-left:3px solid #ccc;background:#fafafa;overflow-x:auto}
    .detail p.unit{margin:4px 0;font-size:12px}
    svg.dt{display:block}
    #warnings li{margin:2px 0}.id{color:#888;font-size:12px}
    div.scroll{overflow-x:auto}table.layers{border-collapse:collapse;font-size:12px}
    table.layers th,table.layers td{border-bottom:1px solid #e5e5e5;padding:2px 6px;white-space:nowrap}
    table.layers th{cursor:pointer;background:#f3f3f3;position:sticky;top:0}
    table.layers .num{text-align:right}
    table.layers tr.warned td{background:#fff4e5}
    table.layers td.w{color:#b34700;white-space:normal;min-width:200px}
    table.layers tfoot td{font-weight:bold;border-top:2px solid #999}
    svg.chart .bar rect{fill:#4a7fc1}svg.chart .bar.peak rect{fill:#c0392b}svg.chart .bar:hover rect{fill:#1d4f8f}
    svg.chart .log{display:none}
    body.log svg.chart .log{display:inline}body.log svg.chart .lin{display:none}

    """

    static let script = """
    (function(){
    var b=document.body;
    var ls=document.getElementById('logscale');
    if(ls){ls.addEventListener('change',function(){b.classList.toggle('log',ls.checked);});}
    function all(open){document.querySelectorAll('.diagram details').forEach(function(d){d.open=open;});}
    document.getElementById('expand-all').addEventListener('click',function(){all(true);});
    document.getElementById('collapse-all').addEventListener('click',function(){all(false);});
    // #open-all opens every row, #log starts in log scale (both: #open-all,log).
    var h=location.hash;if(h.indexOf('open-all')>=0){all(true);}if(ls&&h.indexOf('log')>=0){ls.checked=true;b.classList.add('log');}
    var t=document.getElementById('layer-table');
    t.querySelectorAll('th[data-col]').forEach(function(th){th.addEventListener('click',function(){
      var c=+th.getAttribute('data-col'),asc=th.getAttribute('data-asc')!=='1';
      th.setAttribute('data-asc',asc?'1':'0');
      var rows=Array.prototype.slice.call(t.tBodies[0].rows);
      function key(td){var v=td.getAttribute('data-v');return v===null?td.textContent:v;}
      rows.sort(function(x,y){var a=key(x.cells[c]),z=key(y.cells[c]);
        var na=parseFloat(a),nz=parseFloat(z),r;
        if(!isNaN(na)&&!isNaN(nz)&&String(na)===a&&String(nz)===z){r=na-nz;}else{r=a<z?-1:a>z?1:0;}
        return asc?r:-r;});
      rows.forEach(function(r){t.tBodies[0].appendChild(r);});
    });});
    // What the browser check reads back: counts of what was drawn, and that it has a size.
    var ov=document.querySelectorAll('svg.ov g.blk[data-block]').length-1;
    var dl=document.querySelectorAll('svg.dt g.blk[data-layer]').length;
    var de=document.querySelectorAll('svg.dt path.edge[data-edge]');
    var kinds={flow:0,residual:0,concat:0};de.forEach(function(p){kinds[p.getAttribute('data-edge')]++;});
    var arcs=document.querySelectorAll('svg.ov path.edge[data-edge=residual],svg.ov path.edge[data-edge=concat]').length;
    var box=document.querySelector('svg.ov').getBoundingClientRect();
    b.setAttribute('data-drawn',['rows='+ov,'layers='+dl,'edges='+de.length,'residual='+kinds.residual,'concat='+kinds.concat,'arcs='+arcs,'width='+Math.round(box.width)].join(' '));
    })();

    """
}
