// `cnnspec explain`: every formula it prints evaluates to the plan's number, the lectures'
// worked numbers appear as the lectures write them, and a failing layer ends in its error.
import CNNSpec
import XCTest

final class ExplainTests: XCTestCase {
    func run(_ args: [String], files: [String: String]) -> (code: ExitCode, out: String, err: String) {
        var out = "", err = ""
        let driver = Driver(readFile: { guard let t = files[$0] else { throw NoSuchFile() }; return t },
                            writeFile: { _, _ in }, stdout: { out += $0 }, stderr: { err += $0 })
        return (driver.run(args), out, err)
    }

    /// The formula of every step, evaluated, equals the plan's number: on every shipped spec,
    /// and on every layer kind (the random seeds of RobustnessTests cover add, concat, pools).
    func testEveryFormulaEvaluatesToThePlansNumber() throws {
        var sources = Repo.specFiles().map { (Repo.read($0), $0.lastPathComponent) }
        sources += RobustnessTests.seeds.map { ($0, "seed.cnn") }
        sources.append(("input 7x9x2\nconv(3x5, 4, pad: (1, 0, 2, 1), dilation: 2x1, groups: 2, round: floor) - maxpool(3x3, stride: 2, round: ceil) - avgpool(2x2, stride: 1, pad: 1) - relu6 - sigmoid - flatten - fc(3, bias: no) - softmax\n", "mixed.cnn"))
        var steps = 0
        var kinds: Set<String> = []
        for (source, name) in sources {
            let r = check(source, path: name)
            let plan = try XCTUnwrap(r.plan, name)
            let (file, _) = Pipeline.parse(path: name, source: source)
            let network = try XCTUnwrap(Pipeline.expand(file).0)
            let xs = Explain.layers(network, planned: plan.layers, diagnostics: r.diagnostics)
            XCTAssertEqual(xs.count, plan.layers.count)
            let totals = Explain.totals(plan)
            XCTAssertEqual(totals.compactMap(\.value), [plan.totals.params, plan.totals.macs, plan.totals.flops, plan.totals.activationBytes])
            for s in totals where s.value != nil { XCTAssertEqual(s.computed, s.value, "\(name) totals \(s.label): \(s.text)") }
            for (e, l) in zip(xs, plan.layers) {
                kinds.insert(e.op)
                XCTAssertEqual(e.output, l.output)
                XCTAssertTrue(e.failure.isEmpty && !e.skipped)
                XCTAssertEqual(e.warnings.count, r.diagnostics.filter { $0.severity == .warning && $0.layer == e.name }.count)
                XCTAssertTrue(e.steps.contains { $0.label == "memory" && $0.value == l.activationBytes }, "\(name) \(e.name)")
                for s in e.steps where s.value != nil {
                    steps += 1
                    XCTAssertEqual(s.computed, s.value, "\(name) \(e.name) \(s.label): \(s.text)")
                    // The step shows the plan's number (an area for a join's RF is not shown as such).
                    let v = s.value!
                    XCTAssertTrue(s.text.contains(grouped(v)) || s.text.contains(String(v)) || (s.label == "RF" && e.op == "add" || e.op == "concat"),
                                  "\(name) \(e.name) \(s.label): \(s.text)")
                }
                // Every cost the plan has is explained.
                if l.params > 0 { XCTAssertTrue(e.steps.contains { $0.label == "params" && $0.value == l.params }, "\(name) \(e.name)") }
                if l.macs > 0 { XCTAssertTrue(e.steps.contains { $0.label == "MACs" && $0.value == l.macs }, "\(name) \(e.name)") }
                if l.flops > 0 { XCTAssertTrue(e.steps.contains { $0.label == "FLOPs" && $0.value == l.flops }, "\(name) \(e.name)") }
            }
        }
        XCTAssertGreaterThan(steps, 5000)
        XCTAssertEqual(kinds, Set(["conv", "maxpool", "avgpool", "globalavgpool", "fc", "flatten", "relu", "relu6", "tanh",
                                   "sigmoid", "softmax", "dropout", "batchnorm", "add", "concat"]))
    }

