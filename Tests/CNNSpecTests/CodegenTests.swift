// The code generator's decisions and its commands: the arena plan never lets a write clobber
// a tensor that is still to be read, names and flags are what the docs say, and gen/build
// write and compile the right files (driven with in-memory files and a fake compiler).
import CNNSpec
import XCTest

final class CodegenTests: XCTestCase {
    static func plans() -> [(String, Plan)] {
        Repo.specFiles().compactMap { url in
            let path = "specs/" + url.lastPathComponent
            return Pipeline.check(path: path, source: Repo.read(url)).plan.map { (path, $0) }
        }
    }

    /// For every step that writes: its output (and scratch) overlaps no tensor that is read
    /// later, and overlaps a tensor read at this step only exactly (in place).
    func testArenaPlanNeverClobbersALiveTensor() {
        for (path, plan) in Self.plans() {
            let program = Lowering.lower(plan, typeName: "T")
            let n = plan.layers.count
            var lastRead = [Int](repeating: -1, count: n)
            for (i, l) in plan.layers.enumerated() { for case .layer(let j) in l.inputs { lastRead[j] = max(lastRead[j], i) } }
            if case .layer(let o) = plan.outputRef { lastRead[o] = n }
            func region(_ s: Step) -> Range<Int>? {
                if case .arena(let o) = s.output { return o ..< o + s.count }
                return nil
            }
            for s in program.steps {
                if case .alias = s.kernel { continue }
                if case .folded = s.kernel { continue }
                guard let written = region(s) else { XCTFail("\(path): \(plan.layers[s.layer].name) writes the input"); continue }
                var writes = [written]
                if case .conv(let k) = s.kernel, let scratch = k.scratch {
                    writes.append(scratch ..< scratch + k.scratchCount)
                }
                if case .concat(let channels, let size, let inPlace) = s.kernel {
                    // The inputs written in place lie where the concat puts them; it writes the others.
                    writes = []
                    var at = written.lowerBound
                    for (k, (c, placed)) in zip(channels, inPlace).enumerated() {
                        if placed {
                            XCTAssertEqual(s.inputs[k], .arena(at), "\(path): \(plan.layers[s.layer].name) input \(k)")
                        } else {
                            writes.append(at ..< at + c * size)
                        }
                        at += c * size
                    }
                }
                XCTAssertLessThanOrEqual(writes.map(\.upperBound).max() ?? 0, program.arenaCount, path)
                for t in 0 ..< s.layer where lastRead[t] >= s.layer {
                    guard let held = region(program.steps[t]) else { continue }
                    for w in writes where w.overlaps(held) {
                        let readHere = plan.layers[s.layer].inputs.contains(.layer(t))
                        let inPlace = readHere && lastRead[t] == s.layer && w == written && w.lowerBound == held.lowerBound
                        // A tensor aliased by a later tensor shares its memory: only a problem when read later.
                        let aliasedLater = lastRead[t] > s.layer
                        XCTAssertTrue(inPlace && !aliasedLater,
                                      "\(path): \(plan.layers[s.layer].name) overwrites \(plan.layers[t].name), still read by layer \(lastRead[t])")
                    }
                }
            }
        }
    }

    /// DenseNet's chains of concats and Inception's branches copy nothing: each input is
    /// written by its own layer inside the concat's memory.
    func testConcatInputsAreWrittenInPlace() throws {
        for spec in ["specs/densenet121.cnn", "specs/tiny_densenet.cnn", "specs/googlenet.cnn", "specs/tiny_inception.cnn"] {
            let plan = try XCTUnwrap(Self.plans().first { $0.0 == spec }?.1, spec)
            var concats = 0
            for s in Lowering.lower(plan, typeName: "T").steps {
                guard case .concat(_, _, let inPlace) = s.kernel else { continue }
                concats += 1
                XCTAssertEqual(inPlace, inPlace.map { _ in true }, "\(spec): \(plan.layers[s.layer].name)")
            }
            XCTAssertGreaterThan(concats, 1, spec)
        }
    }

