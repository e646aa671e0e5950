// `cnnspec fmt`: the canonical layout on small cases, idempotence, and that formatting
// never changes the network: plan(fmt(x)) == plan(x) for every shipped spec, every docs
// example, and seeded random layouts and mutations. Shipped specs stay formatted.
import CNNSpec
import Foundation
import XCTest

final class FormatTests: XCTestCase {
    func fmt(_ s: String) -> String? { SpecFormatter.format(path: "t.cnn", source: s).text }

    /// What a check says about a spec, without source positions: every layer's facts and
    /// the totals for a valid spec, the error ids otherwise.
    func facts(_ source: String) -> [String] {
        let r = check(source, path: "t.cnn")
        guard let p = r.plan else { return r.diagnostics.filter { $0.severity == .error }.map { "error \($0.id): \($0.message)" } }
        return p.layers.map { l in
            "\(l.name) \(l.op) \(l.inputs) \(l.output) \(l.params) \(l.macs) \(l.flops) \(l.rf) \(l.activationBytes) \(l.weights)"
        } + ["\(p.input) \(p.output) \(p.totals)"] + p.warnings.map { "warning \($0.id): \($0.message)" }
    }

    /// fmt(x) parses to the same tree with the same comments, is a fixed point, and checks
    /// to the same network. Returns false when x does not parse.
    @discardableResult
    func assertKeepsTheNetwork(_ x: String, _ what: String, checkPlans: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let f = fmt(x) else { return false }
        XCTAssertTrue(SpecFormatter.sameSpec(x, f), "\(what): the tree or the comments changed\n\(x)\n---\n\(f)", file: file, line: line)
        XCTAssertEqual(fmt(f), f, "\(what): not idempotent", file: file, line: line)
        if checkPlans {
            XCTAssertEqual(facts(f), facts(x), "\(what): the network changed\n\(x)\n---\n\(f)", file: file, line: line)
        }
        return true
    }

