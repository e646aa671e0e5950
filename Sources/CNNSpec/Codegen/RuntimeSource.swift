// The runtime every generated file carries, nested in an extension of its model type (so
// generated files share a module without clashing): file access with the C library,
// safetensors reading and writing, weight packing (the kernels the layer functions call
// are in KernelSource.swift and the *KernelSource.swift files of the convs), and the reference implementation the self-test compares them
// with. Kept as source text because it is printed, not linked; GeneratedTests compile and
// run it through generated/.

let runtimeSource = #"""
    /// Why weights or an input could not be used: the message names the tensor or the file.
    public struct ModelError: Error, CustomStringConvertible {
        public let message: String
        init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    // MARK: Files

    /// Reads a whole file with the C library, refusing anything over `limit` bytes.
    static func readBytes(_ path: String, limit: Int = 1 << 36) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw ModelError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n > 0 { bytes.append(contentsOf: chunk[0 ..< n]) }
            if bytes.count > limit { throw ModelError("\(path) is larger than \(limit >> 20) MiB") }
            if n < chunk.count {
                if ferror(f) != 0 { throw ModelError("cannot read \(path): \(String(cString: strerror(errno)))") }
                return bytes
            }
        }
    }

    static func writeBytes(_ path: String, _ bytes: [UInt8]) throws {
        guard let f = fopen(path, "wb") else { throw ModelError("cannot write \(path): \(String(cString: strerror(errno)))") }
        let written = bytes.isEmpty ? 0 : fwrite(bytes, 1, bytes.count, f)
        if fclose(f) != 0 || written != bytes.count { throw ModelError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    // MARK: safetensors

    /// A tensor's entry in a safetensors header; `begin` and `end` are absolute file offsets.
    struct TensorEntry {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int
        var isFloat: Bool { dtype == "F32" || dtype == "F16" || dtype == "BF16" }
        var elementCount: Int { shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 } }
    }

    /// The entries of a safetensors file: an 8-byte little-endian header length, a JSON
    /// header, the data. Every offset and size is checked against the file.
    static func tensorEntries(_ bytes: [UInt8], file: String) throws -> [TensorEntry] {
        guard bytes.count >= 8 else { throw ModelError("\(file): not a safetensors file (\(bytes.count) bytes, shorter than its 8-byte header length)") }
        var headerLength: UInt64 = 0
        for i in 0 ..< 8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw ModelError("\(file): truncated or not a safetensors file (header of \(headerLength) bytes in a file of \(bytes.count))")
        }
        let dataStart = 8 + Int(headerLength)
        var parser = JSONParser(bytes: bytes, position: 8, end: dataStart)
        let header: JSON
        do { header = try parser.parseDocument() } catch let e as ModelError { throw ModelError("\(file): bad safetensors header: \(e.message)") }
        guard case .object(let fields) = header else { throw ModelError("\(file): bad safetensors header: not a JSON object") }
        var entries: [TensorEntry] = []
        for (name, value) in fields where name != "__metadata__" {
            guard case .object(let info) = value,
                  case .string(let dtype)? = info.first(where: { $0.0 == "dtype" })?.1,
                  case .array(let shapeValues)? = info.first(where: { $0.0 == "shape" })?.1,
                  case .array(let offsetValues)? = info.first(where: { $0.0 == "data_offsets" })?.1,
                  offsetValues.count == 2 else {
                throw ModelError("\(file): bad safetensors header: tensor '\(name)' needs dtype, shape and data_offsets")
            }
            var shape: [Int] = []
            for v in shapeValues {
                guard case .integer(let d) = v, d >= 0 else { throw ModelError("\(file): tensor '\(name)' has a bad shape") }
                shape.append(d)
            }
            guard case .integer(let b) = offsetValues[0], case .integer(let e) = offsetValues[1], b >= 0, b <= e,
                  e <= bytes.count - dataStart else {
                throw ModelError("\(file): tensor '\(name)' has data offsets outside the file (truncated?)")
            }
            let entry = TensorEntry(name: name, dtype: dtype, shape: shape, begin: dataStart + b, end: dataStart + e)
            let width = dtype == "F32" || dtype == "I32" || dtype == "U32" ? 4 : dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16" ? 2
                : dtype == "F64" || dtype == "I64" || dtype == "U64" ? 8 : dtype == "I8" || dtype == "U8" || dtype == "BOOL" ? 1 : 0
            if width > 0 {
                let (bytesNeeded, overflow) = entry.elementCount.multipliedReportingOverflow(by: width)
                guard !overflow, bytesNeeded == e - b else {
                    throw ModelError("\(file): tensor '\(name)' has \(e - b) bytes of data; its shape \(shape) of \(dtype) needs \(overflow ? "more" : String(bytesNeeded))")
                }
            }
            entries.append(entry)
        }
        return entries
    }

    /// Converts a float tensor's data (F32, F16 or BF16, little-endian) into `out`.
    static func readFloats(_ bytes: [UInt8], _ e: TensorEntry, into out: UnsafeMutablePointer<Float>) {
        bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress! + e.begin
            switch e.dtype {
            case "F32":
                for i in 0 ..< (e.end - e.begin) / 4 {
                    out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            case "BF16":
                for i in 0 ..< (e.end - e.begin) / 2 {
                    let h = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    out[i] = Float(bitPattern: UInt32(h) << 16)
                }
            default:
                for i in 0 ..< (e.end - e.begin) / 2 {
                    out[i] = halfToFloat(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            }
        }
    }

    /// IEEE binary16 to Float, subnormals, infinities and NaN included.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1f)
        let fraction = Float(h & 0x3ff)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// A safetensors file of F32 tensors, in the given order.
    static func encodeTensors(_ tensors: [(name: String, shape: [Int], values: [Float])]) -> [UInt8] {
        var header = "{"
        var offset = 0
        for (i, t) in tensors.enumerated() {
            if i > 0 { header += "," }
            header += "\"\(t.name)\":{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + 4 * t.values.count)]}"
            offset += 4 * t.values.count
        }
        header += "}"
        while (header.utf8.count + 8) % 8 != 0 { header += " " }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.utf8.count + offset)
        let length = UInt64(header.utf8.count)
        for i in 0 ..< 8 { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(i)))) }
        bytes += Array(header.utf8)
        for t in tensors {
            for v in t.values {
                let b = v.bitPattern.littleEndian
                bytes += [UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 24)]
            }
        }
        return bytes
    }

    /// Reads one float tensor from a safetensors file (the input of the command-line tool).
    static func readTensor(_ bytes: [UInt8], named name: String, file: String) throws -> (shape: [Int], values: [Float]) {
        guard let e = try tensorEntries(bytes, file: file).first(where: { $0.name == name }) else {
            throw ModelError("\(file) has no tensor named '\(name)'")
        }
        guard e.isFloat else { throw ModelError("\(file): tensor '\(name)' is \(e.dtype); expected F32, F16 or BF16") }
        var values = [Float](repeating: 0, count: e.elementCount)
        values.withUnsafeMutableBufferPointer { readFloats(bytes, e, into: $0.baseAddress!) }
        return (e.shape, values)
    }

    /// Loads the state_dict tensors the network needs into the raw buffer. Missing, extra,
    /// mis-shaped and wrongly typed tensors are errors; non-float entries the network does
    /// not name (such as `num_batches_tracked`) are ignored.
    static func loadRaw(_ bytes: [UInt8], file: String, into raw: UnsafeMutablePointer<Float>) throws {
        let table = weightTable
        var index: [String: Int] = [:]
        for (i, t) in table.enumerated() { index[t.name] = i }
        var seen = [Bool](repeating: false, count: table.count)
        for e in try tensorEntries(bytes, file: file) {
            guard let k = index[e.name] else {
                if !e.isFloat { continue }
                throw ModelError("\(file): unexpected tensor '\(e.name)': the network has no weight of that name")
            }
            let t = table[k]
            guard e.isFloat else { throw ModelError("\(file): tensor '\(e.name)' is \(e.dtype); expected F32, F16 or BF16") }
            guard e.shape == t.shape else {
                throw ModelError("\(file): tensor '\(e.name)' has shape \(e.shape); the network needs \(t.shape)")
            }
            readFloats(bytes, e, into: raw + t.offset)
            seen[k] = true
        }
        let missing = table.indices.filter { !seen[$0] }.map { table[$0].name }
        if !missing.isEmpty {
            let shown = missing.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            throw ModelError("\(file): missing tensor\(missing.count == 1 ? "" : "s") \(shown)\(missing.count > 5 ? " and \(missing.count - 5) more" : "")")
        }
    }

    /// The weight table, parsed from its compact text form.
    static var weightTable: [(name: String, shape: [Int], offset: Int, low: Float, high: Float)] {
        weightTableText.split(separator: "\n").map { line in
            let f = line.split(separator: " ")
            return (String(f[0]), f[1].split(separator: "x").map { Int($0)! }, Int(f[2])!, Float(f[3])!, Float(f[4])!)
        }
    }

    /// Seeded uniform random weights (splitmix64): the same seed gives the same network.
    static func randomRaw(_ raw: UnsafeMutablePointer<Float>, seed: UInt64) {
        var state = seed
        for t in weightTable {
            let count = t.shape.reduce(1, *)
            for i in 0 ..< count { raw[t.offset + i] = t.low + (t.high - t.low) * nextUniform(&state) }
        }
    }

    /// A float in [0, 1) from a splitmix64 stream.
    static func nextUniform(_ state: inout UInt64) -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * 0x1p-24
    }

    /// Seeded inputs in [-1, 1).
    public static func randomInput(batch: Int, seed: UInt64) -> [Float] {
        var state = seed ^ 0x5DEE_CE66_D1CE_4E5B
        return (0 ..< max(0, batch) * inputCount).map { _ in 2 * nextUniform(&state) - 1 }
    }

    /// A JSON value, as much of JSON as a safetensors header uses.
    indirect enum JSON {
        case object([(String, JSON)])
        case array([JSON])
        case string(String)
        case integer(Int)
        case other
    }

    /// A small strict JSON parser with a depth limit; errors are ModelErrors.
    struct JSONParser {
        var bytes: [UInt8]
        var position: Int
        var end: Int
        var depth = 0

        mutating func parseDocument() throws -> JSON {
            let v = try value()
            skipSpace()
            guard position == end else { throw ModelError("unexpected text after the JSON value at byte \(position)") }
            return v
        }

        mutating func skipSpace() {
            while position < end, bytes[position] == 0x20 || bytes[position] == 0x0a || bytes[position] == 0x0d || bytes[position] == 0x09 { position += 1 }
        }

        mutating func expect(_ c: UInt8) throws {
            skipSpace()
            guard position < end, bytes[position] == c else { throw ModelError("expected '\(Character(Unicode.Scalar(c)))' at byte \(position)") }
            position += 1
        }

        mutating func value() throws -> JSON {
            skipSpace()
            guard position < end else { throw ModelError("unexpected end of header") }
            depth += 1
            defer { depth -= 1 }
            guard depth < 64 else { throw ModelError("nested too deeply") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var fields: [(String, JSON)] = []
                skipSpace()
                if position < end, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(fields) }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value() else { throw ModelError("expected a string key at byte \(position)") }
                    try expect(UInt8(ascii: ":"))
                    fields.append((key, try value()))
                    skipSpace()
                    guard position < end else { throw ModelError("unexpected end of header") }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    return .object(fields)
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [JSON] = []
                skipSpace()
                if position < end, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skipSpace()
                    guard position < end else { throw ModelError("unexpected end of header") }
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                position += 1
                var scalars: [UInt8] = []
                while position < end, bytes[position] != UInt8(ascii: "\"") {
                    if bytes[position] == UInt8(ascii: "\\") {
                        position += 1
                        guard position < end else { break }
                        let c = bytes[position]
                        switch c {
                        case UInt8(ascii: "n"): scalars.append(0x0a)
                        case UInt8(ascii: "t"): scalars.append(0x09)
                        case UInt8(ascii: "r"): scalars.append(0x0d)
                        case UInt8(ascii: "b"): scalars.append(0x08)
                        case UInt8(ascii: "f"): scalars.append(0x0c)
                        case UInt8(ascii: "u"):
                            guard position + 4 < end, let code = UInt32(String(decoding: bytes[position + 1 ... position + 4], as: UTF8.self), radix: 16),
                                  let scalar = Unicode.Scalar(code) else { throw ModelError("bad \\u escape at byte \(position)") }
                            scalars += Array(String(Character(scalar)).utf8)
                            position += 4
                        default: scalars.append(c)
                        }
                    } else {
                        scalars.append(bytes[position])
                    }
                    position += 1
                }
                guard position < end else { throw ModelError("unterminated string") }
                position += 1
                guard let s = String(validating: scalars, as: UTF8.self) else { throw ModelError("a string is not UTF-8") }
                return .string(s)
            default:
                let start = position
                while position < end, !",]} \n\r\t".utf8.contains(bytes[position]) { position += 1 }
                let text = String(decoding: bytes[start ..< position], as: UTF8.self)
                if let i = Int(text) { return .integer(i) }
                if text == "true" || text == "false" || text == "null" || Double(text) != nil { return .other }
                throw ModelError("unexpected '\(text.prefix(20))' at byte \(start)")
            }
        }
    }

    // MARK: Memory

    /// Floats for the weights or the arena, 2 MB aligned; on Linux the kernel is asked for
    /// huge pages (the conv kernels read many planes at once, and 4 KB pages miss the TLB).
    static func allocateLarge(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = count * MemoryLayout<Float>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 1 << 21)
        #if os(Linux)
        if bytes >= 1 << 21 { _ = madvise(raw, (bytes + (1 << 21) - 1) & ~((1 << 21) - 1), MADV_HUGEPAGE) }
        #endif
        return raw.bindMemory(to: Float.self, capacity: count)
    }

    // MARK: Packing (load time)

    /// Conv weights: PyTorch's OIHW layout (`block` 0), or blocked for the tiled kernel: per
    /// group, output channels in blocks of `block` lanes, [group][block][in channel x tap][lane],
    /// the lanes past the group's channels zero; a block of 32 as two of 16, one after the other
    /// ([group][block][2][in channel x tap][16]: `conv32x7` reads both halves a step, without
    /// 16-float registers `conv16x6` each half in turn, from contiguous rows). The bias is materialised (blocked and padded
    /// likewise; with taps > 1 the reduction is reordered tap-major, for a channels-last
    /// input); a following batch norm is folded in:
    /// w' = w * g / sqrt(var + eps), b' = (b - mean) * g / sqrt(var + eps) + beta.
    @inline(never)
    static func packConv(_ r: UnsafePointer<Float>, weight: Int, bias: Int, bn: (weight: Int, bias: Int, mean: Int, variance: Int, eps: Double)?,
                         _ p: UnsafeMutablePointer<Float>, to: Int, biasTo: Int, outChannels: Int, perOutChannel: Int, groups: Int, block: Int,
                         tapMajorTaps taps: Int) {
        let perGroup = outChannels / groups
        let blocks = block == 0 ? 0 : (perGroup + block - 1) / block
        for o in 0 ..< outChannels {
            var scale = 1.0, shift = 0.0
            if let bn {
                scale = Double(r[bn.weight + o]) / (Double(r[bn.variance + o]) + bn.eps).squareRoot()
                shift = Double(r[bn.bias + o]) - Double(r[bn.mean + o]) * scale
            }
            let b = Float((bias >= 0 ? Double(r[bias + o]) : 0) * scale + shift)
            if block == 0 {
                for k in 0 ..< perOutChannel { p[to + o * perOutChannel + k] = Float(Double(r[weight + o * perOutChannel + k]) * scale) }
                p[biasTo + o] = b
            } else {
                let g = o / perGroup, blk = (o % perGroup) / block, lane = o % perGroup % block
                let rowLanes = min(block, 16)
                let base = to + ((g * blocks + blk) * perOutChannel) * block + lane / rowLanes * perOutChannel * rowLanes + lane % rowLanes
                let channels = perOutChannel / taps
                for k in 0 ..< perOutChannel {
                    let (c, t) = (k / taps, k % taps)
                    p[base + (t * channels + c) * rowLanes] = Float(Double(r[weight + o * perOutChannel + k]) * scale)
                }
                p[biasTo + (g * blocks + blk) * block + lane] = b
            }
        }
    }

    /// Winograd F(2x2, 3x3) filters U = G g G^T (G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1])
    /// or, with `tile` 4, F(4x4, 3x3) ones (G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6;
    /// 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]), in Double, a following batch norm folded in
    /// first; laid out per element of the (tile + 2)^2 tile as `conv6x16` reads weights:
    /// [elements][out / 6][in][6] (the padding lanes zero). The bias goes to `biasTo` (out
    /// floats), added by the output transform.
    @inline(never)
    static func packWinograd(_ r: UnsafePointer<Float>, weight: Int, bias: Int, bn: (weight: Int, bias: Int, mean: Int, variance: Int, eps: Double)?,
                             _ p: UnsafeMutablePointer<Float>, to: Int, biasTo: Int, outChannels: Int, inChannels: Int, tile: Int) {
        let blocks = (outChannels + 5) / 6, n = tile + 2
        /// G times 3 values (the taps of a line), in the first n lanes.
        func line(_ a: Double, _ b: Double, _ c: Double) -> SIMD8<Double> {
            tile == 2 ? SIMD8(a, (a + b + c) / 2, (a - b + c) / 2, c, 0, 0, 0, 0)
                : SIMD8(a / 4, -(a + b + c) / 6, -(a - b + c) / 6, a / 24 + b / 12 + c / 6, a / 24 - b / 12 + c / 6, c, 0, 0)
        }
        for o in 0 ..< outChannels {
            var scale = 1.0, shift = 0.0
            if let bn {
                scale = Double(r[bn.weight + o]) / (Double(r[bn.variance + o]) + bn.eps).squareRoot()
                shift = Double(r[bn.bias + o]) - Double(r[bn.mean + o]) * scale
            }
            p[biasTo + o] = Float((bias >= 0 ? Double(r[bias + o]) : 0) * scale + shift)
            for c in 0 ..< inChannels {
                let w = r + (weight + (o * inChannels + c) * 9)
                func tap(_ i: Int) -> Double { Double(w[i]) * scale }
                // h = G g (n rows of 3, by columns), then each row of U = h G^T.
                let h0 = line(tap(0), tap(3), tap(6)), h1 = line(tap(1), tap(4), tap(7)), h2 = line(tap(2), tap(5), tap(8))
                for i in 0 ..< n {
                    let row = line(h0[i], h1[i], h2[i])
                    for j in 0 ..< n {
                        p[to + (((i * n + j) * blocks + o / 6) * inChannels + c) * 6 + o % 6] = Float(row[j])
                    }
                }
            }
        }
    }

    /// FC weights are blocked from [out][in] to [out / 32][in][32] (the padding stays zero).
    @inline(never)
    static func packFC(_ r: UnsafePointer<Float>, weight: Int, bias: Int, _ p: UnsafeMutablePointer<Float>, to: Int, biasTo: Int, outFeatures: Int, inFeatures: Int) {
        for o in 0 ..< outFeatures {
            let base = to + (o / 32) * inFeatures * 32 + o % 32
            for i in 0 ..< inFeatures { p[base + i * 32] = r[weight + o * inFeatures + i] }
            p[biasTo + o] = bias >= 0 ? r[bias + o] : 0
        }
    }

    /// A batch norm applied on its own: y = x * scale + shift per channel.
    @inline(never)
    static func packBatchNorm(_ r: UnsafePointer<Float>, weight: Int, bias: Int, mean: Int, variance: Int, eps: Double,
                              _ p: UnsafeMutablePointer<Float>, scaleTo: Int, shiftTo: Int, channels: Int) {
        for c in 0 ..< channels {
            let scale = Double(r[weight + c]) / (Double(r[variance + c]) + eps).squareRoot()
            p[scaleTo + c] = Float(scale)
            p[shiftTo + c] = Float(Double(r[bias + c]) - Double(r[mean + c]) * scale)
        }
    }