    /// A 7x7/2 stem by 32-channel tiles hands the max pool that alone reads it whole pixels
    /// (pixel-major with 16-float vectors: the conv, its folded batch norm and fused ReLU); a
    /// conv whose output another layer reads too keeps planes.
    func testStemHandsItsPoolPixelMajorOutput() throws {
        func lowered(_ source: String) throws -> Program {
            let plan = try XCTUnwrap(Pipeline.check(path: "t.cnn", source: source).plan, source)
            return Lowering.lower(plan, typeName: "T")
        }
        let stem = "conv(7x7, 64, stride: 2, pad: 3, bias: no, round: floor) - batchnorm - relu"
        let alone = try lowered("input 64x64x3\n\(stem) - maxpool(3x3, stride: 2, pad: 1, round: floor)")
        XCTAssertEqual(alone.pixelMajorLayers, [0, 1, 2])
        guard case .conv(let conv) = alone.steps[0].kernel, case .maxPool(let pool) = alone.steps[3].kernel else {
            return XCTFail("not a conv and a max pool")
        }
        XCTAssertTrue(conv.channelsLastOutput && pool.channelsLastInput)
        let shared = try lowered("input 64x64x3\n\(stem) - concat(maxpool(3x3, stride: 2, pad: 1, round: floor) | conv(1x1, 8, stride: 2, round: floor))")
        XCTAssertEqual(shared.pixelMajorLayers, [])
        let resnet = try XCTUnwrap(Self.plans().first { $0.0 == "specs/resnet18.cnn" }?.1)
        XCTAssertEqual(Lowering.lower(resnet, typeName: "T").pixelMajorLayers.map { resnet.layers[$0].name }, ["conv1", "bn1", "relu"])
    }

    /// Winograd chunks: ResNet's 56x56 64-channel layers take 4 rows of 28 tiles (7 chunks that
    /// stay in cache, against 2 of 14 rows that do not), a 14x14 plane of 256 channels is one
    /// chunk (two would compute 64 tiles twice), VGG's 28x28 512-channel layers are capped at
    /// 128 KB of transformed input per element (4 rows), and a plane too small for 32 tiles a
    /// chunk is one chunk. The 16 elements lie an odd number of 64-byte lines apart.
    func testWinogradChunksFitTheCacheAndSkewTheirElements() throws {
        XCTAssertEqual(Lowering.winogradChunkRows(across: 28, down: 28, inChannels: 64, outChannels: 64), 4)
        XCTAssertEqual(Lowering.winogradChunkRows(across: 7, down: 7, inChannels: 256, outChannels: 256), 7)
        XCTAssertEqual(Lowering.winogradChunkRows(across: 14, down: 14, inChannels: 512, outChannels: 512), 4)
        XCTAssertEqual(Lowering.winogradChunkRows(across: 5, down: 5, inChannels: 1700, outChannels: 64), 5)
        // Over the 128 KB cap at the least rows for 32 tiles: the least it is.
        XCTAssertEqual(Lowering.winogradChunkRows(across: 5, down: 9, inChannels: 1700, outChannels: 64), 7)
        for count in [1, 16, 1024, 7680, 25_600, 100_352] {
            let s = Lowering.skewed(count)
            XCTAssertGreaterThanOrEqual(s, count)
            XCTAssertLessThan(s, count + 32)
            XCTAssertEqual(s % 16, 0)
            XCTAssertEqual(s / 16 % 2, 1, "\(count)")
        }
        let resnet = try XCTUnwrap(Self.plans().first { $0.0 == "specs/resnet18.cnn" }?.1)
        var winograd = 0
        for s in Lowering.lower(resnet, typeName: "T").steps {
            guard case .conv(let k) = s.kernel, case .winograd(let tile, let rows, _, _, _, _, let v, let m) = k.schedule else { continue }
            winograd += 1
            XCTAssertEqual(tile, 4, resnet.layers[s.layer].name)
            let across = (k.outWidth + 3) / 4
            XCTAssertEqual(v, Lowering.skewed(k.inChannels * (rows * across + 8)))
            XCTAssertEqual(m, Lowering.skewed(k.outChannels * rows * across))
            // The 56x56 64-channel layers' chunk is the whole plane of 14 rows of 14 tiles.
            if k.outWidth == 56 { XCTAssertEqual(rows, 14, resnet.layers[s.layer].name) }
        }
        XCTAssertEqual(winograd, 10)
    }

