import Alerts
import Catalog
import CatalogSQLite
import Foundation
import Logging
import TestSupport
import Testing
import WardWatchConfig

func event(id: Int64, camera: String = "CAM01", localStart: String, seconds: Double = 4, area: Double = 0.01) -> MotionEvent {
    let start = Timestamp.parse(localStart, defaultZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)!
    return MotionEvent(id: id, camera: camera, recordingID: 1, start: start, end: start.addingTimeInterval(seconds),
                       offsetSeconds: 0, clipStart: start, clipEnd: start, peakTime: start, peakScore: 1, meanScore: 1,
                       area: area, boundingBox: NormalizedBox(x: 0, y: 0, width: 1, height: 1), still: "a/1.jpg")
}

func configuration(_ yaml: String) throws -> WardWatchConfiguration {
    try WardWatchConfiguration.parse(yaml: yaml, file: "/tmp/ward.yaml")
}

@Suite("Alert rules")
struct AlertPlannerTests {
    let registry = """
        cameras:
          - {id: CAM01, ward: Phường Hàng Trống, street: số 12 Hàng Trống}
          - {id: CAM11, ward: Phường Tràng Tiền, street: ngã tư Đinh Lễ – Tràng Tiền}

        """

    @Test("night window crosses midnight in local time; duration and area thresholds apply")
    func timeAndThresholds() throws {
        let config = try configuration(registry + """
            alerts:
              - {name: night, log: night.jsonl, time_of_day: "22:00-05:00", min_duration: 2, min_area: 0.005}
            """)
        let planner = AlertPlanner(configuration: config, stillsDirectory: "/stills")
        #expect(planner.alerts(for: event(id: 1, localStart: "2024-07-10T23:30:00")).count == 1)
        #expect(planner.alerts(for: event(id: 2, localStart: "2024-07-11T04:59:00")).count == 1)
        #expect(planner.alerts(for: event(id: 3, localStart: "2024-07-11T05:00:00")).isEmpty)
        #expect(planner.alerts(for: event(id: 4, localStart: "2024-07-10T23:30:00", seconds: 1)).isEmpty)
        #expect(planner.alerts(for: event(id: 5, localStart: "2024-07-10T23:30:00", area: 0.001)).isEmpty)
    }

    @Test("ward and street filters ignore case and Vietnamese diacritics")
    func placeFilters() throws {
        let config = try configuration(registry + """
            alerts:
              - {name: ward, log: w.jsonl, wards: [phuong hang trong]}
              - {name: street, log: s.jsonl, streets: [DINH LE]}
            """)
        let planner = AlertPlanner(configuration: config, stillsDirectory: "/stills")
        #expect(planner.alerts(for: event(id: 1, camera: "CAM01", localStart: "2024-07-10T12:00:00")).map(\.rule) == ["ward"])
        #expect(planner.alerts(for: event(id: 2, camera: "CAM11", localStart: "2024-07-10T12:00:00")).map(\.rule) == ["street"])
    }

    @Test("zones: only events whose motion box touches the zone match")
    func zones() throws {
        let config = try configuration(registry + """
            alerts:
              - {name: gate, log: g.jsonl, zones: [[[0.6, 0.6], [1.0, 0.6], [1.0, 1.0], [0.6, 1.0]]]}
            """)
        let planner = AlertPlanner(configuration: config, stillsDirectory: "/stills")
        var inside = event(id: 1, localStart: "2024-07-10T12:00:00")
        inside.boundingBox = NormalizedBox(x: 0.5, y: 0.5, width: 0.2, height: 0.2)
        var outside = event(id: 2, localStart: "2024-07-10T12:00:00")
        outside.boundingBox = NormalizedBox(x: 0.1, y: 0.1, width: 0.2, height: 0.2)
        var covering = event(id: 3, localStart: "2024-07-10T12:00:00")
        covering.boundingBox = NormalizedBox(x: 0.55, y: 0.55, width: 0.45, height: 0.45)
        #expect(planner.alerts(for: inside).count == 1)
        #expect(planner.alerts(for: outside).isEmpty)
        #expect(planner.alerts(for: covering).count == 1)
    }

