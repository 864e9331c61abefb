import Foundation
import Hummingbird
import NIOCore

/// Holds every request to what the OpenAPI document says its operation takes, before the route
/// runs (see `OpenAPIRules`): a query parameter the operation does not list, or one given twice
/// that is not an array, a value outside its type, range, enumeration or length, a path id that is
/// not a positive integer, a JSON body with an unknown or repeated key or a value outside its
/// limits: each is a 400 naming the field. A body larger than the operation's `x-max-body-bytes`
/// is a 413.
struct DocumentedRequestCheck: RouterMiddleware {
    typealias Context = APIRequestContext
    let rules: OpenAPIRules

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let template = context.endpointPath, let operation = rules.operation(template, request.method.rawValue) else {
            return try await next(request, context)
        }
        try Self.checkParameters(operation, request: request, context: context)
        guard let limit = operation.maximumBodyBytes else {
            // An operation without a body takes none; a small one (`{}`) is let through unread.
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > 1024 {
                throw APIError(.tooLarge, "\(request.method) \(template) takes no request body (this one has \(length) bytes)")
            }
            return try await next(request, context)
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError(.tooLarge, "the request body has \(length) bytes; \(request.method) \(template) takes at most \(limit)")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(.tooLarge, "the request body is larger than \(limit) bytes, the most \(request.method) \(template) takes")
        }
        if let shape = operation.body, buffer.readableBytes > 0,
           let value = try? StrictJSON.parse(Array(buffer.readableBytesView)) {
            // A body that is not JSON at all is left to the route, which names what it expected.
            try Self.check(value, against: shape, at: nil)
        }
        request.body = RequestBody(buffer: buffer)
        return try await next(request, context)
    }

    // MARK: - Parameters

    static func checkParameters(_ operation: OpenAPIRules.Operation, request: Request, context: Context) throws {
        var given: [String: [String]] = [:]
        var order: [String] = []
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            if given[name] == nil { order.append(name) }
            given[name, default: []].append(String(value))
        }
        let query = operation.parameters.filter { $0.location == "query" }
        for name in order {
            guard let parameter = query.first(where: { $0.name == name }) else {
                let known = query.map(\.name)
                throw APIError.badParameter(name, "is not a parameter here" + (known.isEmpty ? "" : " (\(known.joined(separator: ", ")))"))
            }
            let values = given[name] ?? []
            if values.count > 1 && !parameter.repeatable {
                throw APIError.badParameter(name, "is given \(values.count) times; give it once")
            }
            let rule = parameter.repeatable ? parameter.rule.items?.rule ?? OpenAPIRules.ValueRule() : parameter.rule
            for value in values { try check(text: value, rule, field: name) }
        }
        for parameter in operation.parameters {
            switch parameter.location {
            case "query":
                if parameter.required && given[parameter.name] == nil {
                    throw APIError.badParameter(parameter.name, "is required")
                }
            case "path":
                if let value = context.parameters.get(parameter.name) { try check(text: value, parameter.rule, field: parameter.name) }
            default: break
            }
        }
    }

    /// A parameter's text against its rule.
    static func check(text: String, _ rule: OpenAPIRules.ValueRule, field: String) throws {
        switch rule.type {
        case "integer":
            guard let number = Int64(text) else { throw APIError.badParameter(field, "'\(text)' is not a whole number") }
            try check(number: Double(number), rule, field: field)
        case "number":
            guard let number = Double(text), number.isFinite else { throw APIError.badParameter(field, "'\(text)' is not a number") }
            try check(number: number, rule, field: field)
        case "boolean":
            guard text == "true" || text == "false" else { throw APIError.badParameter(field, "'\(text)' is not true or false") }
        default:
            try check(string: text, rule, field: field)
        }
    }

    static func check(number: Double, _ rule: OpenAPIRules.ValueRule, field: String) throws {
        let low = rule.minimum.map { number >= $0 } ?? true, high = rule.maximum.map { number <= $0 } ?? true
        let above = rule.exclusiveMinimum.map { number > $0 } ?? true, below = rule.exclusiveMaximum.map { number < $0 } ?? true
        guard low && high && above && below else {
            var bounds: [String] = []
            if let value = rule.minimum { bounds.append("at least \(text(value))") }
            if let value = rule.exclusiveMinimum { bounds.append("greater than \(text(value))") }
            if let value = rule.maximum { bounds.append("at most \(text(value))") }
            if let value = rule.exclusiveMaximum { bounds.append("less than \(text(value))") }
            throw APIError.badParameter(field, "must be \(bounds.joined(separator: " and ")) (got \(text(number)))")
        }
    }

    static func check(string: String, _ rule: OpenAPIRules.ValueRule, field: String) throws {
        if let allowed = rule.allowed, !allowed.contains(string) {
            throw APIError.badParameter(field, "'\(string)' must be one of \(allowed.joined(separator: ", "))")
        }
        let length = string.unicodeScalars.count
        if let most = rule.maxLength, length > most { throw APIError.badParameter(field, "is longer than \(most) characters") }
        if let least = rule.minLength, length < least { throw APIError.badParameter(field, "is shorter than \(least) characters") }
    }

    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    // MARK: - JSON bodies

    /// A JSON value against the document's shape: unknown and repeated keys, and limits. Types are
    /// left to the routes (imports take text or numbers alike), which name the field too.
    static func check(_ value: StrictJSON, against shape: OpenAPIRules.BodyShape, at field: String?) throws {
        switch (shape, value) {
        case let (.oneOf(shapes), _):
            // The first shape whose kind (object or array) fits.
            for candidate in shapes {
                switch (candidate, value) {
                case (.object, .object), (.array, .array): return try check(value, against: candidate, at: field)
                default: continue
                }
            }
        case let (.object(properties, _, _), .object(members)):
            var seen = Set<String>()
            for (key, member) in members {
                let name = field.map { "\($0).\(key)" } ?? key
                guard seen.insert(key).inserted else { throw APIError.badParameter(name, "is given more than once") }
                guard let property = properties[key] else {
                    throw APIError.badParameter(name, "is not a field here (\(properties.keys.sorted().joined(separator: ", ")))")
                }
                try check(member, against: property, at: name)
            }
        case let (.array(items, rule), .array(elements)):
            let name = field ?? "body"
            if let most = rule.maxItems, elements.count > most { throw APIError.badParameter(name, "lists more than \(most) items") }
            if let least = rule.minItems, elements.count < least { throw APIError.badParameter(name, "lists fewer than \(least) items") }
            if let items {
                for (index, element) in elements.enumerated() {
                    try check(element, against: items, at: field.map { "\($0)[\(index)]" } ?? "body[\(index)]")
                }
            }
        case let (.value(rule), .number(number)):
            if rule.type == "integer" || rule.type == "number" { try check(number: number, rule, field: field ?? "body") }
        case let (.value(rule), .string(text)):
            if rule.type == "string" || rule.type == nil { try check(string: text, rule, field: field ?? "body") }
        default:
            break
        }
    }
}

