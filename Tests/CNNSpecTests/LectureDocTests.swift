// docs/LECTURE-EXAMPLES.md runs: every `cnnspec ...` command in a ```sh block is run and its
// output must equal the ```text block after it, and a ```cnn block just before the command
// must equal the spec file it names. CNNSPEC_RECORD=1 swift test --filter LectureDocTests
// rewrites those blocks from the real runs.
import CNNSpec
import Foundation
import XCTest

final class LectureDocTests: XCTestCase {
    static let doc = Repo.root.appendingPathComponent("docs/LECTURE-EXAMPLES.md")

    /// Runs a documented command line from the repository root: its stdout, and its exit
    /// code when that is not 0.
    static func run(_ command: String) -> String {
        let args = command.split(separator: " ").dropFirst().map(String.init)
        var out = ""
        let driver = Driver(
            readFile: { path in
                let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : Repo.root.appendingPathComponent(path)
                return try String(contentsOf: url, encoding: .utf8)
            },
            writeFile: { _, _ in XCTFail("a documented command writes a file") },
            stdout: { out += $0 }, stderr: { _ in })
        let code = driver.run(args)
        return out + (code == .ok ? "" : "[exit \(code.rawValue)]\n")
    }

    /// The spec file a command reads: its first argument after the subcommand.
    static func specPath(_ command: String) -> String? {
        command.split(separator: " ").dropFirst(2).first { !$0.hasPrefix("-") }.map(String.init)
    }

    /// The document with every output (and spec) block regenerated; also counts the commands.
    static func regenerated(_ text: String) -> (String, Int) {
        var lines = text.components(separatedBy: "\n")
        var commands = 0
        var i = 0
        func blockEnd(_ start: Int) -> Int? { lines[(start + 1)...].firstIndex { $0 == "```" } }
        while i < lines.count {
            guard lines[i] == "```sh", i + 2 < lines.count, lines[i + 1].hasPrefix("cnnspec "), lines[i + 2] == "```" else { i += 1; continue }
            let command = lines[i + 1]
            commands += 1
            // The spec block right before (blank lines between).
            var j = i - 1
            while j >= 0 && lines[j].isEmpty { j -= 1 }
            if j >= 0, lines[j] == "```", let open = lines[..<j].lastIndex(where: { $0.hasPrefix("```") }),
               lines[open].hasPrefix("```cnn"), let path = specPath(command),
               let spec = try? String(contentsOf: Repo.root.appendingPathComponent(path), encoding: .utf8) {
                let new = spec.components(separatedBy: "\n").dropLast()
                lines.replaceSubrange((open + 1)..<j, with: new)
                i += new.count - (j - open - 1)
            }
            // The output block right after.
            var k = i + 3
            while k < lines.count && lines[k].isEmpty { k += 1 }
            let output = run(command).components(separatedBy: "\n").dropLast()
            if k < lines.count, lines[k] == "```text", let end = blockEnd(k) {
                lines.replaceSubrange((k + 1)..<end, with: output)
            } else {
                lines.insert(contentsOf: [""] + ["```text"] + output + ["```"], at: i + 3)
            }
            i += 3
        }
        return (lines.joined(separator: "\n"), commands)
    }

    func testLectureExamplesAreCurrent() throws {
        let text = Repo.read(Self.doc)
        let (fresh, commands) = Self.regenerated(text)
        XCTAssertGreaterThanOrEqual(commands, 10)
        if ProcessInfo.processInfo.environment["CNNSPEC_RECORD"] == "1" {
            try fresh.write(to: Self.doc, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(fresh, text, "docs/LECTURE-EXAMPLES.md is stale; regenerate with CNNSPEC_RECORD=1 swift test --filter LectureDocTests")
        // The lectures' numbers, as the lectures state them, are in the regenerated text.
        for fact in ["5*5*3 + 1 = 76 weights per filter (+1 is the bias), 76*10 = 760", "(32 - 5 + 2*0)/1 + 1 = 28",
                     "(28 - 5 + 2*0)/1 + 1 = 24", "(7 - 3 + 2*0)/3 + 1 = 2.33", "(7 - 3 + 2*0)/2 + 1 = 3", "(7 - 3 + 2*1)/1 + 1 = 7",
                     "90*90*5 = 40,500 inputs", "= 5 + (3-1)*1 = 7", "7*7*1 = 49 weights", "(4 - 2 + 2*0)/2 + 1 = 2",
                     "(5 - 3 + 2*0)/2 + 1 = 2"] {
            XCTAssertTrue(fresh.contains(fact), fact)
        }
    }
}
