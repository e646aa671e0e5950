// Every spec with a recorded reference (Fixtures/reference/<name>.json, written from real
// PyTorch/torchvision by scripts/record_reference.py) must give the same numbers: total
// parameters and MACs, the output shape, every weight tensor (torchvision names, shapes and
// order), and the output shape of every layer both have.
import CNNSpec
import Foundation
import XCTest

final class ReferenceTests: XCTestCase {
    /// Lecture nets were built by hand in the script; their layer names are not a contract.
    static let shapesOnly: Set<String> = ["lenet5", "convnetjs_cifar", "cs231n_pattern"]

    struct Reference {
        var params: Int
        var macs: Int
        var output: [Int]
        var weights: [(String, [Int])]
        /// Output shapes per module name, one per call (a reused module, like ResNet's relu, has several).
        var modules: [String: [[Int]]]
        /// torchvision's model-card GFLOPS (`_ops` of the weights enum), nil for the lecture nets.
        var gflops: Double?
    }

    func reference(_ url: URL) throws -> Reference {
        let data = try Data(contentsOf: url)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let out = try XCTUnwrap(json["output"] as? [String: Int])
        let state = try XCTUnwrap(json["state_dict"] as? [[String: Any]])
        let weights = state.filter { ($0["kind"] as? String) != "buffer_int" }.map { ($0["name"] as! String, $0["shape"] as! [Int]) }
        var modules: [String: [[Int]]] = [:]
        for m in try XCTUnwrap(json["modules"] as? [[String: Any]]) { modules[m["name"] as! String, default: []].append(m["output"] as! [Int]) }
        return Reference(params: json["params"] as! Int, macs: json["macs"] as! Int,
                         output: [out["c"]!, out["h"]!, out["w"]!], weights: weights, modules: modules,
                         gflops: json["torchvision_gflops"] as? Double)
    }

    func testSpecsMatchTheirReferences() throws {
        let dir = Repo.fixtures.appendingPathComponent("reference")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertEqual(names.count, 14)
        for name in names {
            let ref = try reference(dir.appendingPathComponent(name + ".json"))
            let specURL = Repo.specs.appendingPathComponent(name + ".cnn")
            guard FileManager.default.fileExists(atPath: specURL.path) else { XCTFail("specs/\(name).cnn is missing"); continue }
            let result = Pipeline.check(path: specURL.path, source: Repo.read(specURL))
            guard let p = result.plan else {
                XCTFail("\(name): \(DiagnosticRenderer(path: name, source: result.file.source).render(result.diagnostics))")
                continue
            }
            XCTAssertEqual(p.totals.params, ref.params, "\(name): params")
            XCTAssertEqual(p.totals.macs, ref.macs, "\(name): MACs")
            XCTAssertEqual([p.output.c, p.output.h, p.output.w], ref.output, "\(name): output")
            if let gflops = ref.gflops {
                // The JSON report's number is the one torchvision's model cards print.
                let json = try JSONSerialization.jsonObject(with: Data(JSONReport.render(p).utf8)) as! [String: Any]
                XCTAssertEqual((json["totals"] as! [String: Any])["torchvision_gflops"] as? Double, gflops, "\(name): GFLOPS")
            }
            let ours = p.layers.flatMap(\.weights)
            XCTAssertEqual(ours.map(\.shape), ref.weights.map(\.1), "\(name): weight shapes in order")
            if !Self.shapesOnly.contains(name) {
                XCTAssertEqual(ours.map(\.name), ref.weights.map(\.0), "\(name): weight names in order")
                var compared = 0
                for l in p.layers {
                    guard let shapes = ref.modules[l.name] else { continue }
                    XCTAssertTrue(shapes.contains([l.output.c, l.output.h, l.output.w]), "\(name): output of \(l.name) is \(l.output), torchvision's \(shapes)")
                    compared += 1
                }
                // Every weighted layer has a module of the same name in torchvision.
                XCTAssertGreaterThanOrEqual(compared, p.layers.filter { !$0.weights.isEmpty }.count, name)
            }
        }
    }

    func testVGG16ReceptiveFieldsMatchAraujo() throws {
        let p = try XCTUnwrap(Pipeline.check(path: "vgg16", source: Repo.read(Repo.specs.appendingPathComponent("vgg16.cnn"))).plan)
        // Araujo et al. (Distill 2019): name -> (RF, effective stride, effective padding).
        let expected: [(String, Int, Int, Int)] = [
            ("features.0", 3, 1, 1), ("features.4", 6, 2, 2), ("features.5", 10, 2, 4), ("features.9", 16, 4, 6),
            ("features.16", 44, 8, 18), ("features.23", 100, 16, 42), ("features.30", 212, 32, 90),
        ]
        for (name, rf, jump, pad) in expected {
            let l = try XCTUnwrap(p.layer(name), name)
            XCTAssertEqual(l.rf.size, Pair(square: rf), name)
            XCTAssertEqual(l.rf.jump, Pair(square: jump), name)
            XCTAssertEqual(l.rf.padding, Pair(square: pad), name)
        }
    }

    func testResNet50ReceptiveFieldAtTheLastBlock() throws {
        let p = try XCTUnwrap(Pipeline.check(path: "resnet50", source: Repo.read(Repo.specs.appendingPathComponent("resnet50.cnn"))).plan)
        let lastBlock = try XCTUnwrap(p.layers.last { $0.name.hasPrefix("layer4.2.") && $0.op == .add })
        XCTAssertEqual(lastBlock.rf.size, Pair(square: 427))
        XCTAssertEqual(lastBlock.rf.jump, Pair(square: 32))
    }
}
