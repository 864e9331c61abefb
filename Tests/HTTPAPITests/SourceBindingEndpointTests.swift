import Catalog
import Evidence
import Foundation
import Testing
import TestSupport

/// Issue 15, defect 2 over HTTP: a recording whose file was replaced is neither played nor exported.
@Suite("Clips and exports come only from the indexed file")
struct SourceBindingEndpointTests {
    @Test("after the file at a recording's path is replaced, clip and export answer 409 naming the recording")
    func replacedFile() async throws {
        let sample = SampleRecordings.url("street_1080p_h264.mp4").path
        let scratch = TemporaryDirectory("wardwatch-source")
        defer { scratch.remove() }
        let copy = scratch.path("CAM01.mp4")
        try FileManager.default.copyItem(atPath: sample, toPath: copy)
        let (folder, catalog, tokens) = try await Fixture.catalog(recordingPath: { _ in copy }, durationSeconds: 60)
        let key = folder.path("ward.key")
        _ = try EvidenceSigningKey.generate(at: key)
        try await TestServer.run(catalog: catalog, folder: folder, signingKey: key, .live) { server in
            try await check(server, tokens, copy)
        }
        // The refusals marked the recording unhealthy (status shows it), naming its file.
        #expect(try await catalog.recording(id: 1)?.sourceProblem?.contains(copy) == true)
    }

    func check(_ server: TestServer, _ tokens: Fixture.Tokens, _ copy: String) async throws {
        #expect(try await server.get("/api/v1/recordings/1/clip?from=1&to=3", token: tokens.investigator).status == 200)

        // Same size, other content: the first bytes differ (another camera's footage would differ everywhere).
        var data = try Data(contentsOf: URL(fileURLWithPath: copy))
        data[100] ^= 0xFF
        try data.write(to: URL(fileURLWithPath: copy))
        let clip = try await server.get("/api/v1/recordings/1/clip?from=4&to=6", token: tokens.investigator)
        #expect(clip.status == 409, "\(String(decoding: clip.body, as: UTF8.self))")
        #expect(String(decoding: clip.body, as: UTF8.self).contains("recording 1"))
        let export = try await server.post("/api/v1/exports", token: tokens.investigator,
                                           json: #"{"events": [1], "case_id": "C-1", "reason": "r"}"#)
        #expect(export.status == 409, "\(String(decoding: export.body, as: UTF8.self))")
        #expect(String(decoding: export.body, as: UTF8.self).contains("not the file indexed") ||
                String(decoding: export.body, as: UTF8.self).contains("other content than the file indexed"))
    }
}
