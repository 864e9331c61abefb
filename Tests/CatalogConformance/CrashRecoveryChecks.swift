import Catalog
import Foundation
import Testing

/// Issue 15, defect 12 (daemon): a file that crashes the daemon itself is retried a bounded number of times.
enum CrashRecoveryChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("ingest queue: crashes are counted apart from clean interruptions, and the file is quarantined at the limit") { store in
            let modified = Fixture.base
            try await store.notePending(path: "/cams/a.mp4", camera: "CAM01", sizeBytes: 10, modified: modified)
            try await store.notePending(path: "/cams/b.mp4", camera: "CAM01", sizeBytes: 10, modified: modified)
            // Clean interruptions (SIGTERM) never count.
            for _ in 0..<5 {
                _ = try await store.markIndexing(path: "/cams/b.mp4")
                try await store.markInterrupted(path: "/cams/b.mp4")
            }
            let alerts: @Sendable (SourceFile) -> [NewAlert] = { [Fixture.alert("health/quarantined-\($0.path)")] }
            for crash in 1...2 {
                _ = try await store.markIndexing(path: "/cams/a.mp4")
                let recovered = try await store.recoverCrashedWork(quarantineAfter: 3, alerts: alerts)
                #expect(recovered.resumed.map(\.path) == ["/cams/a.mp4"] && recovered.quarantined.isEmpty)
                #expect(recovered.resumed.first?.crashes == crash)
                let file = try await store.sourceFile(path: "/cams/a.mp4")
                #expect(file?.state == .pending && file?.crashes == crash && file?.attempts == 0)
            }
            _ = try await store.markIndexing(path: "/cams/a.mp4")
            let third = try await store.recoverCrashedWork(quarantineAfter: 3, alerts: alerts)
            #expect(third.resumed.isEmpty && third.quarantined.map(\.path) == ["/cams/a.mp4"])
            let quarantined = try await store.sourceFile(path: "/cams/a.mp4")
            #expect(quarantined?.state == .failed && quarantined?.crashes == 3)
            #expect(quarantined?.reason?.hasPrefix("quarantined: the daemon process died 3 times") == true)
            #expect(try await store.undeliveredAlerts(limit: 10).map(\.alert.alertID) == ["health/quarantined-/cams/a.mp4"])
            #expect(try await store.sourceFile(path: "/cams/b.mp4")?.crashes == 0)
            let status = try #require(try await store.cameraStatus().first { $0.camera == "CAM01" })
            #expect(status.quarantined == 1 && status.files[.failed] == 1)
            // Nothing held: nothing to recover. A changed file starts again from no crashes.
            #expect(try await store.recoverCrashedWork(quarantineAfter: 3, alerts: alerts) == RecoveredWork(resumed: [], quarantined: []))
            try await store.notePending(path: "/cams/a.mp4", camera: "CAM01", sizeBytes: 20, modified: modified.addingTimeInterval(5))
            let fresh = try await store.sourceFile(path: "/cams/a.mp4")
            #expect(fresh?.state == .pending && fresh?.crashes == 0)
        },
    ]
}
