import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import Yams

/// Issue 15, defect 1: no number anyone can type kills a process.
@Suite("Extreme numbers: serve and the CLI survive them")
struct ExtremeInputTests {
    static let extremes = ["1e16", "-1e16", "1e308", "-1e308", "1e999", "-1", "0", "nan", "NaN", "inf", "-inf", "Infinity", "",
                           "99999999999999999999999", "-9223372036854775809", "0x7fffffffffffffff", "1,2", "abc", "%00"]

    /// Text no parameter takes: huge, negative, not a number, infinite, empty, overlong, control and
    /// non-ASCII characters, path tricks.
    static let extremeTexts = extremes + [String(repeating: "9", count: 400), String(repeating: "ư", count: 5000), "\u{0}",
                                          "../../etc/passwd", "2024-13-40T25:61:61Z", "10.77,106.69,1,2,3", "-0", "1e-400"]
    /// JSON values no body field takes.
    static let extremeJSON = ["1e308", "-1e308", "99999999999999999999999", "-1", "0", "1.5", "\"\"", "\"nan\"", "\"inf\"", "null", "true",
                              "[]", "{}", "[1e308]", "\"\(String(repeating: "x", count: 10_000))\"", "[\(Array(repeating: "1", count: 2000).joined(separator: ","))]"]

    /// One request the test sends.
    struct Probe {
        var method: String
        var path: String
        var body: String?
    }