    @Test("a JSON line carries id, rule, camera, place, UTC and local times and an absolute still path")
    func jsonLine() throws {
        let config = try configuration(registry + "alerts:\n  - {name: all, log: all.jsonl}\n")
        let alert = try #require(AlertPlanner(configuration: config, stillsDirectory: "/stills")
            .alerts(for: event(id: 42, localStart: "2024-07-10T15:30:04")).first)
        #expect(alert.alertID == "all/event-42")
        #expect(!alert.line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(alert.line.utf8)) as? [String: Any])
        #expect(object["start"] as? String == "2024-07-10T08:30:04.000Z")
        #expect(object["start_local"] as? String == "2024-07-10T15:30:04.000+07:00")
        #expect(object["still"] as? String == "/stills/a/1.jpg")
        #expect((object["place"] as? [String: Any])?["street"] as? String == "số 12 Hàng Trống")
    }
}

@Suite("Alert log files", .serialized)
struct AlertLogWriterTests {
    func setUp() throws -> (TemporaryDirectory, SQLiteCatalog, AlertLogWriter) {
        let folder = TemporaryDirectory()
        let catalog = try SQLiteCatalog(path: folder.path("c.sqlite"))
        return (folder, catalog, AlertLogWriter(store: catalog, logger: Logger(label: "test")))
    }

    func queue(_ catalog: SQLiteCatalog, _ ids: ClosedRange<Int>, log: String) async throws {
        try await catalog.notePending(path: "/f", camera: "CAM01", sizeBytes: 1, modified: Date())
        try await catalog.markFailed(path: "/f", reason: "x", final: true, alerts: ids.map {
            NewAlert(alertID: "r/\($0)", rule: "r", log: log, line: "{\"alert_id\":\"r/\($0)\"}")
        })
    }

    func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("each alert is written once, even when delivery runs again or a crash lost the 'delivered' mark")
    func exactlyOnce() async throws {
        let (folder, catalog, writer) = try setUp()
        defer { folder.remove() }
        let log = folder.path("logs/a.jsonl")
        try await queue(catalog, 1...3, log: log)
        #expect(try await writer.deliverPending() == 3)
        #expect(try await writer.deliverPending() == 0)
        // Simulate a crash between write+fsync and the mark: requeue the same ids undelivered.
        let raw = try SQLiteCatalog(path: folder.path("c.sqlite"))
        try await queue(raw, 4...5, log: log)
        try "{\"alert_id\":\"r/4\"}\n".data(using: .utf8)!.append(to: log) // written, not yet marked
        #expect(try await writer.deliverPending() == 1)
        #expect(lines(log) == (1...5).map { "{\"alert_id\":\"r/\($0)\"}" })
        // Queuing an alert id twice (a retried commit) never duplicates it.
        try await queue(catalog, 5...5, log: log)
        #expect(try await writer.deliverPending() == 0)
    }

    @Test("rotation by rename: the next line goes to a fresh file at the configured path")
    func renameRotation() async throws {
        let (folder, catalog, writer) = try setUp()
        defer { folder.remove() }
        let log = folder.path("a.jsonl")
        try await queue(catalog, 1...2, log: log)
        try await writer.deliverPending()
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try await queue(catalog, 3...3, log: log)
        try await writer.deliverPending()
        #expect(lines(log + ".1").count == 2)
        #expect(lines(log) == ["{\"alert_id\":\"r/3\"}"])
    }

    @Test("rotation by copytruncate: lines continue at the start of the truncated file, none lost")
    func copyTruncate() async throws {
        let (folder, catalog, writer) = try setUp()
        defer { folder.remove() }
        let log = folder.path("a.jsonl")
        try await queue(catalog, 1...2, log: log)
        try await writer.deliverPending()
        try FileManager.default.copyItem(atPath: log, toPath: log + ".1")
        try FileHandle(forWritingAtPath: log)!.truncate(atOffset: 0)
        try await queue(catalog, 3...4, log: log)
        try await writer.deliverPending()
        #expect(lines(log + ".1").count == 2)
        #expect(lines(log) == ["{\"alert_id\":\"r/3\"}", "{\"alert_id\":\"r/4\"}"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: log))
        #expect(!bytes.contains(0), "no hole of zero bytes after truncation")
    }
}

extension Data {
    func append(to path: String) throws {
        let handle = FileHandle(forWritingAtPath: path)!
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: self)
    }
}
