import Catalog
import CatalogCopy
import CatalogPostgres
import CatalogSQLite
import Foundation
import Testing

/// Two-stream cameras on both engines: the stream columns arrive with `catalog copy`, and searches of a catalog
/// filled the same way on each engine give the same pages, `source_stream` included.
@Suite("Streams columns in PostgreSQL: copied and searched like SQLite's",
       .enabled(if: TestDatabase.available, "set WARDWATCH_TEST_POSTGRES (Scripts/postgres-cluster.sh start)"))
struct StreamsCopyTests {
    /// The search fixture with every even camera's first hour indexed from its sub-stream, and CAM00's main-stream file
    /// for that hour attached to its first three events.
    static func fill(_ store: some RecordingStore & RecordingStreamStore) async throws {
        try await PostgresSearchTests.fill { recording, events in
            var recording = recording
            if recording.fingerprint.hasSuffix("-0"), let index = Int(recording.camera.dropFirst(3)), index % 2 == 0 {
                recording.stream = .sub
                recording.fingerprint += "-sub"
            }
            _ = try await store.commitIndexed(recording, events: events, options: CommitOptions())
        }
        let base = PostgresSearchTests.base
        var main = NewRecording(fingerprint: "CAM00-0-main", path: "/f/CAM00/0-main.mp4", camera: "CAM00", start: base,
                                startSource: .container, durationSeconds: 3600, codec: "h264", width: 1920, height: 1080,
                                frameRate: 25, frameCount: 90000, sizeBytes: 1)
        main.stream = .main
        let mainID = try await store.commitIndexed(main, events: [], options: CommitOptions()).recording.id
        let waiting = try await store.subStreamEvents(camera: "CAM00", overlappingFrom: base, to: base.addingTimeInterval(3600))
        #expect(waiting.count == 8)
        for event in waiting.prefix(3) {
            try await store.attachEvent(id: event.id, toRecording: mainID, offsetSeconds: event.offsetSeconds + 0.5, still: "main.jpg")
        }
    }

    @Test("copy keeps each recording's stream and each event's source stream and detecting recording")
    func copyKeepsStreams() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-streams-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try SQLiteCatalog(path: folder.appendingPathComponent("streams.sqlite").path)
        try await source.saveCameras(PostgresSearchTests.cameras)
        try await Self.fill(source)
        try await TestDatabase.with { settings in
            let target = try await PostgresCatalog.open(settings)
            let report = try await CatalogCopier.copy(from: source, to: target)
            #expect(report.verified)
            let everything = EventQuery()
            let copied = try await target.events(matching: everything)
            #expect(copied == (try await source.events(matching: everything)))
            #expect(copied.filter { $0.sourceStream == .sub }.count == 6 * 8 - 3)
            #expect(copied.filter { $0.detectedRecordingID != nil }.count == 6 * 8)
            #expect(copied.filter { $0.sourceStream == .main && $0.detectedRecordingID != nil }.map(\.still) == Array(repeating: "main.jpg", count: 3))
            let base = PostgresSearchTests.base
            for camera in ["CAM00", "CAM01", "CAM02"] {
                let recordings = try await target.recordings(camera: camera, overlappingFrom: base, to: base.addingTimeInterval(3 * 3600))
                #expect(recordings == (try await source.recordings(camera: camera, overlappingFrom: base, to: base.addingTimeInterval(3 * 3600))))
            }
            #expect(try await target.subStreamEvents(camera: "CAM00", overlappingFrom: base, to: base.addingTimeInterval(3600)).count == 5)
            await target.close()
        }
    }

    @Test("searches give the same pages, source_stream included, on both engines")
    func searchSaysSourceStream() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-streams-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlite = try SQLiteCatalog(path: folder.appendingPathComponent("streams.sqlite").path)
        try await sqlite.saveCameras(PostgresSearchTests.cameras)
        try await Self.fill(sqlite)
        try await TestDatabase.with { settings in
            let postgres = try await PostgresCatalog.open(settings)
            try await postgres.saveCameras(PostgresSearchTests.cameras)
            try await Self.fill(postgres)
            var streams: Set<RecordingStream> = []
            for (name, configure) in PostgresSearchTests.queries {
                var query = SearchQuery()
                configure(&query)
                let page = try await postgres.search(query)
                #expect(page == (try await sqlite.search(query)), "\(name)")
                streams.formUnion(page.hits.map(\.event.sourceStream))
            }
            #expect(streams == [.main, .sub])
            await postgres.close()
        }
    }
}