    /// An average pool that alone reads a stride-1 1x1 conv runs first, on the conv's input,
    /// and the conv computes the pool's output pixels, unless padding counts in the pool's
    /// divisor (the bias would not commute). ops_pooling's fixture checks the values.
    func testAveragePoolsRunBeforeThe1x1ConvsTheyAloneRead() throws {
        func pooledConvs(_ spec: String) throws -> [String] {
            let plan = try XCTUnwrap(Self.plans().first { $0.0 == spec }?.1)
            let program = Lowering.lower(plan, typeName: "T")
            var names: [String] = []
            for s in program.steps {
                guard case .conv(let k) = s.kernel, case .averagePool(let a) = k.preparation else { continue }
                names.append(plan.layers[s.layer].name)
                let pool = try XCTUnwrap(plan.layers.firstIndex { $0.inputs == [.layer(s.layer)] })
                let out = plan.layers[pool].output
                XCTAssertEqual(program.steps[pool].kernel, .folded)
                XCTAssertEqual(program.steps[pool].output, s.output)
                XCTAssertEqual([k.outHeight, k.outWidth, a.outHeight, a.outWidth, a.inHeight, a.inWidth, a.channels],
                               [out.h, out.w, out.h, out.w, plan.layers[s.layer].inputShapes[0].h, plan.layers[s.layer].inputShapes[0].w, k.inChannels])
                XCTAssertEqual(s.count, out.c * out.h * out.w)
                XCTAssertEqual(k.scratchCount, k.inChannels * out.h * out.w)
            }
            return names
        }
        XCTAssertEqual(try pooledConvs("specs/ops_pooling.cnn"), ["pooled1", "pooled2"])
        XCTAssertEqual(try pooledConvs("specs/densenet121.cnn"), ["features.transition1.conv", "features.transition2.conv", "features.transition3.conv"])
    }

    func testArenaIsSmallerThanAllActivations() throws {
        let vgg = try XCTUnwrap(Self.plans().first { $0.0 == "specs/vgg16.cnn" }?.1)
        let program = Lowering.lower(vgg, typeName: "Vgg16")
        // Buffers are reused: the arena is far below the sum of all layer outputs. Its peak is
        // features.2: its input, the zero-padded copy the tiled kernel reads, and its output.
        XCTAssertLessThan(program.arenaCount * bytesPerElement, vgg.totals.activationBytes / 2)
        XCTAssertGreaterThanOrEqual(program.arenaCount, 2 * 64 * 224 * 224 + 64 * 226 * 226)
    }

    func testTypeNames() {
        XCTAssertEqual(Generator.typeName(forSpecAt: "specs/vgg16_bn.cnn"), "Vgg16Bn")
        XCTAssertEqual(Generator.typeName(forSpecAt: "lenet5.cnn"), "Lenet5")
        XCTAssertEqual(Generator.typeName(forSpecAt: "dir/3net.cnn"), "Net3net")
        XCTAssertEqual(Generator.typeName(forSpecAt: "my-net.v2.cnn"), "MyNetV2")
        XCTAssertTrue(Generator.isValidTypeName("ResNet_18"))
        for bad in ["", "3x", "a-b", "Float", "class", "é", "Kernels", "ModelError", String(repeating: "a", count: 200)] {
            XCTAssertFalse(Generator.isValidTypeName(bad), bad)
        }
    }

    func testCommandParsing() throws {
        XCTAssertEqual(try Command.parse(["gen", "a.cnn", "-o", "out"]),
                       .gen(paths: ["a.cnn"], defines: [], directory: "out", typeName: nil, index: false))
        XCTAssertEqual(try Command.parse(["gen", "a.cnn", "b.cnn", "-o", "out", "--index"]),
                       .gen(paths: ["a.cnn", "b.cnn"], defines: [], directory: "out", typeName: nil, index: true))
        XCTAssertEqual(try Command.parse(["gen", "a.cnn", "-o", "out", "--shared-runtime"]),
                       .gen(paths: ["a.cnn"], defines: [], directory: "out", typeName: nil, index: false, sharedRuntime: true))
        guard case .build(let o) = try Command.parse(["build", "a.cnn", "-o", "exe", "--name", "Net", "-Xswiftc", "-g", "-DN=2"]) else {
            return XCTFail("not a build")
        }
        XCTAssertEqual(o.output, "exe")
        XCTAssertEqual(o.typeName, "Net")
        XCTAssertEqual(o.extraFlags, ["-g"])
        XCTAssertEqual(o.swiftc, "swiftc")
        XCTAssertEqual(o.defines.map(\.name), ["N"])
        for bad in [["gen", "a.cnn"], ["gen", "-o", "x"], ["gen", "a.cnn", "b.cnn", "-o", "x", "--name", "T"],
                    ["gen", "a.cnn", "-o", "x", "--name", "9lives"], ["build", "a.cnn", "b.cnn", "-o", "x"],
                    ["build", "a.cnn", "-o", "a.cnn"], ["gen", "a.cnn", "-o", "x", "--swiftc", "s"], ["build", "a.cnn", "-o"]] {
            XCTAssertThrowsError(try Command.parse(bad), bad.joined(separator: " "))
        }
        XCTAssertEqual(try Command.parse(["gen", "--help"]), .help(topic: "gen"))
        XCTAssertEqual(try Command.parse(["build", "-h"]), .help(topic: "build"))
    }

