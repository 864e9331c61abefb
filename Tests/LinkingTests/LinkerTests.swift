import Catalog
import CatalogSQLite
import Foundation
import Linking
import Testing

/// A catalog on disk with the registry and a few recordings of known motion.
struct LinkFixture {
    let folder: URL
    let catalog: SQLiteCatalog
    /// 2024-07-10 15:30:00 +07:00.
    static let base = Date(timeIntervalSince1970: 1_720_600_200)

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("wardwatch-linking-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        catalog = try SQLiteCatalog(path: folder.appendingPathComponent("catalog.sqlite").path)
        try await catalog.saveCameras(Registry.cameras)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Commits a 10-minute recording of `camera` starting `minutes` after `base`, with events at
    /// the given (offset seconds, duration, peak score).
    @discardableResult
    func record(_ camera: String, minutes: Double, events: [(Double, Double, Double)]) async throws -> [MotionEvent] {
        let start = Self.base.addingTimeInterval(minutes * 60)
        let recording = NewRecording(
            fingerprint: "\(camera)-\(minutes)", path: "/footage/\(camera)-\(minutes).mp4", camera: camera, start: start,
            startSource: .container, durationSeconds: 600, codec: "h264", width: 1920, height: 1080, frameRate: 25,
            frameCount: 15000, sizeBytes: 1)
        let new = events.map { offset, duration, score in
            NewMotionEvent(start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + duration), offsetSeconds: offset,
                           clipStart: start.addingTimeInterval(offset), clipEnd: start.addingTimeInterval(offset + duration),
                           peakTime: start.addingTimeInterval(offset), peakScore: score, meanScore: score / 2, area: 0.01,
                           boundingBox: NormalizedBox(x: 0, y: 0, width: 0.1, height: 0.1), still: nil)
        }
        return try await catalog.commitIndexed(recording, events: new).events
    }

    static func incident(_ reference: String, at minutes: Double, plusMinus: Double = 2, place: ReportedPlace,
                         description: String = "", status: IncidentStatus = .open) -> Incident {
        Incident(reference: reference, category: "theft", time: ReportedTime(around: base.addingTimeInterval(minutes * 60),
                                                                             uncertaintySeconds: plusMinus * 60),
                 place: place, description: description, status: status)
    }
}

@Suite("Linking incidents and tips to events, on a real catalog")
struct LinkerTests {
    func alertsFor(_ notice: IncidentLinkNotice) -> [NewAlert] {
        [NewAlert(alertID: "links/\(notice.incidentReference)/event-\(notice.link.eventID)", rule: "links", log: "/tmp/none.jsonl",
                  line: "\(notice.incidentReference) \(notice.link.eventID) \(notice.link.reason)")]
    }

