// A small strict JSON parser (RFC 8259) into the report's `JSON` value, for safetensors
// headers. Strict: no comments, no trailing commas, no leading zeros, no bare words, no
// duplicate keys, nothing after the value but whitespace. Bounded: nesting deeper than
// `maxDepth` is an error (no stack overflow), integers beyond Int are an error (no trap).

public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    /// Byte offset in the parsed text where the problem was found.
    public var offset: Int
    public var message: String
    public var description: String { "\(message) at byte \(offset)" }
}

public struct JSONParser {
    public static let maxDepth = 64

    /// Parses one JSON value that fills `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8]) throws -> JSON {
        try bytes.withUnsafeBufferPointer { buffer in
            var p = JSONParser(bytes: buffer)
            p.skipWhitespace()
            let value = try p.value(depth: 0)
            p.skipWhitespace()
            if p.pos != buffer.count { throw p.error("unexpected text after the value") }
            return value
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: pos, message: message) }

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private mutating func skipWhitespace() {
        while let c = peek, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 }
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws {
        guard peek == c else { throw error(peek == nil ? "unexpected end, expected \(what)" : "expected \(what)") }
        pos += 1
    }

    private mutating func value(depth: Int) throws -> JSON {
        guard depth < Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
        guard let c = peek else { throw error("unexpected end, expected a value") }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        default: throw error("expected a value")
        }
    }

    private mutating func word(_ w: StaticString) throws {
        let start = pos
        for b in UnsafeBufferPointer(start: w.utf8Start, count: w.utf8CodeUnitCount) {
            guard peek == b else { pos = start; throw error("expected a value") }
            pos += 1
        }
    }

    private mutating func object(depth: Int) throws -> JSON {
        pos += 1
        var fields: [(String, JSON)] = []
        var keys: Set<String> = []
        skipWhitespace()
        if peek == UInt8(ascii: "}") { pos += 1; return .object(fields) }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw error(peek == nil ? "unexpected end, expected a key" : "expected a string key") }
            let keyStart = pos
            let key = try string()
            guard keys.insert(key).inserted else { pos = keyStart; throw error("duplicate key \(JSON.quote(key))") }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':'")
            skipWhitespace()
            fields.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return .object(fields)
        }
    }

    private mutating func array(depth: Int) throws -> JSON {
        pos += 1
        var items: [JSON] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return .array(items)
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek else { throw error("unexpected end in a \\u escape") }
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw error("bad hex digit in a \\u escape")
            }
            v = v << 4 | UInt32(d)
            pos += 1
        }
        return v
    }

    private mutating func string() throws -> String {
        pos += 1
        var utf8: [UInt8] = []
        while true {
            guard let c = peek else { throw error("unterminated string") }
            switch c {
            case UInt8(ascii: "\""):
                pos += 1
                // Invalid UTF-8 is an error, not silently repaired.
                guard let s = String(validating: utf8, as: UTF8.self) else { throw error("string is not valid utf-8") }
                return s
            case UInt8(ascii: "\\"):
                pos += 1
                guard let e = peek else { throw error("unterminated string") }
                pos += 1
                switch e {
                case UInt8(ascii: "\""): utf8.append(0x22)
                case UInt8(ascii: "\\"): utf8.append(0x5C)
                case UInt8(ascii: "/"): utf8.append(0x2F)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard peek == UInt8(ascii: "\\") else { throw error("lone surrogate in a \\u escape") }
                        pos += 1
                        guard peek == UInt8(ascii: "u") else { throw error("lone surrogate in a \\u escape") }
                        pos += 1
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("lone surrogate in a \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("lone surrogate in a \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("bad \\u escape") }
                    utf8.append(contentsOf: UTF8.encode(u)!)
                default:
                    pos -= 1
                    throw error("bad escape in a string")
                }
            default:
                if c < 0x20 { throw error("control character in a string") }
                utf8.append(c)
                pos += 1
            }
        }
    }

    private mutating func number() throws -> JSON {
        let start = pos
        var isInteger = true
        if peek == UInt8(ascii: "-") { pos += 1 }
        func digits() -> Int {
            var n = 0
            while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { pos += 1; n += 1 }
            return n
        }
        let intStart = pos
        let intDigits = digits()
        if intDigits == 0 { throw error("expected a digit") }
        if intDigits > 1 && bytes[intStart] == UInt8(ascii: "0") { pos = intStart; throw error("number with a leading zero") }
        if peek == UInt8(ascii: ".") {
            pos += 1
            isInteger = false
            if digits() == 0 { throw error("expected a digit after '.'") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            pos += 1
            isInteger = false
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            if digits() == 0 { throw error("expected a digit in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        if isInteger {
            guard let i = Int(text) else { pos = start; throw error("integer \(text.prefix(40)) does not fit in 64 bits") }
            return .int(i)
        }
        guard let d = Double(text), d.isFinite else { pos = start; throw error("number \(text.prefix(40)) is out of range") }
        return .double(d)
    }
}
