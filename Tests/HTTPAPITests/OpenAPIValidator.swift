import Foundation
import HTTPAPI
import Yams

/// Checks JSON responses against the schemas of our OpenAPI document: the subset of JSON Schema
/// it uses (`$ref`, `type` incl. type lists, `required`, `properties`, `items`, `enum`).
struct OpenAPIValidator {
    let document: [String: Any]

    init() throws {
        guard let document = try Yams.load(yaml: WardWatchAPI.openAPIDocument) as? [String: Any] else {
            throw Problem("openapi.yaml is not a YAML mapping")
        }
        self.document = document
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The operation at `path` and `method`, e.g. ("/api/v1/events/{id}", "get").
    func operation(_ path: String, _ method: String = "get") throws -> [String: Any] {
        guard let paths = document["paths"] as? [String: Any], let item = paths[path] as? [String: Any],
              let operation = item[method] as? [String: Any] else { throw Problem("no \(method) \(path) in openapi.yaml") }
        return operation
    }

    /// Problems of a response: its status must be documented, and a JSON body must match the schema.
    func problems(path: String, method: String = "get", status: Int, contentType: String, body: Data) throws -> [String] {
        guard let responses = try operation(path, method)["responses"] as? [String: Any] else { return ["\(path): no responses"] }
        guard var response = responses[String(status)] as? [String: Any] else { return ["\(path): status \(status) not documented"] }
        if let ref = response["$ref"] as? String { response = try resolve(ref) }
        let mediaType = contentType.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard let content = response["content"] as? [String: Any], let media = content[mediaType] as? [String: Any] else {
            return ["\(path) \(status): content type \(mediaType) not documented"]
        }
        guard let schema = media["schema"] else { return [] }
        let value = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        var found: [String] = []
        try check(value, against: schema, at: "$", problems: &found)
        return found
    }

    private func resolve(_ reference: String) throws -> [String: Any] {
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { throw Problem("unresolved \(reference)") }
            node = next
        }
        guard let resolved = node as? [String: Any] else { throw Problem("\(reference) is not an object") }
        return resolved
    }

    private func check(_ value: Any, against schemaNode: Any, at location: String, problems: inout [String]) throws {
        guard var schema = schemaNode as? [String: Any] else { return }
        if let ref = schema["$ref"] as? String { schema = try resolve(ref) }
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }) {
            guard types.contains(where: { Self.value(value, is: $0) }) else {
                problems.append("\(location): \(type(of: value)) is not \(types.joined(separator: " or "))")
                return
            }
        }
        if value is NSNull { return }
        if let allowed = schema["enum"] as? [Any] {
            if !allowed.contains(where: { "\($0)" == "\(value)" }) { problems.append("\(location): \(value) not in \(allowed)") }
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(location): missing required \(key)")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let propertySchema = properties[key] {
                    try check(child, against: propertySchema, at: "\(location).\(key)", problems: &problems)
                } else if !properties.isEmpty {
                    problems.append("\(location): undocumented property \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] {
            for (index, element) in array.enumerated() {
                try check(element, against: items, at: "\(location)[\(index)]", problems: &problems)
            }
        }
    }

    private static func value(_ value: Any, is type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return value is Bool
        // Foundation reads every JSON number as NSNumber; an integer is one without a fraction.
        case "integer": return (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": return value is NSNumber
        default: return true
        }
    }
}
