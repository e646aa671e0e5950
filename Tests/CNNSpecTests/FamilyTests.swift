// Families: the lectures' facts about the pattern [(CONV-RELU)*N-POOL?]*M-(FC-RELU)*K,
// agreement between the family check and checking each member alone (with -D and as an
// instantiated spec), the JSON document, refusals, and the syntax of ranges and sets.
import CNNSpec
import Foundation
import XCTest

final class FamilyTests: XCTestCase {
    struct Checked {
        var file: SpecFile
        var variables: Family.Variables
        var result: FamilyResult
    }

    func family(_ source: String, path: String = "family.cnn", defines: [Define] = []) throws -> Checked {
        let (file, diagnostics) = Pipeline.parse(path: path, source: source)
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.message), [])
        let vars = Family.variables(file, defines: defines)
        XCTAssertTrue(vars.isFamily)
        XCTAssertEqual(vars.diagnostics.map(\.message), [])
        return Checked(file: file, variables: vars, result: FamilyCheck.run(file, variables: vars.variables, defines: defines))
    }

    /// The lecture's pattern on CIFAR: 3x3 same convs keep the size, every 2x2/2 pool halves it.
    let lecture = """
    input 32x32x3
    N = 1...3
    M = 1...7
    K = 0...2
    CONV = conv(3x3, 16, pad: same)
    POOL = maxpool(2x2, stride: 2)
    [(CONV-RELU)*N-POOL]*M-(fc(64)-RELU)*K-fc(10)-softmax

    """

    func testPoolsAfterEveryStageAreValidForAtMostFiveStages() throws {
        let c = try family(lecture)
        let r = c.result
        XCTAssertEqual(r.members.count, 3 * 7 * 3)
        XCTAssertEqual(c.variables.count, 63)
        XCTAssertEqual(r.statement, "valid iff M <= 5 (at M = 5 the last feature map is 1x1)")
        for m in r.members {
            let stages = m.bindings.values[1]
            XCTAssertEqual(m.valid, stages.description.count == 1 && Int(stages.description)! <= 5, m.bindings.compact)
        }
        XCTAssertEqual(r.validCount, 3 * 5 * 3)
        // One failure: the sixth pool meets a 1x1 input (32 / 2^5 = 1).
        XCTAssertEqual(r.failures.count, 1)
        let f = try XCTUnwrap(r.failures.first)
        XCTAssertEqual(f.count, 3 * 2 * 3)
        XCTAssertEqual(f.id, "window-too-large")
        XCTAssertTrue(f.diagnostics[0].message.contains("pool6"), f.diagnostics[0].message)
        XCTAssertTrue(f.diagnostics[0].notes.contains { $0.message.contains("1x1x16") }, "\(f.diagnostics[0].notes)")
        // At M = 5 the last pool's output is 1x1.
        let five = try plan(lecture, defines: [Define(name: "N", value: .int(1)), Define(name: "M", value: .int(5)), Define(name: "K", value: .int(0))])
        XCTAssertEqual(five.layer("pool5")?.output, Shape(c: 16, h: 1, w: 1))
        assertMembersAgree(lecture, c)
    }

    func testUnpaddedFiveByFiveConvsShrinkSooner() throws {
        let unpadded = lecture.replacingOccurrences(of: "conv(3x3, 16, pad: same)", with: "conv(5x5, 16)")
        let p = try plan(unpadded, defines: [Define(name: "N", value: .int(2)), Define(name: "M", value: .int(1)), Define(name: "K", value: .int(0))])
        XCTAssertEqual(p.layer("conv1")?.output.h, 28)
        XCTAssertEqual(p.layer("conv2")?.output.h, 24)
        XCTAssertEqual(p.layer("pool1")?.output.h, 12)
        let u = try family(unpadded)
        let r = u.result
        assertMembersAgree(unpadded, u)
        // 32 -> 28 -> 14 -> 10 -> 5 -> 1 with N = 1; 32 -> 28 -> 24 -> 12 -> 8 -> 4 -> 2 with N = 2;
        // 32 -> 28 -> 24 -> 20 -> 10 -> 6 -> 2 -> 1 with N = 3: at most two stages either way.
        XCTAssertEqual(r.statement, "valid when\n  N = 1, 2: M <= 2\n  N = 3: M = 1")
        XCTAssertLessThan(r.validCount, try family(lecture).result.validCount)
    }

    /// Pools switched per stage, a requirement, and a set: every member checked alone (with -D,
    /// and as the spec `instantiate` prints) agrees with the family check.
    let mixed = """
    input 32x32x3
    M = 0...4
    K = {0, 2}
    POOL = maxpool(2x2, stride: 2)
    POOL? = [{on, off}]*M
    [conv(3x3, 8, pad: 1) - relu - POOL?]*M - (fc(32) - relu)*K - fc(10)
    require params <= 40k
    require rf >= 8

    """

    func testEveryMemberCheckedAloneAgrees() throws {
        let c = try family(mixed)
        let r = c.result
        // M = 0...4 with 2^M pool choices each (1 when M = 0), times 2 for K.
        XCTAssertEqual(r.members.count, (1 + 2 + 4 + 8 + 16) * 2)
        XCTAssertEqual(c.variables.count, r.members.count)
        XCTAssertGreaterThan(r.validCount, 0)
        XCTAssertLessThan(r.validCount, r.members.count)
        XCTAssertEqual(Set(r.failures.map(\.id)), ["requirement-failed"])
        assertMembersAgree(mixed, c)
    }


    /// Each member checked alone with its bindings as -D, and as the spec `instantiate`
    /// prints, is valid or fails exactly as the family check says.
    func assertMembersAgree(_ source: String, _ c: Checked) {
        let r = c.result
        for m in r.members {
            let alone = Pipeline.check(path: "family.cnn", source: source, defines: m.bindings.defines)
            let first = alone.diagnostics.first { $0.severity == .error }
            XCTAssertEqual(alone.plan != nil, m.valid, m.bindings.compact)
            XCTAssertEqual(first?.id, m.error?.id, m.bindings.compact)
            XCTAssertEqual(first?.message, m.error?.message, m.bindings.compact)
            XCTAssertEqual(first?.range, m.error?.range, m.bindings.compact)
            if let p = alone.plan { XCTAssertEqual(Metrics(p), m.metrics, m.bindings.compact) }

            let text = Instantiate.render(c.file, defines: m.bindings.defines, origin: "family.cnn")
            let concrete = Pipeline.check(path: "member.cnn", source: text)
            XCTAssertFalse(Family.variables(Pipeline.parse(path: "member.cnn", source: text).0, defines: []).isFamily)
            let cfirst = concrete.diagnostics.first { $0.severity == .error }
            XCTAssertEqual(cfirst?.id, m.error?.id, text)
            XCTAssertEqual(cfirst?.message, m.error?.message, text)
            if let p = concrete.plan, let q = alone.plan {
                XCTAssertEqual(p.layers.map(\.name), q.layers.map(\.name))
                XCTAssertEqual(p.layers.map(\.output), q.layers.map(\.output))
                XCTAssertEqual(p.layers.map(\.weights), q.layers.map(\.weights))
                XCTAssertEqual(p.totals, q.totals)
            }
        }
    }

    func testInstantiateKeepsTheFileAndBindsTheMember() throws {
        let file = Pipeline.parse(path: "f.cnn", source: mixed).0
        let text = Instantiate.render(file, defines: [Define(name: "M", value: .int(2)), Define(name: "K", value: .int(0)),
                                                      Define(name: "POOL?", value: .list([.word("on"), .word("off")]))], origin: "f.cnn")
        XCTAssertEqual(text, """
        # instantiated by cnnspec from f.cnn with M=2 K=0 POOL?=[on, off]
        input 32x32x3
        M = 2
        K = 0
        POOL = maxpool(2x2, stride: 2)
        POOL? = [on, off]
        [conv(3x3, 8, pad: 1) - relu - POOL?]*M - (fc(32) - relu)*K - fc(10)
        require params <= 40k
        require rf >= 8

        """)
        // A name the file leaves unbound gets a binding after the input line.
        let open = Pipeline.parse(path: "g.cnn", source: "input 8x8x1\n(conv(3x3, 4, pad: 1))*N - fc(2)\n").0
        XCTAssertEqual(Instantiate.render(open, defines: [Define(name: "N", value: .int(3))], origin: "g.cnn"),
                       "# instantiated by cnnspec from g.cnn with N=3\ninput 8x8x1\nN = 3\n(conv(3x3, 4, pad: 1))*N - fc(2)\n")
    }

    func testJSONDocument() throws {
        let c = try family(mixed)
        let text = FamilyReport.json(c.result, top: 3, by: .macs)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(doc["family_schema"] as? Int, 1)
        XCTAssertNil(doc["schema"], "the single-network schema field stays out of the family document")
        XCTAssertEqual(doc["member_count"] as? Int, c.result.members.count)
        XCTAssertEqual(doc["valid_count"] as? Int, c.result.validCount)
        let members = try XCTUnwrap(doc["members"] as? [[String: Any]])
        XCTAssertEqual(members.count, c.result.members.count)
        for (m, json) in zip(c.result.members, members) {
            let b = try XCTUnwrap(json["bindings"] as? [String: Any])
            XCTAssertEqual(Set(b.keys), ["M", "K", "POOL?"])
            XCTAssertEqual(json["valid"] as? Bool, m.valid)
            if m.valid {
                let t = try XCTUnwrap(json["totals"] as? [String: Any])
                XCTAssertEqual(t["params"] as? Int, m.metrics?.params)
                XCTAssertEqual(t["macs"] as? Int, m.metrics?.macs)
                XCTAssertNotNil(t["rf"] as? [Int])
                XCTAssertNotNil(t["peak_activation_bytes"] as? Int)
            } else {
                XCTAssertTrue(json["totals"] is NSNull)
                XCTAssertEqual((json["error"] as? [String: Any])?["id"] as? String, m.error?.id)
            }
            // Every binding is a value -D accepts, and gives back this member.
            var args = ["check", "f.cnn"]
            for (k, v) in b { args += ["-D", "\(k)=\(v)"] }
            guard case .check(_, let defines, _) = try Command.parse(args) else { return XCTFail("\(args)") }
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: defines.map { ($0.name, $0.value) }),
                           Dictionary(uniqueKeysWithValues: m.bindings.defines.map { ($0.name, $0.value) }))
        }
        let top = try XCTUnwrap((doc["top"] as? [String: Any])?["members"] as? [Int])
        let macs = top.map { c.result.members[$0].metrics!.macs }
        XCTAssertEqual(macs, macs.sorted())
        XCTAssertEqual(macs.first, c.result.members.compactMap { $0.metrics?.macs }.min())
        XCTAssertNotNil((doc["ranges"] as? [String: Any])?["params"])
    }

    func testEnormousFamiliesAreRefusedWithTheirSize() throws {
        let big = "input 32x32x3\nA = 1...400\nB = 1...400\n(conv(3x3, 4, pad: 1))*A - (relu)*B - fc(2)\n"
        let v = Family.variables(Pipeline.parse(path: "b.cnn", source: big).0, defines: [])
        XCTAssertEqual(v.count, 160_000)
        XCTAssertEqual(v.diagnostics.map(\.id), ["family-too-large"])
        XCTAssertTrue(v.diagnostics[0].message.contains("160,000 members"), v.diagnostics[0].message)
        // Beyond 2^63: counted with checked arithmetic, refused without enumerating.
        let huge = "input 32x32x3\nM = 1...100\nC = [{8, 16, 32, 64}]*M\n[conv(3x3, C, pad: 1)]*M - fc(2)\n"
        let h = Family.variables(Pipeline.parse(path: "h.cnn", source: huge).0, defines: [])
        XCTAssertNil(h.count)
        XCTAssertTrue(h.diagnostics.first?.message.contains("more than 2^63 members") ?? false, "\(h.diagnostics)")
        let run = drive(["check", "h.cnn"], files: ["h.cnn": huge])
        XCTAssertEqual(run.code, .invalidSpec)
        XCTAssertTrue(run.err.contains("family-too-large") || run.err.contains("more than 2^63"), run.err)
    }

    func testRangeAndSetSyntax() {
        XCTAssertEqual(errorIDs("input 8x8x1\nN = 1..5\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["unexpected-character"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = 1...\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["syntax"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = 1...2.5\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["syntax"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = {}\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["syntax"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = {1, 2\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["syntax"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = {1, 1}\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["bad-range"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = {1, relu - relu}\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["bad-range"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = [[{1, 2}]*2]*2\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["syntax"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = [{1, 2}]*-1\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["bad-stage-count"])
        XCTAssertEqual(errorIDs("input 8x8x1\nN = -2...-1\n(conv(3x3, 4, pad: 1))*N - fc(2)\n"), ["family-member-needed"])
        XCTAssertEqual(errorIDs("input 8x8x1\nconv(3x3, 4, pad: 1) - fc(2)\nrequire params < input\n"), ["bad-requirement"])
        XCTAssertEqual(errorIDs("input 8x8x1\nconv(3x3, 4, pad: 1) - fc(2)\nrequire params = 5\n"), ["syntax"])
        XCTAssertEqual(errorIDs("input 8x8x1\nconv(3x3, 4, pad: 1) - fc(2)\nrequire params <= 5Q\n"), ["malformed-number"])
        // The -D forms parse with the same grammar.
        for bad in ["N=1..5", "N=5...", "N={1, 2", "N=[{1}]*", "N={1,2}x"] {
            XCTAssertThrowsError(try Command.parse(["check", "a.cnn", "-D", bad]), bad)
        }
    }

    func testUnitsAndRequirements() throws {
        func params(_ bound: String) -> [String] {
            errorIDs("input 32x32x3\nconv(3x3, 8, pad: 1) - relu - fc(10)\nrequire params <= \(bound)\n")
        }
        // 224 + 81,930 = 82,154 params.
        XCTAssertEqual(params("82154"), [])
        XCTAssertEqual(params("82153"), ["requirement-failed"])
        XCTAssertEqual(params("0.083M"), [])
        XCTAssertEqual(params("82k"), ["requirement-failed"])
        XCTAssertEqual(params("1M"), [])
        XCTAssertEqual(check("input 8x8x1\nfc(2)\nrequire memory < 2MiB\nrequire macs > 1500M\n").diagnostics.filter { $0.severity == .error }.map(\.message),
                       ["the network does not meet 'require macs > 1500M': macs is 128"])
        let memory = "input 32x32x3\nconv(3x3, 8, pad: 1)\nrequire memory <= 44KiB\n"
        // Peak: the 12 KiB input and the 32 KiB output alive at once.
        XCTAssertEqual(errorIDs(memory), [])
        XCTAssertEqual(errorIDs(memory.replacingOccurrences(of: "44KiB", with: "43KiB")), ["requirement-failed"])
        let rf = "input 32x32x3\n(conv(3x3, 8, pad: 1) - relu)*N - fc(10)\nrequire rf >= input\n"
        // Each 3x3 conv adds 2: 15 convs give 31, 16 give 33.
        XCTAssertEqual(errorIDs(rf, defines: [Define(name: "N", value: .int(15))]), ["requirement-failed"])
        XCTAssertEqual(errorIDs(rf, defines: [Define(name: "N", value: .int(16))]), [])
    }

    func testCommandLine() throws {
        let c = try Command.parse(["check", "f.cnn", "-D", "N=1...5", "-D", "K={0, 2}", "-D", "POOL?=[{on, off}]*M", "--top", "4", "--by", "params"])
        guard case .check(_, let defines, let options) = c else { return XCTFail("\(c)") }
        XCTAssertEqual(defines.map(\.name), ["N", "K", "POOL?"])
        XCTAssertTrue(defines.allSatisfy { $0.domain != nil })
        XCTAssertEqual(options, Command.FamilyOptions(top: 4, by: .params))
        XCTAssertEqual(try Command.parse(["instantiate", "f.cnn", "-D", "N=2", "-o", "m.cnn"]),
                       .instantiate(path: "f.cnn", defines: [Define(name: "N", value: .int(2))], output: "m.cnn"))
        for bad in [["check", "f", "--top", "0"], ["check", "f", "--by", "macs"], ["check", "f", "--top", "3", "--by", "speed"],
                    ["instantiate", "f", "-D", "N=1...3"], ["check", "f", "--format", "csv"], ["instantiate", "f", "--top", "2"]] {
            XCTAssertThrowsError(try Command.parse(bad), "\(bad)")
        }
    }

    func testDriverOnAFamily() {
        let spec = "input 32x32x3\nN = 1...3\nM = 1...7\n[(conv(3x3, 8, pad: 1) - relu)*N - maxpool(2x2, stride: 2)]*M - fc(10)\n"
        let r = drive(["check", "f.cnn", "--top", "2", "--by", "macs"], files: ["f.cnn": spec])
        XCTAssertEqual(r.code, .ok, r.err)
        XCTAssertTrue(r.out.hasPrefix("f: a family of 21 members (N 1...3, M 1...7), 15 valid\nvalid iff M <= 5 (at M = 5 the last feature map is 1x1)\n"), r.out)
        XCTAssertTrue(r.out.contains("6 members fail as -D N=1 -D M=6 does:\nf.cnn:4:36: error: maxpool 'pool6'"), r.out)
        XCTAssertTrue(r.out.contains("top 2 by macs (smallest first):\n  1.  N=1 M=1"), r.out)
        // -D fixes a variable or gives a spec's unbound count a range.
        XCTAssertTrue(drive(["check", "f.cnn", "-D", "N=2"], files: ["f.cnn": spec]).out.hasPrefix("f: a family of 7 members (M 1...7), 5 valid"))
        let open = "input 32x32x3\n(conv(3x3, 8, pad: 1) - maxpool(2x2))*M - fc(10)\n"
        XCTAssertTrue(drive(["check", "o.cnn", "-D", "M=4...6"], files: ["o.cnn": open]).out.hasPrefix("o: a family of 3 members (M 4...6), 2 valid\nvalid iff M <= 5"))
        XCTAssertEqual(drive(["check", "o.cnn", "-D", "M=6...9"], files: ["o.cnn": open]).code, .invalidSpec)
        XCTAssertEqual(drive(["check", "o.cnn", "-D", "Q=1...2"], files: ["o.cnn": open]).code, .usage)
        let single = drive(["check", "o.cnn", "-D", "M=2", "--format", "json"], files: ["o.cnn": open])
        XCTAssertTrue(single.out.hasPrefix("{\n  \"schema\": 1,"), single.out)
        XCTAssertEqual(drive(["report", "f.cnn", "--format", "csv"], files: ["f.cnn": spec]).code, .usage)
        let json = drive(["report", "f.cnn", "--format", "json", "-o", "f.json"], files: ["f.cnn": spec])
        XCTAssertEqual(json.code, .ok)
        XCTAssertTrue(json.written["f.json"]?.contains("\"family_schema\": 1") ?? false)
        // instantiate: every variable bound, the member printed; a free one is a usage error.
        let inst = drive(["instantiate", "f.cnn", "-D", "N=2", "-D", "M=3"], files: ["f.cnn": spec])
        XCTAssertEqual(inst.code, .ok, inst.err)
        XCTAssertTrue(inst.out.contains("\nN = 2\nM = 3\n"), inst.out)
        XCTAssertEqual(drive(["check", "m.cnn"], files: ["m.cnn": inst.out]).code, .ok)
        let missing = drive(["instantiate", "f.cnn", "-D", "N=2"], files: ["f.cnn": spec])
        XCTAssertEqual(missing.code, .usage)
        XCTAssertTrue(missing.err.contains("still free: M (1...7)"), missing.err)
        let invalid = drive(["instantiate", "f.cnn", "-D", "N=2", "-D", "M=6"], files: ["f.cnn": spec])
        XCTAssertEqual(invalid.code, .invalidSpec)
        XCTAssertTrue(invalid.out.contains("M = 6"))
        XCTAssertTrue(invalid.err.contains("pool6"), invalid.err)
    }
}

extension FamilyTests {
    /// Members checked on worker threads come back in order, the same as checked one by one.
    func testThreadedCheckEqualsSequential() throws {
        let (file, _) = Pipeline.parse(path: "s.cnn", source: mixed)
        let vars = Family.variables(file, defines: []).variables
        let one = FamilyCheck.run(file, variables: vars, defines: [], threads: 1)
        let many = FamilyCheck.run(file, variables: vars, defines: [], threads: 4)
        XCTAssertEqual(FamilyReport.json(one, top: 5, by: .rf), FamilyReport.json(many, top: 5, by: .rf))
    }

    /// Every shipped family (specs/families, checked by `make check`) has valid members, and
    /// its member count is what the variables say.
    func testShippedFamilies() throws {
        let dir = Repo.specs.appendingPathComponent("families")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".cnn") }
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let c = try family(Repo.read(dir.appendingPathComponent(name)), path: name)
            XCTAssertEqual(c.result.members.count, c.variables.count, name)
            XCTAssertGreaterThan(c.result.validCount, 0, name)
        }
    }
}