    static let lenet = Repo.read(Repo.specs.appendingPathComponent("lenet5.cnn"))

    func testGenWritesTheFileAndTheIndex() {
        let run = drive(["gen", "lenet5.cnn", "net.cnn", "-o", "out", "--index"], files: ["lenet5.cnn": Self.lenet, "net.cnn": Self.lenet])
        XCTAssertEqual(run.code, .ok, run.err)
        XCTAssertEqual(Set(run.written.keys), ["out/Lenet5.swift", "out/Net.swift", "out/GeneratedModels.swift"])
        XCTAssertTrue(run.written["out/Lenet5.swift"]?.contains("public final class Lenet5") == true)
        XCTAssertTrue(run.written["out/GeneratedModels.swift"]?.contains("spec: \"net.cnn\", typeName: \"Net\"") == true)
        // Two specs that would make the same type are refused.
        let clash = drive(["gen", "a/lenet5.cnn", "b/lenet5.cnn", "-o", "out"], files: ["a/lenet5.cnn": Self.lenet, "b/lenet5.cnn": Self.lenet])
        XCTAssertEqual(clash.code, .usage)
        XCTAssertTrue(clash.err.contains("both generate the type Lenet5"), clash.err)
        // So is a type whose file is the index's (or the shared runtime's), whatever the case.
        for (spec, flag) in [("generated_models.cnn", "--index"), ("cnnspec_runtime.cnn", "--shared-runtime")] {
            let taken = drive(["gen", spec, "-o", "out", flag], files: [spec: Self.lenet])
            XCTAssertEqual(taken.code, .usage, spec)
            XCTAssertTrue(taken.err.contains("two generated files would be named"), taken.err)
            XCTAssertTrue(taken.written.isEmpty, spec)
        }
        // An invalid spec generates nothing.
        let bad = drive(["gen", "bad.cnn", "-o", "out"], files: ["bad.cnn": "input 7x7x1\nconv(3x3, 1, stride: 3)\n"])
        XCTAssertEqual(bad.code, .invalidSpec)
        XCTAssertTrue(bad.written.isEmpty)
    }

    /// `gen --shared-runtime`: one CNNSpecRuntime.swift, and model files that name it; together
    /// they declare exactly the lines of the standalone files, none lost or duplicated.
    func testSharedRuntimeSplitsTheStandaloneFiles() throws {
        let files = ["lenet5.cnn": Self.lenet, "net.cnn": Self.lenet]
        let run = drive(["gen", "lenet5.cnn", "net.cnn", "-o", "out", "--shared-runtime"], files: files)
        XCTAssertEqual(run.code, .ok, run.err)
        XCTAssertEqual(Set(run.written.keys), ["out/Lenet5.swift", "out/Net.swift", "out/CNNSpecRuntime.swift"])
        let standalone = drive(["gen", "lenet5.cnn", "-o", "out"], files: files).written["out/Lenet5.swift"] ?? ""
        let shared = try XCTUnwrap(run.written["out/Lenet5.swift"]), runtime = try XCTUnwrap(run.written["out/CNNSpecRuntime.swift"])
        XCTAssertTrue(shared.contains("typealias Kernels = CNNSpecRuntime.Kernels"))
        XCTAssertFalse(shared.contains("enum Kernels"))
        XCTAssertTrue(runtime.contains("enum CNNSpecRuntime {") && runtime.contains("    enum Kernels {") && runtime.contains("    enum Reference {"))
        // Every declaration of the standalone file is in exactly one of the two.
        func declarations(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { line in ["func ", "static func ", "struct ", "enum ", "final class ", "public func ", "public static func "].contains { line.hasPrefix($0) } }
        }
        XCTAssertGreaterThan(declarations(standalone).count, 100)
        XCTAssertEqual(declarations(standalone).sorted(), (declarations(shared) + declarations(runtime)).filter { $0 != "enum CNNSpecRuntime {" }.sorted())
    }