"""#

/// The reference and self-test of a standalone file; `gen --shared-runtime` puts `enum
/// Reference` in CNNSpecRuntime.swift.
let referenceSource = referenceEnumSource + "\n\n" + selfTestSource

/// `enum Reference` (shared).
let referenceEnumSource = #"""
    // MARK: Reference (the self-test's straightforward implementation)

    /// Direct, unoptimised implementations of every layer kind on PyTorch's layouts with the
    /// unpacked, unfolded weights, accumulating in Double. `--self-test` compares the fast
    /// path with them layer by layer.
    enum Reference {
        /// The input value at (c, iy, ix) under the padding mode, or nil for a zero.
        static func sample(_ x: [Float], _ c: Int, _ h: Int, _ w: Int, _ iy: Int, _ ix: Int, _ mode: Int) -> Float? {
            func fold(_ i: Int, _ n: Int) -> Int? {
                if i >= 0 && i < n { return i }
                switch mode {
                case 1:
                    var j = i
                    while j < 0 || j >= n { j = j < 0 ? -j : 2 * (n - 1) - j }
                    return j
                case 2: return i < 0 ? 0 : n - 1
                case 3: return ((i % n) + n) % n
                default: return nil
                }
            }
            if iy >= 0 && iy < h && ix >= 0 && ix < w { return x[(c * h + iy) * w + ix] }
            guard let y = fold(iy, h), let xx = fold(ix, w) else { return nil }
            return x[(c * h + y) * w + xx]
        }

        @inline(never)
        static func conv(_ x: [Float], _ c: Int, _ h: Int, _ w: Int, _ r: UnsafePointer<Float>, weight: Int, bias: Int,
                         oc: Int, oh: Int, ow: Int, kh: Int, kw: Int, sh: Int, sw: Int, dh: Int, dw: Int,
                         pt: Int, pl: Int, groups: Int, mode: Int) -> [Float] {
            var y = [Float](repeating: 0, count: oc * oh * ow)
            let icg = c / groups, ocg = oc / groups
            var sum = [Double](repeating: 0, count: oh * ow)
            for o in 0 ..< oc {
                let g = o / ocg
                for p in 0 ..< oh * ow { sum[p] = bias >= 0 ? Double(r[bias + o]) : 0 }
                for i in 0 ..< icg {
                    for ky in 0 ..< kh {
                        for kx in 0 ..< kw {
                            let k = Double(r[weight + ((o * icg + i) * kh + ky) * kw + kx])
                            for oy in 0 ..< oh {
                                for ox in 0 ..< ow {
                                    guard let v = sample(x, g * icg + i, h, w, oy * sh + ky * dh - pt, ox * sw + kx * dw - pl, mode) else { continue }
                                    sum[oy * ow + ox] += Double(v) * k
                                }
                            }
                        }
                    }
                }
                for p in 0 ..< oh * ow { y[o * oh * ow + p] = Float(sum[p]) }
            }
            return y
        }

        @inline(never)
        static func pool(_ x: [Float], _ c: Int, _ h: Int, _ w: Int, oh: Int, ow: Int, kh: Int, kw: Int, sh: Int, sw: Int,
                         pt: Int, pl: Int, pb: Int, pr: Int, max isMax: Bool, includePad: Bool) -> [Float] {
            var y = [Float](repeating: 0, count: c * oh * ow)
            for ch in 0 ..< c {
                for oy in 0 ..< oh {
                    for ox in 0 ..< ow {
                        var best = -Float.infinity
                        var sum = 0.0, inside = 0, padded = 0
                        for ky in 0 ..< kh {
                            for kx in 0 ..< kw {
                                let iy = oy * sh - pt + ky, ix = ox * sw - pl + kx
                                if iy >= -pt && iy < h + pb && ix >= -pl && ix < w + pr { padded += 1 }
                                guard iy >= 0 && iy < h && ix >= 0 && ix < w else { continue }
                                let v = x[(ch * h + iy) * w + ix]
                                if v > best || v.isNaN { best = v }
                                sum += Double(v)
                                inside += 1
                            }
                        }
                        y[(ch * oh + oy) * ow + ox] = isMax ? best : Float(sum / Double(includePad ? padded : inside))
                    }
                }
            }
            return y
        }

        @inline(never)
        static func globalAvgPool(_ x: [Float], _ c: Int, _ size: Int) -> [Float] {
            (0 ..< c).map { ch in Float(x[ch * size ..< (ch + 1) * size].reduce(0.0) { $0 + Double($1) } / Double(size)) }
        }

        @inline(never)
        static func fc(_ x: [Float], _ r: UnsafePointer<Float>, weight: Int, bias: Int, out: Int) -> [Float] {
            (0 ..< out).map { o in
                var s: Double = bias >= 0 ? Double(r[bias + o]) : 0
                for i in 0 ..< x.count { s += Double(x[i]) * Double(r[weight + o * x.count + i]) }
                return Float(s)
            }
        }

        @inline(never)
        static func batchNorm(_ x: [Float], _ c: Int, _ r: UnsafePointer<Float>, weight: Int, bias: Int, mean: Int, variance: Int, eps: Double) -> [Float] {
            let size = x.count / c
            return x.indices.map { i in
                let ch = i / size
                return Float((Double(x[i]) - Double(r[mean + ch])) / (Double(r[variance + ch]) + eps).squareRoot() * Double(r[weight + ch]) + Double(r[bias + ch]))
            }
        }

        @inline(never)
        static func activation(_ x: [Float], _ f: String) -> [Float] {
            x.map { v in
                switch f {
                case "relu": return v < 0 ? 0 : v
                case "relu6": return v < 0 ? 0 : v > 6 ? 6 : v
                case "tanh": return Float(tanh(Double(v)))
                default: return Float(1 / (1 + exp(-Double(v))))
                }
            }
        }

        @inline(never)
        static func softmax(_ x: [Float], _ c: Int) -> [Float] {
            let size = x.count / c
            var y = x
            for p in 0 ..< size {
                let m = (0 ..< c).map { Double(x[$0 * size + p]) }.max()!
                let s = (0 ..< c).reduce(0.0) { $0 + exp(Double(x[$1 * size + p]) - m) }
                for ch in 0 ..< c { y[ch * size + p] = Float(exp(Double(x[ch * size + p]) - m) / s) }
            }
            return y
        }

        @inline(never)
        static func add(_ xs: [[Float]]) -> [Float] {
            xs[0].indices.map { i in Float(xs.reduce(0.0) { $0 + Double($1[i]) }) }
        }

        @inline(never)
        static func concat(_ xs: [[Float]]) -> [Float] { xs.flatMap { $0 } }
    }
