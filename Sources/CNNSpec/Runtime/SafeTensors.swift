// The safetensors format (github.com/huggingface/safetensors): an 8-byte little-endian header
// length N, N bytes of JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, ...,
// "__metadata__": {string: string}}, then the data, offsets relative to its start.
// Decoding is strict and bounded: every size in the header is checked against the file
// before anything is allocated, so a lying header gives an error, never a trap or a huge
// allocation. F32, F16 and BF16 become Float exactly; other dtypes are validated and skipped.

/// Element types of safetensors files.
public enum DType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"

    public var byteSize: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        }
    }
}

public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file is shorter than its 8-byte header length.
    case truncatedFile(size: Int)
    /// The header length says more bytes than the file has (or more than the 100 MB safetensors allows).
    case headerLengthTooLarge(length: UInt64, fileSize: Int)
    /// The header is not valid JSON.
    case badJSON(JSONSyntaxError)
    /// The header is valid JSON but not a safetensors header (`tensor` is "" for the top level).
    case badHeader(tensor: String, reason: String)
    case unknownDType(tensor: String, dtype: String)
    /// The product of the shape overflows, or a size is negative.
    case shapeOverflow(tensor: String, shape: [Int])
    /// `end - begin` is not the size that shape and dtype need.
    case sizeMismatch(tensor: String, expectedBytes: Int, actualBytes: Int)
    /// The offsets point outside the data section (or begin > end).
    case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataBytes: Int)
    /// Tensors must tile the data section: no overlap, no gap.
    case offsetsOverlap(tensor: String, other: String)
    case gapBeforeTensor(tensor: String, begin: Int, expected: Int)
    /// Bytes after the last tensor that no tensor owns.
    case trailingBytes(count: Int)

    public var description: String {
        switch self {
        case .truncatedFile(let n):
            return "safetensors file is truncated: \(n) bytes, the header length alone needs 8"
        case .headerLengthTooLarge(let len, let size):
            return "safetensors header length \(len) is larger than the file (\(size) bytes)"
        case .badJSON(let e):
            return "safetensors header is not valid json: \(e)"
        case .badHeader(let t, let reason):
            return t.isEmpty ? "safetensors header: \(reason)" : "tensor '\(t)': \(reason)"
        case .unknownDType(let t, let d):
            return "tensor '\(t)': unknown dtype '\(d)'"
        case .shapeOverflow(let t, let s):
            return "tensor '\(t)': shape \(s) has a negative size or too many elements"
        case .sizeMismatch(let t, let e, let a):
            return "tensor '\(t)': its shape and dtype need \(e) bytes, its offsets give \(a)"
        case .offsetsOutOfRange(let t, let b, let e, let n):
            return "tensor '\(t)': offsets [\(b), \(e)] are outside the data (\(n) bytes; the file is truncated or the header lies)"
        case .offsetsOverlap(let t, let o):
            return "tensor '\(t)': its bytes overlap tensor '\(o)'"
        case .gapBeforeTensor(let t, let b, let e):
            return "tensor '\(t)': starts at byte \(b) of the data, expected \(e) (unowned bytes before it)"
        case .trailingBytes(let n):
            return "safetensors data has \(n) bytes after the last tensor"
        }
    }
}

public enum SafeTensors {
    /// Header lengths above this are refused, as the reference implementation does.
    public static let maxHeaderLength = 100_000_000

    /// A decoded file: the float tensors, the entries of other dtypes (validated, not
    /// converted; e.g. BatchNorm's I64 `num_batches_tracked`), and the metadata.
    public struct Contents: Sendable {
        public var tensors: [String: Tensor]
        /// Dtypes of the entries that are not F32/F16/BF16, by name.
        public var skipped: [String: String]
        /// The dtype each float tensor was stored in.
        public var dtypes: [String: DType]
        /// Every entry name in header order.
        public var order: [String]
        public var metadata: [String: String]
    }

    /// The float tensors of a file (F32, F16 and BF16 converted to Float); entries of other
    /// dtypes are ignored (see `read` to get them).
    public static func decode(_ bytes: [UInt8]) throws -> [String: Tensor] {
        try read(bytes).tensors
    }

    /// Sizes in bytes of every dtype of the format; floats are converted, the rest skipped.
    static let otherDTypeSizes: [String: Int] = [
        "F64": 8, "I64": 8, "U64": 8, "I32": 4, "U32": 4, "I16": 2, "U16": 2,
        "I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1,
    ]

