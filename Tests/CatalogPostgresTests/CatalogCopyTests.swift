import Access
import Catalog
import CatalogCopy
import CatalogPostgres
import CatalogSQLite
import Foundation
import Testing

@Suite("Copying a SQLite catalog into PostgreSQL",
       .enabled(if: TestDatabase.available, "set WARDWATCH_TEST_POSTGRES (Scripts/postgres-cluster.sh start)"))
struct CatalogCopyTests {
    let base = Date(timeIntervalSince1970: 1_720_600_200)

    /// A small but complete catalog: cameras, recordings and events with stills on disk, a daemon file, an alert,
    /// users, an audit chain, custody with holds, an incident and a tip with links.
    func sourceCatalog(in folder: URL) async throws -> SQLiteCatalog {
        let catalog = try SQLiteCatalog(path: folder.appendingPathComponent("demo.sqlite").path)
        try await catalog.saveCameras(PostgresSearchTests.cameras)
        try await PostgresSearchTests.fill { recording, events in
            var events = events, recording = recording
            // Some recordings have their full-file hash (the others were indexed before it was stored).
            if !recording.fingerprint.hasSuffix("-1") { recording.sha256 = sha256Hex(recording.fingerprint) }
            for index in events.indices where index % 3 == 0 {
                let name = "\(recording.camera)/\(recording.fingerprint)-\(index).jpg"
                events[index].still = name
                let file = URL(fileURLWithPath: catalog.stillsDirectory).appendingPathComponent(name)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("still \(name) \t\\ ü".utf8).write(to: file)
            }
            _ = try await catalog.commitIndexed(recording, events: events)
        }
        try await catalog.notePending(path: "/f/x.mp4", camera: "CAM01", sizeBytes: 5, modified: base)
        try await catalog.recordSourceProblem(recordingID: 2, problem: "the file was replaced", alerts: [])
        try await catalog.queueAlerts([NewAlert(alertID: "a/1", rule: "a", log: "/tmp/a.log", line: "{\"tab\":\"\\t\"}\tline")])
        try await catalog.addUser(User(name: "lan", role: .admin, ward: nil, created: base, revoked: nil), tokenHash: "h")
        for index in 0..<7 {
            try await catalog.appendAudit(NewAuditEntry(actor: "lan", action: "search", query: "street=Nguyễn Trãi\n#\(index)",
                                                  resultCount: index, client: "127.0.0.1"), hash: sha256Hex)
        }
        let held = try await catalog.events(matching: EventQuery(camera: "CAM01")).prefix(2).map(\.id)
        try await catalog.saveReview(EventReview(eventID: held[0], user: "lan", reviewed: true, note: "xe máy\tđỏ", updated: base))
        try await catalog.addCustodyRecord(NewCustodyRecord(time: base, caseID: "C-7", action: .export, actor: "lan", reason: "court",
                                                      bundlePath: "/b.zip", manifestSHA256: "00", eventIDs: Array(held)),
                                     holding: Array(held))
        let imported = try await catalog.importIncidents([Incident(
            reference: "INC-1", category: "Trộm cắp", time: ReportedTime(from: base, to: base.addingTimeInterval(900)),
            place: ReportedPlace(text: "trước số 12 Nguyễn Trãi", ward: "Bến Thành"), description: "Mất xe máy")])
        _ = try await catalog.importTips([Tip(reference: "TIP-1", channel: "hotline",
                                        time: ReportedTime(around: base.addingTimeInterval(300), uncertaintySeconds: 120),
                                        place: ReportedPlace(text: "Lê Lợi"), description: "Thấy người lạ", incidentReference: "INC-1",
                                        reporterContact: "090")])
        guard case let .inserted(incidentID) = imported[0], let subject = try await catalog.reportsAwaitingLinks(limit: 10).first else {
            Issue.record("no incident to link")
            return catalog
        }
        let proposed = [EventLink(kind: .incident, reportID: incidentID, eventID: held[0], camera: "CAM01", score: 0.8,
                                  distanceMetres: 12, gapSeconds: 3, reason: "same street")]
        try await catalog.saveLinks(for: subject, resolution: PlaceResolution(precision: .street, cameras: ["CAM01"], point: nil),
                                    plan: { LinkPlan(stored: $0, proposed: proposed) })
        _ = try await catalog.decideLink(kind: .incident, reportID: incidentID, eventID: held[0], state: .confirmed, by: "lan")
        return catalog
    }