/// JSON as written, with every object's keys in order and repeats kept, so that a repeated key can
/// be refused (Foundation's parser keeps one of them silently).
enum StrictJSON: Equatable {
    case object([(String, StrictJSON)])
    case array([StrictJSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    static func == (a: StrictJSON, b: StrictJSON) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(x), .array(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.bool(x), .bool(y)): x == y
        case (.null, .null): true
        default: false
        }
    }

    struct Malformed: Error {}

    /// - Throws: `Malformed` for anything that is not one JSON value (RFC 8259), nested at most 64 deep.
    static func parse(_ bytes: [UInt8]) throws -> StrictJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw Malformed() }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws -> StrictJSON {
            guard depth < 64 else { throw Malformed() }
            skipSpace()
            guard index < bytes.count else { throw Malformed() }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, StrictJSON)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard index < bytes.count else { throw Malformed() }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var elements: [StrictJSON] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                while true {
                    elements.append(try value(depth: depth + 1))
                    skipSpace()
                    guard index < bytes.count else { throw Malformed() }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    return .array(elements)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try word("true"); return .bool(true)
            case UInt8(ascii: "f"): try word("false"); return .bool(false)
            case UInt8(ascii: "n"): try word("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func expect(_ byte: UInt8) throws {
            guard index < bytes.count, bytes[index] == byte else { throw Malformed() }
            index += 1
        }

        mutating func word(_ text: StaticString) throws {
            for byte in text.withUTF8Buffer(Array.init) { try expect(byte) }
        }

        mutating func number() throws -> Double {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            guard index > start, let number = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { throw Malformed() }
            return number
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            var scalars = String.UnicodeScalarView()
            var plain: [UInt8] = []
            func flush() {
                if !plain.isEmpty { scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars) }
                plain.removeAll(keepingCapacity: true)
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard index < bytes.count else { throw Malformed() }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                           bytes[index + 1] == UInt8(ascii: "u") {
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw Malformed() }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default: throw Malformed()
                    }
                case 0..<0x20: throw Malformed()
                default: plain.append(byte)
                }
            }
            throw Malformed()
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw Malformed() }
            index += 4
            return code
        }
    }
}
