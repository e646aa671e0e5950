// Bad input never crashes: random bytes, mutated specs, deep nesting, huge numbers and huge
// repetition counts all end in diagnostics. A trap would kill the test process; a hang
// would stall it (the expander's step and layer limits prevent both).
import CNNSpec
import XCTest

/// A small seeded generator (SplitMix64) so that failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class RobustnessTests: XCTestCase {
    static let fragments = ["(", ")", "[", "]", "-", "|", "*", "?", "@x", "@a.%", ",", ":", "=", "\n", "#", "0", "-1", "1e-5",
                            "999999999999999", "1000000000", "3x3", "32x32x3", "conv(3x3, 8)", "relu", "add(", "concat(",
                            "id", "N", "M?", " ", "pad: same", "stride: 0", "groups: 3", "round: ceil", "[1, 2]", "(1, 2, 3, 4)",
                            "input 8x8x1\n", "f(a) = ", "f(", "%", "\u{0}", "é", "\t"]

    static let seeds = [
        "input 32x32x3\nN = 2\nM = 3\nCONV = conv(3x3, [32, 64, 128], pad: same)\nPOOL = maxpool(2x2, stride: 2)\n[(CONV-RELU)*N-POOL?]*M-fc(10)-softmax\n",
        "input 56x56x64\nb(c, s) = add(conv(3x3, c, stride: s, pad: 1, round: floor)@conv1 - batchnorm@bn1 - relu | d(c, s)@downsample) - relu\nd(c, s) = conv(1x1, c, stride: s, round: floor) - batchnorm\n[b(64, 1) - b(128, 2)]@layer1 - globalavgpool - fc(10)\n",
        "input 28x28x8\ni(a, b) = concat(conv(1x1, a)@branch1 | [conv(1x1, a) - conv(3x3, b, pad: 1)]@branch2 | maxpool(3x3, stride: 1, pad: 1, round: ceil)@branch3)\ni(8, 16)@inc - avgpool(2x2, include_pad: no) - dropout(0.2) - flatten - fc(10)\n",
    ]

    func testRandomBytesNeverCrash() {
        var rng = SeededRandom(state: 1)
        for _ in 0..<300 {
            let n = Int.random(in: 0..<200, using: &rng)
            var s = String.UnicodeScalarView()
            for _ in 0..<n { s.append(Unicode.Scalar(UInt8.random(in: 0...127, using: &rng))) }
            let r = check(String(s))
            XCTAssertTrue(r.hasErrors || r.plan != nil)
        }
    }

    func testMutatedSpecsNeverCrash() {
        var rng = SeededRandom(state: 42)
        var bases = Self.seeds
        for url in Repo.specFiles() where Repo.read(url).count < 1500 { bases.append(Repo.read(url)) }
        var valid = 0
        for i in 0..<1500 {
            var text = Array(bases[i % bases.count])
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0...text.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: text.insert(contentsOf: Self.fragments.randomElement(using: &rng)!, at: at)
                case 1: if at < text.count { text.removeSubrange(at..<min(text.count, at + Int.random(in: 1...6, using: &rng))) }
                default:
                    let other = Array(bases.randomElement(using: &rng)!)
                    let from = Int.random(in: 0..<other.count, using: &rng)
                    text.insert(contentsOf: other[from..<min(other.count, from + 12)], at: at)
                }
            }
            let r = check(String(text))
            if r.plan != nil { valid += 1 }
            XCTAssertTrue(r.hasErrors || r.plan != nil)
        }
        // The mutations are not all fatal: some mutants still check, so both paths ran.
        XCTAssertGreaterThan(valid, 0)
    }

    func testAbsurdNumbers() {
        XCTAssertEqual(errorIDs("input 32x32x3\nconv(3x3, 1000000000000) - conv(3x3, 1000000000000) - fc(1000000000000)").first, "overflow")
        XCTAssertEqual(errorIDs("input 1000000000x1000000000x1000000000\nconv(3x3, 1000000000)").first, "overflow")
        XCTAssertEqual(errorIDs("input 32x32x3\nrelu*1000000000"), ["too-many-layers"])
        XCTAssertEqual(errorIDs("input 32x32x3\n(relu*1000000000)*1000000000"), ["too-many-layers"])
        XCTAssertEqual(errorIDs("input 32x32x3\nN = 1000000000\n(id)*N"), ["expansion-too-large"])
        XCTAssertEqual(errorIDs("input 32x32x3\nconv(3x3, 4000000000 * 4000000000 * 4000000000)"), ["overflow"])
        XCTAssertEqual(errorIDs("input 32x32x3\nconv(3x3, 8)*99999999999999999999999999"), ["number-too-large"])
        XCTAssertEqual(errorIDs("input 32x32x3\nconv(1000000000000x1000000000000, 8, pad: 1000000000000)").first, "overflow")
    }

    func testHugeButValidChannelCountIsCountedNotAllocated() throws {
        // 10^12 channels: the counts are exact and nothing of that size is allocated.
        let p = try plan("input 1x1x1\nconv(1x1, 1000000000000, bias: no)")
        XCTAssertEqual(p.totals.params, 1_000_000_000_000)
        XCTAssertEqual(p.totals.activationBytes, 4_000_000_000_000)
    }

    func testLongSpecChecksQuickly() throws {
        // 100,000 layers is the limit; 50,000 must still check (the clock is not asserted).
        let p = try plan("input 8x8x1\n(conv(3x3, 1, pad: 1) - relu)*25000")
        XCTAssertEqual(p.layers.count, 50_000)
    }
}

