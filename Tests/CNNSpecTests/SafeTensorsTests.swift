// The safetensors reader and writer: exact float conversions (checked against the standard
// library's Float16 over every bit pattern), round trips, files written by PyTorch, and every
// malformed-file error, which must be thrown, never trapped on.
import CNNSpec
import Foundation
import XCTest

/// A safetensors file with a hand-written header (padded as given) and `data` bytes.
func safetensorsFile(header: String, data: [UInt8] = []) -> [UInt8] {
    let h = Array(header.utf8)
    var out: [UInt8] = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(h.count) >> (8 * UInt64($0))) }
    out += h
    return out + data
}

func readFixture(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: Repo.fixtures.appendingPathComponent(path)))
}

final class SafeTensorsTests: XCTestCase {
    private func error(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> SafeTensorsError? {
        do {
            _ = try SafeTensors.read(bytes)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch let e as SafeTensorsError {
            return e
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return nil
        }
    }

    // MARK: conversions

    #if !(os(macOS) && arch(x86_64))
    func testHalfToFloatIsExactForEveryBitPattern() {
        for bits in 0...UInt16.max {
            let ours = SafeTensors.floatFromHalf(bits)
            let reference = Float(Float16(bitPattern: bits))
            if reference.isNaN {
                XCTAssertTrue(ours.isNaN, "\(bits)")
                XCTAssertEqual(SafeTensors.halfFromFloat(ours) & 0x7C00, 0x7C00)
            } else {
                XCTAssertEqual(ours.bitPattern, reference.bitPattern, "half bits \(bits)")
                XCTAssertEqual(SafeTensors.halfFromFloat(ours), bits, "round trip of half bits \(bits)")
            }
        }
    }

    func testFloatToHalfRoundsToNearestEvenLikeTheStandardLibrary() {
        var rng = SplitMix64(seed: 7)
        // Random bit patterns cover every exponent: subnormal halves, overflow, ties are rare
        // there, so the interesting values are added by hand.
        var values: [Float] = (0..<200_000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }
        values += [0, -0.0, 1, 1 + 0x1p-11, 1 + 3 * 0x1p-11, 65504, 65519.99, 65520, 0x1p-24, 0x1p-25, 0x1.8p-25,
                   0x1p-26, 0x1.ffcp-15, 0x1.ffep-15, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
        for v in values where !v.isNaN {
            XCTAssertEqual(SafeTensors.halfFromFloat(v), Float16(v).bitPattern, "\(v)")
        }
        XCTAssertEqual(SafeTensors.halfFromFloat(1 + 0x1p-11), 0x3C00)   // tie to even: 1
        XCTAssertEqual(SafeTensors.halfFromFloat(1 + 3 * 0x1p-11), 0x3C02)  // tie to even: 1 + 2^-9
        XCTAssertEqual(SafeTensors.halfFromFloat(65520), 0x7C00)          // rounds up to infinity
        XCTAssertTrue(SafeTensors.floatFromHalf(SafeTensors.halfFromFloat(.nan)).isNaN)
    }
    #endif

    func testHalfSpecialValues() {
        XCTAssertEqual(SafeTensors.floatFromHalf(0x0001), 0x1p-24)        // smallest subnormal
        XCTAssertEqual(SafeTensors.floatFromHalf(0x03FF), 1023 * 0x1p-24)  // largest subnormal
        XCTAssertEqual(SafeTensors.floatFromHalf(0x8001), -0x1p-24)
        XCTAssertEqual(SafeTensors.floatFromHalf(0x3C00), 1)
        XCTAssertEqual(SafeTensors.floatFromHalf(0xC000), -2)
        XCTAssertEqual(SafeTensors.floatFromHalf(0x7BFF), 65504)
        XCTAssertEqual(SafeTensors.floatFromHalf(0x7C00), .infinity)
        XCTAssertEqual(SafeTensors.floatFromHalf(0xFC00), -.infinity)
        XCTAssertTrue(SafeTensors.floatFromHalf(0x7E00).isNaN)
        XCTAssertEqual(SafeTensors.floatFromHalf(0x8000).bitPattern, (-Float(0)).bitPattern)
    }

    func testBFloat16Rounding() {
        XCTAssertEqual(SafeTensors.bfloat16FromFloat(1), 0x3F80)
        XCTAssertEqual(SafeTensors.bfloat16FromFloat(1 + 0x1p-8), 0x3F80)           // tie to even
        XCTAssertEqual(SafeTensors.bfloat16FromFloat(1 + 3 * 0x1p-8), 0x3F82)       // tie to even, up
        XCTAssertEqual(SafeTensors.bfloat16FromFloat(1 + 0x1.2p-8), 0x3F81)         // above the tie
        XCTAssertEqual(SafeTensors.bfloat16FromFloat(.greatestFiniteMagnitude), 0x7F80)  // overflows to inf
        XCTAssertEqual(SafeTensors.bfloat16FromFloat(-.infinity), 0xFF80)
        XCTAssertEqual(SafeTensors.bfloat16FromFloat(.leastNonzeroMagnitude), 0)
        XCTAssertEqual(SafeTensors.bfloat16FromFloat(Float(bitPattern: 0x0001_8000)), 0x0002)  // subnormal tie, odd -> up
        let nan = SafeTensors.bfloat16FromFloat(Float(bitPattern: 0x7F80_0001))  // a NaN whose payload is in the low bits
        XCTAssertEqual(nan & 0x7F80, 0x7F80)
        XCTAssertNotEqual(nan & 0x7F, 0)
    }

    // MARK: round trips

    private let special: [Float] = [0, -0.0, 1, -1.5, 3.14159, 0x1p-133, -0x1p-149, 65504, 1e30, .infinity, -.infinity, .nan,
                                    .greatestFiniteMagnitude, .leastNormalMagnitude]

    func testF32RoundTripIsBitExact() throws {
        let tensors = [(name: "a", tensor: Tensor(shape: [2, 7], data: special)),
                       (name: "b.weight", tensor: Tensor(shape: [], data: [42])),
                       (name: "empty", tensor: Tensor(shape: [0, 3], data: [])),
                       (name: "quote\"and\\slash é", tensor: Tensor(shape: [1], data: [7]))]
        let bytes = SafeTensors.encode(tensors, metadata: [("spec", "x.cnn")])
        XCTAssertEqual((bytes.count - 8 - 4 * 16) % 8, 0, "header padded to 8 bytes")
        let back = try SafeTensors.read(bytes)
        XCTAssertEqual(back.metadata, ["spec": "x.cnn"])
        XCTAssertEqual(back.order, tensors.map(\.name))
        for (name, t) in tensors {
            let got = try XCTUnwrap(back.tensors[name], name)
            XCTAssertEqual(got.shape, t.shape)
            XCTAssertEqual(got.data.map(\.bitPattern), t.data.map(\.bitPattern), name)
            XCTAssertEqual(back.dtypes[name], .f32)
        }
    }

    func testF16AndBF16RoundTripsRound() throws {
        let t = Tensor(shape: [special.count], data: special)
        for dtype in [DType.f16, .bf16] {
            let back = try XCTUnwrap(try SafeTensors.decode(SafeTensors.encode([("t", t)], dtype: dtype))["t"])
            for (v, r) in zip(special, back.data) {
                let expected = dtype == .f16 ? SafeTensors.floatFromHalf(SafeTensors.halfFromFloat(v))
                                             : Float(bitPattern: UInt32(SafeTensors.bfloat16FromFloat(v)) << 16)
                XCTAssertEqual(r.bitPattern, expected.bitPattern, "\(dtype) \(v)")
            }
            XCTAssertEqual(back.data[1].sign, .minus, "-0 keeps its sign")
            XCTAssertTrue(back.data[11].isNaN)
            // A value representable in the dtype survives twice.
            let again = try XCTUnwrap(try SafeTensors.decode(SafeTensors.encode([("t", back)], dtype: dtype))["t"])
            XCTAssertEqual(again.data.map(\.bitPattern), back.data.map(\.bitPattern))
        }
    }

    func testFilesWrittenByPyTorch() throws {
        // LeNet-5 stored in F16, cs231n in BF16, tiny_resnet in F32 with I64 num_batches_tracked.
        let lenet = try SafeTensors.read(try readFixture("codegen/lenet5.weights.safetensors"))
        XCTAssertEqual(lenet.metadata["dtype"], "F16")
        XCTAssertEqual(Set(lenet.dtypes.values), [.f16])
        XCTAssertEqual(lenet.tensors["conv1.weight"]?.shape, [6, 1, 5, 5])
        // Every F16 value re-encodes to itself.
        let w = try XCTUnwrap(lenet.tensors["fc1.weight"])
        XCTAssertEqual(try SafeTensors.decode(SafeTensors.encode([("w", w)], dtype: .f16))["w"], w)

        let cs = try SafeTensors.read(try readFixture("codegen/cs231n_pattern.weights.safetensors"))
        XCTAssertEqual(Set(cs.dtypes.values), [.bf16])
        XCTAssertTrue(cs.tensors.values.allSatisfy { $0.data.allSatisfy { $0.bitPattern & 0xFFFF == 0 } })

        let resnet = try SafeTensors.read(try readFixture("codegen/tiny_resnet.weights.safetensors"))
        XCTAssertEqual(resnet.skipped["bn1.num_batches_tracked"], "I64")
        XCTAssertNil(resnet.tensors["bn1.num_batches_tracked"])
        XCTAssertEqual(resnet.tensors["layer2.0.downsample.0.weight"]?.shape, [16, 8, 1, 1])
        XCTAssertEqual(resnet.order.count, resnet.tensors.count + resnet.skipped.count)
    }

    // MARK: malformed files

    func testTruncatedAndLyingHeaderLength() {
        XCTAssertEqual(error([]), .truncatedFile(size: 0))
        XCTAssertEqual(error([1, 2, 3, 4, 5, 6, 7]), .truncatedFile(size: 7))
        XCTAssertEqual(error([255, 255, 255, 255, 255, 255, 255, 255]), .headerLengthTooLarge(length: UInt64.max, fileSize: 8))
        var bytes = safetensorsFile(header: "{}")
        bytes[0] = 3
        XCTAssertEqual(error(bytes), .headerLengthTooLarge(length: 3, fileSize: 10))
        // Every prefix of a valid file is an error, never a trap.
        let valid = SafeTensors.encode([("a", Tensor(shape: [2, 2], data: [1, 2, 3, 4])), ("b", Tensor(shape: [3], data: [5, 6, 7]))])
        XCTAssertNoThrow(try SafeTensors.read(valid))
        for n in 0..<valid.count { XCTAssertNotNil(error(Array(valid.prefix(n))), "prefix \(n)") }
    }

    func testBadJSON() {
        for header in ["", "{", "{\"a\":}", "{\"a\": 1,}", "[1, 2]x", "{'a': 1}", "{\"a\": 01}", "{\"a\": tru}",
                       "{\"a\": \"\\x\"}", "{\"a\": \"\u{01}\"}", "{\"a\": 99999999999999999999}", "{\"a\": \"\\ud800\"}",
                       String(repeating: "[", count: 100_000), "{\"a\": 1, \"a\": 2}", "{} {}"] {
            guard case .badJSON? = error(safetensorsFile(header: header)) else { XCTFail("accepted \(header.prefix(30))"); continue }
        }
        var invalidUTF8 = safetensorsFile(header: "{\"\u{e9}\": 1}")
        invalidUTF8[10] = 0xFF
        guard case .badJSON? = error(invalidUTF8) else { return XCTFail("accepted invalid utf-8") }
        let e = error(safetensorsFile(header: "{\"a\": [1, 2,]}"))
        XCTAssertEqual(e?.description, "safetensors header is not valid json: expected a value at byte 12")
    }

    func testHeaderThatIsNotSafetensors() {
        let cases: [(String, SafeTensorsError)] = [
            ("[]", .badHeader(tensor: "", reason: "the header is not a json object")),
            ("{\"__metadata__\": 1}", .badHeader(tensor: "", reason: "__metadata__ is not an object")),
            ("{\"__metadata__\": {\"k\": 1}}", .badHeader(tensor: "", reason: "__metadata__ value 'k' is not a string")),
            ("{\"w\": 1}", .badHeader(tensor: "w", reason: "entry is not an object")),
            ("{\"w\": {\"shape\": [], \"data_offsets\": [0, 0]}}", .badHeader(tensor: "w", reason: "no dtype")),
            ("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 0]}}", .badHeader(tensor: "w", reason: "no shape")),
            ("{\"w\": {\"dtype\": \"F32\", \"shape\": []}}", .badHeader(tensor: "w", reason: "no data_offsets")),
            ("{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}",
             .badHeader(tensor: "w", reason: "shape has a value that is not an integer")),
            ("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}",
             .badHeader(tensor: "w", reason: "data_offsets is not an array of two integers")),
            ("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], \"extra\": 1}}",
             .badHeader(tensor: "w", reason: "unknown field 'extra'")),
            ("{\"w\": {\"dtype\": \"Q4\", \"shape\": [1], \"data_offsets\": [0, 4]}}", .unknownDType(tensor: "w", dtype: "Q4")),
        ]
        for (header, expected) in cases {
            XCTAssertEqual(error(safetensorsFile(header: header, data: [0, 0, 0, 0])), expected, header)
        }
    }

    func testLyingShapesAndOffsets() {
        let data = [UInt8](repeating: 0, count: 16)
        func file(_ entries: String) -> [UInt8] { safetensorsFile(header: "{" + entries + "}", data: data) }
        func entry(_ name: String, _ dtype: String = "F32", _ shape: String, _ b: Int, _ e: Int) -> String {
            "\"\(name)\": {\"dtype\": \"\(dtype)\", \"shape\": [\(shape)], \"data_offsets\": [\(b), \(e)]}"
        }
        XCTAssertEqual(error(file(entry("w", "F32", "\(Int.max), 2", 0, 16))), .shapeOverflow(tensor: "w", shape: [Int.max, 2]))
        XCTAssertEqual(error(file(entry("w", "F32", "\(Int.max / 2)", 0, 16))), .shapeOverflow(tensor: "w", shape: [Int.max / 2]))
        XCTAssertEqual(error(file(entry("w", "F32", "-4", 0, 16))), .shapeOverflow(tensor: "w", shape: [-4]))
        XCTAssertEqual(error(file(entry("w", "F32", "3", 0, 16))), .sizeMismatch(tensor: "w", expectedBytes: 12, actualBytes: 16))
        XCTAssertEqual(error(file(entry("w", "F16", "4", 0, 16))), .sizeMismatch(tensor: "w", expectedBytes: 8, actualBytes: 16))
        XCTAssertEqual(error(file(entry("w", "F32", "8", 0, 32))), .offsetsOutOfRange(tensor: "w", begin: 0, end: 32, dataBytes: 16))
        XCTAssertEqual(error(file(entry("w", "F32", "1", 12, 8))), .offsetsOutOfRange(tensor: "w", begin: 12, end: 8, dataBytes: 16))
        XCTAssertEqual(error(file(entry("w", "F32", "1", -4, 0))), .offsetsOutOfRange(tensor: "w", begin: -4, end: 0, dataBytes: 16))
        XCTAssertEqual(error(file(entry("a", "F32", "3", 0, 12) + "," + entry("b", "F32", "2", 8, 16))), .offsetsOverlap(tensor: "b", other: "a"))
        XCTAssertEqual(error(file(entry("a", "F32", "2", 0, 8) + "," + entry("b", "F32", "1", 12, 16))), .gapBeforeTensor(tensor: "b", begin: 12, expected: 8))
        XCTAssertEqual(error(file(entry("a", "F32", "2", 0, 8))), .trailingBytes(count: 8))
        XCTAssertEqual(error(file(entry("a", "F32", "4", 0, 16) + "," + entry("a", "F32", "4", 0, 16)))?.description.hasPrefix("safetensors header is not valid json: duplicate key"), true)
        // Other dtypes are validated, then skipped.
        let ok = try? SafeTensors.read(file(entry("n", "I64", "", 0, 8) + "," + entry("w", "F32", "2", 8, 16)))
        XCTAssertEqual(ok?.skipped, ["n": "I64"])
        XCTAssertEqual(ok?.tensors["w"]?.data, [0, 0])
        XCTAssertEqual(error(file(entry("n", "I64", "1", 0, 16))), .sizeMismatch(tensor: "n", expectedBytes: 8, actualBytes: 16))
    }

    func testErrorMessagesNameTheTensor() {
        XCTAssertEqual(SafeTensorsError.sizeMismatch(tensor: "fc.weight", expectedBytes: 40, actualBytes: 36).description,
                       "tensor 'fc.weight': its shape and dtype need 40 bytes, its offsets give 36")
        XCTAssertEqual(SafeTensorsError.offsetsOutOfRange(tensor: "conv1.bias", begin: 0, end: 64, dataBytes: 8).description,
                       "tensor 'conv1.bias': offsets [0, 64] are outside the data (8 bytes; the file is truncated or the header lies)")
    }

    func testRandomCorruptionNeverTraps() {
        let valid = SafeTensors.encode([("a", Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])), ("b", Tensor(shape: [1], data: [7]))],
                                       dtype: .f16, metadata: [("k", "v")])
        var rng = SplitMix64(seed: 99)
        var failures = 0
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            }
            do { _ = try SafeTensors.read(bytes) } catch { failures += 1 }
        }
        XCTAssertGreaterThan(failures, 100)
    }
}