    func testBuildCompilesWithTheDocumentedFlags() throws {
        var argv: [String] = []
        var written: [String: String] = [:]
        var removed: [String] = []
        var status: Int32 = 0
        func driver() -> Driver {
            Driver(readFile: { _ in Self.lenet }, writeFile: { written[$0] = $1 }, stdout: { _ in }, stderr: { _ in },
                   makeDirectory: { _ in }, temporaryDirectory: { "/tmp/x" }, remove: { removed.append($0) },
                   runProgram: { argv = $0; return status })
        }
        XCTAssertEqual(driver().run(["build", "lenet5.cnn", "-o", "bin/lenet5", "-Xswiftc", "-g"]), .ok)
        XCTAssertEqual(argv.first, "swiftc")
        XCTAssertEqual(Array(argv[1 ..< 1 + Generator.swiftcFlags.count]), Generator.swiftcFlags)
        // LLVM's half of the compile on up to 4 threads, one per file.
        let threads = try XCTUnwrap(argv.firstIndex(of: "-num-threads").flatMap { Int(argv[$0 + 1]) })
        XCTAssertTrue((1 ... 4).contains(threads), "\(threads)")
        XCTAssertTrue(argv.contains("-g"))
        XCTAssertEqual(Array(argv.suffix(2)), ["-o", "bin/lenet5"])
        let files = ["/tmp/x/Lenet5.swift", "/tmp/x/CNNSpecRuntime.swift", "/tmp/x/CNNSpecRuntime+Kernels.swift", "/tmp/x/main.swift"]
        XCTAssertEqual(Set(written.keys), Set(files))
        XCTAssertEqual(Array(argv.dropLast(2).suffix(4)), files)
        XCTAssertTrue(written["/tmp/x/main.swift"]?.contains("usage: lenet5 [--weights") == true)
        XCTAssertEqual(Set(removed), Set(files + ["/tmp/x"]))
        // The model names the shared runtime; its kernels are in the third file only, and the
        // three declare what `gen --shared-runtime`'s runtime file does, none lost or duplicated.
        let model = try XCTUnwrap(written["/tmp/x/Lenet5.swift"]), runtime = try XCTUnwrap(written["/tmp/x/CNNSpecRuntime.swift"])
        let kernels = try XCTUnwrap(written["/tmp/x/CNNSpecRuntime+Kernels.swift"])
        XCTAssertTrue(model.contains("typealias Kernels = CNNSpecRuntime.Kernels"))
        XCTAssertFalse(runtime.contains("enum Kernels"))
        XCTAssertTrue(kernels.contains("extension CNNSpecRuntime {") && kernels.contains("    enum Kernels {"))
        func declarations(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { line in ["func ", "static func ", "struct ", "enum ", "final class "].contains { line.hasPrefix($0) } }
        }
        XCTAssertGreaterThan(declarations(kernels).count, 50)
        XCTAssertEqual((declarations(runtime) + declarations(kernels)).sorted(), declarations(Generator.sharedRuntimeFile().text).sorted())
        // A type name whose file is one the program needs: an error, nothing written or run.
        for name in ["main", "Main", "cnnspecruntime", "CNNSpecRuntime_"] {
            XCTAssertTrue(Generator.isValidTypeName(name), name)
            written = [:]; argv = []
            let free = name.hasSuffix("_")
            XCTAssertEqual(driver().run(["build", "lenet5.cnn", "-o", "e", "--name", name]), free ? .ok : .usage, name)
            XCTAssertEqual(argv.isEmpty, !free, name)
            XCTAssertEqual(written.isEmpty, !free, name)
        }
        status = 1
        XCTAssertEqual(driver().run(["build", "lenet5.cnn", "-o", "e"]), .software)
    }
}
