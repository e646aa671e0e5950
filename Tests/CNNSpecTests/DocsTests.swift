// The docs stay true to the code: every ```cnn block in README.md and docs/*.md must check
// cleanly, every ```cnn-error block must fail, and every ```cnn-family block must be a family with a valid member.
import CNNSpec
import Foundation
import XCTest

final class DocsTests: XCTestCase {
    static func blocks(_ text: String) -> [(tag: String, code: String, line: Int)] {
        var out: [(String, String, Int)] = []
        var current: (String, [Substring], Int)?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let c = current {
                if line.hasPrefix("```") { out.append((c.0, c.1.joined(separator: "\n") + "\n", c.2)); current = nil } else { current!.1.append(line) }
            } else if line.hasPrefix("```cnn") {
                current = (String(line.dropFirst(3)), [], i + 1)
            }
        }
        return out
    }

    func testEveryExampleInTheDocsChecks() throws {
        var docs = [Repo.root.appendingPathComponent("README.md")]
        let dir = Repo.root.appendingPathComponent("docs")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where name.hasSuffix(".md") {
            docs.append(dir.appendingPathComponent(name))
        }
        var count = 0
        for url in docs {
            for b in Self.blocks(Repo.read(url)) {
                count += 1
                let where_ = "\(url.lastPathComponent):\(b.line)"
                let r = check(b.code, path: where_)
                let text = DiagnosticRenderer(path: where_, source: b.code).render(r.diagnostics)
                switch b.tag {
                case "cnn": XCTAssertNotNil(r.plan, "\(where_) should check:\n\(text)")
                case "cnn-error": XCTAssertTrue(r.hasErrors, "\(where_) should fail")
                case "cnn-family":
                    // A family: no errors of its own, and some member valid.
                    let file = Pipeline.parse(path: where_, source: b.code).0
                    let family = Family.variables(file, defines: [])
                    XCTAssertTrue(family.isFamily && family.diagnostics.isEmpty, "\(where_) should be a family: \(family.diagnostics.map(\.message))")
                    XCTAssertGreaterThan(FamilyCheck.run(file, variables: family.variables, defines: []).validCount, 0, where_)
                default: XCTFail("\(where_): unknown block tag \(b.tag)")
                }
            }
        }
        XCTAssertGreaterThan(count, 8)
    }
}
