import Foundation
import Yams

/// What the OpenAPI document (`openapi.yaml`, served at `/api/v1/openapi.yaml`) says a request may
/// hold, read from the document itself once, so that the server enforces the limits as written and
/// the two cannot drift apart: which query parameters each operation takes (and which may repeat),
/// their types, ranges, enumerations and lengths, the path parameters' types, the JSON body's keys
/// and limits, and the most bytes a body may have (`x-max-body-bytes`).
struct OpenAPIRules: Sendable {
    /// The limits of one value (a parameter, or a property of a JSON body).
    struct ValueRule: Sendable, Equatable {
        /// integer, number, string, boolean, array or object; nil = any.
        var type: String?
        var minimum: Double?
        var maximum: Double?
        var exclusiveMinimum: Double?
        var exclusiveMaximum: Double?
        var allowed: [String]?
        var minLength: Int?
        var maxLength: Int?
        var minItems: Int?
        var maxItems: Int?
        /// For arrays: the rule of each element.
        var items: Box?

        /// Indirection for `items`.
        final class Box: Sendable, Equatable {
            let rule: ValueRule
            init(_ rule: ValueRule) { self.rule = rule }
            static func == (a: Box, b: Box) -> Bool { a.rule == b.rule }
        }
    }

    struct Parameter: Sendable {
        var name: String
        /// "query" or "path".
        var location: String
        var required: Bool
        var rule: ValueRule
        /// An array in the query is given by repeating the name (`camera=A&camera=B`).
        var repeatable: Bool { rule.type == "array" }
    }

    /// A JSON body's shape: the keys an object may have and their rules; one of several shapes.
    indirect enum BodyShape: Sendable {
        case object(properties: [String: BodyShape], required: [String], rule: ValueRule)
        case array(items: BodyShape?, rule: ValueRule)
        case oneOf([BodyShape])
        case value(ValueRule)
    }

    struct Operation: Sendable {
        var parameters: [Parameter]
        var body: BodyShape?
        /// The most bytes the body may have; nil = the operation takes no body.
        var maximumBodyBytes: Int?
    }

    /// Operations by path template ("/api/v1/events/{id}") and method ("GET").
    let operations: [String: [String: Operation]]

    /// The rules of this server's own document.
    static let shared = OpenAPIRules(document: WardWatchAPI.openAPIDocument)

    /// The web console's files, which the document does not describe (they are not API).
    static let pages: [String] = ["/", "/console/icon.svg", "/console/{file}"]

    init(document: String) {
        // The document is ours and checked by tests: an unreadable one gives no rules rather than a trap.
        let root = ((try? Yams.load(yaml: document)) as? [String: Any]) ?? [:]
        let reader = Reader(root: root)
        var operations: [String: [String: Operation]] = [:]
        for (path, item) in root["paths"] as? [String: Any] ?? [:] {
            guard let item = item as? [String: Any] else { continue }
            let shared = (item["parameters"] as? [Any] ?? []).compactMap(reader.parameter)
            for method in ["get", "put", "post", "delete", "patch"] {
                guard let operation = item[method] as? [String: Any] else { continue }
                let parameters = shared + (operation["parameters"] as? [Any] ?? []).compactMap(reader.parameter)
                var body: BodyShape?, limit: Int?
                if let requestBody = reader.resolved(operation["requestBody"]) {
                    let media = ((requestBody["content"] as? [String: Any])?["application/json"]) as? [String: Any]
                    body = media.flatMap { reader.shape($0["schema"]) }
                    limit = (requestBody["x-max-body-bytes"] as? Int) ?? 64 * 1024
                }
                operations[path, default: [:]][method.uppercased()] = Operation(
                    parameters: parameters, body: body, maximumBodyBytes: limit)
            }
        }
        self.operations = operations
    }

    func operation(_ template: String, _ method: String) -> Operation? {
        operations[template]?[method]
    }

    /// The methods some route answers at `path` (a request path, not a template), for `Allow`.
    func methods(at path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var found = Set<String>()
        for (template, byMethod) in operations where Self.matches(template, segments) { found.formUnion(byMethod.keys) }
        if Self.pages.contains(where: { Self.matches($0, segments) }) { found.insert("GET") }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
        return found.sorted { (order.firstIndex(of: $0) ?? 9, $0) < (order.firstIndex(of: $1) ?? 9, $1) }
    }

    static func matches(_ template: String, _ segments: [Substring]) -> Bool {
        let parts = template.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            (part.hasPrefix("{") && part.hasSuffix("}") && !segment.isEmpty) || part == segment
        }
    }

    // MARK: - Reading the document

    private struct Reader {
        let root: [String: Any]

        /// A node with its `$ref` followed.
        func resolved(_ node: Any?) -> [String: Any]? {
            guard var map = node as? [String: Any] else { return nil }
            var hops = 0
            while let reference = map["$ref"] as? String, hops < 16 {
                var target: Any = root
                for part in reference.dropFirst(2).split(separator: "/") {
                    guard let next = (target as? [String: Any])?[String(part)] else { return nil }
                    target = next
                }
                guard let next = target as? [String: Any] else { return nil }
                map = next
                hops += 1
            }
            return map
        }

        func parameter(_ node: Any) -> Parameter? {
            guard let map = resolved(node), let name = map["name"] as? String, let location = map["in"] as? String,
                  location == "query" || location == "path" else { return nil }
            return Parameter(name: name, location: location, required: map["required"] as? Bool ?? (location == "path"),
                             rule: rule(resolved(map["schema"]) ?? [:]))
        }

        func rule(_ schema: [String: Any]) -> ValueRule {
            func number(_ key: String) -> Double? {
                (schema[key] as? Double) ?? (schema[key] as? Int).map(Double.init)
            }
            var rule = ValueRule()
            rule.type = (schema["type"] as? String) ?? (schema["type"] as? [String])?.first { $0 != "null" }
            rule.minimum = number("minimum")
            rule.maximum = number("maximum")
            rule.exclusiveMinimum = number("exclusiveMinimum")
            rule.exclusiveMaximum = number("exclusiveMaximum")
            rule.allowed = (schema["enum"] as? [Any])?.map { "\($0)" }
            rule.minLength = schema["minLength"] as? Int
            rule.maxLength = schema["maxLength"] as? Int
            rule.minItems = schema["minItems"] as? Int
            rule.maxItems = schema["maxItems"] as? Int
            if let items = resolved(schema["items"]) { rule.items = ValueRule.Box(self.rule(items)) }
            return rule
        }

        func shape(_ node: Any?, depth: Int = 0) -> BodyShape? {
            guard depth < 16, let schema = resolved(node) else { return nil }
            if let choices = schema["oneOf"] as? [Any] {
                return .oneOf(choices.compactMap { shape($0, depth: depth + 1) })
            }
            let rule = rule(schema)
            switch rule.type {
            case "object":
                var properties: [String: BodyShape] = [:]
                for (key, value) in schema["properties"] as? [String: Any] ?? [:] {
                    properties[key] = shape(value, depth: depth + 1) ?? .value(ValueRule())
                }
                return .object(properties: properties, required: schema["required"] as? [String] ?? [], rule: rule)
            case "array":
                return .array(items: shape(schema["items"], depth: depth + 1), rule: rule)
            default:
                return .value(rule)
            }
        }
    }
}
