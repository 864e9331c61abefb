import Foundation
import HTTPTypes
import Hummingbird

/// The headers every answer carries, errors included: `X-Content-Type-Options: nosniff`, no framing
/// by other sites (`X-Frame-Options: DENY` and a policy with `frame-ancestors 'none'`), no referrer,
/// and `Cache-Control: no-store` on everything under `/api/` but the OpenAPI document (data, clips,
/// bundles, reporter contacts: nothing a shared browser or proxy should keep).
struct ResponseHeadersMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "no-referrer"
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        }
        let path = request.uri.path
        if path.hasPrefix("/api/") && path != "/api/v1/openapi.yaml" {
            response.headers[.cacheControl] = "no-store"
        } else if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-cache"
        }
        return response
    }
}

/// Puts the real client's address in the context when the request came through one of the
/// configured trusted proxies: the nearest address in `X-Forwarded-For` that is not itself a
/// trusted proxy. From anyone else the header is ignored, so a client cannot write another address
/// into the audit trail.
struct ForwardedClientMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let trusted: TrustedProxies

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trusted.isEmpty, trusted.contains(context.clientAddress) else { return try await next(request, context) }
        let hops = request.headers[values: Self.forwardedFor]
            .flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !hops.isEmpty, hops.allSatisfy(TrustedProxies.isAddress) else { return try await next(request, context) }
        var context = context
        context.clientAddress = hops.last { !trusted.contains($0) } ?? hops[0]
        return try await next(request, context)
    }
}

/// Proxy addresses (`192.0.2.7`, `::1`) and IPv4 networks (`10.0.0.0/8`) whose `X-Forwarded-For`
/// is believed.
public struct TrustedProxies: Sendable, Equatable {
    var addresses: Set<String> = []
    var networks: [(base: UInt32, mask: UInt32)] = []

    public init() {}

    /// - Throws: a message naming the entry that is neither an address nor an IPv4 network.
    public init(_ entries: [String]) throws(TrustedProxyError) {
        for entry in entries {
            let text = entry.trimmingCharacters(in: .whitespaces)
            if let slash = text.firstIndex(of: "/") {
                guard let base = Self.ipv4(String(text[..<slash])), let bits = Int(text[text.index(after: slash)...]), (0...32).contains(bits)
                else { throw TrustedProxyError(entry: entry) }
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                networks.append((base & mask, mask))
            } else {
                guard Self.isAddress(text) else { throw TrustedProxyError(entry: entry) }
                addresses.insert(Self.normalized(text))
            }
        }
    }

    public var isEmpty: Bool { addresses.isEmpty && networks.isEmpty }

    public func contains(_ address: String) -> Bool {
        let text = Self.normalized(address)
        if addresses.contains(text) { return true }
        guard let value = Self.ipv4(text) else { return false }
        return networks.contains { value & $0.mask == $0.base }
    }

    public static func == (a: TrustedProxies, b: TrustedProxies) -> Bool {
        a.addresses == b.addresses && a.networks.map(\.base) == b.networks.map(\.base) && a.networks.map(\.mask) == b.networks.map(\.mask)
    }

    static func isAddress(_ text: String) -> Bool {
        ipv4(text) != nil || (text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } && text.count <= 45)
    }

    /// "::ffff:10.0.0.1" (an IPv4 client on an IPv6 socket) as "10.0.0.1"; IPv6 in lower case.
    static func normalized(_ text: String) -> String {
        let lower = text.lowercased()
        if lower.hasPrefix("::ffff:"), ipv4(String(lower.dropFirst(7))) != nil { return String(lower.dropFirst(7)) }
        return lower
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}

/// A `trusted_proxies` entry that is neither an IP address nor an IPv4 network.
public struct TrustedProxyError: Error, Sendable, CustomStringConvertible {
    public var entry: String
    public var description: String { "'\(entry)' is neither an IP address nor an IPv4 network (10.0.0.0/8)" }
}
