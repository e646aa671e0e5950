// The command line: argv -> Command, and the driver's exit codes and streams.
import CNNSpec
import XCTest

final class CommandTests: XCTestCase {
    func testParse() throws {
        XCTAssertEqual(try Command.parse(["check", "net.cnn", "-D", "N=3", "-DM=4"]),
                       .check(path: "net.cnn", defines: [Define(name: "N", value: .int(3)), Define(name: "M", value: .int(4))]))
        XCTAssertEqual(try Command.parse(["report", "net.cnn", "--format", "json", "-o", "out.json"]),
                       .report(path: "net.cnn", defines: [], format: .json, output: "out.json"))
        XCTAssertEqual(try Command.parse(["report", "--format=csv", "net.cnn"]), .report(path: "net.cnn", defines: [], format: .csv, output: nil))
        XCTAssertEqual(try Command.parse(["check", "x.cnn", "-D", "POOL?=off", "-D", "C=[8, 16]"]),
                       .check(path: "x.cnn", defines: [Define(name: "POOL?", value: .word("off")), Define(name: "C", value: .list([.int(8), .int(16)]))]))
        XCTAssertEqual(try Command.parse(["--version"]), .version)
        XCTAssertEqual(try Command.parse(["check", "--help"]), .help(topic: "check"))
        XCTAssertEqual(try Command.parse([]), .help(topic: nil))
        for bad in [["check"], ["check", "a", "b"], ["check", "a", "--bogus"], ["report", "a", "--format", "pdf"],
                    ["check", "a", "-D", "N"], ["check", "a", "-D", "N=conv(3x3, 8)"], ["frobnicate"], ["check", "a", "-D"],
                    ["check", "a", "-D", "N=1", "-D", "N=2"], ["check", "a", "-D", "3=1"],
                    ["report", "a", "--format", "json", "--format=csv"], ["report", "a.cnn", "-o", "a.cnn"]] {
            XCTAssertThrowsError(try Command.parse(bad), "\(bad)")
        }
    }

    typealias Run = DriverRun

    func run(_ args: [String], files: [String: String]) -> Run { drive(args, files: files) }

    let net = "input 32x32x3\nN = 2\n(conv(3x3, 8, pad: 1) - relu)*N - maxpool(2x2) - fc(10)\n"

    func testExitCodes() {
        XCTAssertEqual(run(["check", "a.cnn"], files: ["a.cnn": net]).code, .ok)
        XCTAssertEqual(run(["check", "a.cnn"], files: ["a.cnn": "input 7x7x1\nconv(3x3, 1, stride: 3)\n"]).code, .invalidSpec)
        XCTAssertEqual(run(["check", "missing.cnn"], files: [:]).code, .usage)
        XCTAssertEqual(run(["check"], files: [:]).code, .usage)
        XCTAssertEqual(run(["check", "a.cnn", "-D", "Q=3"], files: ["a.cnn": net]).code, .usage)
        XCTAssertEqual(run(["--version"], files: [:]).code, .ok)
        XCTAssertEqual(run(["help", "nothing"], files: [:]).code, .usage)
    }

    func testCheckPrintsTableOnStdoutAndDiagnosticsOnStderr() {
        let r = run(["check", "a.cnn", "-D", "N=3"], files: ["a.cnn": net])
        XCTAssertTrue(r.out.contains("a: valid, 8 layers"), r.out)
        XCTAssertTrue(r.out.contains("params"))
        XCTAssertTrue(r.err.contains("warning: 'fc1' holds"), r.err)
        let bad = run(["check", "a.cnn"], files: ["a.cnn": "input 7x7x1\nconv(3x3, 1, stride: 3)\n"])
        XCTAssertEqual(bad.out, "")
        XCTAssertTrue(bad.err.hasPrefix("a.cnn:2:1: error:"), bad.err)
    }

    func testHelpForEveryCommand() {
        for topic in [[], ["check"], ["report"], ["instantiate"]] {
            let r = run(topic + ["--help"], files: [:])
            XCTAssertEqual(r.code, .ok)
            XCTAssertTrue(r.out.contains("USAGE: cnnspec"), r.out)
        }
    }

    func testReportFormats() throws {
        let json = run(["report", "a.cnn", "--format", "json"], files: ["a.cnn": net])
        XCTAssertEqual(json.code, .ok)
        XCTAssertTrue(json.out.hasPrefix("{\n  \"schema\": 1,\n  \"network\": \"a\","), json.out)
        let csv = run(["report", "a.cnn", "--format", "csv", "-o", "a.csv"], files: ["a.cnn": net])
        XCTAssertEqual(csv.out, "")
        let lines = try XCTUnwrap(csv.written["a.csv"]).split(separator: "\n")
        XCTAssertEqual(lines.count, 1 + 6)
        XCTAssertEqual(lines[1], "1,conv1,conv,3x3 p1,input,8,32,32,224,221184,450560,3,3,1,1,1,1,32768")
        let dash = run(["report", "a.cnn", "--format", "csv", "-o", "-"], files: ["a.cnn": net])
        XCTAssertEqual(dash.written, [:])
        XCTAssertTrue(dash.out.hasPrefix("index,name,op"), dash.out)
        let md = run(["report", "a.cnn", "--format", "markdown"], files: ["a.cnn": net])
        XCTAssertTrue(md.out.contains("| 1 | conv1 | conv | 3x3 p1 | input | 32x32x8 | 224 | 221184 | 450560 | 3 | 1 | 1 | 32768 |"), md.out)
    }
}
