// One error fixture per diagnostic (Fixtures/errors/<id>.cnn). Each file's first line says
// which error it must produce and where: `# expect: <id> at <line>:<col>`; optional
// `# message: <text>` and `# help: <text>` lines give text the diagnostic must contain.
import CNNSpec
import Foundation
import XCTest

final class DiagnosticTests: XCTestCase {
    func testEveryErrorFixture() throws {
        let dir = Repo.fixtures.appendingPathComponent("errors")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".cnn") }.sorted()
        XCTAssertGreaterThan(files.count, 40)
        for name in files {
            let source = Repo.read(dir.appendingPathComponent(name))
            let header = source.split(separator: "\n").prefix(3).map(String.init)
            guard let expect = header.first, expect.hasPrefix("# expect: ") else { XCTFail("\(name): no '# expect:' line"); continue }
            let parts = expect.dropFirst("# expect: ".count).split(separator: " ")
            let id = String(parts[0])
            let loc = parts[2].split(separator: ":").compactMap { Int($0) }
            let result = check(source, path: name)
            XCTAssertNil(result.plan, name)
            guard let first = result.diagnostics.first(where: { $0.severity == .error }) else { XCTFail("\(name): no error"); continue }
            XCTAssertEqual(first.id, id, "\(name): \(first.message)")
            XCTAssertEqual(first.range?.start, SourceLocation(line: loc[0], column: loc[1]), "\(name): \(first.message)")
            for line in header.dropFirst() {
                if line.hasPrefix("# message: ") {
                    XCTAssertTrue(first.message.contains(line.dropFirst("# message: ".count)), "\(name): \(first.message)")
                }
                if line.hasPrefix("# help: ") {
                    XCTAssertTrue(first.help.contains(String(line.dropFirst("# help: ".count))), "\(name): \(first.help)")
                }
            }
            // The file name is the diagnostic's id: one fixture per diagnostic.
            XCTAssertEqual(name, id + ".cnn")
        }
    }

    /// Every error id the sources can produce has its fixture.
    func testEveryErrorIDHasAFixture() throws {
        let dir = Repo.root.appendingPathComponent("Sources/CNNSpec/Diagnostics")
        var ids: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".swift") {
            for part in Repo.read(dir.appendingPathComponent(name)).components(separatedBy: "error(\"").dropFirst() {
                ids.insert(String(part.prefix { $0 != "\"" }))
            }
        }
        XCTAssertGreaterThan(ids.count, 50)
        let fixtures = Repo.fixtures.appendingPathComponent("errors")
        for id in ids.sorted() {
            XCTAssertTrue(FileManager.default.fileExists(atPath: fixtures.appendingPathComponent(id + ".cnn").path), "no fixture for \(id)")
        }
    }

    func testRenderedDiagnosticHasLocationSourceLineAndCaret() {
        let source = "input 7x7x1\nnet = conv(3x3, 8, stride: 3) - relu\nnet\n"
        let r = check(source, path: "specs/bad.cnn")
        let text = DiagnosticRenderer(path: "specs/bad.cnn", source: source).render(r.diagnostics)
        XCTAssertTrue(text.hasPrefix("specs/bad.cnn:2:7: error: conv 'conv1': output height does not divide: (7 - 3 + 2*0)/3 + 1 = 2.33\n"), text)
        XCTAssertTrue(text.contains(" 2 | net = conv(3x3, 8, stride: 3) - relu\n   |       ^~~~~~~~~~~~~~~~~~~~~~~\n"), text)
        XCTAssertTrue(text.contains("note: the input to this layer is 7x7x1 (from 'input')"), text)
        XCTAssertTrue(text.contains("help: stride 2 gives 3; stride 4 gives 2; pad: 1 with stride 3 gives 3"), text)
        XCTAssertTrue(text.contains("specs/bad.cnn:3:1: note: layer 'conv1' is expanded from here"), text)
    }

    func testCRLFFilesShowTheRightLine() {
        let source = "input 8x8x3\r\nrelu\r\nconv(3x3, 0)\r\n"
        let text = DiagnosticRenderer(path: "w.cnn", source: source).render(check(source).diagnostics)
        XCTAssertTrue(text.contains(" 3 | conv(3x3, 0)\n"), text)
    }

    func testLongLinesAreShownAsAWindow() {
        let source = "input 8x8x3\n" + String(repeating: "relu - ", count: 500) + "rleu\n"
        let text = DiagnosticRenderer(path: "w.cnn", source: source).render(check(source).diagnostics)
        XCTAssertTrue(text.contains(" 2 | ...u - relu - "), text)
        XCTAssertTrue(text.contains(" - relu - rleu\n"), text)
        XCTAssertLessThan(text.count, 600)
    }

    func testSwitchesNeedBindableNames() {
        XCTAssertEqual(errorIDs("input 8x8x3\nrelu@a.b? - relu\n"), ["unnamed-optional"])
        let src = "input 8x8x3\n[conv(1x1, 3)@s%? - relu]*2\n"
        XCTAssertEqual(try plan(src, defines: [Define(name: "s?", value: .list([.word("on"), .word("off")]))]).layers.map(\.name), ["s1", "relu1", "relu2"])
    }

    func testFlatChainsAreNotNesting() throws {
        let src = "input 8x8x3\n" + (0..<1500).map { "conv(1x1, 3)@c\($0)" }.joined(separator: " - ") + "\n"
        XCTAssertEqual(try plan(src).layers.count, 1500)
    }

    func testErrorsInIndependentPlacesAreAllReported() {
        let ids = errorIDs("input 32x32x3\nconv(3x3, 8, strid: 2) - rleu - fc(10, bias: maybe)\n")
        XCTAssertEqual(ids, ["unknown-attribute", "undefined-name", "bad-attribute"])
    }

    func testWarnings() throws {
        let p = try plan("input 32x32x3\nconv(2x2, 8, stride: 3, round: floor) - batchnorm - maxpool(2x2, stride: 3, round: floor) - fc(10)")
        let ids = Set(p.warnings.map(\.id))
        XCTAssertEqual(ids, ["even-kernel", "stride-skips-input", "bias-before-batchnorm", "fc-dominates", "small-receptive-field"])
        XCTAssertEqual(try plan("input 3x32x32\nconv(3x3, 8)").warnings.map(\.id), ["input-order", "small-receptive-field"])
        XCTAssertEqual(try plan("input 8x8x1\nconv(3x3, 4, pad: 1) - relu - relu - softmax - globalavgpool").warnings.map(\.id),
                       ["activation-twice", "softmax-not-last", "small-receptive-field"])
    }

    func testMisalignedBranchesWarn() throws {
        // A 3x3 conv without padding is centred one pixel in; the identity is not.
        let p = try plan("input 8x8x4\nconcat(conv(3x3, 4, pad: (0, 0, 2, 2)) | id)")
        XCTAssertTrue(p.warnings.contains { $0.id == "misaligned-branches" })
        XCTAssertFalse(try plan("input 8x8x4\nconcat(conv(3x3, 4, pad: 1) | id)").warnings.contains { $0.id == "misaligned-branches" })
    }

    func testNestingTooDeepIsAnErrorNotACrash() {
        let deep = "input 8x8x1\n" + String(repeating: "(", count: 10_000) + "relu" + String(repeating: ")", count: 10_000) + "\n"
        XCTAssertEqual(errorIDs(deep), ["nesting-too-deep"])
        let deepBrackets = "input 8x8x1\n" + String(repeating: "[", count: 10_000) + "relu" + "\n"
        XCTAssertEqual(errorIDs(deepBrackets).first, "nesting-too-deep")
    }

    func testCallsTooDeep() {
        var src = "input 8x8x1\n"
        for i in 0..<150 { src += "m\(i)() = " + (i == 149 ? "relu" : "m\(i + 1)()") + "\n" }
        src += "m0()\n"
        XCTAssertEqual(errorIDs(src), ["calls-too-deep"])
    }

    func testDefinesOverrideAndMustBeValues() throws {
        let src = "input 32x32x3\nN = 2\n(conv(3x3, 8, pad: 1) - relu)*N\n"
        XCTAssertEqual(try plan(src).layers.count, 4)
        XCTAssertEqual(try plan(src, defines: [Define(name: "N", value: .int(3))]).layers.count, 6)
        XCTAssertEqual(errorIDs(src, defines: [Define(name: "N", value: .int(-1))]), ["negative-count"])
    }
}
