import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// Issue 15, defect 1: no number anyone can type kills a process.
@Suite("Extreme numbers: serve and the CLI survive them")
struct ExtremeInputTests {
    static let extremes = ["1e16", "-1e16", "1e308", "-1e308", "1e999", "-1", "0", "nan", "NaN", "inf", "-inf", "Infinity", "",
                           "99999999999999999999999", "-9223372036854775809", "0x7fffffffffffffff", "1,2", "abc", "%00"]

    /// Every query parameter the OpenAPI document lists, by path.
    static let documented: [(path: String, names: [String])] = [
        ("/api/v1/events", ["camera", "ward", "street", "near", "radius", "bbox", "from", "to", "last", "min_score",
                            "min_duration", "min_area", "sort", "limit", "cursor", "format"]),
        ("/api/v1/recordings/1/clip", ["from", "to"]),
        ("/api/v1/incidents", ["status", "category", "from", "to", "text", "limit"]),
        ("/api/v1/tips", ["channel", "incident", "from", "to", "text", "limit"]),
    ]

    @Test("serve answers every documented parameter with extreme values without a 5xx, and stays alive")
    func serveSurvives() async throws {
        let folder = TemporaryDirectory("wardwatch-extreme")
        defer { folder.remove() }
        let catalog = folder.path("c.sqlite")
        #expect(try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", catalog,
                                          SampleRecordings.url("street_vfr.mp4").path]).status == 0)
        let added = try Subprocess.wardwatch(["users", "add", "chi", "--role", "investigator", "--catalog", catalog])
        let token = try #require(added.standardOutput.split(separator: "\n").first { $0.hasPrefix("ww_") }.map(String.init))

        let server = try await ServeProcess(["--catalog", catalog], folder: folder)
        let process = server.process
        let base = server.base

        func status(_ pathAndQuery: String) async throws -> Int {
            var request = URLRequest(url: URL(string: base + pathAndQuery)!)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as! HTTPURLResponse).statusCode
        }
        func escaped(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }
        var failures: [String] = []
        var sent = 0
        for (path, names) in Self.documented {
            for name in names {
                for value in Self.extremes {
                    // Alone, repeated, and beside an unknown parameter; the clip needs both ends.
                    let other = path.hasSuffix("/clip") ? (name == "from" ? "&to=5" : "&from=0") : ""
                    let v = escaped(value)
                    for query in ["\(name)=\(v)\(other)", "\(name)=\(v)&\(name)=\(v)\(other)", "\(name)=\(v)&bogus=\(v)\(other)"] {
                        let code = try await status("\(path)?\(query)")
                        sent += 1
                        if code >= 500 { failures.append("\(code) for \(path)?\(query)") }
                        guard process.isRunning else {
                            Issue.record("serve died on \(path)?\(query)")
                            return
                        }
                    }
                }
            }
        }
        // Path ids and the export body's numbers too.
        for id in ["0", "-1", "1e16", "99999999999999999999", "nan", "inf", "abc"] {
            for path in ["/api/v1/events/\(id)", "/api/v1/events/\(id)/still.jpg", "/api/v1/recordings/\(id)/clip?from=0&to=1",
                         "/api/v1/incidents/\(id)"] {
                let code = try await status(path)
                sent += 1
                if code >= 500 { failures.append("\(code) for \(path)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(20))")
        #expect(sent > 1000)
        #expect(process.isRunning)
        #expect(try await status("/api/v1/events?camera=CAM01") == 200)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("the CLI answers extreme numbers with a usage error naming the option, never a trap", arguments: [
        (["search", "--min-duration", "1e16"], "--min-duration"),
        (["search", "--min-duration", "inf"], "--min-duration"),
        (["search", "--min-score", "nan"], "--min-score"),
        (["search", "--min-area=-1e308"], "--min-area"),
        (["search", "--radius", "1e300", "--near", "10.7,106.7"], "radius"),
        (["search", "--bbox=-1e300,0,1e300,1"], "bbox"),
        (["search", "--limit", "99999999999"], "limit"),
        (["index", "--camera", "CAM01", "--threads", "9999999999", "/nonexistent.mp4"], "threads"),
        (["incidents", "--limit=-5"], "limit"),
        (["export", "--event", "1", "--case", "c", "--reason", "r", "--out", "/tmp/x", "--pre-roll", "1e300"], "pre-roll"),
    ] as [([String], String)])
    func cliRefuses(arguments: [String], field: String) throws {
        let folder = TemporaryDirectory("wardwatch-extreme-cli")
        defer { folder.remove() }
        let result = try Subprocess.wardwatch(arguments + ["--catalog", folder.path("c.sqlite")])
        // 64 is ArgumentParser's usage error; a trap would be a signal (status 132/133/134 or negative).
        #expect(result.status == 64, "\(arguments): status \(result.status), \(result.standardError)")
        #expect(result.standardError.contains(field), "\(result.standardError)")
    }
}
