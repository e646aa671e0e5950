// `cnnspec build` for real: swiftc compiles the homework net and its command-line program,
// which then reads the PyTorch fixture, writes safetensors, runs its self-test and benchmark,
// and refuses bad arguments and bad files with the documented exit codes.
import CNNSpec
import Foundation
import XCTest

final class BuildTests: XCTestCase {
    static let work = FileManager.default.temporaryDirectory.appendingPathComponent("cnnspec-build-tests-\(getpid())")
    static let exe = work.appendingPathComponent("homework").path

    /// swiftc from the PATH (the toolchain that runs these tests has one).
    static func swiftc() -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") + ["/opt/swift/usr/bin", "/usr/bin"]
        return paths.map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @discardableResult
    static func run(_ argv: [String]) -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { return (127, "", "\(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Builds the homework program once for all tests of this class.
    static let built: Result<Void, Error> = {
        struct Failure: Error, CustomStringConvertible { var description: String }
        guard let compiler = swiftc() else { return .failure(Failure(description: "no swiftc on the PATH")) }
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var err = ""
        let driver = Driver(
            readFile: { try String(contentsOf: Repo.root.appendingPathComponent($0), encoding: .utf8) },
            writeFile: { try $1.write(toFile: $0, atomically: true, encoding: .utf8) },
            stdout: { _ in }, stderr: { err += $0 },
            makeDirectory: { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: true) },
            temporaryDirectory: {
                let d = work.appendingPathComponent("src")
                try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
                return d.path
            },
            remove: { try? FileManager.default.removeItem(atPath: $0) },
            runProgram: { run($0).status })
        let code = driver.run(["build", "specs/homework.cnn", "-o", exe, "--swiftc", compiler])
        return code == .ok ? .success(()) : .failure(Failure(description: "build failed (\(code)): \(err)"))
    }()

    override func setUpWithError() throws { try Self.built.get() }

    static func fixture(_ name: String) -> String { Repo.fixtures.appendingPathComponent("codegen/" + name).path }

    /// The numbers of docs/LECTURE-EXAMPLES.md: the lecture's image gives 3.
    func testHomeworkRunMatchesTheDocs() throws {
        let r = Self.run([Self.exe, "--weights", Self.fixture("homework.weights.safetensors"), "--input", Self.fixture("homework.io.safetensors")])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out.split(separator: "\n").first, "3.0")
        let doc = Repo.read(Repo.root.appendingPathComponent("docs/LECTURE-EXAMPLES.md"))
        let marker = try XCTUnwrap(doc.range(of: "<!-- homework-run -->"), "the doc's homework run")
        let block = try XCTUnwrap(doc[marker.upperBound...].range(of: "```text\n"))
        let end = try XCTUnwrap(doc[block.upperBound...].range(of: "```"))
        XCTAssertEqual(String(doc[block.upperBound ..< end.lowerBound]), r.out, "docs/LECTURE-EXAMPLES.md shows another output")
    }

    func testOutputFileMatchesPyTorch() throws {
        let out = Self.work.appendingPathComponent("y.safetensors").path
        let r = Self.run([Self.exe, "--weights", Self.fixture("homework.weights.safetensors"), "--input", Self.fixture("homework.io.safetensors"), "--output", out])
        XCTAssertEqual(r.status, 0, r.err)
        let y = try XCTUnwrap(try SafeTensors.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))).tensors["output"])
        let ref = try XCTUnwrap(try SafeTensors.read(try readFixture("codegen/homework.io.safetensors")).tensors["output"])
        XCTAssertEqual(y.shape, ref.shape)
        InterpreterTests.assertClose(y.data, ref.data, "homework program")
    }

    func testSelfTestAndBench() {
        let t = Self.run([Self.exe, "--self-test", "--seed", "4"])
        XCTAssertEqual(t.status, 0, t.out + t.err)
        XCTAssertTrue(t.out.contains("self-test passed: 3 layers"), t.out)
        let b = Self.run([Self.exe, "--bench", "--iterations", "3", "--warm-up", "20"])
        XCTAssertEqual(b.status, 0, b.err)
        XCTAssertTrue(b.out.contains("median") && b.out.contains("min"), b.out)
        // --layers: a header, then one row per layer (the homework has 3) with its name and op.
        let l = Self.run([Self.exe, "--bench", "--iterations", "3", "--threads", "2", "--layers"])
        XCTAssertEqual(l.status, 0, l.err)
        let lines = l.out.split(separator: "\n")
        XCTAssertTrue(lines.first?.contains("2 threads") ?? false, l.out)
        XCTAssertTrue(lines.dropFirst().first?.hasPrefix("layer") ?? false, l.out)
        XCTAssertEqual(lines.count, 5, l.out)
        XCTAssertTrue(lines[2].contains("conv") && lines[4].contains("maxpool"), l.out)
        XCTAssertEqual(Self.run([Self.exe, "--help"]).status, 0)
    }

    func testBadArgumentsAndFiles() {
        for args in [[], ["--bench", "--self-test"], ["--iterations", "0", "--bench"], ["--seed", "x", "--bench"], ["--frobnicate"],
                     ["--output", "y.safetensors", "--bench"], ["--weights"], ["--layers", "--self-test"], ["--threads", "0", "--bench"],
                     ["--warm-up", "-1", "--bench"], ["--warm-up", "x", "--bench"], ["--warm-up", "5", "--self-test"]] {
            XCTAssertEqual(Self.run([Self.exe] + args).status, 64, args.joined(separator: " "))
        }
        let missing = Self.run([Self.exe, "--weights", "/nonexistent.safetensors", "--bench"])
        XCTAssertEqual(missing.status, 65)
        XCTAssertTrue(missing.err.contains("cannot read"), missing.err)
        // LeNet-5's weights are not the homework's: named in the error.
        let wrong = Self.run([Self.exe, "--weights", Self.fixture("lenet5.weights.safetensors"), "--bench"])
        XCTAssertEqual(wrong.status, 65)
        XCTAssertTrue(wrong.err.contains("conv1.") && wrong.err.contains("shape"), wrong.err)
        // An input of the wrong shape (LeNet-5's 32x32 images).
        let shape = Self.run([Self.exe, "--input", Self.fixture("lenet5.io.safetensors")])
        XCTAssertEqual(shape.status, 65)
        XCTAssertTrue(shape.err.contains("expected [N, 1, 5, 5]"), shape.err)
    }
}
