// The HTML, SVG and DOT reports: well-formed markup, block and edge counts that match the
// plan, collapsed repeats, escaping of hostile names, determinism, and the committed
// example pages being what `make examples` writes. The same counts are checked in a real
// browser by scripts/browser_check.py (make browser-check).
import CNNSpec
import Foundation
import XCTest

final class VisualReportTests: XCTestCase {
    func specPlan(_ name: String) throws -> Plan {
        try XCTUnwrap(Pipeline.check(path: name + ".cnn", source: Repo.read(Repo.specs.appendingPathComponent(name + ".cnn"))).plan, name)
    }

    /// Every element opened is closed in order (void HTML elements aside); comments and
    /// doctype skipped; script and style bodies are opaque. Returns the problems.
    func tagProblems(_ text: String) -> [String] {
        let void: Set<String> = ["meta", "br", "input", "link", "img", "hr"]
        var stack: [String] = []
        var problems: [String] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        while i < chars.count {
            guard chars[i] == "<" else { i += 1; continue }
            var j = i + 1
            while j < chars.count && chars[j] != ">" { j += 1 }
            let tag = String(String.UnicodeScalarView(chars[(i + 1)..<min(j, chars.count)]))
            i = j + 1
            if tag.hasPrefix("!") || tag.hasPrefix("?") { continue }
            let selfClosing = tag.hasSuffix("/")
            let closing = tag.hasPrefix("/")
            let name = String((closing ? tag.dropFirst() : Substring(tag)).prefix { $0.isLetter || $0.isNumber || $0 == "-" })
            if closing {
                if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes <\(stack.last ?? "nothing")>") }
            } else if !selfClosing && !void.contains(name) {
                stack.append(name)
                if name == "script" || name == "style" {
                    // Skip to the matching end tag: their bodies hold < and > as code.
                    let end = "</\(name)>"
                    let rest = String(String.UnicodeScalarView(chars[i...]))
                    guard let r = rest.range(of: end) else { problems.append("unclosed <\(name)>"); break }
                    i += rest.unicodeScalars.distance(from: rest.unicodeScalars.startIndex, to: r.lowerBound.samePosition(in: rest.unicodeScalars)!)
                }
            }
        }
        if !stack.isEmpty { problems.append("unclosed: \(stack)") }
        return problems
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    func testTheWellFormednessCheckFindsBrokenMarkup() {
        XCTAssertEqual(tagProblems("<svg><g><rect/></g></svg><br>"), [])
        XCTAssertNotEqual(tagProblems("<svg><g></svg>"), [])
        XCTAssertNotEqual(tagProblems("<details><summary></details>"), [])
        XCTAssertEqual(tagProblems("<script>if(a<b&&c>d){}</script>"), [])
    }

    func testHTMLIsWellFormedAndDrawsEveryLayerAndEdge() throws {
        for name in ["lenet5", "vgg16", "resnet50", "densenet121", "googlenet"] {
            let p = try specPlan(name)
            let html = Reports.render(p, format: .html)
            XCTAssertEqual(tagProblems(html), [], name)
            // One detail block per layer, named after it.
            let drawn = html.components(separatedBy: "<g class=\"blk\" data-layer=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            XCTAssertEqual(drawn.map(String.init).sorted(), p.layers.map(\.name).sorted(), name)
            // One detail edge per layer input; residual edges go into adds, concat edges into concats.
            let inputs = p.layers.reduce(0) { $0 + $1.inputs.count }
            XCTAssertEqual(count("data-from=\"", in: html) - count("<g class=\"blk\" data-from=", in: html), inputs, name)
            let adds = p.layers.filter { $0.op == .add }.reduce(0) { $0 + $1.inputs.count }
            let concats = p.layers.filter { $0.op == .concat }.reduce(0) { $0 + $1.inputs.count }
            XCTAssertEqual(count("data-edge=\"residual\" data-from=", in: html), adds, name)
            XCTAssertEqual(count("data-edge=\"concat\" data-from=", in: html), concats, name)
            // No network access: nothing loaded from elsewhere.
            XCTAssertFalse(html.contains("src=") || html.contains("<link") || html.contains("http://") && !html.contains("xmlns=\"http://www.w3.org/2000/svg\""), name)
            XCTAssertTrue(html.contains(JSONReport.flopsConvention), name)
        }
    }

    func testRepeatsCollapseIntoRowsWithCounts() throws {
        // Counted by hand from the architectures.
        let lenet = Diagram(try specPlan("lenet5"))
        XCTAssertEqual(lenet.rows.map(\.label), ["conv1", "pool1", "conv2", "pool2", "fc1", "fc2", "fc3"])
        XCTAssertEqual(lenet.rows.map(\.count), [1, 1, 1, 1, 1, 1, 1])
        let vgg = Diagram(try specPlan("vgg16"))
        XCTAssertEqual(vgg.rows.map(\.count), [2, 1, 2, 1, 3, 1, 3, 1, 3, 1, 2, 1])
        let resnet = Diagram(try specPlan("resnet50"))
        XCTAssertEqual(resnet.rows.map(\.count), [1, 1, 1, 2, 1, 3, 1, 5, 1, 2, 1, 1])
        XCTAssertEqual(resnet.rows.filter { $0.units[0].skip == .residual }.count, 8)
        XCTAssertEqual(resnet.rows[3].label, "layer1.1 … layer1.2")
        let dense = Diagram(try specPlan("densenet121"))
        XCTAssertEqual(dense.rows.filter { $0.kind == .concat }.map(\.count), [6, 12, 24, 16])
        XCTAssertEqual([lenet.rows.count, vgg.rows.count, resnet.rows.count, dense.rows.count], [7, 12, 12, 14])   // docs/REPORT.md
        // Inception blocks join branches only: no shortcut arc.
        let google = Diagram(try specPlan("googlenet"))
        XCTAssertEqual(google.rows.filter { $0.kind == .concat }.count, 9)
        XCTAssertTrue(google.rows.allSatisfy { $0.units[0].skip == nil })
        // Every layer is in exactly one row, in order.
        for d in [lenet, vgg, resnet, dense, google] {
            let covered = d.rows.flatMap { Array($0.layers) }
            XCTAssertEqual(covered, Array(0..<covered.count))
        }
    }

    func testSVGIsTheDiagramAlone() throws {
        let p = try specPlan("resnet50")
        let svg = Reports.render(p, format: .svg)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertEqual(tagProblems(svg), [])
        XCTAssertEqual(count("data-block=\"", in: svg) - 1, Diagram(p).rows.count)   // and the input
        XCTAssertEqual(count("class=\"edge residual\" data-edge=\"residual\"", in: svg), 8)
        XCTAssertFalse(svg.contains("<details"))
    }

    func testDOTHasANodePerLayerAndAnEdgePerInput() throws {
        let p = try specPlan("resnet18")
        let dot = Reports.render(p, format: .dot)
        XCTAssertTrue(dot.contains("digraph \"resnet18\" {"))
        XCTAssertTrue(dot.hasSuffix("}\n"))
        XCTAssertEqual(count(" [label=", in: dot), p.layers.count + 1)
        XCTAssertEqual(count(" -> ", in: dot), p.layers.reduce(0) { $0 + $1.inputs.count })
        XCTAssertEqual(count("penwidth=2]", in: dot), p.layers.filter { $0.op == .add }.reduce(0) { $0 + $1.inputs.count })
        XCTAssertEqual(count("subgraph cluster_", in: dot), 8)
        XCTAssertEqual(count("{", in: dot), count("}", in: dot))
    }

    func testNamesAndPathsAreEscaped() throws {
        // A label cannot hold < or &, but a file name (the network's name) and -D words can.
        let source = "input 8x8x1\nconv(3x3, 4, pad: 1)@a - relu - fc(2)@b\n"
        let r = Pipeline.check(path: "x<&\"'>.cnn", source: source)
        var p = try XCTUnwrap(r.plan)
        p.name = "x<x-evil>&\"'\\"
        p.layers[0].name = "<script>alert(1)</script>"
        for format in [ReportFormat.html, .svg] {
            let text = Reports.render(p, format: format)
            XCTAssertFalse(text.contains("<x-evil>"), "\(format)")
            XCTAssertFalse(text.contains("<script>alert"), "\(format)")
            XCTAssertTrue(text.contains("x&lt;x-evil&gt;&amp;&quot;&#39;\\"), "\(format)")
            XCTAssertEqual(tagProblems(text), [], "\(format)")
        }
        // An XML comment may not hold "--".
        p.name = "a--b--->"
        XCTAssertTrue(Reports.render(p, format: .html).contains("from the spec a- -b- - -&gt;: regenerate"))
        p.name = "x<x-evil>&\"'\\"
        let dot = Reports.render(p, format: .dot)
        XCTAssertTrue(dot.contains("digraph \"x<x-evil>&\\\"'\\\\\" {"))
    }

    /// Odd but valid shapes of graphs render in every format, well-formed, without trapping.
    func testOddGraphsRender() throws {
        let nested = String(repeating: "add(relu - ", count: 60) + "relu" + String(repeating: " | id)", count: 60)
        let sources = [
            "input 32x32x3\nadd(" + Array(repeating: "relu", count: 2_000).joined(separator: " | ") + ")\n",
            "input 8x8x1\n(conv(3x3, 1, pad: 1) - relu)*1000\n",
            "input 8x8x2\n\(nested)\n",
            "input 8x8x2\nconcat(id | id) - add(id | relu) - concat(add(id | id) | relu - concat(id | relu))\n",
            "input 1x1x1\nrelu\n",
            "input 1x1x4\nfc(3) - softmax\n",
        ]
        for source in sources {
            let p = try plan(source)
            let html = Reports.render(p, format: .html)
            XCTAssertEqual(tagProblems(html), [], String(source.prefix(60)))
            let drawn = html.components(separatedBy: "<g class=\"blk\" data-layer=\"").count - 1
            XCTAssertEqual(drawn, p.layers.count, String(source.prefix(60)))
            XCTAssertEqual(Diagram(p).rows.flatMap { Array($0.layers) }, Array(0..<p.layers.count))
            XCTAssertEqual(tagProblems(Reports.render(p, format: .svg)), [])
            XCTAssertEqual(count(" -> ", in: Reports.render(p, format: .dot)), p.layers.reduce(0) { $0 + $1.inputs.count })
        }
    }

    func testOutputIsDeterministic() throws {
        let p = try specPlan("googlenet")
        for format in [ReportFormat.html, .svg, .dot] {
            XCTAssertEqual(Reports.render(p, format: format), Reports.render(try specPlan("googlenet"), format: format))
        }
    }

    func testWarningsAreShownBesideTheirLayer() throws {
        let p = try specPlan("lenet5")
        XCTAssertFalse(p.warnings.isEmpty)
        let html = Reports.render(p, format: .html)
        for w in p.warnings {
            let layer = try XCTUnwrap(w.layer)
            let row = try XCTUnwrap(html.range(of: "<tr id=\"layer-\(layer)\" class=\"warned\">"))
            let rowEnd = try XCTUnwrap(html.range(of: "</tr>", range: row.upperBound..<html.endIndex))
            XCTAssertTrue(html[row.upperBound..<rowEnd.lowerBound].contains(w.message.replacingOccurrences(of: "'", with: "&#39;")), w.id)
        }
    }

    func testTheCommandLineWritesEachFormat() throws {
        XCTAssertEqual(try Command.parse(["report", "a.cnn", "--format", "html", "-o", "a.html"]),
                       .report(path: "a.cnn", defines: [], format: .html, output: "a.html"))
        var written: [String: String] = [:]
        var out = ""
        let driver = Driver(readFile: { _ in "input 8x8x1\nconv(3x3, 2) - relu - fc(2)\n" },
                            writeFile: { written[$0] = $1 }, stdout: { out += $0 }, stderr: { _ in })
        for (format, start) in [("html", "<!DOCTYPE html>"), ("svg", "<svg "), ("dot", "// a: written by cnnspec")] {
            XCTAssertEqual(driver.run(["report", "a.cnn", "--format", format, "-o", "a.\(format)"]), .ok)
            XCTAssertTrue(try XCTUnwrap(written["a.\(format)"]).hasPrefix(start), format)
        }
        XCTAssertEqual(out, "")
        XCTAssertEqual(driver.run(["report", "--help"]), .ok)
        XCTAssertTrue(out.contains("html (one self-contained page"), out)
    }

    /// docs/examples/*.html are what `make examples` writes from the current code.
    func testCommittedExamplesAreUpToDate() throws {
        let dir = Repo.root.appendingPathComponent("docs/examples")
        for name in ["lenet5", "vgg16", "resnet50"] {
            let committed = Repo.read(dir.appendingPathComponent(name + ".html"))
            XCTAssertEqual(committed, Reports.render(try specPlan(name), format: .html), "docs/examples/\(name).html is stale: run make examples")
        }
        XCTAssertEqual(Repo.read(dir.appendingPathComponent("resnet50.svg")), Reports.render(try specPlan("resnet50"), format: .svg))
    }
}
