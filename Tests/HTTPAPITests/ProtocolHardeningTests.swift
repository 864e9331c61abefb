import Access
import Catalog
import Foundation
import HTTPAPI
import Testing
import TestSupport
import Yams

/// Issue 15, defect 11: HTTP protocol details, and the OpenAPI document's limits enforced as written.
@Suite("HTTP protocol details")
struct ProtocolHardeningTests {
    func withServer(_ body: @Sendable (TestServer, Fixture.Tokens) async throws -> Void) async throws {
        let (folder, catalog, tokens) = try await Fixture.catalog()
        try await TestServer.run(catalog: catalog, folder: folder) { server in try await body(server, tokens) }
    }

    func errorCode(_ reply: TestServer.Reply) -> String? { (reply.object["error"] as? [String: Any])?["code"] as? String }

    @Test("nosniff and no framing on every answer; no-store on everything under /api/ but the document")
    func headers() async throws {
        try await withServer { server, tokens in
            let cases: [(String, String?)] = [
                ("/", nil), ("/console/app.js", nil), ("/api/v1/openapi.yaml", nil), ("/api/v1/cameras", tokens.viewer),
                ("/api/v1/events?limit=2", tokens.viewer), ("/api/v1/events/1/still.jpg", tokens.viewer), ("/api/v1/events", nil),
                ("/api/v1/events?colour=red", tokens.viewer), ("/api/v1/nothing", tokens.viewer), ("/nothing", nil),
                ("/api/v1/tips", tokens.investigator), ("/api/v1/incidents/999", tokens.viewer),
            ]
            for (path, token) in cases {
                let reply = try await server.get(path, token: token)
                #expect(reply.headers["x-content-type-options"] == "nosniff", "\(path)")
                #expect(reply.headers["x-frame-options"] == "DENY", "\(path)")
                #expect(reply.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true, "\(path)")
                let cache = reply.headers["cache-control"]
                if path.hasPrefix("/api/") && path != "/api/v1/openapi.yaml" {
                    #expect(cache == "no-store", "\(path): \(cache ?? "none")")
                } else {
                    #expect(cache?.contains("no-store") != true && cache != nil, "\(path): \(cache ?? "none")")
                }
            }
        }
    }

    @Test("a wrong method is a 405 naming the methods in Allow; an unknown path stays a 404; both JSON")
    func methods() async throws {
        try await withServer { server, tokens in
            for (method, path, allow) in [("DELETE", "/api/v1/events", "GET"), ("POST", "/api/v1/cameras", "GET"),
                                          ("PATCH", "/api/v1/session", "GET, POST, DELETE"), ("GET", "/api/v1/exports", "POST"),
                                          ("PUT", "/api/v1/events/7", "GET"), ("POST", "/", "GET"),
                                          ("DELETE", "/api/v1/incidents/1/links/2/confirm", "POST")] {
                let reply = try await server.send(method, path, token: tokens.viewer)
                #expect(reply.status == 405 && reply.headers["allow"] == allow, "\(method) \(path): \(reply.status) \(reply.headers["allow"] ?? "")")
                #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true && errorCode(reply) == "method_not_allowed")
            }
            let unknown = try await server.send("DELETE", "/api/v1/nothing/here", token: tokens.viewer)
            #expect(unknown.status == 404 && errorCode(unknown) == "not_found" && unknown.headers["allow"] == nil)
        }
    }

