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

extension WardWorkflowsTests {
    @Test("another ward's id is answered as a missing one, after the role check; the refusal is audited")
    func namedThingsOfAnotherWard() async throws {
        try await withWorkflows { workflows, catalog in
            let binh = Requester(name: "binh", role: .investigator, ward: "Phường Bến Thành", client: "10.0.0.9", request: "/x")
            let viewer = Requester(name: "an", role: .viewer, ward: "Phường Bến Thành", client: "10.0.0.8", request: "/y")
            let foreign = WardWorkflowsTests.cameras[1], own = WardWorkflowsTests.cameras[0]
            func missing(_ body: () async throws -> Void) async -> WorkflowError? {
                do { try await body() } catch let error as WorkflowError { return error } catch { return nil }
                return nil
            }
            let hidden = await missing {
                try await workflows.authorizeNamed(binh, .playClip, .camera(foreign), missing: WorkflowError(.notFound, "no recording 7"))
            }
            #expect(hidden?.code == .notFound && hidden?.message == "no recording 7")
            // The role decides first, whatever the id.
            let refused = await missing {
                try await workflows.authorizeNamed(viewer, .playClip, .camera(own), missing: WorkflowError(.notFound, "no recording 1"))
            }
            #expect(refused?.code == .denied)
            try await workflows.authorizeNamed(binh, .playClip, .camera(own), missing: WorkflowError(.notFound, "no recording 1"))
            let camera = await missing { _ = try await workflows.camera(id: foreign.id, action: .viewEvent, for: binh) }
            let unknown = await missing { _ = try await workflows.camera(id: "CAM99", action: .viewEvent, for: binh) }
            #expect(camera?.message == "no camera CAM03" && unknown?.message == "no camera CAM99" && camera?.code == unknown?.code)
            let entries = try await catalog.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            #expect(entries.map(\.action) == ["clip.denied", "clip.denied", "view.denied"])
        }
    }

    @Test("the heavy-work pool refuses at once when every slot is taken, and frees the slot after a failure")
    func heavyWorkPool() async throws {
        let pool = HeavyWorkPool(slots: 1, retryAfterSeconds: 7)
        // A blocking job on the pool's own thread holds the only slot until the gate opens.
        let gate = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        let holder = Task { try await pool.run("hold") { entered.signal(); gate.wait() } }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in Thread { entered.wait(); done.resume() }.start() }
        #expect(pool.busySlots == 1)
        do {
            _ = try await pool.run("test") { 1 }
            Issue.record("a second job ran in a pool of one")
        } catch let error as WorkflowError {
            #expect(error.code == .busy && error.retryAfterSeconds == 7)
        }
        gate.signal()
        try await holder.value
        struct Broken: Error {}
        await #expect(throws: Broken.self) { _ = try await pool.run("test") { () throws -> Int in throw Broken() } }
        #expect(pool.busySlots == 0)
        #expect(try await pool.run("test") { 41 + 1 } == 42)
    }
}
