// cnnspec: the thin executable. Everything it does is in CNNSpec.Driver.
import CNNSpec
import Foundation

struct FileError: Error, CustomStringConvertible {
    var description: String
}

let driver = Driver(
    readFile: { path in
        let data: Data?
        if path == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else { data = FileManager.default.contents(atPath: path) }
        guard let data else { throw FileError(description: "no such file") }
        guard let text = String(data: data, encoding: .utf8) else { throw FileError(description: "not UTF-8 text") }
        return text
    },
    writeFile: { path, text in
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw FileError(description: "\(error.localizedDescription)")
        }
    },
    stdout: { FileHandle.standardOutput.write($0.data(using: .utf8)!) },
    stderr: { FileHandle.standardError.write($0.data(using: .utf8)!) })

exit(driver.run(Array(CommandLine.arguments.dropFirst())).rawValue)
