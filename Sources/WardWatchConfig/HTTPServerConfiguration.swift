import Foundation
import Yams

/// The `http:` section: what `wardwatch serve` needs beyond the catalog and the keys.
public struct HTTPServerConfiguration: Sendable, Equatable {
    /// Proxies (addresses, or IPv4 networks such as `10.0.0.0/8`) whose `X-Forwarded-For` names the
    /// client in the audit trail; from anyone else the header is ignored.
    public var trustedProxies: [String] = []
    /// The most the clip cache keeps, in megabytes; the least recently played clips go first.
    public var clipCacheMegabytes: Double = 2048
    /// How many clip cuts, exports and bundle checks run at once; more are a 503 with Retry-After.
    public var heavyWorkSlots: Int = 2

    public init() {}

    /// `clip_cache_mb`: from 1 MB to 1 TB.
    public static let clipCacheRange = 1.0...1_048_576
    /// `heavy_work_slots`.
    public static let heavyWorkRange = 1...64
}

extension NodeReader {
    func httpServer(_ node: Node) throws(ConfigurationError) -> HTTPServerConfiguration {
        var settings = HTTPServerConfiguration()
        let map = try mapping(node, key: "http", allowed: ["trusted_proxies", "clip_cache_mb", "heavy_work_slots"], reportUnknown: true)
        if let value = map["trusted_proxies"] {
            collect {
                let entries = try strings(value, key: "http.trusted_proxies")
                if let bad = entries.first(where: { !Self.isProxyAddress($0) }) {
                    throw error(value, key: "http.trusted_proxies", "'\(bad)' is neither an IP address nor an IPv4 network (10.0.0.0/8)")
                }
                settings.trustedProxies = entries
            }
        }
        if let value = map["clip_cache_mb"] {
            collect {
                settings.clipCacheMegabytes = try double(value, key: "http.clip_cache_mb", in: HTTPServerConfiguration.clipCacheRange, note: " MB")
            }
        }
        if let value = map["heavy_work_slots"] {
            collect { settings.heavyWorkSlots = try int(value, key: "http.heavy_work_slots", in: HTTPServerConfiguration.heavyWorkRange) }
        }
        return settings
    }

    /// "192.0.2.7", "10.0.0.0/8", "::1", "fd00::5".
    static func isProxyAddress(_ text: String) -> Bool {
        func ipv4(_ part: Substring) -> Bool {
            let bytes = part.split(separator: ".", omittingEmptySubsequences: false)
            return bytes.count == 4 && bytes.allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && UInt8($0) != nil }
        }
        if let slash = text.firstIndex(of: "/") {
            return ipv4(text[..<slash]) && Int(text[text.index(after: slash)...]).map { (0...32).contains($0) } == true
        }
        return ipv4(Substring(text)) || (text.contains(":") && text.count <= 45 && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." })
    }
}