extension FamilyTests {
    /// Mutated families never crash: every stage ends in diagnostics or results, and every
    /// member instantiates to a spec that checks to a result.
    func testMutatedFamiliesNeverCrash() {
        let seeds = [mixed, lecture, "input 8x8x1\nM = 0...2\nS? = [{on, off}]*M\n[conv(3x3, 2, pad: 1)@s?]*M - fc(2)\nrequire rf >= input\n"]
        let fragments = ["{", "}", "...", "<=", ">", "require ", "rf", "input", "1...3", "-2...-1", "{on, off}", "[{on, off}]*M",
                         "]*", "*M", "5M", "1.5k", "KiB", "\n", "N", "M?", "?", "=", ",", "[", "(", "0", "99999999"]
        var rng = SeededRandom(state: 6)
        var families = 0
        for i in 0..<400 {
            var text = Array(seeds[i % seeds.count])
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0...text.count, using: &rng)
                if Bool.random(using: &rng) {
                    text.insert(contentsOf: fragments.randomElement(using: &rng)!, at: at)
                } else if at < text.count {
                    text.removeSubrange(at..<min(text.count, at + Int.random(in: 1...4, using: &rng)))
                }
            }
            let source = String(text)
            let (file, parse) = Pipeline.parse(path: "m.cnn", source: source)
            if parse.contains(where: { $0.severity == .error }) { continue }
            let vars = Family.variables(file, defines: [])
            guard vars.isFamily, vars.diagnostics.isEmpty, let n = vars.count, n <= 300 else {
                XCTAssertTrue(!vars.isFamily || !vars.diagnostics.isEmpty || (vars.count ?? 0) > 300)
                continue
            }
            families += 1
            let r = FamilyCheck.run(file, variables: vars.variables, defines: [])
            XCTAssertEqual(r.members.count, n, source)
            for m in r.members.prefix(5) {
                let concrete = Pipeline.check(path: "c.cnn", source: Instantiate.render(file, defines: m.bindings.defines, origin: "m.cnn"))
                XCTAssertEqual(concrete.plan != nil, m.valid, source)
            }
        }
        XCTAssertGreaterThan(families, 20)
    }
}
