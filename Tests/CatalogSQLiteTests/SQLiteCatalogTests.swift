import Catalog
import CatalogSQLite
import Foundation
import Testing

/// What only the SQLite file shows: opening, reopening, racing migrations. Behaviour every store
/// shares is checked by the conformance suite (`SQLiteConformanceTests`).
@Suite("SQLite catalog on a real file")
struct SQLiteCatalogTests {
    let base = Date(timeIntervalSince1970: 1_720_600_200)

    func recording(_ fingerprint: String, camera: String = "CAM01", start: Date? = nil) -> NewRecording {
        NewRecording(fingerprint: fingerprint, path: "/footage/\(fingerprint).mp4", camera: camera, start: start ?? base,
                     startSource: .container, durationSeconds: 60, codec: "h264", width: 1920, height: 1080,
                     frameRate: 25, frameCount: 1500, sizeBytes: 1234)
    }

    func event(_ from: Double, _ to: Double, start: Date? = nil) -> NewMotionEvent {
        let origin = start ?? base
        return NewMotionEvent(
            start: origin.addingTimeInterval(from), end: origin.addingTimeInterval(to), offsetSeconds: from,
            clipStart: origin.addingTimeInterval(from - 2), clipEnd: origin.addingTimeInterval(to + 2),
            peakTime: origin.addingTimeInterval(from), peakScore: 1.5, meanScore: 0.8, area: 0.01,
            boundingBox: NormalizedBox(x: 0.1, y: 0.2, width: 0.3, height: 0.4), still: "x/1.jpg")
    }

    @Test("many openers of a new catalog at once (daemon, status, search) all succeed")
    func concurrentFirstOpen() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("raced.sqlite")
        let failures = LockedErrors()
        // Openers on threads of their own, as separate processes would be (opening blocks while it retries).
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do { _ = try SQLiteCatalog(path: path) } catch { failures.append("\(error)") }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(try await SQLiteCatalog(path: path).cameras().isEmpty)
    }

    @Test("data survives closing and reopening the file")
    func persistence() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        do {
            let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
            _ = try await catalog.commitIndexed(recording("aaa"), events: [event(1, 2)])
        }
        let reopened = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        #expect(try await reopened.events(matching: EventQuery()).count == 1)
        #expect(reopened.stillsDirectory == folder.path("catalog.stills"))
    }

    @Test("a file that is not a catalog gives an error naming it")
    func notACatalog() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("junk.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteCatalog(path: path)
        } throws: { error in
            (error as? CatalogError)?.description.contains(path) == true
        }
    }
}

struct TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

final class LockedErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func append(_ error: String) { lock.withLock { errors.append(error) } }
    var all: [String] { lock.withLock { errors } }
}

@Suite("The camera registry cache")
struct CameraCacheTests {
    @Test("a registry change made through another connection (another process) is seen at once")
    func seesOtherWriters() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let server = try SQLiteCatalog(path: folder.path("c.sqlite"))
        let daemon = try SQLiteCatalog(path: folder.path("c.sqlite"))
        try await daemon.saveCameras([Camera(id: "CAM01", ward: "Phường Hàng Trống")])
        #expect(try await server.cameras().map(\.ward) == ["Phường Hàng Trống"])
        try await daemon.saveCameras([Camera(id: "CAM01", ward: "Phường Tràng Tiền"), Camera(id: "CAM02")])
        #expect(try await server.cameras().map(\.ward) == ["Phường Tràng Tiền", nil])
        #expect(try await server.cameras().map(\.id) == ["CAM01", "CAM02"])
    }
}