    @Test("the event at the reported time and place ranks first, with a reason; far or late events are not candidates")
    func ranking() async throws {
        let fixture = try await LinkFixture()
        defer { fixture.remove() }
        // CAM07: three events; CAM01 (347 m away) moves at the same time; CAM07 again an hour later.
        let cam07 = try await fixture.record("CAM07", minutes: 0, events: [(30, 5, 0.05), (242, 6, 0.2), (400, 3, 0.3)])
        try await fixture.record("CAM01", minutes: 0, events: [(240, 5, 0.5)])
        try await fixture.record("CAM07", minutes: 60, events: [(10, 5, 0.9)])
        let incident = LinkFixture.incident("INC-1", at: 4, place: ReportedPlace(text: "Lê Thái Tổ giao Hàng Gai"))
        #expect(try await fixture.catalog.importIncidents([incident]) == [.inserted(id: 1)])
        let linker = Linker(store: fixture.catalog, alerts: alertsFor)
        let summary = try await linker.linkAwaitingReports()
        #expect(summary.reports == 1 && summary.added == 3 && summary.unresolved.isEmpty)
        let links = try await fixture.catalog.linkedEvents(kind: .incident, reportID: 1)
        #expect(links.map(\.event.id) == [cam07[1].id, cam07[2].id, cam07[0].id])
        #expect(links[0].link.reason == "camera CAM07, at the named intersection, event 2 s after the reported time")
        #expect(links[1].link.reason == "camera CAM07, at the named intersection, event 3 min after the reported time")
        #expect(links[2].link.reason == "camera CAM07, at the named intersection, event ends 3 min before the reported time")
        #expect(links.allSatisfy { $0.link.state == .suggested && (0...1).contains($0.link.score) })
        #expect(links[0].recordingPath == "/footage/CAM07-0.0.mp4")
        // One alert line per new suggestion on the open incident, queued with the link.
        #expect(try await fixture.catalog.undeliveredAlerts(limit: 10).map(\.alert.alertID)
            == links.map { "links/INC-1/event-\($0.event.id)" })
        let incidentRow = try #require(try await fixture.catalog.incident(reference: "INC-1"))
        #expect(incidentRow.resolution?.precision == .intersection && incidentRow.resolution?.cameras == ["CAM07"])
    }

    @Test("coordinates: distance and direction in the reason; nearer cameras score higher")
    func coordinates() async throws {
        let fixture = try await LinkFixture()
        defer { fixture.remove() }
        try await fixture.record("CAM01", minutes: 0, events: [(120, 5, 0.2)])
        try await fixture.record("CAM03", minutes: 0, events: [(120, 5, 0.2)])
        let point = GeoPoint(latitude: 21.02850, longitude: 105.85120) // at CAM01
        _ = try await fixture.catalog.importIncidents([LinkFixture.incident("INC-2", at: 2, place: ReportedPlace(point: point))])
        try await Linker(store: fixture.catalog).linkAwaitingReports()
        let links = try await fixture.catalog.linkedEvents(kind: .incident, reportID: 1)
        #expect(links.map(\.link.camera) == ["CAM01", "CAM03"])
        #expect(links[0].link.reason == "camera CAM01, at the reported point, event spans the reported time")
        #expect(links[1].link.reason == "camera CAM03, 210 m west, event spans the reported time")
        #expect(links[1].link.distanceMetres == 210)
    }

    @Test("re-importing changes nothing; a change relinks; confirmed and rejected links survive relinking")
    func decisionsSurvive() async throws {
        let fixture = try await LinkFixture()
        defer { fixture.remove() }
        let events = try await fixture.record("CAM07", minutes: 0, events: [(100, 5, 0.2), (130, 5, 0.2), (160, 5, 0.2)])
        let place = ReportedPlace(text: "ngã tư Lê Thái Tổ – Hàng Gai")
        let incident = LinkFixture.incident("INC-3", at: 2, place: place)
        _ = try await fixture.catalog.importIncidents([incident])
        let linker = Linker(store: fixture.catalog)
        try await linker.linkAwaitingReports()
        #expect(try await fixture.catalog.linkedEvents(kind: .incident, reportID: 1).count == 3)
        #expect(try await fixture.catalog.decideLink(kind: .incident, reportID: 1, eventID: events[0].id, state: .confirmed, by: "chi"))
        #expect(try await fixture.catalog.decideLink(kind: .incident, reportID: 1, eventID: events[1].id, state: .rejected, by: "chi"))
        #expect(try await !fixture.catalog.decideLink(kind: .tip, reportID: 1, eventID: events[1].id, state: .rejected, by: "chi"))

        #expect(try await fixture.catalog.importIncidents([incident]) == [.unchanged(id: 1)])
        #expect(try await linker.linkAwaitingReports().reports == 0)

        // Moved an hour later: no event qualifies any more, but the decisions stay exactly as they were.
        var moved = incident
        moved.time = ReportedTime(around: LinkFixture.base.addingTimeInterval(3600), uncertaintySeconds: 120)
        #expect(try await fixture.catalog.importIncidents([moved]) == [.updated(id: 1)])
        let summary = try await linker.linkAwaitingReports()
        #expect(summary.reports == 1 && summary.removed == 1 && summary.kept == 2)
        let links = try await fixture.catalog.linkedEvents(kind: .incident, reportID: 1)
        #expect(links.map(\.link.state).sorted { $0.rawValue < $1.rawValue } == [.confirmed, .rejected])
        let confirmed = try #require(links.first { $0.link.state == .confirmed })
        #expect(confirmed.event.id == events[0].id && confirmed.link.decidedBy == "chi" && confirmed.link.decidedAt != nil)
    }

    @Test("a new recording relinks only the reports it can concern; tips link too but never alert")
    func incremental() async throws {
        let fixture = try await LinkFixture()
        defer { fixture.remove() }
        try await fixture.record("CAM02", minutes: 0, events: [(10, 5, 0.2)]) // before any report: not queued
        #expect(try await fixture.catalog.recordingsAwaitingLinks(limit: 10).isEmpty)
        _ = try await fixture.catalog.importIncidents([
            LinkFixture.incident("NEAR", at: 5, place: ReportedPlace(text: "số 40 Nhà Thờ")),
            LinkFixture.incident("ELSEWHERE", at: 5, place: ReportedPlace(text: "ngã tư Đinh Lễ – Tràng Tiền")),
            LinkFixture.incident("LATER", at: 300, place: ReportedPlace(text: "số 40 Nhà Thờ")),
        ])
        _ = try await fixture.catalog.importTips([Tip(reference: "T-1", channel: "zalo", time: ReportedTime(
            around: LinkFixture.base.addingTimeInterval(300), uncertaintySeconds: 300), place: ReportedPlace(text: "phố Nhà Thờ"),
            reporterContact: "0912 345 678")])
        let linker = Linker(store: fixture.catalog, alerts: alertsFor)
        #expect(try await linker.linkAwaitingReports().added == 0)

        let events = try await fixture.record("CAM04", minutes: 3, events: [(90, 5, 0.3)])
        #expect(try await fixture.catalog.recordingsAwaitingLinks(limit: 10).count == 1)
        let summary = try await linker.linkNewRecordings()
        #expect(summary.recordings == 1 && summary.reports == 2 && summary.added == 2)
        #expect(try await fixture.catalog.recordingsAwaitingLinks(limit: 10).isEmpty)
        #expect(try await fixture.catalog.linkedEvents(kind: .incident, reportID: 1).map(\.event.id) == [events[0].id])
        #expect(try await fixture.catalog.linkedEvents(kind: .incident, reportID: 2).isEmpty)
        #expect(try await fixture.catalog.linkedEvents(kind: .tip, reportID: 4).map(\.event.id) == [events[0].id])
        let alerts = try await fixture.catalog.undeliveredAlerts(limit: 10)
        #expect(alerts.map(\.alert.alertID) == ["links/NEAR/event-\(events[0].id)"])
        #expect(!alerts.contains { $0.alert.line.contains("0912") })
    }

    @Test("full-text search ignores diacritics (đ included) and case, by word prefix; filters combine")
    func search() async throws {
        let fixture = try await LinkFixture()
        defer { fixture.remove() }
        _ = try await fixture.catalog.importIncidents([
            LinkFixture.incident("A", at: 0, place: ReportedPlace(text: "Hàng Gai"), description: "Giật túi xách, đối tượng đi xe đạp"),
            LinkFixture.incident("B", at: 60, place: ReportedPlace(text: "Hàng Gai"), description: "Va chạm giao thông", status: .closed),
        ])
        func references(_ filter: ReportFilter) async throws -> [String] { try await fixture.catalog.incidents(matching: filter).map(\.reference) }
        #expect(try await references(ReportFilter(text: "giat tui")) == ["A"])
        #expect(try await references(ReportFilter(text: "XE DAP")) == ["A"])
        #expect(try await references(ReportFilter(text: "đối tượng")) == ["A"])
        #expect(try await references(ReportFilter(text: "doi t")) == ["A"])
        #expect(try await references(ReportFilter(text: "hang gai")) == ["A", "B"])
        #expect(try await references(ReportFilter(text: "trom")) == [])
        #expect(try await references(ReportFilter(status: .closed)) == ["B"])
        #expect(try await references(ReportFilter(category: "THEFT", from: LinkFixture.base.addingTimeInterval(1800))) == ["B"])
    }
}