    /// Every operation, parameter and body field of the OpenAPI document the server serves, each with
    /// every extreme value: alone, repeated, and beside an unknown parameter or key.
    static func probes(document: [String: Any]) -> [Probe] {
        var probes: [Probe] = []
        for (template, item) in (document["paths"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (method, node) in (item as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let operation = node as? [String: Any], ["get", "post", "put", "delete"].contains(method) else { continue }
                let parameters = (operation["parameters"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
                let pathNames = parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                let queryNames = parameters.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String }
                // A path with ordinary ids, and the parameters the operation needs to get past its first check.
                func path(_ replacing: [String: String] = [:]) -> String {
                    var path = template
                    for name in pathNames {
                        let value = replacing[name] ?? (template.hasPrefix("/api/v1/cameras/") ? "CAM01" : name == "name" ? "x.zip" : "1")
                        path = path.replacingOccurrences(of: "{\(name)}", with: escaped(value))
                    }
                    return path
                }
                let needed = template.hasSuffix("/clip") ? ["from": "0", "to": "5"] : template == "/api/v1/reviews" ? ["events": "1"] : [:]
                let upper = method.uppercased()
                for name in pathNames {
                    for value in extremeTexts { probes.append(Probe(method: upper, path: path([name: value]) + query(needed), body: nil)) }
                }
                for name in queryNames {
                    for value in extremeTexts {
                        var others = needed
                        others[name] = nil
                        let v = escaped(value), rest = query(others, leading: "&")
                        probes.append(Probe(method: upper, path: path() + "?\(name)=\(v)" + rest, body: nil))
                        probes.append(Probe(method: upper, path: path() + "?\(name)=\(v)&\(name)=\(v)" + rest, body: nil))
                        probes.append(Probe(method: upper, path: path() + "?\(name)=\(v)&bogus=\(v)" + rest, body: nil))
                    }
                }
                probes.append(Probe(method: upper, path: path() + "?bogus=1", body: nil))
                guard let body = operation["requestBody"] as? [String: Any] else {
                    probes.append(Probe(method: upper, path: path() + query(needed), body: nil))
                    continue
                }
                let fields = bodyFields(body, document: document)
                let base = fields.required.map { "\"\($0)\": \"C-1\"" }
                for field in fields.names {
                    for value in extremeJSON {
                        let others = base.filter { !$0.hasPrefix("\"\(field)\"") }
                        let object = "{" + (others + ["\"\(field)\": \(value)"]).joined(separator: ", ") + "}"
                        probes.append(Probe(method: upper, path: path(), body: object))
                        probes.append(Probe(method: upper, path: path(), body: "[" + object + "]"))
                    }
                    probes.append(Probe(method: upper, path: path(), body: "{\"\(field)\": 1, \"\(field)\": 2}"))
                }
                for raw in ["", "{", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]", "{\"bogus\": 1}", "null", "\u{FF}\u{FE}"] {
                    probes.append(Probe(method: upper, path: path(), body: raw))
                }
            }
        }
        return probes
    }

    /// The property names of a request body's JSON schema (following `$ref` and `oneOf`), and the required ones.
    static func bodyFields(_ body: [String: Any], document: [String: Any]) -> (names: [String], required: [String]) {
        func resolve(_ node: Any?) -> [String: Any]? {
            guard var map = node as? [String: Any] else { return nil }
            while let reference = map["$ref"] as? String {
                var target: Any = document
                for part in reference.dropFirst(2).split(separator: "/") { target = (target as? [String: Any])?[String(part)] ?? [:] }
                map = target as? [String: Any] ?? [:]
            }
            return map
        }
        var schema = resolve(((body["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]) ?? [:]
        if let first = (schema["oneOf"] as? [Any])?.first { schema = resolve(first) ?? [:] }
        let names = (schema["properties"] as? [String: Any] ?? [:]).keys.sorted()
        return (names, schema["required"] as? [String] ?? [])
    }

    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    static func query(_ values: [String: String], leading: String = "?") -> String {
        values.isEmpty ? "" : leading + values.sorted { $0.key < $1.key }.map { "\($0.key)=\(escaped($0.value))" }.joined(separator: "&")
    }

    @Test("serve answers every operation, parameter and body field of its OpenAPI document with extreme values: no 5xx, still alive")
    func serveSurvives() async throws {
        let folder = TemporaryDirectory("wardwatch-extreme")
        defer { folder.remove() }
        let catalog = folder.path("c.sqlite")
        #expect(try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", catalog,
                                          SampleRecordings.url("street_vfr.mp4").path]).status == 0)
        let added = try Subprocess.wardwatch(["users", "add", "root", "--role", "admin", "--catalog", catalog])
        let token = try #require(added.standardOutput.split(separator: "\n").first { $0.hasPrefix("ww_") }.map(String.init))
        let key = folder.path("ward.key")
        #expect(try Subprocess.wardwatch(["keys", "generate", "--key-file", key]).status == 0)

        let server = try await ServeProcess(["--catalog", catalog, "--key-file", key, "--export-dir", folder.path("exports")], folder: folder)
        let process = server.process
        let base = server.base

        func send(_ probe: Probe) async throws -> Int {
            var request = URLRequest(url: URL(string: base + probe.path)!)
            request.httpMethod = probe.method
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let body = probe.body {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (_, response) = try await URLSession.shared.data(for: request)
            return (response as! HTTPURLResponse).statusCode
        }
        let (data, _) = try await URLSession.shared.data(from: URL(string: base + "/api/v1/openapi.yaml")!)
        let document = try #require(try Yams.load(yaml: String(decoding: data, as: UTF8.self)) as? [String: Any])
        let probes = Self.probes(document: document)
        var failures: [String] = []
        var statuses: [Int: Int] = [:]
        for probe in probes {
            let code = try await send(probe)
            statuses[code, default: 0] += 1
            if code >= 500 { failures.append("\(code) for \(probe.method) \(probe.path) \(probe.body?.prefix(120) ?? "")") }
            guard process.isRunning else {
                Issue.record("serve died on \(probe.method) \(probe.path) \(probe.body?.prefix(120) ?? "")")
                return
            }
        }
        print("extreme probes: \(probes.count), statuses \(statuses.sorted { $0.key < $1.key })")
        #expect(failures.isEmpty, "\(failures.count) 5xx: \(failures.prefix(20))")
        // Every documented operation and parameter was reached: 25 operations, about 50 parameters.
        #expect(probes.count > 4000, "\(probes.count) requests")
        #expect(Set(probes.map { $0.method + " " + ($0.path.split(separator: "?").first ?? "") }).count > 25)
        #expect(process.isRunning)
        #expect(try await send(Probe(method: "GET", path: "/api/v1/events?camera=CAM01", body: nil)) == 200)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(statuses)")
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
