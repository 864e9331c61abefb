import Foundation
import Hummingbird

/// An error the API answers with: a status and a JSON body naming what went wrong, never a stack
/// trace or SQL.
///
/// Body: `{"error": {"status": 400, "code": "bad_request", "message": "…", "field": "from"}}`.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case badRequest = "bad_request"
        case unauthorized
        case forbidden
        case notFound = "not_found"
        /// The server lacks what the request needs (a signing key for exports).
        case unavailable
        /// The recording's file is no longer the one indexed: nothing is cut from it.
        case conflict
        /// The path exists, the method does not (`Allow` lists those that do).
        case methodNotAllowed = "method_not_allowed"
        /// The request body is larger than the route takes.
        case tooLarge = "too_large"
        /// The byte range starts past the end (`Content-Range` gives the size).
        case rangeNotSatisfiable = "range_not_satisfiable"
        /// Every slot for clips and exports is taken: try again after `Retry-After` seconds.
        case busy
        /// Another 4xx, with its own status (kept from whoever raised it).
        case clientError = "client_error"
        case `internal`
    }

    public var code: Code
    public var message: String
    /// The request parameter at fault, for `badRequest`.
    public var field: String?
    /// Headers the answer needs: `Allow` (405), `Retry-After` (503), `Content-Range` (416).
    public var headers = HTTPFields()
    /// The status of a `clientError`.
    var clientStatus: HTTPResponse.Status = .badRequest

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// Another 4xx (raised by Hummingbird itself), with a JSON body like ours.
    static func client(_ status: HTTPResponse.Status, _ message: String) -> APIError {
        var error = APIError(.clientError, message)
        error.clientStatus = status
        return error
    }

    public static func badParameter(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "\(field) \(message)", field: field)
    }

    public var status: HTTPResponse.Status {
        switch code {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .unavailable: .serviceUnavailable
        case .conflict: .conflict
        case .methodNotAllowed: .methodNotAllowed
        case .tooLarge: .contentTooLarge
        case .rangeNotSatisfiable: .rangeNotSatisfiable
        case .busy: .serviceUnavailable
        case .clientError: clientStatus
        case .internal: .internalServerError
        }
    }

    public var description: String { "\(status.code) \(code.rawValue): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        if code == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="wardwatch""# }
        let body = Body(error: .init(status: Int(status.code), code: code.rawValue, message: message, field: field))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: JSONBody.encode(body))))
    }

    private struct Body: Encodable {
        var error: Detail
        struct Detail: Encodable {
            var status: Int
            var code: String
            var message: String
            var field: String?
        }
    }
}

/// JSON as the API writes it: sorted keys, no escaped slashes, so responses are stable and readable.
enum JSONBody {
    static func encode<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Our response types hold strings and numbers only; encoding cannot fail.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    static func response<T: Encodable>(_ value: T, contentType: String = "application/json; charset=utf-8") -> Response {
        response(data: encode(value), contentType: contentType)
    }

    static func response(data: Data, contentType: String = "application/json; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