    func testLectureNumbersAsTheLecturesWriteThem() {
        let conv = run(["explain", "a.cnn"], files: ["a.cnn": "input 32x32x3\nconv(5x5, 10, pad: 2)\n"])
        XCTAssertEqual(conv.code, .ok)
        XCTAssertTrue(conv.out.contains("(32 - 5 + 2*2)/1 + 1 = 32"), conv.out)
        XCTAssertTrue(conv.out.contains("5*5*3 + 1 = 76 weights per filter (+1 is the bias), 76*10 = 760"), conv.out)
        XCTAssertTrue(conv.out.contains("\ntotals\n"), "the whole network explained: its totals too")
        // Three stacked 3x3 convs: RF 3, 5, 7 (the RF of one 7x7).
        let stack = run(["explain", "a.cnn"], files: ["a.cnn": "input 32x32x3\nconv(3x3, 8, pad: 1)*3\n"]).out
        for (rin, rout) in [(1, 3), (3, 5), (5, 7)] { XCTAssertTrue(stack.contains("= \(rin) + (3-1)*1 = \(rout)"), stack) }
        // 100x100, five unpadded 3x3 convs: 90x90x5 flattens to 40,500 inputs.
        let fc = run(["explain", "specs/lecture_100.cnn", "fc1"], files: ["specs/lecture_100.cnn": Repo.read(Repo.specs.appendingPathComponent("lecture_100.cnn"))])
        XCTAssertTrue(fc.out.contains("flatten 90x90x5: 90*90*5 = 40,500 inputs per output"), fc.out)
        XCTAssertTrue(fc.out.contains("40,500*10 + 10 (the biases) = 405,010"), fc.out)
        XCTAssertTrue(fc.out.contains("  warning: 'fc1' holds 96% of the parameters (405,010 of 423,111)"), "the layer's lints: \(fc.out)")
        XCTAssertFalse(fc.out.contains("conv1") || fc.out.contains("totals"), "only the named layer")
    }

    func testRoundingAndDilationAreStated() {
        let r = run(["explain", "a.cnn"], files: ["a.cnn": "input 5x5x1\nmaxpool(2x2, stride: 2, pad: 1, round: ceil) - conv(3x3, 1, dilation: 2, pad: 2) - maxpool(3x3, stride: 2, round: floor)\n"])
        XCTAssertEqual(r.code, .ok, r.err)
        XCTAssertTrue(r.out.contains("(5 - 2 + 2*1)/2 + 1 = 3.5, round: ceil -> 4, minus the last window, which would start in the padding (PyTorch) -> 3"), r.out)
        XCTAssertTrue(r.out.contains("(W + 2P - D*(F-1) - 1)/S + 1 = (3 + 2*2 - 2*(3-1) - 1)/1 + 1 = 3"), r.out)
        XCTAssertTrue(r.out.contains("(k = D*(F-1) + 1 = 2*(3-1) + 1 = 5)"), r.out)
        XCTAssertTrue(r.out.contains("(3 - 3 + 2*0)/2 + 1 = 1"), r.out)
    }

    func testFailingLayerEndsInItsErrorAndAWayOut() {
        let r = run(["explain", "a.cnn"], files: ["a.cnn": "input 7x7x1\nconv(3x3, 8) - conv(3x3, 8, stride: 3) - relu\n"])
        XCTAssertEqual(r.code, .invalidSpec)
        XCTAssertTrue(r.out.contains("(7 - 3 + 2*0)/1 + 1 = 5"), "the layer before still explained:\n\(r.out)")
        XCTAssertTrue(r.out.contains("(5 - 3 + 2*0)/3 + 1 = 1.67: not a whole number"), r.out)
        XCTAssertTrue(r.out.contains("help: stride 2 gives 2"), r.out)
        XCTAssertTrue(r.out.contains("not computed: an earlier layer failed"), r.out)
        XCTAssertTrue(r.err.contains("error: conv 'conv2'"), "diagnostics still on stderr")
        let window = run(["explain", "a.cnn"], files: ["a.cnn": "input 4x4x1\nconv(5x5, 8)\n"])
        XCTAssertTrue(window.out.contains("(4 - 5 + 2*0)/1 + 1 = 0: the window is larger than the padded input"), window.out)
        let shapes = run(["explain", "a.cnn"], files: ["a.cnn": "input 8x8x4\nadd(conv(3x3, 8, pad: 1) | id)\n"])
        XCTAssertTrue(shapes.out.contains("error: add needs inputs of one shape"), shapes.out)
        // A spec that does not even expand has nothing to explain.
        XCTAssertEqual(run(["explain", "a.cnn"], files: ["a.cnn": "input 8x8x4\nconvv(3x3, 8)\n"]).out, "")
    }