/// Inputs that once crashed or hung cnnspec (found by fuzzing), kept as regressions:
/// small ones as files in Fixtures/fuzz, large ones generated here.
final class FuzzRegressionTests: XCTestCase {
    func testRecordedCrashersEndInDiagnostics() throws {
        let dir = Repo.fixtures.appendingPathComponent("fuzz")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".cnn") }
        XCTAssertGreaterThan(files.count, 10)
        for name in files.sorted() {
            let r = check(Repo.read(dir.appendingPathComponent(name)), path: name)
            XCTAssertTrue(r.hasErrors || r.plan != nil, name)
        }
    }

    func testGeneratedMonsters() {
        let cases: [(String, String?)] = [
            ("input 1x1x1\nrelu" + String(repeating: "\n", count: 30_000) + "- relu\n", nil),
            ("input 8x8x3\n" + (1..<2000).map { "A\($0) = A\($0 - 1)\n" }.joined() + "A0 = relu\nA1999\n", "calls-too-deep"),
            ("input 8x8x3\n" + (1..<2000).map { "N\($0) = N\($0 - 1)\n" }.joined() + "N0 = 1\nrelu*N1999\n", "calls-too-deep"),
            ("input 1x1x1\nrelu" + String(repeating: "*N", count: 50_000) + "\n", "nesting-too-deep"),
            ("input 1x1x1\n" + String(repeating: "a", count: 20_000) + "\n", "name-too-long"),
            ("input 1x1x1\nrelu " + String(repeating: "$", count: 20_000) + "\n", "unexpected-character"),
            ("input 1x1x1\n" + Array(repeating: "rleu", count: 100_000).joined(separator: " - ") + "\n", "undefined-name"),
            ("input 1x1x1\n" + String(repeating: "relu\n", count: 100_000), "second-network"),
            ("input 1x1x1\nrelu " + String(repeating: "$" + String(repeating: " ", count: 20_000), count: 50) + "\n", "unexpected-character"),
            ("input 32x32x3\nadd(" + Array(repeating: "relu", count: 6_000).joined(separator: " | ") + ")\n", nil),
        ]
        for (source, id) in cases {
            let r = check(source)
            // Rendering is part of the path a user sees: long lines are shown as a window.
            let rendered = DiagnosticRenderer(path: "x.cnn", source: source).render(r.diagnostics)
            XCTAssertLessThan(rendered.utf8.count, 100_000)
            if let p = r.plan { XCTAssertLessThan(TextReport.render(p).utf8.count, 2_000_000) }
            if let id {
                XCTAssertEqual(r.diagnostics.first { $0.severity == .error }?.id, id)
            } else {
                XCTAssertNotNil(r.plan)
            }
            XCTAssertLessThanOrEqual(r.diagnostics.filter { $0.severity == .error }.count, DiagnosticSink.maxErrors)
        }
    }
}