"""#

/// The self-test and profiling of a model (per model).
let selfTestSource = #"""
    // MARK: Self-test

    /// One layer's comparison of the fast path with the reference.
    public struct LayerCheck {
        public var name: String
        public var op: String
        /// Largest |fast - reference| over the layer's output.
        public var maxAbsoluteError: Float
        /// That error over max(1, largest |reference|).
        public var relativeError: Float
        /// A layer fused with the layers after it (a conv with its batch norm, residual add or
        /// activation): its own output never exists; compared at the last of them.
        public var folded: Bool
        public var passed: Bool { folded || relativeError <= 1e-4 }
    }

    /// Times every layer on one image (the first of `input`): median and min seconds per
    /// layer over `iterations` runs of the whole network.
    public func profile(_ input: UnsafePointer<Float>, iterations: Int) -> [(median: Double, min: Double)] {
        var times = [[Double]](repeating: [], count: Self.steps.count)
        let team = startTeam()
        defer { team.workers?.end() }
        for _ in 0 ..< max(1, iterations) {
            for (i, step) in Self.steps.enumerated() {
                let t0 = Self.now()
                step(input, arena, packed, tables, team)
                times[i].append(Self.now() - t0)
            }
        }
        return times.map { t in
            let s = t.sorted()
            return (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2, s[0])
        }
    }

    /// Monotonic seconds.
    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Runs one image through the fast path, keeping every layer's output.
    func trace(_ input: UnsafePointer<Float>) -> [[Float]] {
        var outputs: [[Float]] = []
        let team = startTeam()
        defer { team.workers?.end() }
        for (i, step) in Self.steps.enumerated() {
            step(input, arena, packed, tables, team)
            let offset = Self.layerOutputs[i], count = Self.layerCounts[i]
            let base = offset < 0 ? input : UnsafePointer(arena + offset)
            var output = Array(UnsafeBufferPointer(start: base, count: count))
            if wideVectors, let channels = Self.pixelMajorLayers[i] {
                // Handed to a max pool pixel by pixel (channelsLastOutput): back to planes.
                let pixels = count / channels
                output = (0 ..< count).map { output[$0 % pixels &* channels &+ $0 / pixels] }
            }
            outputs.append(output)
        }
        return outputs
    }

    /// The self-test on seeded random weights (or the weights of a safetensors file) and a
    /// seeded random image.
    public static func selfTest(seed: UInt64, safetensors: [UInt8]? = nil) throws -> [LayerCheck] {
        let raw = UnsafeMutablePointer<Float>.allocate(capacity: max(1, rawCount))
        defer { raw.deallocate() }
        raw.initialize(repeating: 0, count: max(1, rawCount))
        if let bytes = safetensors { try loadRaw(bytes, file: "weights", into: raw) } else { randomRaw(raw, seed: seed) }
        return selfTest(raw: raw, input: randomInput(batch: 1, seed: seed))
    }

    /// Compares the fast path with the reference implementation on one image, layer by layer:
    /// each layer's reference runs on the fast path's inputs to it, so errors do not accumulate.
    /// The tolerance is the fixture tests': max |y - y_ref| <= 1e-4 * max(1, max |y_ref|).
    static func selfTest(raw: UnsafePointer<Float>, input: [Float], wideVectors: Bool = cpuHasWideVectors) -> [LayerCheck] {
        let model = Self(raw: raw)
        model.wideVectors = wideVectors
        let fast = input.withUnsafeBufferPointer { model.trace($0.baseAddress!) }
        let reference = referenceOutputs(raw, Array(input.prefix(inputCount)), fast)
        return fast.indices.map { i in
            var worst: Float = 0, scale: Float = 1
            for (a, b) in zip(fast[i], reference[i]) {
                let d = abs(a - b)
                if d > worst || d.isNaN { worst = d }
                scale = max(scale, abs(b))
            }
            return LayerCheck(name: layerNames[i], op: layerOps[i], maxAbsoluteError: worst, relativeError: worst / scale,
                              folded: foldedLayers.contains(i))
        }
    }
"""#