    /// Mutated specs (as RobustnessTests makes them) and absurd numbers: explain ends in an
    /// explanation or a diagnostic, never a trap.
    func testExplainNeverCrashes() {
        var rng = SeededRandom(state: 5)
        var bases = RobustnessTests.seeds + ["input 1000000000x1000000000x1\nconv(3x3, 1, dilation: 4000000000000000)\n",
                                             "input 7x7x1\nconv(3x3, 1000000000000) - conv(3x3, 1000000000000)\n"]
        bases += Repo.specFiles().map(Repo.read).filter { $0.count < 1500 }
        var codes: [ExitCode: Int] = [:]
        for i in 0..<400 {
            var text = Array(bases[i % bases.count])
            if i >= bases.count {
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let at = Int.random(in: 0...text.count, using: &rng)
                    text.insert(contentsOf: RobustnessTests.fragments.randomElement(using: &rng)!, at: at)
                }
            }
            let r = run(["explain", "a.cnn"], files: ["a.cnn": String(text)])
            codes[r.code, default: 0] += 1
            XCTAssertTrue([.ok, .invalidSpec].contains(r.code), "\(r.code)")
        }
        XCTAssertGreaterThan(codes[.ok] ?? 0, 10)
        XCTAssertGreaterThan(codes[.invalidSpec] ?? 0, 10)
    }

    func testLayerSelectionAndUnknownNames() {
        let spec = Repo.read(Repo.specs.appendingPathComponent("resnet18.cnn"))
        let scope = run(["explain", "r.cnn", "layer1.0"], files: ["r.cnn": spec])
        XCTAssertEqual(scope.code, .ok)
        XCTAssertTrue(scope.out.contains("layer1.0.conv1:") && scope.out.contains("layer1.0.bn2:"), scope.out)
        XCTAssertFalse(scope.out.contains("layer1.1.") || scope.out.contains("layer1.0.conv1.") , scope.out)
        let bad = run(["explain", "r.cnn", "layer1.0.cnv1"], files: ["r.cnn": spec])
        XCTAssertEqual(bad.code, .usage)
        XCTAssertTrue(bad.err.contains("no layer 'layer1.0.cnv1'; layers with near names: layer1.0.conv1"), bad.err)
        XCTAssertEqual(bad.out, "")
    }

    func testMarkdownFormat() {
        let r = run(["explain", "a.cnn", "--format", "markdown"], files: ["a.cnn": "input 32x32x3\nconv(5x5, 10, pad: 2)\n"])
        XCTAssertTrue(r.out.hasPrefix("# a\n"), r.out)
        XCTAssertTrue(r.out.contains("| params | `5*5*3 + 1 = 76 weights per filter (+1 is the bias), 76*10 = 760` |"), r.out)
    }

    func testParse() throws {
        XCTAssertEqual(try Command.parse(["explain", "a.cnn", "conv1", "fc", "-D", "N=2", "--format=markdown"]),
                       .explain(path: "a.cnn", layers: ["conv1", "fc"], defines: [Define(name: "N", value: .int(2))], format: .markdown))
        XCTAssertEqual(try Command.parse(["explain", "a.cnn"]), .explain(path: "a.cnn", layers: [], defines: [], format: .text))
        XCTAssertEqual(try Command.parse(["explain", "--help"]), .help(topic: "explain"))
        let help = run(["explain", "--help"], files: [:])
        XCTAssertEqual(help.code, .ok)
        XCTAssertTrue(help.out.contains("USAGE: cnnspec explain FILE [LAYER]..."), help.out)
        XCTAssertTrue(run(["--help"], files: [:]).out.contains("explain FILE [LAYER]..."))
        for bad in [["explain"], ["explain", "a", "--format", "json"], ["explain", "a", "-f"], ["explain", "a", "--bogus"],
                    ["explain", "a", "-f", "text", "-f", "markdown"], ["explain", "a", "-DN=1", "-D", "N=2"]] {
            XCTAssertThrowsError(try Command.parse(bad), "\(bad)")
        }
    }
}
