import Catalog
import CatalogSQLite
import Foundation
import Testing

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

    @Test("a recording and its events commit together and read back exactly")
    func commitAndRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        let result = try catalog.commitIndexed(recording("aaa"), events: [event(4, 10), event(22, 30.5)])
        #expect(result.inserted)
        #expect(result.events.count == 2)
        let events = try catalog.events(matching: EventQuery())
        #expect(events == result.events)
        #expect(events[1].end == base.addingTimeInterval(30.5))
        #expect(events[0].boundingBox == NormalizedBox(x: 0.1, y: 0.2, width: 0.3, height: 0.4))
        #expect(try catalog.recording(fingerprint: "aaa")?.frameCount == 1500)
        #expect(try catalog.cameras().map(\.id) == ["CAM01"])
    }

    @Test("committing the same content twice adds nothing")
    func idempotent() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        _ = try catalog.commitIndexed(recording("aaa"), events: [event(4, 10)])
        var renamed = recording("aaa")
        renamed.path = "/elsewhere/copy.mp4"
        let second = try catalog.commitIndexed(renamed, events: [event(4, 10), event(20, 21)])
        #expect(!second.inserted)
        #expect(second.recording.path == "/footage/aaa.mp4")
        #expect(try catalog.events(matching: EventQuery()).count == 1)
    }

    @Test("time queries return events that overlap the range, by camera, in time order")
    func overlap() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        _ = try catalog.commitIndexed(recording("a", camera: "CAM01"), events: [event(0, 100), event(200, 210)])
        _ = try catalog.commitIndexed(recording("b", camera: "CAM02"), events: [event(50, 60)])
        func ids(_ query: EventQuery) throws -> [Double] {
            try catalog.events(matching: query).map { $0.start.timeIntervalSince(base) }
        }
        // A long event that started before `from` still overlaps it.
        #expect(try ids(EventQuery(from: base.addingTimeInterval(90), to: base.addingTimeInterval(205))) == [0, 200])
        #expect(try ids(EventQuery(from: base.addingTimeInterval(100), to: base.addingTimeInterval(150))).isEmpty)
        #expect(try ids(EventQuery(camera: "CAM02")) == [50])
        #expect(try ids(EventQuery(camera: "CAM01", to: base.addingTimeInterval(200))) == [0])
        #expect(try ids(EventQuery(limit: 2)) == [0, 50])
    }

    @Test("across files: events at a shared boundary merge, a real gap keeps them apart, overlapping files give one event")
    func crossFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        let merge = CommitOptions(mergeGapSeconds: 2)
        // File a: 0–60 s with motion running to its end; file b starts right after, motion from its start.
        _ = try catalog.commitIndexed(recording("a"), events: [event(55, 59.9)], options: merge)
        let b = base.addingTimeInterval(60)
        _ = try catalog.commitIndexed(recording("b", start: b), events: [event(0.1, 4, start: b)], options: merge)
        // File c starts after a 30 s gap (recorder was down): its edge event stays separate.
        let c = base.addingTimeInterval(150)
        _ = try catalog.commitIndexed(recording("c", start: c), events: [event(0.1, 3, start: c)], options: merge)
        // File d overlaps c by 10 s and saw the same motion: one event.
        let d = base.addingTimeInterval(200)
        _ = try catalog.commitIndexed(recording("c2", start: c.addingTimeInterval(50)), events: [], options: merge)
        _ = try catalog.commitIndexed(recording("d", start: d), events: [event(0, 2, start: d)], options: merge)
        _ = try catalog.commitIndexed(recording("e", start: d.addingTimeInterval(-10)), events: [event(9.5, 12.5, start: d.addingTimeInterval(-10))],
                                      options: merge)
        let spans = try catalog.events(matching: EventQuery()).map {
            [($0.start.timeIntervalSince(base) * 1000).rounded() / 1000, ($0.end.timeIntervalSince(base) * 1000).rounded() / 1000]
        }
        #expect(spans == [[55, 64], [150.1, 153], [199.5, 202.5]], "\(spans)")
    }

    @Test("many openers of a new catalog at once (daemon, status, search) all succeed")
    func concurrentFirstOpen() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("raced.sqlite")
        let failures = LockedErrors()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do { _ = try SQLiteCatalog(path: path).cameras() } catch { failures.append("\(error)") }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
    }

    @Test("data survives closing and reopening the file")
    func persistence() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        do {
            let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
            _ = try catalog.commitIndexed(recording("aaa"), events: [event(1, 2)])
        }
        let reopened = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        #expect(try reopened.events(matching: EventQuery()).count == 1)
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
    func seesOtherWriters() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let server = try SQLiteCatalog(path: folder.path("c.sqlite"))
        let daemon = try SQLiteCatalog(path: folder.path("c.sqlite"))
        try daemon.saveCameras([Camera(id: "CAM01", ward: "Phường Hàng Trống")])
        #expect(try server.cameras().map(\.ward) == ["Phường Hàng Trống"])
        try daemon.saveCameras([Camera(id: "CAM01", ward: "Phường Tràng Tiền"), Camera(id: "CAM02")])
        #expect(try server.cameras().map(\.ward) == ["Phường Tràng Tiền", nil])
        #expect(try server.cameras().map(\.id) == ["CAM01", "CAM02"])
    }
}
