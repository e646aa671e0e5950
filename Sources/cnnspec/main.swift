// cnnspec: the thin executable. Everything it does is in CNNSpec.Driver; this file only
// reads and writes files. It uses the C library rather than Foundation so that start-up
// stays a few milliseconds (loading Foundation costs more than checking a ResNet).
import CNNSpec
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct FileError: Error, CustomStringConvertible {
    var description: String
}

/// Reads a whole file (or standard input for "-"), refusing anything over `limit` bytes.
func readFile(_ path: String, limit: Int) throws -> String {
    guard let f = path == "-" ? stdin : fopen(path, "rb") else { throw FileError(description: String(cString: strerror(errno))) }
    defer { if path != "-" { fclose(f) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if bytes.count > limit { throw FileError(description: "larger than \(limit >> 20) MiB; a spec is a short text file") }
        if n < chunk.count {
            if ferror(f) != 0 { throw FileError(description: String(cString: strerror(errno))) }
            break
        }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else { throw FileError(description: "not UTF-8 text") }
    return text
}

func writeFile(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "wb") else { throw FileError(description: String(cString: strerror(errno))) }
    let bytes = Array(text.utf8)
    let written = bytes.isEmpty ? 0 : fwrite(bytes, 1, bytes.count, f)
    let closed = fclose(f)
    if written != bytes.count || closed != 0 { throw FileError(description: String(cString: strerror(errno))) }
}

/// Replaces a file without a window where it is half written: the new text goes to a
/// temporary file beside it, which then takes the old one's place (and permissions). A
/// symbolic link stays a link: its target is replaced.
func replaceFile(_ link: String, _ text: String) throws {
    var path = link
    if let resolved = realpath(link, nil) { path = String(cString: resolved); free(resolved) }
    let temporary = path + ".cnnspec-tmp"
    try writeFile(temporary, text)
    var info = stat()
    if stat(path, &info) == 0 { _ = chmod(temporary, info.st_mode & 0o7777) }
    if rename(temporary, path) != 0 {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw FileError(description: reason)
    }
}

func write(_ text: String, to stream: UnsafeMutablePointer<FILE>) {
    var t = text
    t.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stream) }
}

func makeDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 && errno != EEXIST { throw FileError(description: String(cString: strerror(errno))) }
}

func temporaryDirectory() throws -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((base + "/cnnspec-build-XXXXXX").utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw FileError(description: String(cString: strerror(errno)))
    }
    return String(cString: made)
}

/// Runs argv (argv[0] looked up on the PATH) with this process's streams; its exit status.
func runProgram(_ argv: [String]) -> Int32 {
    var pid = pid_t()
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    let spawned = posix_spawnp(&pid, argv[0], nil, nil, cArgs, environ)
    if spawned != 0 { return 127 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        if errno != EINTR { return 70 }
    }
    // WIFEXITED / WEXITSTATUS: the low 7 bits are the signal, the next 8 the exit status.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

var driver = Driver(
    readFile: { try readFile($0, limit: Driver.maxFileBytes) },
    writeFile: writeFile,
    stdout: { write($0, to: stdout) },
    stderr: { write($0, to: stderr) },
    makeDirectory: makeDirectory,
    temporaryDirectory: temporaryDirectory,
    remove: { _ = remove($0) },
    runProgram: runProgram)
driver.replaceFile = replaceFile

var code = driver.run(Array(CommandLine.arguments.dropFirst()))
if fflush(stdout) != 0 || ferror(stdout) != 0 {
    write("cnnspec: error: cannot write to standard output: \(String(cString: strerror(errno)))\n", to: stderr)
    code = .software
}
exit(code.rawValue)
