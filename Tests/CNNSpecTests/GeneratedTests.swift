// The generated code (generated/, compiled as the CNNSpecGenerated target): it is what
// `cnnspec gen` writes today, it matches PyTorch on the recorded fixtures, it agrees with the
// reference interpreter on every spec, its self-test passes, and bad weights are errors.
import CNNSpec
import CNNSpecGenerated
import Foundation
import XCTest

final class GeneratedTests: XCTestCase {
    static let generated = Repo.root.appendingPathComponent("generated")

    /// The generated files `make generate` writes: every spec of specs/, the index, the
    /// fixture variant of the lecture-pattern net (its fixture is recorded with -D N=1 -D K=0),
    /// all with one shared runtime (--shared-runtime: the target compiles it once).
    static func expectedFiles() throws -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        var models: [(spec: String, typeName: String)] = []
        for url in Repo.specFiles() {
            let path = "specs/" + url.lastPathComponent
            let plan = try XCTUnwrap(Pipeline.check(path: path, source: Repo.read(url)).plan, path)
            let name = Generator.typeName(forSpecAt: path)
            files.append(Generator.generate(plan, typeName: name, sourcePath: path, sharedRuntime: true))
            models.append((path, name))
        }
        files.append(Generator.index(models))
        files.append(Generator.sharedRuntimeFile())
        let variant = try InterpreterTests.specPlan("cs231n_pattern", defines: ["N=1", "K=0"])
        files.append(Generator.generate(variant, typeName: "Cs231nPatternN1K0", sourcePath: "specs/cs231n_pattern.cnn", sharedRuntime: true))
        return files
    }

    /// `make check-generated`: generated/ holds exactly what the generator writes now.
    func testGeneratedDirectoryIsFresh() throws {
        let expected = try Self.expectedFiles()
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.generated.path).filter { $0.hasSuffix(".swift") }
        XCTAssertEqual(Set(present), Set(expected.map(\.fileName)), "generated/ has stale or missing files: run make generate")
        for f in expected {
            let text = Repo.read(Self.generated.appendingPathComponent(f.fileName))
            XCTAssertTrue(text == f.text, "generated/\(f.fileName) is stale: run make generate")
        }
    }

    func testGenerationIsDeterministic() throws {
        let a = try Self.expectedFiles(), b = try Self.expectedFiles()
        XCTAssertEqual(a, b)
    }

    static func model(_ spec: String) throws -> GeneratedModel {
        try XCTUnwrap(generatedModels.first { $0.spec == "specs/\(spec).cnn" }, spec)
    }

    /// The prediction function of a fixture's net loaded with the fixture's weights.
    static func fixtureModel(_ name: String, _ weights: [UInt8]) throws -> ([Float]) throws -> [Float] {
        if name == "cs231n_pattern" {
            let m = try Cs231nPatternN1K0(safetensors: weights)
            return { try m.predict($0) }
        }
        return try model(name).load(weights, 1)
    }

    func testMatchesPyTorchOnEveryFixture() throws {
        for name in InterpreterTests.fixtureNets {
            let weights = try readFixture("codegen/\(name).weights.safetensors")
            let io = try SafeTensors.read(try readFixture("codegen/\(name).io.safetensors"))
            let input = try XCTUnwrap(io.tensors["input"], name), output = try XCTUnwrap(io.tensors["output"], name)
            let y = try Self.fixtureModel(name, weights)(input.data)
            InterpreterTests.assertClose(y, output.data, "generated \(name)")
        }
    }

    /// The lecture's homework, numerically: conv [[1,-2],[3,1]] -> ReLU [[1,0],[3,1]] -> max pool 3.
    func testHomeworkGivesTheHandValue() throws {
        let io = try SafeTensors.read(try readFixture("codegen/homework.io.safetensors"))
        let input = try XCTUnwrap(io.tensors["input"])
        let y = try Self.fixtureModel("homework", try readFixture("codegen/homework.weights.safetensors"))(Array(input.data.prefix(Homework.inputCount)))
        XCTAssertEqual(y, [3])
    }

    /// Nets above this many MACs are compared with the interpreter in optimized builds only
    /// (`make test` builds with -c release); a debug build would take many minutes on VGG-19.
    #if DEBUG
    static let interpreterBudget = 200_000_000
    #else
    static let interpreterBudget = Int.max
    #endif

    func testAgreesWithTheInterpreterOnEverySpec() throws {
        var compared = 0
        for m in generatedModels {
            let path = m.spec
            let plan = try XCTUnwrap(Pipeline.check(path: path, source: Repo.read(Repo.root.appendingPathComponent(path))).plan, path)
            XCTAssertEqual(m.parameterCount, plan.totals.params, path)
            if plan.totals.macs > Self.interpreterBudget { continue }
            let weights = RandomWeights.make(for: plan, seed: 11)
            let bytes = SafeTensors.encode(weights.sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) })
            let batch = plan.totals.macs > 1_000_000_000 ? 1 : 2
            let input = RandomWeights.input(for: plan, batch: batch, seed: 5)
            // Two threads: the interpreter checks the split kernels too.
            let y = try m.load(bytes, 2)(input)
            let reference = try ReferenceInterpreter(plan: plan, weights: weights).run(input, batch: batch)
            InterpreterTests.assertClose(y, reference, "generated \(path) vs the interpreter")
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 15)
    }

    /// Threads split every layer's output tiles, never a sum: 1, 2 and 3 threads give the
    /// same bits, and so do 8- and 16-float vectors (each output's sum runs in the same
    /// order). Image i of a batch of 3 (its fc layers at the end run together) equals the
    /// image run alone.
    func testThreadsAndBatchesGiveIdenticalOutputs() throws {
        for m in generatedModels {
            let plan = try XCTUnwrap(Pipeline.check(path: m.spec, source: Repo.read(Repo.root.appendingPathComponent(m.spec))).plan)
            if plan.totals.macs > 5_000_000_000 { continue }
            let input = RandomWeights.input(for: plan, batch: 3, seed: 9)
            let one = try m.random(4, 1, false)(input)
            XCTAssertEqual(try m.random(4, 1, true)(input), one, m.spec)
            XCTAssertEqual(try m.random(4, 2, false)(input), one, m.spec)
            XCTAssertEqual(try m.random(4, 3, true)(input), one, m.spec)
            let second = try m.random(4, 1, false)(Array(input[m.inputCount ..< 2 * m.inputCount]))
            XCTAssertEqual(second, Array(one[m.outputCount ..< 2 * m.outputCount]), m.spec)
        }
    }

    /// Each thread works through a part of its own, then takes the back half of the fullest
    /// other part, and a worker that has not joined a layer by the time all of it is claimed
    /// sits it out: the split differs from run to run. With more threads than cores (workers
    /// descheduled, late, taking from each other), repeated predicts still give the bits of
    /// 1 thread, on every kind of layer (ops_schedules: every schedule and fusion; at 2 and 3
    /// threads, ops_winograd's 14x126 conv runs its chunks a thread each, in the workers'
    /// scratch).
    func testWorkSharingKeepsTheBits() throws {
        for spec in ["ops_schedules", "ops_winograd", "tiny_resnet", "tiny_mobilenet", "cs231n_pattern"] {
            let m = try Self.model(spec)
            let plan = try XCTUnwrap(Pipeline.check(path: m.spec, source: Repo.read(Repo.root.appendingPathComponent(m.spec))).plan)
            let input = RandomWeights.input(for: plan, batch: 2, seed: 3)
            let one = try m.random(7, 1, false)(input)
            for (threads, wide) in [(2, false), (3, true), (6, false)] {
                let run = m.random(7, threads, wide)
                for i in 0 ..< 12 { XCTAssertEqual(try run(input), one, "\(spec), \(threads) threads, run \(i)") }
            }
        }
    }

    /// `pinsWorkers` (default true): on Linux with 2 or more CPUs allowed, a 2-thread model's
    /// worker is bound to a single CPU (some thread of this process then has one CPU allowed);
    /// pinned or not, and after switching, the output bits are those of 1 thread.
    func testPinnedWorkersKeepTheBits() throws {
        let m = TinyResnet(seed: 5)
        let input = TinyResnet.randomInput(batch: 2, seed: 9)
        let one = try m.predict(input)
        m.threads = 2
        XCTAssertTrue(m.pinsWorkers)
        XCTAssertEqual(try m.predict(input), one, "pinned")
        #if os(Linux)
        func allowed(_ status: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return 0 }
            return line.dropFirst("Cpus_allowed_list:".count).split(separator: ",").reduce(0) { n, part in
                let ends = part.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
                return n + (ends.count == 2 ? ends[1] - ends[0] + 1 : ends.count)
            }
        }
        if allowed(Repo.read(URL(fileURLWithPath: "/proc/self/status"))) >= 2 {
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
            let bound = tasks.filter { allowed(Repo.read(URL(fileURLWithPath: "/proc/self/task/\($0)/status"))) == 1 }
            XCTAssertFalse(bound.isEmpty, "no thread of \(tasks.count) is bound to one CPU")
        }
        #endif
        m.pinsWorkers = false
        XCTAssertEqual(try m.predict(input), one, "not pinned")
        m.pinsWorkers = true
        XCTAssertEqual(try m.predict(input), one, "pinned again")
    }

    /// The fc layers at the end of a net run for up to 8 images at once (`Tail`): in a batch
    /// of 11 (a group of 8, then one of 3) every image gets the bits it gets alone, at 1 and 2
    /// threads, with 16- and 8-float vectors. AlexNet's classifier reads 9,216 inputs (in
    /// parts); LeNet-5's and cs231n_pattern's last fc layers have outputs that are not a
    /// multiple of 32.
    func testTailGroupsGiveEveryImageItsOwnBits() throws {
        for spec in ["alexnet", "lenet5", "cs231n_pattern"] {
            let m = try Self.model(spec)
            let plan = try XCTUnwrap(Pipeline.check(path: m.spec, source: Repo.read(Repo.root.appendingPathComponent(m.spec))).plan)
            let input = RandomWeights.input(for: plan, batch: 11, seed: 21)
            for (threads, wide) in [(1, true), (2, false)] {
                let run = m.random(6, threads, wide)
                let all = try run(input)
                XCTAssertEqual(all.count, 11 * m.outputCount, spec)
                for i in [0, 3, 7, 8, 10] {
                    let alone = try run(Array(input[i * m.inputCount ..< (i + 1) * m.inputCount]))
                    XCTAssertEqual(Array(all[i * m.outputCount ..< (i + 1) * m.outputCount]), alone, "\(spec) image \(i), \(threads) thread(s)")
                }
            }
        }
    }

    /// Max pooling propagates NaN as PyTorch does, and infinities pass through untouched: the
    /// fast pool kernels (which take a NaN-dropping max and mask with -inf) hand the planes
    /// that hold them to the exact kernel. ops_pooling pools its input directly: a NaN, both
    /// infinities (one on the plane's edge) and, in the second image, a NaN on the tensor's
    /// last float. The outputs match the interpreter's value for value, NaN for NaN.
    func testPoolsPropagateNaNAndInfinities() throws {
        let m = try Self.model("ops_pooling")
        let plan = try InterpreterTests.specPlan("ops_pooling")
        var input = RandomWeights.input(for: plan, batch: 2, seed: 3)
        let plane = 16 * 16
        input[5 * 16 + 5] = .nan
        input[plane + 15] = .infinity
        input[2 * plane + 8 * 16 + 8] = -.infinity
        input[input.count - 1] = .nan
        // (Its 1x1 convs, which run after their average pools, carry them too.)
        let weights = RandomWeights.make(for: plan, seed: 1)
        let y = try m.load(SafeTensors.encode(weights.sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) }), 2)(input)
        let reference = try ReferenceInterpreter(plan: plan, weights: weights).run(input, batch: 2)
        XCTAssertEqual(y.count, reference.count)
        XCTAssertTrue(reference.contains { $0.isNaN } && reference.contains { $0.isInfinite })
        for (i, (a, b)) in zip(y, reference).enumerated() {
            if b.isNaN || b.isInfinite {
                XCTAssertTrue(a.isNaN == b.isNaN && (b.isNaN || a == b), "output \(i): \(a), the interpreter's \(b)")
            } else {
                XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b)), "output \(i)")
            }
        }
    }

    /// The self-test's reference is the single-threaded, unoptimised one the generated file
    /// carries: it runs on the nets up to ResNet-18's size (the interpreter test above covers
    /// the larger ones end to end).
    func testSelfTestPassesOnEveryModelUpToResNet18() throws {
        var tested = 0
        for m in generatedModels {
            let plan = try XCTUnwrap(Pipeline.check(path: m.spec, source: Repo.read(Repo.root.appendingPathComponent(m.spec))).plan)
            if plan.totals.macs > min(Self.interpreterBudget, 2_000_000_000) { continue }
            tested += 1
            let checks = m.selfTest(3)
            XCTAssertEqual(checks.count, plan.layers.count, m.spec)
            for c in checks where !c.passed {
                XCTFail("\(m.spec): \(c.name) (\(c.op)) differs from the reference by \(c.maxAbsoluteError) (relative \(c.relativeError))")
            }
        }
        XCTAssertGreaterThanOrEqual(tested, 5)
    }

    // MARK: Bad weights and inputs

    static func weightsOf(_ spec: String) throws -> [(name: String, tensor: Tensor)] {
        let plan = try InterpreterTests.specPlan(spec)
        return RandomWeights.make(for: plan, seed: 1).sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) }
    }

    func assertLoadFails(_ spec: String, _ bytes: [UInt8], mentioning words: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let m = try Self.model(spec)
        XCTAssertThrowsError(try m.load(bytes, 1), file: file, line: line) { error in
            let text = "\(error)"
            for w in words { XCTAssertTrue(text.contains(w), "'\(text)' does not mention '\(w)'", file: file, line: line) }
        }
    }

    func testWrongWeightsAreErrorsNamingTheTensor() throws {
        var tensors = try Self.weightsOf("tiny_resnet")
        XCTAssertNoThrow(try Self.model("tiny_resnet").load(SafeTensors.encode(tensors), 1))
        // F16 and BF16 files load too.
        XCTAssertNoThrow(try Self.model("tiny_resnet").load(SafeTensors.encode(tensors, dtype: .f16), 1))
        XCTAssertNoThrow(try Self.model("tiny_resnet").load(SafeTensors.encode(tensors, dtype: .bf16), 1))

        let missing = tensors.removeFirst()
        try assertLoadFails("tiny_resnet", SafeTensors.encode(tensors), mentioning: ["missing", missing.name])
        tensors.insert(missing, at: 0)

        try assertLoadFails("tiny_resnet", SafeTensors.encode(tensors + [(name: "head.extra", tensor: Tensor(shape: [2], data: [1, 2]))]),
                            mentioning: ["unexpected", "head.extra"])

        var reshaped = tensors
        let k = try XCTUnwrap(tensors.firstIndex { $0.tensor.shape.count > 1 })
        reshaped[k].tensor = Tensor(shape: [reshaped[k].tensor.data.count], data: reshaped[k].tensor.data)
        try assertLoadFails("tiny_resnet", SafeTensors.encode(reshaped), mentioning: ["shape", tensors[k].name])

        let good = SafeTensors.encode(tensors)
        for cut in [0, 7, 8, 20, good.count / 2, good.count - 1] {
            try assertLoadFails("tiny_resnet", Array(good.prefix(cut)), mentioning: ["weights"])
        }
        var garbage = good
        for i in 8 ..< 40 { garbage[i] = UInt8(ascii: "#") }
        try assertLoadFails("tiny_resnet", garbage, mentioning: ["header"])
    }

    /// A weight stored as integers is a wrong dtype; `num_batches_tracked` (I64) is ignored.
    func testIntegerEntries() throws {
        let tensors = try Self.weightsOf("tiny_resnet")
        let json = SafeTensors.encode(tensors)
        // Re-encode one tensor's entry as I32 (same byte size as F32) by editing the header.
        let name = tensors[0].name
        var header = String(decoding: json[8 ..< 8 + Int(json[0]) + Int(json[1]) << 8 + Int(json[2]) << 16], as: UTF8.self)
        let range = try XCTUnwrap(header.range(of: "\"\(name)\":{\"dtype\":\"F32\""))
        header.replaceSubrange(range, with: "\"\(name)\":{\"dtype\":\"I32\"")
        let edited = Array(json[0 ..< 8]) + Array(header.utf8) + Array(json[(8 + header.utf8.count)...])
        try assertLoadFails("tiny_resnet", edited, mentioning: [name, "I32"])

        let bn = try XCTUnwrap(tensors.first { $0.name.hasSuffix("running_mean") }).name
        let counter = String(bn.dropLast("running_mean".count)) + "num_batches_tracked"
        var withCounter = SafeTensors.encode(tensors + [(name: counter, tensor: Tensor(shape: [], data: [0]))])
        let headerLength = Int(withCounter[0]) + Int(withCounter[1]) << 8 + Int(withCounter[2]) << 16
        var text = String(decoding: withCounter[8 ..< 8 + headerLength], as: UTF8.self)
        let r = try XCTUnwrap(text.range(of: "\"\(counter)\":{\"dtype\":\"F32\""))
        text.replaceSubrange(r, with: "\"\(counter)\":{\"dtype\":\"I32\"")
        withCounter = Array(withCounter[0 ..< 8]) + Array(text.utf8) + Array(withCounter[(8 + headerLength)...])
        XCTAssertNoThrow(try Self.model("tiny_resnet").load(withCounter, 1))
    }

    /// Random corruptions of a weights file: each loads or throws, never traps or hangs.
    func testCorruptedWeightFilesNeverTrap() throws {
        let good = SafeTensors.encode(try Self.weightsOf("tiny_resnet"))
        let m = try Self.model("tiny_resnet")
        let headerEnd = 8 + Int(good[0]) + Int(good[1]) << 8
        var state: UInt64 = 99
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var failed = 0
        for round in 0 ..< 3000 {
            var bytes = good
            for _ in 0 ... next(4) {
                // Mostly the header (where the structure is), sometimes the length or the data.
                let i = round % 10 == 0 ? next(8) : round % 10 == 1 ? next(bytes.count) : next(headerEnd)
                bytes[i] = [UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "]"), UInt8(ascii: "9"), UInt8(ascii: "-"), 0, 0xff, UInt8(next(256))][next(8)]
            }
            if round % 7 == 0 { bytes = Array(bytes.prefix(next(bytes.count))) }
            do { _ = try m.load(bytes, 1) } catch { failed += 1 }
        }
        XCTAssertGreaterThan(failed, 1000)
    }

    func testWrongInputLengthIsAnError() throws {
        let predict = try Self.model("lenet5").random(0, 1, false)
        XCTAssertThrowsError(try predict([]))
        XCTAssertThrowsError(try predict([Float](repeating: 0, count: Lenet5.inputCount + 1)))
        XCTAssertEqual(try predict([Float](repeating: 0, count: 3 * Lenet5.inputCount)).count, 3 * Lenet5.outputCount)
    }
}
