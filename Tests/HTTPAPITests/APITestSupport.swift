import Access
import Catalog
import CatalogSQLite
import Evidence
import Foundation
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport
import Workflows

/// The API over a real SQLite catalog in a temporary folder, reached through HummingbirdTesting:
/// in process (`.router`, the default: no socket, so these suites do not starve beside decoding
/// suites) or on a real loopback socket (`.live`).
struct TestServer: Sendable {
    let folder: TemporaryDirectory
    let catalog: SQLiteCatalog
    let client: any TestClientProtocol
    /// The workflows behind the server (their heavy-work pool, for tests that fill it).
    var workflows: WardWorkflows? = nil

    /// The workflows the test server runs on: the Hồ Chí Minh City zone, clips and exports in `folder`.
    static func workflows(catalog: SQLiteCatalog, folder: TemporaryDirectory, signingKey: String? = nil,
                          cameraTimeZones: [String: TimeZone] = [:]) -> WardWorkflows {
        var settings = WardWorkflows.Settings(stillsDirectory: catalog.stillsDirectory, clipDirectory: folder.path("clips"))
        settings.signingKeyPath = signingKey
        settings.exportDirectory = signingKey == nil ? nil : folder.path("exports")
        settings.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        settings.cameraTimeZones = cameraTimeZones
        return WardWorkflows(store: catalog, settings: settings)
    }

    /// Runs `body` against the API, then removes `folder`.
    static func run(catalog: SQLiteCatalog, folder: TemporaryDirectory, signingKey: String? = nil, _ setup: TestingSetup = .router,
                    settings: @Sendable (inout WardWorkflows.Settings) -> Void = { _ in },
                    configuration: @Sendable (inout APIConfiguration) -> Void = { _ in },
                    _ body: @Sendable (TestServer) async throws -> Void) async throws {
        let base = workflows(catalog: catalog, folder: folder, signingKey: signingKey)
        var adjusted = base.settings
        settings(&adjusted)
        let workflows = WardWorkflows(store: catalog, settings: adjusted)
        var apiConfiguration = APIConfiguration(port: 0)
        configuration(&apiConfiguration)
        let api = WardWatchAPI(workflows: workflows, configuration: apiConfiguration)
        var logger = Logger(label: "test.http")
        logger.logLevel = .critical
        defer { folder.remove() }
        try await api.application(logger: logger).test(setup) { client in
            try await body(TestServer(folder: folder, catalog: catalog, client: client, workflows: workflows))
        }
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
        var events: [[String: Any]] { object["events"] as? [[String: Any]] ?? [] }
    }

    /// GET `pathAndQuery` (already percent-encoded) with an optional bearer token.
    func get(_ pathAndQuery: String, token: String?, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", pathAndQuery, token: token, headers: headers)
    }

    /// POST a JSON body.
    func post(_ pathAndQuery: String, token: String?, json: String = "") async throws -> Reply {
        try await send("POST", pathAndQuery, token: token, headers: ["Content-Type": "application/json"], body: Data(json.utf8))
    }

    func send(_ method: String, _ pathAndQuery: String, token: String?, headers: [String: String] = [:], body: Data? = nil)
        async throws -> Reply
    {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let response = try await client.executeRequest(
            uri: pathAndQuery, method: HTTPRequest.Method(method)!, headers: fields, body: body.map { ByteBuffer(bytes: $0) })
        var replyHeaders: [String: String] = [:]
        for field in response.headers { replyHeaders[field.name.canonicalName] = field.value }
        return Reply(status: Int(response.status.code), headers: replyHeaders, body: Data(response.body.readableBytesView))
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
func encoded(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"))!
}

/// A registry of two wards, with events every minute from 15:30 local time on 2024-07-10.
enum Fixture {
    static let base = Date(timeIntervalSince1970: 1_720_600_200) // 2024-07-10 15:30 +07:00
    static let cameras = [
        Camera(id: "CAM01", name: "Số 12 Nguyễn Trãi", ward: "Phường Bến Thành", street: "số 12 Nguyễn Trãi",
               latitude: 10.7725, longitude: 106.6980),
        Camera(id: "CAM02", name: "Ngã tư Nguyễn Trãi – Lê Lợi", ward: "Phường Bến Thành", street: "ngã tư Nguyễn Trãi – Lê Lợi",
               latitude: 10.7740, longitude: 106.6990),
        Camera(id: "CAM03", name: "Số 5 Đinh Lễ", ward: "Phường Tràng Tiền", street: "số 5 Đinh Lễ",
               latitude: 10.7900, longitude: 106.7100),
    ]
    /// Bytes standing in for a still (the API serves files as they are).
    static let still = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0xFF, 0xD9])

