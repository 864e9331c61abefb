import Access
import Catalog
import CatalogPostgres
import CatalogSQLite
import Foundation
import Testing

@Suite("PostgreSQL catalog: schema, claims, commits, audit and alerts across nodes",
       .enabled(if: TestDatabase.available, "set WARDWATCH_TEST_POSTGRES (Scripts/postgres-cluster.sh start)"))
struct PostgresCatalogTests {
    let base = Date(timeIntervalSince1970: 1_720_600_200)

    func recording(_ fingerprint: String, camera: String = "CAM01", start: Date? = nil) -> NewRecording {
        NewRecording(fingerprint: fingerprint, path: "/f/\(fingerprint).mp4", camera: camera, start: start ?? base,
                     startSource: .container, durationSeconds: 600, codec: "h264", width: 1920, height: 1080, frameRate: 25,
                     frameCount: 15000, sizeBytes: 1)
    }

    func events(_ count: Int, from start: Date) -> [NewMotionEvent] {
        (0..<count).map { index in
            let offset = Double(index * 60)
            return NewMotionEvent(
                start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + 5), offsetSeconds: offset,
                clipStart: start, clipEnd: start, peakTime: start, peakScore: Double(index) / 10, meanScore: 0,
                area: 0.01, boundingBox: NormalizedBox(x: 0, y: 0, width: 1, height: 1), still: "s/\(index).jpg")
        }
    }

    func node(_ settings: PostgresSettings, _ id: String, lease: Double = 30) async throws -> PostgresCatalog {
        var settings = settings
        settings.nodeID = id
        settings.leaseSeconds = lease
        settings.registersNode = true
        return try await PostgresCatalog.open(settings)
    }

    @Test("nodes starting together apply each migration once")
    func concurrentStarts() async throws {
        try await TestDatabase.with { settings in
            let catalogs = try await withThrowingTaskGroup(of: PostgresCatalog.self) { group in
                for index in 0..<6 { group.addTask { try await node(settings, "n\(index)") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(catalogs.count == 6)
            #expect(try await catalogs[0].schemaVersions() == PostgresCatalog.knownSchemaVersions)
            for catalog in catalogs { await catalog.close() }
        }
    }

    @Test("a bad address or login is one line naming the catalog")
    func unreachable() async throws {
        var settings = try PostgresSettings(url: TestDatabase.url!)
        settings.port = 1
        await #expect(throws: CatalogError.self) { try await PostgresCatalog.open(settings) }
        do { _ = try await PostgresCatalog.open(settings) } catch {
            #expect(error.code == .cannotOpen)
            #expect(error.message.contains("postgresql://"))
            #expect(!error.message.contains("\n"))
        }
        #expect(throws: CatalogError.self) { try PostgresSettings(url: "postgresql://u@h/db?bogus=1") }
        #expect(throws: CatalogError.self) { try PostgresSettings(url: "mysql://u@h/db") }
        let parsed = try PostgresSettings(url: "postgresql://ward:secret@db.example:6543/city?node=box-7&pool=3")
        #expect(parsed.host == "db.example" && parsed.port == 6543 && parsed.user == "ward" && parsed.password == "secret")
        #expect(parsed.database == "city" && parsed.nodeID == "box-7" && parsed.maximumConnections == 3)
        #expect(!parsed.displayName.contains("secret"))
    }

    @Test("a file claimed by one node is refused to another until its lease runs out; the takeover does not count an attempt")
    func claimsAndLeases() async throws {
        try await TestDatabase.with { settings in
            let a = try await node(settings, "node-a", lease: 3)
            let b = try await node(settings, "node-b", lease: 3)
            try await a.notePending(path: "/r/1.mp4", camera: "CAM01", sizeBytes: 10, modified: base)
            #expect(try await a.markIndexing(path: "/r/1.mp4") == 1)
            await #expect(throws: CatalogError.self) { _ = try await b.markIndexing(path: "/r/1.mp4") }
            #expect(try await b.sourceFile(path: "/r/1.mp4")?.state == .indexing)
            let holders = try await b.nodes()
            #expect(holders.first { $0.id == "node-a" }?.holding == ["/r/1.mp4"])
            // A heartbeat keeps the claim alive past the lease…
            try await Task.sleep(for: .milliseconds(1800))
            try await a.heartbeat()
            try await Task.sleep(for: .milliseconds(1800))
            await #expect(throws: CatalogError.self) { _ = try await b.markIndexing(path: "/r/1.mp4") }
            // …and without one (node A died) the file reads as pending and B takes it over.
            try await Task.sleep(for: .milliseconds(1500))
            #expect(try await b.sourceFile(path: "/r/1.mp4")?.state == .pending)
            #expect(try await b.markIndexing(path: "/r/1.mp4") == 1)
            // A's late "interrupted" must not undo B's claim; B's recovery at restart leaves nothing of A's.
            try await a.markInterrupted(path: "/r/1.mp4")
            #expect(try await b.nodes().first { $0.id == "node-b" }?.holding == ["/r/1.mp4"])
            #expect(try await a.recoverInterruptedWork() == 0)
            let committed = try await b.commitIndexed(recording("fp1"), events: events(2, from: base),
                                                      options: CommitOptions(source: "/r/1.mp4"))
            #expect(committed.inserted)
            let file = try await a.sourceFile(path: "/r/1.mp4")
            #expect(file?.state == .indexed && file?.recordingID == committed.recording.id && file?.attempts == 1)
            await #expect(throws: CatalogError.self) { _ = try await a.markIndexing(path: "/r/1.mp4") }
            #expect(try await a.nodes().allSatisfy { $0.holding.isEmpty })
            await a.close()
            await b.close()
        }
    }

    @Test("nodes that mount the recordings at different paths share one row per file through their path maps")
    func pathMaps() async throws {
        try await TestDatabase.with { settings in
            var mountedA = settings, mountedB = settings
            mountedA.pathMap = PathMap(["/srv/cameras": "/mnt/a/cameras"])
            mountedB.pathMap = PathMap(["/srv/cameras": "/media/nas/cameras"])
            let a = try await node(mountedA, "node-a"), b = try await node(mountedB, "node-b")
            try await a.notePending(path: "/mnt/a/cameras/CAM01/1.mp4", camera: "CAM01", sizeBytes: 10, modified: base)
            try await b.notePending(path: "/media/nas/cameras/CAM01/1.mp4", camera: "CAM01", sizeBytes: 10, modified: base)
            #expect(try await b.sourceFile(path: "/media/nas/cameras/CAM01/1.mp4")?.path == "/media/nas/cameras/CAM01/1.mp4")
            #expect(try await a.markIndexing(path: "/mnt/a/cameras/CAM01/1.mp4") == 1)
            #expect(try await b.sourceFile(path: "/media/nas/cameras/CAM01/1.mp4")?.state == .indexing, "one row, seen through both mounts")
            await #expect(throws: CatalogError.self) { _ = try await b.markIndexing(path: "/media/nas/cameras/CAM01/1.mp4") }
            #expect(try await b.nodes().first { $0.id == "node-a" }?.holding == ["/media/nas/cameras/CAM01/1.mp4"])
            var new = recording("fp1")
            new.path = "/mnt/a/cameras/CAM01/1.mp4"
            let committed = try await a.commitIndexed(new, events: events(1, from: base),
                                                      options: CommitOptions(source: "/mnt/a/cameras/CAM01/1.mp4"))
            #expect(try await b.sourceFile(path: "/media/nas/cameras/CAM01/1.mp4")?.state == .indexed)
            #expect(try await b.recording(id: committed.recording.id)?.path == "/media/nas/cameras/CAM01/1.mp4")
            #expect(try await a.recording(id: committed.recording.id)?.path == "/mnt/a/cameras/CAM01/1.mp4")
            // Without a map, a process sees the stored path.
            let plain = try await PostgresCatalog.open(settings)
            #expect(try await plain.recording(id: committed.recording.id)?.path == "/srv/cameras/CAM01/1.mp4")
            await plain.close()
            await a.close()
            await b.close()
        }
    }

    @Test("nodes claiming pending files at once get disjoint sets that cover them all")
    func claimPendingSkipsLocked() async throws {
        try await TestDatabase.with { settings in
            let first = try await node(settings, "n0")
            for index in 0..<40 {
                try await first.notePending(path: "/r/\(index).mp4", camera: "CAM0\(index % 3)", sizeBytes: 1, modified: base)
            }
            var nodes = [first]
            for index in 1..<4 { nodes.append(try await node(settings, "n\(index)")) }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for catalog in nodes {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await catalog.claimPending(limit: 3)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.path)
                        }
                    }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            let all = claimed.flatMap { $0 }
            #expect(all.count == 40)
            #expect(Set(all).count == 40)
            let held = try await first.nodes().reduce(0) { $0 + $1.holding.count }
            #expect(held == 40)
            for catalog in nodes { await catalog.close() }
        }
    }

    @Test("the same content committed by three nodes at once is stored once")
    func sameContentOnce() async throws {
        try await TestDatabase.with { settings in
            var nodes: [PostgresCatalog] = []
            for index in 0..<3 { nodes.append(try await node(settings, "n\(index)")) }
            let alert: @Sendable (MotionEvent) -> [NewAlert] = { event in [NewAlert(alertID: "rule/\(event.id)", rule: "rule", log: "/tmp/x.log", line: "{}")] }
            let results = try await withThrowingTaskGroup(of: CommitResult.self) { group in
                for catalog in nodes {
                    group.addTask {
                        try await catalog.commitIndexed(recording("same"), events: events(4, from: base),
                                                        options: CommitOptions(alerts: alert))
                    }
                }
                return try await group.reduce(into: [CommitResult]()) { $0.append($1) }
            }
            #expect(results.filter(\.inserted).count == 1)
            #expect(Set(results.map(\.recording.id)).count == 1)
            #expect(results.allSatisfy { $0.events.map(\.id) == results[0].events.map(\.id) })
            #expect(try await nodes[0].events(matching: EventQuery()).count == 4)
            // Alerts: queued once, visible only to the one drainer.
            var drained = 0
            for catalog in nodes { drained += try await catalog.undeliveredAlerts(limit: 100).count }
            #expect(drained == 4)
            for catalog in nodes { await catalog.close() }
        }
    }

    @Test("the audit chain stays linear with four servers appending at once")
    func auditUnderConcurrentWriters() async throws {
        try await TestDatabase.with { settings in
            var servers: [PostgresCatalog] = []
            for index in 0..<4 { servers.append(try await node(settings, "api\(index)")) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, server) in servers.enumerated() {
                    group.addTask {
                        for round in 0..<15 {
                            let batch = (0..<(round % 3 + 1)).map {
                                NewAuditEntry(actor: "api\(index)", action: "search", query: "r\(round).\($0)", resultCount: round,
                                              client: "127.0.0.1")
                            }
                            try await server.appendAudit(batch, hash: sha256Hex)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let entries = try await servers[0].auditEntries(actor: nil, action: nil, from: nil, to: nil)
            // 4 servers × 15 rounds of 1, 2 or 3 entries.
            #expect(entries.count == 120)
            #expect(AuditChain.firstProblem(in: entries) == nil)
            #expect(try await servers[1].auditEntries(actor: "api2", action: nil, from: nil, to: nil).count == 30)
            for server in servers { await server.close() }
        }
    }

    @Test("one node drains the alert outbox; when it stops, another takes over")
    func alertDrainerTakeover() async throws {
        try await TestDatabase.with { settings in
            let a = try await node(settings, "a")
            let b = try await node(settings, "b")
            try await a.queueAlerts((0..<5).map { NewAlert(alertID: "x/\($0)", rule: "x", log: "/tmp/x.log", line: "{\"n\":\($0)}") })
            try await b.queueAlerts([NewAlert(alertID: "x/0", rule: "x", log: "/tmp/x.log", line: "dup")])
            let first = try await a.undeliveredAlerts(limit: 100)
            let second = try await b.undeliveredAlerts(limit: 100)
            #expect(first.count == 5 && second.isEmpty)
            #expect(a.isAlertDrainer && !b.isAlertDrainer)
            try await a.markDelivered(sequences: Array(first.prefix(2).map(\.sequence)))
            await a.close()
            // B tries every heartbeat (0.2 s here); the lock is free once A's session ends.
            var taken: [PendingAlert] = []
            for _ in 0..<50 where taken.isEmpty {
                taken = try await b.undeliveredAlerts(limit: 100)
                if taken.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(taken.map(\.alert.alertID) == ["x/2", "x/3", "x/4"])
            #expect(try await b.nodes().first { $0.id == "b" }?.drainsAlerts == true)
            await b.close()
        }
    }

    @Test("users, revocation, custody and legal holds are shared by every server")
    func sharedAccess() async throws {
        try await TestDatabase.with { settings in
            let one = try await node(settings, "api1")
            let two = try await node(settings, "api2")
            try await one.addUser(User(name: "lan", role: .investigator, ward: nil, created: base, revoked: nil), tokenHash: "h1")
            await #expect(throws: CatalogError.self) {
                try await two.addUser(User(name: "lan", role: .viewer, ward: nil, created: base, revoked: nil), tokenHash: "h2")
            }
            #expect(try await two.user(tokenHash: "h1")?.name == "lan")
            #expect(try await two.revokeUser(name: "lan"))
            #expect(try await one.user(tokenHash: "h1") == nil)
            #expect(try await one.revokeUser(name: "lan") == false)
            let committed = try await one.commitIndexed(recording("fp"), events: events(2, from: base), options: CommitOptions())
            let custody = try await two.addCustodyRecord(
                NewCustodyRecord(time: base, caseID: "C-1", action: .export, actor: "lan", recipient: nil, reason: "r",
                                 bundlePath: "/b.zip", manifestSHA256: "ab", eventIDs: committed.events.map(\.id)),
                holding: committed.events.map(\.id))
            #expect(try await one.isOnLegalHold(eventID: committed.events[0].id))
            #expect(try await one.legalHolds(caseID: "C-1").map(\.custodyID) == [custody.id, custody.id])
            #expect(try await one.custodyRecords(caseID: nil).map(\.eventIDs) == [committed.events.map(\.id)])
            await #expect(throws: CatalogError.self) {
                _ = try await one.addCustodyRecord(
                    NewCustodyRecord(time: base, caseID: "C-2", action: .export, actor: "lan", recipient: nil, reason: "r",
                                     bundlePath: "/b.zip", manifestSHA256: "ab", eventIDs: [999]), holding: [999])
            }
            try await one.saveStill(name: "a/b.jpg", data: Data([0xFF, 0xD8, 0, 1, 2]))
            #expect(try await two.still(name: "a/b.jpg") == Data([0xFF, 0xD8, 0, 1, 2]))
            #expect(try await two.still(name: "nope") == nil)
            await one.close()
            await two.close()
        }
    }
}