    private struct Entry {
        var name: String
        var dtype: String
        var float: DType?
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    public static func read(_ bytes: [UInt8]) throws -> Contents {
        guard bytes.count >= 8 else { throw SafeTensorsError.truncatedFile(size: bytes.count) }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(bytes.count - 8), length <= UInt64(maxHeaderLength) else {
            throw SafeTensorsError.headerLengthTooLarge(length: length, fileSize: bytes.count)
        }
        let headerEnd = 8 + Int(length)
        let json: JSON
        do {
            json = try JSONParser.parse(Array(bytes[8..<headerEnd]))
        } catch let e as JSONSyntaxError {
            throw SafeTensorsError.badJSON(e)
        }
        guard case .object(let fields) = json else { throw SafeTensorsError.badHeader(tensor: "", reason: "the header is not a json object") }
        let dataBytes = bytes.count - headerEnd
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in fields {
            if name == "__metadata__" {
                guard case .object(let m) = value else { throw SafeTensorsError.badHeader(tensor: "", reason: "__metadata__ is not an object") }
                for (k, v) in m {
                    guard case .string(let s) = v else { throw SafeTensorsError.badHeader(tensor: "", reason: "__metadata__ value '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            entries.append(try entry(name, value, dataBytes: dataBytes))
        }
        // The tensors must tile the data section exactly, in offset order.
        let byOffset = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expected = 0
        var previous: String?
        for e in byOffset {
            if e.begin < expected, let p = previous { throw SafeTensorsError.offsetsOverlap(tensor: e.name, other: p) }
            if e.begin > expected { throw SafeTensorsError.gapBeforeTensor(tensor: e.name, begin: e.begin, expected: expected) }
            expected = e.end
            previous = e.name
        }
        if expected != dataBytes { throw SafeTensorsError.trailingBytes(count: dataBytes - expected) }

        var contents = Contents(tensors: [:], skipped: [:], dtypes: [:], order: entries.map(\.name), metadata: metadata)
        bytes.withUnsafeBufferPointer { all in
            let data = UnsafeBufferPointer(rebasing: all[headerEnd...])
            for e in entries {
                guard let dtype = e.float else { contents.skipped[e.name] = e.dtype; continue }
                let count = (e.end - e.begin) / dtype.byteSize
                let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
                    convert(UnsafeBufferPointer(rebasing: data[e.begin..<e.end]), dtype, count, into: out)
                    initialized = count
                }
                contents.tensors[e.name] = Tensor(shape: e.shape, data: values)
                contents.dtypes[e.name] = dtype
            }
        }
        return contents
    }

    private static func entry(_ name: String, _ value: JSON, dataBytes: Int) throws -> Entry {
        func bad(_ reason: String) -> SafeTensorsError { .badHeader(tensor: name, reason: reason) }
        guard case .object(let fields) = value else { throw bad("entry is not an object") }
        var dtypeText: String?, shape: [Int]?, offsets: [Int]?
        for (key, v) in fields {
            switch key {
            case "dtype":
                guard case .string(let s) = v else { throw bad("dtype is not a string") }
                dtypeText = s
            case "shape":
                guard case .array(let items) = v else { throw bad("shape is not an array") }
                shape = try items.map {
                    guard case .int(let i) = $0 else { throw bad("shape has a value that is not an integer") }
                    return i
                }
            case "data_offsets":
                guard case .array(let items) = v, items.count == 2 else { throw bad("data_offsets is not an array of two integers") }
                offsets = try items.map {
                    guard case .int(let i) = $0 else { throw bad("data_offsets is not an array of two integers") }
                    return i
                }
            default:
                throw bad("unknown field '\(key)'")
            }
        }
        guard let dtypeText else { throw bad("no dtype") }
        guard let shape else { throw bad("no shape") }
        guard let offsets else { throw bad("no data_offsets") }
        let float = DType(rawValue: dtypeText)
        guard let size = float?.byteSize ?? otherDTypeSizes[dtypeText] else {
            throw SafeTensorsError.unknownDType(tensor: name, dtype: dtypeText)
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end, end <= dataBytes else {
            throw SafeTensorsError.offsetsOutOfRange(tensor: name, begin: begin, end: end, dataBytes: dataBytes)
        }
        guard let count = Tensor.elementCount(shape) else { throw SafeTensorsError.shapeOverflow(tensor: name, shape: shape) }
        let (needed, overflow) = count.multipliedReportingOverflow(by: size)
        if overflow { throw SafeTensorsError.shapeOverflow(tensor: name, shape: shape) }
        guard needed == end - begin else {
            throw SafeTensorsError.sizeMismatch(tensor: name, expectedBytes: needed, actualBytes: end - begin)
        }
        return Entry(name: name, dtype: dtypeText, float: float, shape: shape, begin: begin, end: end)
    }

    private static func convert(_ src: UnsafeBufferPointer<UInt8>, _ dtype: DType, _ count: Int, into out: UnsafeMutableBufferPointer<Float>) {
        switch dtype {
        case .f32:
            for i in 0..<count {
                let b = 4 * i
                let bits = UInt32(src[b]) | UInt32(src[b + 1]) << 8 | UInt32(src[b + 2]) << 16 | UInt32(src[b + 3]) << 24
                out[i] = Float(bitPattern: bits)
            }
        case .f16:
            for i in 0..<count { out[i] = floatFromHalf(UInt16(src[2 * i]) | UInt16(src[2 * i + 1]) << 8) }
        case .bf16:
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(UInt16(src[2 * i]) | UInt16(src[2 * i + 1]) << 8) << 16) }
        }
    }

    /// IEEE binary16 to Float, exactly: subnormals, infinities and NaN payloads included.
    public static func floatFromHalf(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa * 2^-24, exact in Float.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }

    /// Float to IEEE binary16, rounding to nearest even; overflow gives infinity, NaN stays NaN.
    public static func halfFromFloat(_ f: Float) -> UInt16 {
        let bits = f.bitPattern
        let sign = UInt16(bits >> 16) & 0x8000
        let exponent = Int(bits >> 23) & 0xFF
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa == 0 ? 0 : UInt16(0x200 | (mantissa >> 13)))
        }
        let e = exponent - 127 + 15
        if e >= 0x1F { return sign | 0x7C00 }
        if e <= 0 {
            // Subnormal half (or zero): shift the full significand into place and round.
            if e < -10 { return sign }
            let significand = mantissa | 0x80_0000
            let shift = UInt32(14 - e)
            var half = significand >> shift
            let rest = significand & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if rest > halfway || (rest == halfway && half & 1 == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = UInt32(e) << 10 | mantissa >> 13
        let rest = mantissa & 0x1FFF
        if rest > 0x1000 || (rest == 0x1000 && half & 1 == 1) { half += 1 }  // may carry into inf: correct
        return sign | UInt16(half)
    }

    /// Float to bfloat16, rounding to nearest even; NaN stays NaN.
    public static func bfloat16FromFloat(_ f: Float) -> UInt16 {
        let bits = f.bitPattern
        if f.isNaN { return UInt16(bits >> 16) | 0x40 }
        let rest = bits & 0xFFFF
        var upper = bits >> 16
        if rest > 0x8000 || (rest == 0x8000 && upper & 1 == 1) { upper += 1 }
        return UInt16(upper)
    }

    /// Writes a safetensors file with the tensors in the order given (header keys and data),
    /// the header padded with spaces to a multiple of 8 bytes as the reference writer does.
    /// Values are rounded to nearest even for F16/BF16. A tensor whose data count does not
    /// match its shape is written as given and is rejected when read back.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], dtype: DType = .f32, metadata: [(String, String)] = []) -> [UInt8] {
        var header = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            fields.append("\"__metadata__\":{" + metadata.map { JSON.quote($0.0) + ":" + JSON.quote($0.1) }.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, t) in tensors {
            let size = t.data.count * dtype.byteSize
            fields.append(JSON.quote(name) + ":{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[" + t.shape.map(String.init).joined(separator: ",")
                          + "],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        let n = UInt64(headerBytes.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
        out += headerBytes
        for (_, t) in tensors {
            switch dtype {
            case .f32:
                for v in t.data {
                    let b = v.bitPattern
                    out += [UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 24)]
                }
            case .f16, .bf16:
                for v in t.data {
                    let h = dtype == .f16 ? halfFromFloat(v) : bfloat16FromFloat(v)
                    out += [UInt8(truncatingIfNeeded: h), UInt8(truncatingIfNeeded: h >> 8)]
                }
            }
        }
        return out
    }
}
