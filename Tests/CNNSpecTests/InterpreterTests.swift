// The reference interpreter against PyTorch (fixtures recorded by
// scripts/record_codegen_fixtures.py), against the lectures' hand-computed examples, and on
// malformed weights; seeded random weights for every spec.
import CNNSpec
import Foundation
import XCTest

final class InterpreterTests: XCTestCase {
    /// Every net with a PyTorch fixture in Fixtures/codegen.
    static let fixtureNets = ["homework", "lenet5", "convnetjs_cifar", "cs231n_pattern", "tiny_resnet", "tiny_inception",
                              "tiny_densenet", "tiny_mobilenet", "ops_pooling", "ops_conv", "ops_activations", "ops_head"]

    /// The plan of specs/<name>.cnn with the `-D` overrides given as `NAME=VALUE` words.
    static func specPlan(_ name: String, defines: [String] = []) throws -> Plan {
        let path = "specs/\(name).cnn"
        guard case .check(_, let ds, _) = try Command.parse(["check", path] + defines.flatMap { ["-D", $0] }) else { throw XCTSkip("bad defines") }
        let r = Pipeline.check(path: path, source: Repo.read(Repo.specs.appendingPathComponent(name + ".cnn")), defines: ds)
        return try XCTUnwrap(r.plan, "\(name) does not check")
    }

    /// max |y - y_ref| <= 1e-4 * max(1, max |y_ref|), the tolerance of the issue.
    static func assertClose(_ y: [Float], _ ref: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(y.count, ref.count, what, file: file, line: line)
        let scale = max(1, ref.map { abs($0) }.max() ?? 0)
        let err = zip(y, ref).map { abs($0 - $1) }.max() ?? 0
        XCTAssertTrue(err <= 1e-4 * scale, "\(what): max error \(err), allowed \(1e-4 * scale)", file: file, line: line)
        XCTAssertFalse(y.contains { $0.isNaN }, what, file: file, line: line)
    }