    /// Tokens by user: a viewer of every ward, a viewer of Bến Thành only, an investigator, a revoked viewer.
    struct Tokens {
        var viewer: String
        var benThanhViewer: String
        var investigator: String
        var benThanhInvestigator: String
        var revoked: String
    }

    /// A catalog with 10 events per camera (one a minute); the first event of each camera has a still.
    static func catalog(recordingPath: (Camera) -> String = { "/footage/\($0.id).mp4" }, durationSeconds: Double = 600)
        async throws -> (TemporaryDirectory, SQLiteCatalog, Tokens)
    {
        let folder = TemporaryDirectory("wardwatch-api")
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        try await catalog.saveCameras(cameras)
        try FileManager.default.createDirectory(atPath: catalog.stillsDirectory, withIntermediateDirectories: true)
        for (index, camera) in cameras.enumerated() {
            let start = base.addingTimeInterval(Double(index))
            // A real file is fingerprinted as indexing would, so exports and clips pass the source check.
            // Fingerprints are unique: the other cameras get copies with `index` zero bytes appended
            // (MP4 readers ignore bytes after the last box).
            var path = recordingPath(camera)
            if index > 0, FileManager.default.fileExists(atPath: path) {
                // In a folder of their own: an export may not be written inside a recordings folder.
                try FileManager.default.createDirectory(atPath: folder.path("footage"), withIntermediateDirectories: true)
                let copy = folder.path("footage/\(camera.id).mp4")
                var data = try Data(contentsOf: URL(fileURLWithPath: path))
                data.append(Data(count: index))
                try data.write(to: URL(fileURLWithPath: copy))
                path = copy
            }
            let real = try? SourceCheck.fingerprint(path: path)
            let recording = NewRecording(
                fingerprint: real?.hex ?? camera.id, path: path, camera: camera.id, start: start, startSource: .container,
                durationSeconds: durationSeconds, codec: "h264", width: 1920, height: 1080, frameRate: 25,
                frameCount: Int(durationSeconds * 25), sizeBytes: real?.size ?? 1)
            var events: [NewMotionEvent] = []
            for minute in 0..<10 {
                let offset = Double(minute * 6) * durationSeconds / 60
                let still = minute == 0 ? "\(camera.id)-first.jpg" : nil
                if let still { try Fixture.still.write(to: URL(fileURLWithPath: catalog.stillsDirectory).appendingPathComponent(still)) }
                events.append(NewMotionEvent(
                    start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + 4),
                    offsetSeconds: offset, clipStart: start.addingTimeInterval(max(0, offset - 2)),
                    clipEnd: start.addingTimeInterval(offset + 6), peakTime: start.addingTimeInterval(offset + 1),
                    peakScore: Double(minute) / 10, meanScore: 0, area: Double(minute) / 100,
                    boundingBox: NormalizedBox(x: 0.1, y: 0.2, width: 0.3, height: 0.4), still: still))
            }
            _ = try await catalog.commitIndexed(recording, events: events)
        }
        func add(_ name: String, _ role: AccessRole, ward: String?) async throws -> String {
            let token = AccessTokens.generate()
            try await catalog.addUser(User(name: name, role: role, ward: ward, created: Date(), revoked: nil), tokenHash: AccessTokens.hash(token))
            return token
        }
        let tokens = await Tokens(viewer: try add("an", .viewer, ward: nil),
                            benThanhViewer: try add("binh", .viewer, ward: "Phường Bến Thành"),
                            investigator: try add("chi", .investigator, ward: nil),
                            benThanhInvestigator: try add("giang", .investigator, ward: "Phường Bến Thành"),
                            revoked: try add("dung", .viewer, ward: nil))
        _ = try await catalog.revokeUser(name: "dung")
        return (folder, catalog, tokens)
    }
}
