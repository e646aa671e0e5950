// Test helpers: paths to the repository's specs and fixtures, and a one-call check.
import CNNSpec
import Foundation
import XCTest

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let specs = root.appendingPathComponent("specs")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func specFiles() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: specs.path)) ?? []
        return names.filter { $0.hasSuffix(".cnn") }.sorted().map { specs.appendingPathComponent($0) }
    }

    static func read(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
}

/// Checks a spec given as text; `path` only labels diagnostics.
func check(_ source: String, path: String = "test.cnn", defines: [Define] = []) -> CheckResult {
    Pipeline.check(path: path, source: source, defines: defines)
}

/// Checks a spec that must be valid and returns its plan.
func plan(_ source: String, defines: [Define] = [], file: StaticString = #filePath, line: UInt = #line) throws -> Plan {
    let r = check(source, defines: defines)
    let rendered = DiagnosticRenderer(path: "test.cnn", source: source).render(r.diagnostics)
    guard let p = r.plan, !r.hasErrors else {
        XCTFail("expected a valid spec, got:\n\(rendered)", file: file, line: line)
        throw XCTSkip("invalid spec")
    }
    return p
}

/// The ids of a failed check's errors.
func errorIDs(_ source: String, defines: [Define] = []) -> [String] {
    check(source, defines: defines).diagnostics.filter { $0.severity == .error }.map(\.id)
}

extension Plan {
    func layer(_ name: String) -> PlannedLayer? { layers.first { $0.name == name } }
}

struct NoSuchFile: Error {}

/// The result of running the driver on in-memory files.
struct DriverRun {
    var code: ExitCode
    var out: String
    var err: String
    var written: [String: String]
}

func drive(_ args: [String], files: [String: String]) -> DriverRun {
    var out = "", err = "", written: [String: String] = [:]
    let driver = Driver(
        readFile: { path in
            guard let text = files[path] else { throw NoSuchFile() }
            return text
        },
        writeFile: { written[$0] = $1 },
        stdout: { out += $0 }, stderr: { err += $0 },
        makeDirectory: { _ in })
    let code = driver.run(args)
    return DriverRun(code: code, out: out, err: err, written: written)
}
