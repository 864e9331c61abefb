import Foundation
import Testing
import WardWatchConfig

/// Issue 15, defect 12: the server's clip cache cap, heavy-work slots and trusted proxies are read
/// with ranges, and every problem is reported.
@Suite("Configuration: the http section")
struct HTTPServerConfigurationTests {
    @Test("values are read; defaults apply without the section")
    func reads() throws {
        let configuration = try WardWatchConfiguration.parse(yaml: """
            http:
              clip_cache_mb: 512
              heavy_work_slots: 3
              trusted_proxies: [10.0.0.0/8, 192.0.2.7, "::1"]
            """, file: "ward.yaml")
        #expect(configuration.http.clipCacheMegabytes == 512 && configuration.http.heavyWorkSlots == 3)
        #expect(configuration.http.trustedProxies == ["10.0.0.0/8", "192.0.2.7", "::1"])
        let plain = try WardWatchConfiguration.parse(yaml: "time_zone: Asia/Ho_Chi_Minh\n", file: "ward.yaml")
        #expect(plain.http == HTTPServerConfiguration())
    }

    @Test("out-of-range sizes and slots, a bad proxy and an unknown key are each reported with line and key")
    func problems() {
        let (_, problems) = WardWatchConfiguration.check(yaml: """
            http:
              clip_cache_mb: 1e300
              heavy_work_slots: 0
              trusted_proxies: [10.0.0.0/33]
              cache: 5
            """, file: "ward.yaml", checkFolders: false)
        let found = problems.map { "\($0.line ?? -1) \($0.key ?? ""): \($0.message)" }
        #expect(found.contains { $0.hasPrefix("2 http.clip_cache_mb: must be from 1 to 1048576 MB") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("3 http.heavy_work_slots: must be from 1 to 64") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("4 http.trusted_proxies: '10.0.0.0/33'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("5 http.cache: unknown key") }, "\(found)")
    }
}