    @Test("a body over the operation's x-max-body-bytes is a JSON 413, before the route reads it")
    func tooLarge() async throws {
        try await withServer { server, tokens in
            let big = Data(#"{"case_id": "C", "reason": ""#.utf8) + Data(repeating: UInt8(ascii: "x"), count: 70_000) + Data(#""}"#.utf8)
            let export = try await server.send("POST", "/api/v1/exports", token: tokens.investigator,
                                               headers: ["Content-Type": "application/json"], body: big)
            #expect(export.status == 413 && errorCode(export) == "too_large", "\(String(decoding: export.body, as: UTF8.self))")
            let session = try await server.send("POST", "/api/v1/session", token: nil, headers: ["Content-Type": "application/json"],
                                                body: Data(#"{"token": ""#.utf8) + Data(repeating: 0x61, count: 5000) + Data(#""}"#.utf8))
            #expect(session.status == 413 && errorCode(session) == "too_large")
            let bodiless = try await server.send("POST", "/api/v1/audit/verify", token: tokens.viewer, body: Data(count: 100_000))
            #expect(bodiless.status == 413 && errorCode(bodiless) == "too_large")
        }
    }

    @Test("every 4xx has a JSON Error body, including Hummingbird's own", arguments: [
        ("GET", "/api/v1/nope"), ("DELETE", "/api/v1/cameras"), ("GET", "/api/v1/events?limit=0"), ("GET", "/api/v1/events/abc"),
        ("GET", "/api/v1/events/1/review?x=1"), ("POST", "/api/v1/audit/verify"), ("GET", "/api/v1/recordings/1/clip"),
    ])
    func jsonErrors(method: String, path: String) async throws {
        try await withServer { server, tokens in
            let reply = try await server.send(method, path, token: tokens.viewer)
            #expect((400..<500).contains(reply.status), "\(reply.status)")
            let error = try #require(reply.object["error"] as? [String: Any], "\(String(decoding: reply.body, as: UTF8.self))")
            #expect(error["status"] as? Int == reply.status && error["code"] is String && error["message"] is String)
        }
    }

    @Test("a repeated query key is a 400 naming it, except for parameters the document makes arrays", arguments: [
        ("/api/v1/events?limit=5&limit=6", "limit"), ("/api/v1/events?street=a&street=b", "street"),
        ("/api/v1/incidents?status=open&status=open", "status"), ("/api/v1/tips?text=a&text=a", "text"),
        ("/api/v1/events/1/nearby?seconds=5&seconds=9", "seconds"), ("/api/v1/cameras/CAM01/day?date=2024-07-10&date=2024-07-11", "date"),
        ("/api/v1/recordings/1/clip?from=1&from=2&to=3", "from"), ("/api/v1/reviews?events=1&events=2", "events"),
    ])
    func repeatedQueryKeys(query: String, field: String) async throws {
        try await withServer { server, tokens in
            let reply = try await server.get(query, token: tokens.investigator)
            #expect(reply.status == 400 && reply.errorField == field, "\(query): \(String(decoding: reply.body, as: UTF8.self))")
        }
    }

    @Test("camera, an array in the document, repeats")
    func repeatableCamera() async throws {
        try await withServer { server, tokens in
            let reply = try await server.get("/api/v1/events?camera=CAM01&camera=CAM03&limit=100", token: tokens.viewer)
            #expect(reply.status == 200 && reply.events.count == 20)
        }
    }

    @Test("unknown or repeated keys in a JSON body are 400s naming the key", arguments: [
        ("POST", "/api/v1/exports", #"{"events": [1], "case_id": "a", "case_id": "b", "reason": "r"}"#, "case_id"),
        ("POST", "/api/v1/exports", #"{"events": [1], "case_id": "a", "reason": "r", "colour": "red"}"#, "colour"),
        ("POST", "/api/v1/session", #"{"token": "ww_a", "token": "ww_b"}"#, "token"),
        ("POST", "/api/v1/session", #"{"token": "ww_a", "remember": true}"#, "remember"),
        ("PUT", "/api/v1/events/1/review", #"{"note": "a", "note": "b"}"#, "note"),
        ("PUT", "/api/v1/events/1/review", #"{"reviewd": true}"#, "reviewd"),
        ("POST", "/api/v1/incidents", #"[{"reference": "I-1", "category": "x", "categroy": "y"}]"#, "body[0].categroy"),
        ("POST", "/api/v1/tips", #"{"id": "T-1", "channel": "phone", "channel": "sms"}"#, "channel"),
    ])
    func jsonKeys(method: String, path: String, body: String, field: String) async throws {
        try await withServer { server, tokens in
            let reply = try await server.send(method, path, token: tokens.investigator, headers: ["Content-Type": "application/json"],
                                              body: Data(body.utf8))
            #expect(reply.status == 400 && reply.errorField == field, "\(path) \(body): \(String(decoding: reply.body, as: UTF8.self))")
        }
    }

    /// Every query or path parameter of every GET operation that the document bounds, probed from the document itself.
    static func boundedParameters() throws -> [(path: String, name: String, inside: [String], outside: [String])] {
        let document = try #require(try Yams.load(yaml: WardWatchAPI.openAPIDocument) as? [String: Any])
        var found: [(String, String, [String], [String])] = []
        for (path, item) in (document["paths"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let get = (item as? [String: Any])?["get"] as? [String: Any] else { continue }
            for case let parameter as [String: Any] in get["parameters"] as? [Any] ?? [] {
                guard let name = parameter["name"] as? String, let schema = parameter["schema"] as? [String: Any] else { continue }
                func number(_ key: String) -> Double? { (schema[key] as? Double) ?? (schema[key] as? Int).map(Double.init) }
                func text(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value) }
                let integer = schema["type"] as? String == "integer"
                let step = integer ? 1.0 : 0.5
                var inside: [String] = [], outside: [String] = []
                if let low = number("minimum") { inside.append(text(low)); outside.append(text(low - step)) }
                if let high = number("maximum"), high < 1e15 { inside.append(text(high)); outside.append(text(high + step)) }
                if let low = number("exclusiveMinimum") { inside.append(text(low + step)); outside.append(text(low)) }
                if let allowed = schema["enum"] as? [Any] { inside += allowed.map { "\($0)" }; outside.append("not-\(allowed.first ?? "")") }
                if let longest = schema["maxLength"] as? Int { outside.append(String(repeating: "x", count: longest + 1)) }
                if !outside.isEmpty { found.append((path, name, inside, outside)) }
            }
        }
        return found
    }

    @Test("the document's minimum, maximum, exclusiveMinimum and enum hold for every bounded parameter, as written")
    func documentedLimits() async throws {
        let bounded = try Self.boundedParameters()
        #expect(bounded.count >= 12, "\(bounded.map { "\($0.path) \($0.name)" })")
        let (folder, catalog, tokens) = try await Fixture.catalog()
        let admin = AccessTokens.generate()
        try await catalog.addUser(User(name: "root", role: .admin, ward: nil, created: Date(), revoked: nil), tokenHash: AccessTokens.hash(admin))
        try await TestServer.run(catalog: catalog, folder: folder) { server in
            for (template, name, inside, outside) in bounded {
                let isPath = template.contains("{\(name)}")
                func url(_ value: String) -> String {
                    var path = template.replacingOccurrences(of: "{name}", with: "x.zip").replacingOccurrences(of: "{reference}", with: "INC-1")
                    path = template.contains("/cameras/") ? path.replacingOccurrences(of: "{id}", with: "CAM01") : path
                    if isPath { path = path.replacingOccurrences(of: "{\(name)}", with: encoded(value)) }
                    path = path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{event}", with: "1")
                    // A search sorted by distance needs a place.
                    let context = template == "/api/v1/events" && name != "near" ? "&near=10.7725,106.6980" : ""
                    return isPath ? path : path + "?\(name)=\(encoded(value))" + context
                }
                for value in outside {
                    let reply = try await server.get(url(value), token: admin)
                    #expect(reply.status == 400 && reply.errorField == name, "\(url(value)): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
                }
                for value in inside {
                    let reply = try await server.get(url(value), token: admin)
                    #expect(reply.errorField != name && reply.status < 500, "\(url(value)): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
                }
            }
            // Bodies too: the export's rolls and event count, the review's note.
            let json = ["Content-Type": "application/json"]
            for (body, field) in [(#"{"events": [1], "case_id": "C", "reason": "r", "pre_roll_s": 300.5}"#, "pre_roll_s"),
                                  (#"{"events": [1], "case_id": "C", "reason": "r", "post_roll_s": -0.5}"#, "post_roll_s"),
                                  (#"{"events": [\#((1...101).map(String.init).joined(separator: ","))], "case_id": "C", "reason": "r"}"#, "events"),
                                  (#"{"events": [], "case_id": "C", "reason": "r"}"#, "events")] {
                let reply = try await server.send("POST", "/api/v1/exports", token: tokens.investigator, headers: json, body: Data(body.utf8))
                #expect(reply.status == 400 && reply.errorField == field, "\(body): \(String(decoding: reply.body, as: UTF8.self))")
            }
            let note = try await server.send("PUT", "/api/v1/events/1/review", token: tokens.viewer, headers: json,
                                             body: Data(#"{"note": "\#(String(repeating: "ư", count: 4001))"}"#.utf8))
            #expect(note.status == 400 && note.errorField == "note")
            let fits = try await server.send("PUT", "/api/v1/events/1/review", token: tokens.viewer, headers: json,
                                             body: Data(#"{"note": "\#(String(repeating: "ư", count: 4000))"}"#.utf8))
            #expect(fits.status == 200)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProtocolHardeningTests {
    /// Sends raw bytes to 127.0.0.1:`port` and reads the answer until the server closes.
    static func raw(_ text: String, port: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = Array(text.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    @Test("a request Hummingbird cannot parse gets a JSON 400 too (live loopback)", arguments: [
        "GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "GET /api/v1/cameras HTTP/1.1\r\nHost: x\r\nX-Bad\u{1}Name: 1\r\n\r\n",
        "GET /api/v1/cameras HTTP/9.9\r\n\r\n",
        "POST /api/v1/exports HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde",
    ])
    func unparsable(request: String) async throws {
        let (folder, catalog, _) = try await Fixture.catalog()
        try await TestServer.run(catalog: catalog, folder: folder, .live) { server in
            let port = try #require(server.client.port)
            // On a thread of its own: a blocking read on a cooperative thread would starve the in-process server.
            let answer = await withCheckedContinuation { done in
                Thread { done.resume(returning: (try? Self.raw(request, port: port)) ?? "") }.start()
            }
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer)")
            #expect(answer.lowercased().contains("content-type: application/json"), "\(answer)")
            #expect(answer.contains(#""code":"bad_request""#), "\(answer)")
            // And the server still answers.
            #expect(try await server.get("/api/v1/openapi.yaml", token: nil).status == 200)
        }
    }
}

extension ProtocolHardeningTests {
    @Test("every operation of the document is routed, so Allow (read from the document) names only real methods")
    func documentAndRouterAgree() async throws {
        let document = try #require(try Yams.load(yaml: WardWatchAPI.openAPIDocument) as? [String: Any])
        var operations: [(String, String)] = []
        for (template, item) in document["paths"] as? [String: Any] ?? [:] {
            for method in ((item as? [String: Any]) ?? [:]).keys where ["get", "put", "post", "delete"].contains(method) {
                operations.append((template, method))
            }
        }
        let documented = operations
        let (folder, catalog, _) = try await Fixture.catalog()
        let admin = AccessTokens.generate()
        try await catalog.addUser(User(name: "root", role: .admin, ward: nil, created: Date(), revoked: nil), tokenHash: AccessTokens.hash(admin))
        try await TestServer.run(catalog: catalog, folder: folder) { server in
            var checked = 0
            for (template, method) in documented {
                let path = template.replacingOccurrences(of: "{name}", with: "x.zip").replacingOccurrences(of: "{reference}", with: "R")
                    .replacingOccurrences(of: "{id}", with: template.hasPrefix("/api/v1/cameras/") ? "CAM01" : "1")
                    .replacingOccurrences(of: "{event}", with: "1")
                let reply = try await server.send(method.uppercased(), path, token: admin)
                let message = ((reply.object["error"] as? [String: Any])?["message"] as? String) ?? ""
                #expect(reply.status != 405 && !message.hasPrefix("no such resource"), "\(method) \(template): \(reply.status) \(message)")
                checked += 1
            }
            #expect(checked >= 28)
        }
    }
}
