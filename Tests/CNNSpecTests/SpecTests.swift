// Every shipped spec checks cleanly, satisfies the plan invariants, and its text report
// matches its snapshot (Fixtures/snapshots; re-record with CNNSPEC_RECORD=1 swift test).
import CNNSpec
import Foundation
import XCTest

final class SpecTests: XCTestCase {
    static let required = ["lecture_conv", "homework", "lecture_100", "lenet5", "convnetjs_cifar", "cs231n_pattern",
                           "alexnet", "vgg11", "vgg16", "vgg19", "vgg16_bn", "resnet18", "resnet34", "resnet50",
                           "googlenet", "densenet121", "mobilenet_v2"]

    func testEverySpecChecksCleanlyAndSatisfiesTheInvariants() throws {
        let files = Repo.specFiles()
        let names = Set(files.map { $0.deletingPathExtension().lastPathComponent })
        for r in Self.required { XCTAssertTrue(names.contains(r), "specs/\(r).cnn is missing") }
        for url in files {
            let result = Pipeline.check(path: url.lastPathComponent, source: Repo.read(url))
            guard let p = result.plan else {
                XCTFail(DiagnosticRenderer(path: url.lastPathComponent, source: result.file.source).render(result.diagnostics))
                continue
            }
            XCTAssertEqual(PlanVerifier.verify(p), [], url.lastPathComponent)
        }
    }

    func testLectureSpecNumbers() throws {
        func specPlan(_ name: String) throws -> Plan {
            try XCTUnwrap(Pipeline.check(path: name, source: Repo.read(Repo.specs.appendingPathComponent(name + ".cnn"))).plan, name)
        }
        let conv = try specPlan("lecture_conv")
        XCTAssertEqual(conv.totals.params, 760)
        XCTAssertEqual(conv.output, Shape(c: 10, h: 32, w: 32))
        let hw = try specPlan("homework")
        XCTAssertEqual(hw.layers.map(\.output), [Shape(c: 1, h: 2, w: 2), Shape(c: 1, h: 2, w: 2), Shape(c: 1, h: 1, w: 1)])
        let l100 = try specPlan("lecture_100")
        let fc = try XCTUnwrap(l100.layers.first { $0.op.name == "fc" })
        XCTAssertEqual(fc.inputShapes, [Shape(c: 5, h: 90, w: 90)])
        XCTAssertEqual(fc.weights[0].shape[1], 40_500)
        XCTAssertEqual(try specPlan("lenet5").totals.params, 61_706)
        XCTAssertEqual(try specPlan("cs231n_pattern").totals.params, 879_914)
        XCTAssertTrue(Repo.read(Repo.specs.appendingPathComponent("cs231n_pattern.cnn")).contains("\n[(CONV-RELU)*N-POOL?]*M-(FC-RELU)*K-SOFTMAX\n"))
    }

    func testPatternSwitchesAndOverrides() throws {
        let source = Repo.read(Repo.specs.appendingPathComponent("cs231n_pattern.cnn"))
        func run(_ defines: [Define]) -> CheckResult { Pipeline.check(path: "cs231n_pattern.cnn", source: source, defines: defines) }
        // Without its pools the net keeps 32x32 to the first FC.
        let noPool = try XCTUnwrap(run([Define(name: "POOL?", value: .word("off"))]).plan)
        XCTAssertFalse(noPool.layers.contains { $0.op.name == "maxpool" })
        let perStage = try XCTUnwrap(run([Define(name: "POOL?", value: .list([.word("on"), .word("off"), .word("on")]))]).plan)
        XCTAssertEqual(perStage.layers.filter { $0.op.name == "maxpool" }.count, 2)
        let k0 = try XCTUnwrap(run([Define(name: "K", value: .int(0))]).plan)
        XCTAssertEqual(k0.layers.filter { $0.op.name == "fc" }.count, 1)
        // M=4 needs four filter counts: the three-element list says so.
        XCTAssertEqual(run([Define(name: "M", value: .int(4))]).diagnostics.first { $0.severity == .error }?.id, "list-length")
    }

    static let snapshots = ["lenet5", "homework", "cs231n_pattern", "resnet18"]

    func testTextReportSnapshots() throws {
        let record = ProcessInfo.processInfo.environment["CNNSPEC_RECORD"] == "1"
        for name in Self.snapshots {
            let url = Repo.specs.appendingPathComponent(name + ".cnn")
            let source = Repo.read(url)
            let result = Pipeline.check(path: "specs/\(name).cnn", source: source)
            let p = try XCTUnwrap(result.plan, name)
            let text = TextReport.render(p) + "\n" + DiagnosticRenderer(path: "specs/\(name).cnn", source: source).render(result.diagnostics)
            let snap = Repo.fixtures.appendingPathComponent("snapshots/\(name).txt")
            if record {
                try text.write(to: snap, atomically: true, encoding: .utf8)
                continue
            }
            let expected = Repo.read(snap)
            XCTAssertEqual(text, expected, "\(name): the text report changed; if intended, re-record with CNNSPEC_RECORD=1 swift test")
        }
    }

    func testJSONReportFollowsSchema1() throws {
        let url = Repo.specs.appendingPathComponent("resnet18.cnn")
        let p = try XCTUnwrap(Pipeline.check(path: "resnet18", source: Repo.read(url)).plan)
        let data = Data(JSONReport.render(p).utf8)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["schema"] as? Int, 1)
        XCTAssertEqual(json["network"] as? String, "resnet18")
        XCTAssertEqual(json["input"] as? [String: Int], ["c": 3, "h": 224, "w": 224])
        XCTAssertEqual(json["output"] as? [String: Int], ["c": 1000, "h": 1, "w": 1])
        let totals = try XCTUnwrap(json["totals"] as? [String: Any])
        for key in ["params", "macs", "flops", "activation_bytes", "peak_activation_bytes"] { XCTAssertNotNil(totals[key] as? Int, key) }
        XCTAssertEqual(totals["params"] as? Int, 11_689_512)
        let layers = try XCTUnwrap(json["layers"] as? [[String: Any]])
        let ops: Set<String> = ["conv", "maxpool", "avgpool", "globalavgpool", "fc", "flatten", "relu", "relu6", "tanh", "sigmoid",
                                "softmax", "dropout", "batchnorm", "add", "concat"]
        for l in layers {
            for key in ["name", "op", "inputs", "output", "params", "macs", "flops", "rf", "jump", "activation_bytes", "weights", "attrs"] {
                XCTAssertNotNil(l[key], "\(key) in \(l["name"] ?? "?")")
            }
            XCTAssertTrue(ops.contains(l["op"] as! String))
        }
        let conv1 = try XCTUnwrap(layers.first { $0["name"] as? String == "conv1" })
        let attrs = try XCTUnwrap(conv1["attrs"] as? [String: Any])
        XCTAssertEqual(attrs["kernel"] as? [Int], [7, 7])
        XCTAssertEqual(attrs["stride"] as? [Int], [2, 2])
        XCTAssertEqual(attrs["padding"] as? [Int], [3, 3, 3, 3])
        XCTAssertEqual(attrs["bias"] as? Bool, false)
        XCTAssertEqual(attrs["padding_mode"] as? String, "zeros")
        XCTAssertEqual((conv1["weights"] as? [[String: Any]])?.first?["shape"] as? [Int], [64, 3, 7, 7])
        let add = try XCTUnwrap(layers.first { $0["op"] as? String == "add" })
        XCTAssertEqual((add["inputs"] as? [String])?.count, 2)
    }
}
