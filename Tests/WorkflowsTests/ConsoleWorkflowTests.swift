import Catalog
import CatalogSQLite
import Foundation
import Testing
import TestSupport
import Workflows

/// What the web console asks of the workflows, on a real SQLite catalog: a camera's day (coverage and
/// gaps), and the policy's answer for another ward.
@Suite("Console workflows")
struct ConsoleWorkflowTests {
    /// 2024-07-10 00:00 +07:00.
    static let day = Date(timeIntervalSince1970: 1_720_544_400)

    static func recording(_ name: String, at seconds: Double, duration: Double) -> NewRecording {
        NewRecording(fingerprint: name, path: "/footage/\(name).mp4", camera: "CAM01", start: day.addingTimeInterval(seconds),
                     startSource: .container, durationSeconds: duration, codec: "h264", width: 640, height: 360, frameRate: 25,
                     frameCount: Int(duration * 25), sizeBytes: 1000)
    }

    @Test("a camera's day merges touching recordings into stretches and reports the rest up to now as gaps; other wards are refused")
    func cameraDay() async throws {
        let folder = TemporaryDirectory("wardwatch-console-workflows")
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        try await catalog.saveCameras([Camera(id: "CAM01", ward: "Phường Bến Thành"), Camera(id: "CAM03", ward: "Phường Tràng Tiền")])
        // 01:00–01:10 and 01:10:00.5–01:20 touch (within a second); 02:00–02:05 stands alone.
        _ = try await catalog.commitIndexed(Self.recording("a", at: 3600, duration: 600), events: [])
        _ = try await catalog.commitIndexed(Self.recording("b", at: 4200.5, duration: 599.5), events: [])
        _ = try await catalog.commitIndexed(Self.recording("c", at: 7200, duration: 300), events: [])
        let workflows = WardWorkflows(store: catalog, settings: WardWorkflows.Settings(
            stillsDirectory: catalog.stillsDirectory, clipDirectory: folder.path("clips")))
        let binh = Requester(name: "binh", role: .viewer, ward: "Phường Bến Thành", client: "test", request: "/")
        let now = Self.day.addingTimeInterval(3 * 3600)
        let result = try await workflows.cameraDay("CAM01", from: Self.day, to: Self.day.addingTimeInterval(86400), now: now, for: binh)
        func seconds(_ intervals: [DateInterval]) -> [[Double]] {
            intervals.map { [$0.start.timeIntervalSince(Self.day), $0.end.timeIntervalSince(Self.day)] }
        }
        #expect(seconds(result.covered) == [[3600, 4800], [7200, 7500]])
        #expect(seconds(result.gaps) == [[0, 3600], [4800, 7200], [7500, 10800]])
        #expect(result.recordings.count == 3)
        await #expect(throws: WorkflowError.self) {
            _ = try await workflows.cameraDay("CAM03", from: Self.day, to: Self.day.addingTimeInterval(86400), for: binh)
        }
        await #expect(throws: WorkflowError.self) {
            _ = try await workflows.cameraDay("CAM99", from: Self.day, to: Self.day.addingTimeInterval(86400), for: binh)
        }
        let actions = try await catalog.auditEntries(actor: "binh", action: nil, from: nil, to: nil).map(\.action)
        #expect(actions == ["camera.day", "view.denied"])
    }
}