    @Test("everything arrives, counts and the audit chain check out, and searches answer the same")
    func copyEverything() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try await sourceCatalog(in: folder)
        try await TestDatabase.with { settings in
            let target = try await PostgresCatalog.open(settings)
            let report = try await CatalogCopier.copy(from: source, to: target)
            #expect(report.verified)
            #expect(report.tables.first { $0.name == "event" }?.target == 12 * 3 * 8)
            #expect(report.auditEntries == 7 && report.auditProblem == nil && report.auditHeadMatches)
            #expect(report.stillsCopied == 12 * 3 * 3 && report.stillsMissing.isEmpty)
            let still = "CAM04/CAM04-2-3.jpg"
            #expect(try await target.still(name: still) == FileManager.default.contents(
                atPath: URL(fileURLWithPath: source.stillsDirectory).appendingPathComponent(still).path))
            // Searches, reports, links, audit and custody read the same from both.
            for (name, configure) in PostgresSearchTests.queries {
                var query = SearchQuery()
                configure(&query)
                #expect(try await target.search(query) == (try await source.search(query)), "\(name)")
            }
            for text in ["nguyen trai", "xe may", "INC", "le loi", "trom cap", "khong"] {
                #expect(try await target.incidents(matching: ReportFilter(text: text)) == (try await source.incidents(matching: ReportFilter(text: text))), "\(text)")
                #expect(try await target.tips(matching: ReportFilter(text: text)) == (try await source.tips(matching: ReportFilter(text: text))), "\(text)")
            }
            let incident = try #require(try await source.incident(reference: "INC-1"))
            #expect(try await target.linkedEvents(kind: .incident, reportID: incident.id)
                    == (try await source.linkedEvents(kind: .incident, reportID: incident.id)))
            #expect(try await target.auditEntries(actor: nil, action: nil, from: nil, to: nil)
                    == (try await source.auditEntries(actor: nil, action: nil, from: nil, to: nil)))
            #expect(try await target.legalHolds(caseID: nil) == (try await source.legalHolds(caseID: nil)))
            #expect(try await target.users() == (try await source.users()))
            let reviewed = try await source.events(matching: EventQuery(camera: "CAM01")).prefix(2).map(\.id)
            #expect(try await target.reviews(user: "lan", eventIDs: reviewed) == (try await source.reviews(user: "lan", eventIDs: reviewed)))
            #expect(try await target.reviews(user: "lan", eventIDs: reviewed).count == 1)
            // Recordings keep their full-file hash and source problem (issue 15, defect 2).
            for id in Int64(1)...36 {
                #expect(try await target.recording(id: id) == (try await source.recording(id: id)), "recording \(id)")
            }
            #expect(try await target.recording(id: 2)?.sourceProblem == "the file was replaced")
            #expect(try await target.cameraStatus().flatMap(\.sourceProblems) == ["recording 2: the file was replaced"])
            #expect(try await target.undeliveredAlerts(limit: 10) == (try await source.undeliveredAlerts(limit: 10)))
            // New rows continue after the copied ids, and the chain continues from the copied head.
            let next = try await target.commitIndexed(PostgresCatalogTests().recording("new", camera: "CAM01"), events: [],
                                                      options: CommitOptions())
            #expect(next.recording.id == 37)
            try await target.appendAudit([NewAuditEntry(actor: "x", action: "y", query: "", resultCount: nil, client: "c")], hash: sha256Hex)
            #expect(AuditChain.firstProblem(in: try await target.auditEntries(actor: nil, action: nil, from: nil, to: nil)) == nil)
            // A second copy into a catalog that has data is refused, and leaves it as it was.
            await #expect(throws: CatalogError.self) { _ = try await CatalogCopier.copy(from: source, to: target) }
            #expect(try await target.rowCount(table: "recording") == 37)
            await target.close()
        }
    }
}