    func testMatchesPyTorchOnEveryFixture() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repo.fixtures.appendingPathComponent("codegen").path)
        let recorded = Set(files.filter { $0.hasSuffix(".io.safetensors") }.map { String($0.dropLast(".io.safetensors".count)) })
        XCTAssertEqual(recorded, Set(Self.fixtureNets))
        var dtypes: [String: String] = [:]
        for name in Self.fixtureNets {
            let weights = try SafeTensors.read(try readFixture("codegen/\(name).weights.safetensors"))
            let io = try SafeTensors.read(try readFixture("codegen/\(name).io.safetensors"))
            let defines = (io.metadata["defines"] ?? "").split(separator: " ").map(String.init)
            let p = try Self.specPlan(name, defines: defines)
            let input = try XCTUnwrap(io.tensors["input"], name), output = try XCTUnwrap(io.tensors["output"], name)
            XCTAssertEqual(input.shape, [2, p.input.c, p.input.h, p.input.w], name)
            XCTAssertEqual(output.data.count, 2 * p.output.c * p.output.h * p.output.w, name)
            // The stored dtype is the one the metadata says, so F16 and BF16 are really exercised.
            dtypes[name] = weights.metadata["dtype"]
            let stored = Set(weights.dtypes.values.map(\.rawValue))
            if !stored.isEmpty { XCTAssertEqual(stored, [weights.metadata["dtype"] ?? "?"], name) }
            let interpreter = try ReferenceInterpreter(plan: p, file: weights)
            let y = try interpreter.run(input.data, batch: 2)
            Self.assertClose(y, output.data, name)
            // runLayers ends with the same output.
            XCTAssertEqual(try interpreter.runLayers(input.data, batch: 2).last, y, name)
            // Batch items are independent: item 1 alone gives the second half.
            let per = input.data.count / 2
            XCTAssertEqual(try interpreter.run(Array(input.data[per...]), batch: 1), Array(y[(y.count / 2)...]), name)
        }
        XCTAssertEqual(dtypes["lenet5"], "F16")
        XCTAssertEqual(dtypes["cs231n_pattern"], "BF16")
    }

    /// The lecture's homework: conv 3x3 stride 2 -> ReLU -> max pool on its 5x5 image gives 3
    /// (by hand: the conv gives [1 -2; 3 1], ReLU [1 0; 3 1], the max is 3).
    func testHomeworkGivesTheHandValue() throws {
        let p = try Self.specPlan("homework")
        let image: [Float] = [1, 2, 3, 4, 5, 2, 2, 1, 1, 1, 3, 2, 1, 1, 1, 4, 1, 1, 1, 1, 5, 1, 1, 1, 1]
        let kernel: [Float] = [0, -1, 0, 1, 1, 1, 0, -1, 0]
        let net = try ReferenceInterpreter(plan: p, weights: ["conv1.weight": Tensor(shape: [1, 1, 3, 3], data: kernel),
                                                              "conv1.bias": Tensor(shape: [1], data: [0])])
        let layers = try net.runLayers(image, batch: 1)
        XCTAssertEqual(layers[0], [1, -2, 3, 1])
        XCTAssertEqual(layers[1], [1, 0, 3, 1])
        XCTAssertEqual(layers[2], [3])
        // PyTorch's fixture says the same for its batch item 0.
        let io = try SafeTensors.decode(try readFixture("codegen/homework.io.safetensors"))
        XCTAssertEqual(io["output"]?.data.first, 3)
        XCTAssertEqual(io["input"]?.data.prefix(25).map { $0 }, image)
    }

    /// The lecture's max pool example: 2x2 stride 2 on a 4x4 map.
    func testLectureMaxPool() throws {
        let p = try plan("input 4x4x1\nmaxpool(2x2, stride: 2)")
        let y = try ReferenceInterpreter(plan: p, weights: [:]).run([1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4], batch: 1)
        XCTAssertEqual(y, [6, 8, 3, 4])
    }

    /// Padding modes on a 1-channel 3x3 input with a 3x3 kernel of ones and pad 1: each
    /// output is the sum of the padded 3x3 neighbourhood, which is easy to do by hand.
    func testPaddingModesByHand() throws {
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let ones = Tensor(shape: [1, 1, 3, 3], data: Array(repeating: 1, count: 9))
        func corner(_ mode: String) throws -> Float {
            let p = try plan("input 3x3x1\nconv(3x3, 1, pad: 1, bias: no, pad_mode: \(mode))")
            return try ReferenceInterpreter(plan: p, weights: ["conv1.weight": ones]).run(x, batch: 1)[0]
        }
        // Top-left output sees padded rows -1..1 and columns -1..1.
        XCTAssertEqual(try corner("zeros"), 1 + 2 + 4 + 5)
        XCTAssertEqual(try corner("reflect"), 5 + 4 + 5 + 2 + 1 + 2 + 5 + 4 + 5)       // row -1 = row 1, col -1 = col 1
        XCTAssertEqual(try corner("replicate"), 1 + 1 + 2 + 1 + 1 + 2 + 4 + 4 + 5)
        XCTAssertEqual(try corner("circular"), 9 + 7 + 8 + 3 + 1 + 2 + 6 + 4 + 5)     // row -1 = row 2, col -1 = col 2
    }

    // MARK: malformed weights

    private func initError(_ p: Plan, _ w: [String: Tensor], file: StaticString = #filePath, line: UInt = #line) -> InterpreterError? {
        do {
            _ = try ReferenceInterpreter(plan: p, weights: w)
            XCTFail("expected an error", file: file, line: line)
        } catch let e as InterpreterError {
            return e
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }

    func testMissingExtraAndMisshapedWeights() throws {
        let p = try plan("input 8x8x3\nconv(3x3, 4, pad: 1) - batchnorm - relu - fc(2)")
        let good = RandomWeights.make(for: p, seed: 1)
        XCTAssertEqual(Set(good.keys), ["conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                                        "fc1.weight", "fc1.bias"])
        XCTAssertNoThrow(try ReferenceInterpreter(plan: p, weights: good))
        var w = good
        w["bn1.num_batches_tracked"] = Tensor(shape: [], data: [3])
        XCTAssertNoThrow(try ReferenceInterpreter(plan: p, weights: w), "num_batches_tracked is ignored")

        w = good; w["bn1.running_var"] = nil
        XCTAssertEqual(initError(p, w), .missingWeight(name: "bn1.running_var", shape: [4]))
        w = good; w["conv2.weight"] = Tensor(shape: [1], data: [0])
        XCTAssertEqual(initError(p, w), .unexpectedWeight(name: "conv2.weight"))
        w = good; w["fc1.weight"] = Tensor(shape: [256, 2], data: Array(repeating: 0, count: 512))
        XCTAssertEqual(initError(p, w), .weightShape(name: "fc1.weight", expected: [2, 256], actual: [256, 2]))
        w = good; w["conv1.bias"] = Tensor(shape: [4], data: [1, 2, 3])
        XCTAssertEqual(initError(p, w), .weightData(name: "conv1.bias", shape: [4], count: 3))
        XCTAssertEqual(InterpreterError.weightShape(name: "fc1.weight", expected: [2, 256], actual: [256, 2]).description,
                       "weight 'fc1.weight' has shape [256, 2], expected [2, 256]")
    }

    func testWrongDTypeThroughAFile() throws {
        let p = try plan("input 4x4x1\nconv(3x3, 2) - fc(2)")
        let w = RandomWeights.make(for: p, seed: 3)
        // conv1.bias written as F32 [4] (16 bytes), then declared I64 [2] (also 16 bytes).
        let tensors = ["conv1.weight", "fc1.weight", "fc1.bias"].map { (name: $0, tensor: w[$0]!) }
            + [(name: "conv1.bias", tensor: Tensor(shape: [4], data: [0, 0, 0, 0]))]
        var file = SafeTensors.encode(tensors)
        let headerEnd = 8 + Int(file[0]) + Int(file[1]) << 8
        let text = String(decoding: file[8..<headerEnd], as: UTF8.self)
        let patched = text.replacingOccurrences(of: "\"conv1.bias\":{\"dtype\":\"F32\",\"shape\":[4]",
                                                with: "\"conv1.bias\":{\"dtype\":\"I64\",\"shape\":[2]")
        XCTAssertNotEqual(patched, text)
        file.replaceSubrange(8..<headerEnd, with: Array(patched.utf8))
        let contents = try SafeTensors.read(file)
        XCTAssertEqual(contents.skipped, ["conv1.bias": "I64"])
        XCTAssertThrowsError(try ReferenceInterpreter(plan: p, file: contents)) {
            XCTAssertEqual($0 as? InterpreterError, .weightDType(name: "conv1.bias", dtype: "I64"))
        }
        // Through the plain dictionary, the same file says the weight is missing.
        XCTAssertThrowsError(try ReferenceInterpreter(plan: p, weights: contents.tensors)) {
            XCTAssertEqual($0 as? InterpreterError, .missingWeight(name: "conv1.bias", shape: [2]))
        }
    }

    func testPlansNotFromInferenceAreRejected() throws {
        let good = try plan("input 8x8x3\nconv(3x3, 4, pad: same) - relu - fc(2)")
        let w = RandomWeights.make(for: good, seed: 1)
        var p = good
        guard case .conv(var a) = p.layers[0].op else { return XCTFail("not a conv") }
        a.padding = .same
        p.layers[0].op = .conv(a)
        XCTAssertThrowsError(try ReferenceInterpreter(plan: p, weights: w)) {
            XCTAssertEqual($0 as? InterpreterError, .invalidPlan(layer: "conv1", reason: "padding is not resolved"))
        }
        p = good
        p.layers[1].inputs = [.layer(2)]
        XCTAssertThrowsError(try ReferenceInterpreter(plan: p, weights: w)) {
            XCTAssertEqual($0 as? InterpreterError, .invalidPlan(layer: "relu1", reason: "reads layer 2, which is not earlier"))
        }
        p = good
        p.layers[1].weights = p.layers[0].weights
        XCTAssertThrowsError(try ReferenceInterpreter(plan: p, weights: w)) {
            XCTAssertEqual($0 as? InterpreterError, .invalidPlan(layer: "relu1", reason: "has 2 weight tensors, its op needs 0"))
        }
    }

    func testInputChecks() throws {
        let p = try plan("input 4x4x2\nrelu")
        let net = try ReferenceInterpreter(plan: p, weights: [:])
        XCTAssertThrowsError(try net.run([Float](repeating: 0, count: 31), batch: 1)) {
            XCTAssertEqual($0 as? InterpreterError, .inputCount(expected: 32, actual: 31))
        }
        XCTAssertThrowsError(try net.run([], batch: 0)) { XCTAssertEqual($0 as? InterpreterError, .badBatch(0)) }
        XCTAssertThrowsError(try net.runLayers([1], batch: Int.max)) {
            XCTAssertEqual($0 as? InterpreterError, .inputCount(expected: Int.max, actual: 1))
        }
        XCTAssertEqual(try net.run((0..<64).map { Float($0 - 32) }, batch: 2), (0..<64).map { Float(max($0 - 32, 0)) })
    }

    // MARK: random weights

    func testRandomWeightsAreDeterministicAndCoverEverySpec() throws {
        var checked = 0
        for url in Repo.specFiles() {
            let name = url.deletingPathExtension().lastPathComponent
            let p = try XCTUnwrap(Pipeline.check(path: url.lastPathComponent, source: Repo.read(url)).plan, name)
            // Every weight has a range, once; the values are made and loaded below 12M parameters
            // only (debug builds are slow to fill 100M floats; the release check runs them all).
            // The network output is the last layer: run() and runLayers() rely on it.
            XCTAssertEqual(p.layers.last?.output, p.output, name)
            let names = p.layers.flatMap(\.weights).map(\.name)
            XCTAssertEqual(RandomWeights.ranges(for: p).map(\.weight.name), names, name)
            XCTAssertTrue(RandomWeights.ranges(for: p).allSatisfy { $0.low < $0.high }, name)
            guard p.totals.params + p.totals.buffers <= 12_000_000 else { continue }
            let w = RandomWeights.make(for: p, seed: 42)
            XCTAssertEqual(Set(w.keys), Set(names), name)
            XCTAssertNoThrow(try ReferenceInterpreter(plan: p, weights: w), name)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 17)

        let p = try Self.specPlan("tiny_resnet")
        let a = RandomWeights.make(for: p, seed: 7), b = RandomWeights.make(for: p, seed: 7), c = RandomWeights.make(for: p, seed: 8)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a["conv1.weight"], c["conv1.weight"])
        XCTAssertEqual(RandomWeights.input(for: p, batch: 2, seed: 7), RandomWeights.input(for: p, batch: 2, seed: 7))
        XCTAssertEqual(RandomWeights.input(for: p, batch: 2, seed: 7).count, 2 * 3 * 16 * 16)
        XCTAssertEqual(RandomWeights.input(for: p, batch: 0, seed: 7), [])
        XCTAssertEqual(RandomWeights.input(for: p, batch: Int.max, seed: 7), [])
        // The ranges: He-uniform conv weights (fan_in 27), batch norm near the identity.
        let bound = Float((6.0 / 27).squareRoot())
        XCTAssertTrue(a["conv1.weight"]!.data.allSatisfy { abs($0) <= bound })
        XCTAssertTrue(a["conv1.weight"]!.data.contains { abs($0) > bound * 0.9 })
        XCTAssertTrue(a["bn1.running_var"]!.data.allSatisfy { $0 >= 0.5 && $0 <= 1.5 })
        XCTAssertTrue(a["bn1.weight"]!.data.allSatisfy { $0 >= 0.8 && $0 <= 1.2 })
        // A batch norm summed by an add (residual branch, projection shortcut) starts small.
        for n in ["layer1.0.bn2.weight", "layer2.0.downsample.1.weight"] {
            XCTAssertTrue(a[n]!.data.allSatisfy { $0 >= 0.2 && $0 <= 0.4 }, n)
        }
        // The first values of one stream are fixed: SplitMix64 seeded with seed ^ FNV-1a(name).
        var rng = SplitMix64(seed: 7 ^ RandomWeights.fnv1a("fc.bias"))
        XCTAssertEqual(a["fc.bias"]!.data[0], rng.uniform(-0.25, 0.25))
        XCTAssertEqual(RandomWeights.fnv1a(""), 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(RandomWeights.fnv1a("a"), 0xAF63_DC4C_8601_EC8C)
        var reference = SplitMix64(seed: 1234567)
        XCTAssertEqual([reference.next(), reference.next()], [6_457_827_717_110_365_317, 3_203_168_211_198_807_973])
    }

    /// Seeded random weights keep activations O(1) through the tiny nets (no overflow, no vanishing).
    func testRandomWeightsKeepActivationsInRange() throws {
        for name in ["tiny_resnet", "tiny_densenet", "tiny_mobilenet", "tiny_inception", "lenet5", "ops_conv"] {
            let p = try Self.specPlan(name)
            let net = try ReferenceInterpreter(plan: p, weights: RandomWeights.make(for: p, seed: 1))
            let y = try net.run(RandomWeights.input(for: p, batch: 1, seed: 1), batch: 1)
            let m = y.map { abs($0) }.max() ?? 0
            XCTAssertTrue(m > 0.01 && m < 100, "\(name): max |y| = \(m)")
        }
    }
}