    func testShippedSpecsAreFormatted() {
        let examples = Repo.root.appendingPathComponent("docs/examples")
        let specs = Repo.specFiles() + ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? [])
            .filter { $0.hasSuffix(".cnn") }.map { examples.appendingPathComponent($0) }
        XCTAssertGreaterThan(specs.count, 20)
        for url in specs {
            let source = Repo.read(url)
            XCTAssertEqual(fmt(source), source, "\(url.lastPathComponent) is not formatted: run cnnspec fmt -w on it (make fmt)")
        }
    }

    func testEverySpecAndDocsExampleKeepsItsNetwork() {
        var sources = Repo.specFiles().map { (Repo.read($0), $0.lastPathComponent) }
        let docs = [Repo.root.appendingPathComponent("README.md")]
            + ((try? FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent("docs").path)) ?? [])
            .filter { $0.hasSuffix(".md") }.map { Repo.root.appendingPathComponent("docs").appendingPathComponent($0) }
        for url in docs { sources += DocsTests.blocks(Repo.read(url)).map { ($0.code, "\(url.lastPathComponent):\($0.line)") } }
        sources += RobustnessTests.seeds.map { ($0, "seed") }
        var formatted = 0
        for (source, what) in sources where assertKeepsTheNetwork(source, what) { formatted += 1 }
        XCTAssertGreaterThan(formatted, 40)
        // The error fixtures: the same tree and comments (checking some of them takes seconds).
        let errors = Repo.fixtures.appendingPathComponent("errors")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: errors.path)) ?? [] {
            if assertKeepsTheNetwork(Repo.read(errors.appendingPathComponent(name)), name, checkPlans: false) { formatted += 1 }
        }
        XCTAssertGreaterThan(formatted, 60)
    }

    /// Each spec laid out at random (spaces, line breaks where a line may continue, comments)
    /// formats to a spec with the same network.
    func testRandomLayoutsKeepTheNetwork() {
        var rng = SeededRandom(state: 7)
        let bases = Repo.specFiles().map(Repo.read) + RobustnessTests.seeds
        var count = 0
        for base in bases {
            for _ in 0..<8 {
                var out = ""
                for line in base.split(separator: "\n", omittingEmptySubsequences: false) {
                    let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                    for ch in code[0] {
                        out.append(ch)
                        if ",-|:=(".contains(ch), Int.random(in: 0..<4, using: &rng) == 0 {
                            out += Bool.random(using: &rng) ? "\n" + String(repeating: " ", count: Int.random(in: 0...9, using: &rng)) : "   "
                            if Int.random(in: 0..<3, using: &rng) == 0 { out += "# note \(count)\n " }
                        }
                    }
                    if code.count > 1 { out += "#" + code[1] } else if Int.random(in: 0..<5, using: &rng) == 0 { out += "  #tail" }
                    out += "\n"
                }
                XCTAssertTrue(assertKeepsTheNetwork(out, "layout \(count)"), "does not parse:\n\(out)")
                count += 1
            }
        }
    }

    /// Mutated specs (as RobustnessTests makes them) that still parse keep their meaning,
    /// valid or not.
    func testMutatedSpecsKeepTheirMeaning() {
        var rng = SeededRandom(state: 99)
        let bases = RobustnessTests.seeds + Repo.specFiles().map(Repo.read).filter { $0.count < 1500 }
        var parsed = 0
        for i in 0..<600 {
            var text = Array(bases[i % bases.count])
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0...text.count, using: &rng)
                if Bool.random(using: &rng) {
                    text.insert(contentsOf: RobustnessTests.fragments.randomElement(using: &rng)!, at: at)
                } else if at < text.count {
                    text.removeSubrange(at..<min(text.count, at + Int.random(in: 1...4, using: &rng)))
                }
            }
            if assertKeepsTheNetwork(String(text), "mutant \(i)") { parsed += 1 }
        }
        XCTAssertGreaterThan(parsed, 100)
    }

    func testCanonicalLayout() {
        let cases: [(String, String)] = [
            // Spacing, attribute order, the lecture pattern written tight, = aligned.
            ("input   32x32x3   #  the input\nN=2\nCONV= conv( 3x3 ,[32,64],pad:same )\n"
             + "[ (CONV - RELU) * N - maxpool(stride: 2, 2x2) ]*2-fc( 10 ,bias:no)-softmax\n",
             "input 32x32x3  #  the input\nN    = 2\nCONV = conv(3x3, [32, 64], pad: same)\n"
             + "[(CONV-RELU)*N - maxpool(2x2, stride: 2)]*2 - fc(10, bias: no) - softmax\n"),
            // Line breaks kept at items, operators lead the line, branches indent less than chains.
            ("input 8x8x3\n\n\n# the block\nb(c) = add(conv(3x3, c, pad: 1) - relu   # main\n  - conv(3x3, c, pad: 1)\n        | id)\n"
             + "b(8) -\n  globalavgpool # head\n  - fc(10)\n",
             "input 8x8x3\n\n# the block\nb(c) = add(conv(3x3, c, pad: 1) - relu  # main\n      - conv(3x3, c, pad: 1)\n    | id)\n"
             + "b(8)\n- globalavgpool  # head\n- fc(10)\n"),
            // Comments in runs align; a break after a comma; numbers as values; a switch binding.
            ("input 4x4x1\nP? = on # switch\nDROP = 0.50 # rate\nbatchnorm(eps: 1e-05) - conv(3x3,\n 8, round: floor, stride: 2) - dropout(DROP) - relu?@P\n",
             "input 4x4x1\nP?   = on   # switch\nDROP = 0.5  # rate\nbatchnorm(eps: 1e-5) - conv(3x3,\n    8, stride: 2, round: floor) - dropout(DROP) - relu?@P\n"),
            // A break after an opening bracket is kept, so a comment before the first item stays there.
            ("input 8x8x1\nC = [\n  # first\n  4, 8]\n[conv(3x3, C, pad: 1)]*2\n",
             "input 8x8x1\nC = [\n    # first\n    4, 8]\n[conv(3x3, C, pad: 1)]*2\n"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(fmt(input), expected)
            assertKeepsTheNetwork(input, input)
        }
    }

    /// docs/FORMAT.md: its messy example formats to the next block, and the other is formatted.
    func testFormatDocExamples() throws {
        let blocks = DocsTests.blocks(Repo.read(Repo.root.appendingPathComponent("docs/FORMAT.md"))).map(\.code)
        XCTAssertEqual(blocks.count, 3)
        XCTAssertNotEqual(blocks[0], blocks[1])
        XCTAssertEqual(fmt(blocks[0]), blocks[1])
        XCTAssertEqual(fmt(blocks[2]), blocks[2])
    }

    func testFmtCommand() {
        let messy = "input 8x8x1\nconv(3x3,4)\n"
        let tidy = "input 8x8x1\nconv(3x3, 4)\n"
        var written: [String: String] = [:]
        func run(_ args: [String]) -> (ExitCode, String, String) {
            var out = "", err = ""
            let files = ["messy.cnn": messy, "tidy.cnn": tidy, "bad.cnn": "input 8x8x1\nconv(3x3,\n"]
            let driver = Driver(readFile: { guard let t = files[$0] else { throw NoSuchFile() }; return t },
                                writeFile: { written[$0] = $1 }, stdout: { out += $0 }, stderr: { err += $0 })
            return (driver.run(args), out, err)
        }
        XCTAssertEqual(run(["fmt", "messy.cnn"]).1, tidy)
        XCTAssertEqual(run(["fmt", "tidy.cnn", "--check"]).0, .ok)
        let check = run(["fmt", "--check", "tidy.cnn", "messy.cnn"])
        XCTAssertEqual(check.0, .notFormatted)
        XCTAssertEqual(check.0.rawValue, 1)
        XCTAssertTrue(check.2.contains("messy.cnn: not formatted"), check.2)
        XCTAssertEqual(written, [:], "--check writes nothing")
        XCTAssertEqual(run(["fmt", "-w", "tidy.cnn", "messy.cnn"]).0, .ok)
        XCTAssertEqual(written, ["messy.cnn": tidy], "-w rewrites only what changes")
        XCTAssertEqual(run(["fmt", "bad.cnn"]).0, .invalidSpec)
        XCTAssertEqual(run(["fmt", "missing.cnn"]).0, .usage)
        XCTAssertTrue(run(["fmt", "--help"]).1.contains("USAGE: cnnspec fmt"))
        for bad in [["fmt"], ["fmt", "a", "b"], ["fmt", "a", "--check", "-w"], ["fmt", "-w", "-"], ["fmt", "a", "--bogus"]] {
            XCTAssertThrowsError(try Command.parse(bad), "\(bad)")
        }
        XCTAssertEqual(try Command.parse(["fmt", "a", "b", "-w"]), .fmt(paths: ["a", "b"], mode: .write))
    }
}
