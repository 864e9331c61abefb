import Catalog
import CatalogSQLite
import Foundation
import Testing
import TestSupport
import Workflows

@Suite("Workflows over a real SQLite catalog")
struct WardWorkflowsTests {
    static let cameras = [
        Camera(id: "CAM01", name: nil, ward: "Phường Bến Thành", street: nil, latitude: 10.77, longitude: 106.70),
        Camera(id: "CAM03", name: nil, ward: "Phường Tràng Tiền", street: nil, latitude: 10.79, longitude: 106.71),
    ]

    func withWorkflows(_ body: (WardWorkflows, SQLiteCatalog) async throws -> Void) async throws {
        let folder = TemporaryDirectory("wardwatch-workflows")
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        try await catalog.saveCameras(Self.cameras)
        let settings = WardWorkflows.Settings(stillsDirectory: catalog.stillsDirectory, clipDirectory: folder.path("clips"))
        try await body(WardWorkflows(store: catalog, settings: settings), catalog)
    }

    @Test("a refusal is recorded under the requester, its client and what was asked, then thrown as denied")
    func refusalsAreAudited() async throws {
        try await withWorkflows { workflows, catalog in
            let binh = Requester(name: "binh", role: .viewer, ward: "Phường Bến Thành", client: "10.0.0.9", request: "/api/v1/x")
            await #expect(throws: WorkflowError.self) { try await workflows.authorize(binh, .playClip) }
            await #expect(throws: WorkflowError.self) {
                _ = try await workflows.export(ExportOrder(selection: .events([1]), caseID: "C", reason: "r", destination: .exportFolder),
                                               by: binh)
            }
            #expect(try await workflows.cameras(for: binh).map(\.id) == ["CAM01"])
            let entries = try await catalog.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            #expect(entries.map(\.action) == ["clip.denied", "export.denied"])
            #expect(entries.allSatisfy { $0.actor == "binh" && $0.client == "10.0.0.9" && $0.query == "/api/v1/x" })
        }
    }

    @Test("concurrent audit records from many tasks land once each (group commit)")
    func groupCommit() async throws {
        try await withWorkflows { workflows, catalog in
            let operatorAtCLI = Requester.localOperator(name: "cli:test", request: "search")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask { try await workflows.audit.record(operatorAtCLI, "search", detail: "q\(index)", results: index) }
                }
                try await group.waitForAll()
            }
            let entries = try await catalog.auditEntries(actor: "cli:test", action: "search", from: nil, to: nil)
            #expect(entries.count == 50 && Set(entries.map(\.query)).count == 50)
            #expect(entries.allSatisfy { $0.client == "cli" })
        }
    }
}
