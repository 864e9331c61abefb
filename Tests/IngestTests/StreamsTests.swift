import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Logging
import MediaIO
import TestSupport
import Testing

/// Cameras with two streams: motion from the 640x360 sub-stream, playback and stills from the
/// 1080p main stream, matched by absolute time (Samples/generate-streams.sh).
@Suite("Two streams per camera", .serialized)
struct StreamsTests {
    static var streams: URL { SampleRecordings.streams }
    static var main: String { streams.appendingPathComponent("main/CAM1_20240710_083000.mp4").path }
    static var sub: String { streams.appendingPathComponent("sub/CAM1_20240710_083000.mp4").path }
    static var lateSub: String { streams.appendingPathComponent("sub_late/CAM1_20240710_083000.mkv").path }
    static let start = Date(timeIntervalSince1970: 1_720_600_200)  // 2024-07-10T08:30:00Z
    static var truth: [(Double, Double)] {
        (SampleRecordings.truth["street_1080p_h264.mp4"]?.motion ?? []).map { ($0[0], $0[1]) }
    }

    func search(_ catalog: SQLiteCatalog, camera: String) async throws -> SearchPage {
        var query = SearchQuery()
        query.cameras = [camera]
        return try await catalog.search(query)
    }

    func indexer(_ catalog: SQLiteCatalog) -> RecordingIndexer {
        RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory, settings: IndexSettings(),
                         logger: Logger(label: "test"))
    }

    /// Event intervals in seconds after the main stream's start (absolute time, whatever file found them).
    func absolute(_ events: [MotionEvent]) -> [(Double, Double)] {
        events.map { ($0.start.timeIntervalSince(Self.start), $0.end.timeIntervalSince(Self.start)) }
    }

    @Test("events come from the sub-stream; a main file arriving later takes over playback, offset and still")
    func subThenMain() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        guard case let .indexed(subRecording, found, _) = try await indexer(catalog).index(path: Self.sub, camera: "CAM1", stream: .sub) else {
            Issue.record("sub-stream not indexed")
            return
        }
        #expect(subRecording.stream == .sub && subRecording.width == 640 && subRecording.height == 360)
        let score = IntervalMatching.score(detected: absolute(found), truth: Self.truth)
        #expect(score.recall >= 0.95 && score.precision >= 0.95, "sub-stream: \(absolute(found))")
        #expect(found.allSatisfy { $0.sourceStream == .sub && $0.detectedRecordingID == subRecording.id })
        // Before the main file arrives, search says where playback comes from.
        let before = try await search(catalog, camera: "CAM1")
        #expect(!before.hits.isEmpty && before.hits.allSatisfy { $0.event.sourceStream == .sub })

        guard case let .indexed(mainRecording, attached, statistics) = try await indexer(catalog).attachMain(path: Self.main, camera: "CAM1") else {
            Issue.record("main stream not attached")
            return
        }
        #expect(mainRecording.stream == .main && mainRecording.width == 1920 && mainRecording.frameCount == 1500)
        #expect(statistics.decodedFrames == 0, "attaching must not decode the main stream")
        #expect(attached.count == found.count)
        let stored = try await catalog.events(matching: EventQuery(camera: "CAM1"))
        #expect(stored.count == found.count)
        for event in stored {
            #expect(event.recordingID == mainRecording.id && event.sourceStream == .main)
            #expect(event.detectedRecordingID == subRecording.id)
            #expect(abs(event.offsetSeconds - event.start.timeIntervalSince(mainRecording.start)) < 0.002)
            let still = try #require(event.still)
            #expect(still.hasPrefix(String(mainRecording.fingerprint.prefix(16))), "still \(still) is not the main stream's")
            let data = try Data(contentsOf: URL(fileURLWithPath: catalog.stillsDirectory).appendingPathComponent(still))
            #expect(data.starts(with: [0xFF, 0xD8]))
        }
        let after = try await search(catalog, camera: "CAM1")
        #expect(after.hits.allSatisfy { $0.event.sourceStream == .main && $0.recordingPath == mainRecording.path })
        // Both streams are tracked by fingerprint: indexing either again adds nothing.
        guard case .alreadyIndexed = try await indexer(catalog).attachMain(path: Self.main, camera: "CAM1"),
              case .alreadyIndexed = try await indexer(catalog).index(path: Self.sub, camera: "CAM1", stream: .sub) else {
            Issue.record("a second pass was not recognised")
            return
        }
    }

    @Test("a main file already indexed takes the sub-stream's events as they are committed")
    func mainThenSub() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        guard case let .indexed(mainRecording, none, _) = try await indexer(catalog).attachMain(path: Self.main, camera: "CAM1") else {
            Issue.record("main not recorded")
            return
        }
        #expect(none.isEmpty)
        guard case let .indexed(_, events, _) = try await indexer(catalog).index(path: Self.sub, camera: "CAM1", stream: .sub) else {
            Issue.record("sub not indexed")
            return
        }
        #expect(!events.isEmpty && events.allSatisfy { $0.recordingID == mainRecording.id && $0.sourceStream == .main })
    }

    @Test("a sub-stream starting 0.7 s after the main one: absolute times agree within the tolerance")
    func lateSubStream() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let catalog = try SQLiteCatalog(path: folder.path("catalog.sqlite"))
        guard case let .indexed(late, found, _) = try await indexer(catalog).index(path: Self.lateSub, camera: "CAM1", stream: .sub) else {
            Issue.record("late sub-stream not indexed")
            return
        }
        #expect(abs(late.start.timeIntervalSince(Self.start) - 0.7) < 0.001, "start \(late.start)")
        // Truth is in main-stream time; the late file's own times are 0.7 s smaller.
        let detected = absolute(found)
        let score = IntervalMatching.score(detected: detected, truth: Self.truth)
        #expect(score.recall >= 0.95 && score.precision >= 0.95, "late sub: \(detected)")

        // The same events from the aligned sub-stream, in another catalog: starts agree within tolerance.
        let other = try SQLiteCatalog(path: folder.path("aligned.sqlite"))
        guard case let .indexed(_, aligned, _) = try await indexer(other).index(path: Self.sub, camera: "CAM1", stream: .sub) else {
            Issue.record("aligned sub-stream not indexed")
            return
        }
        for event in found {
            let nearest = aligned.map { abs($0.start.timeIntervalSince(event.start)) }.min() ?? .infinity
            #expect(nearest <= StreamAlignment.toleranceSeconds, "event at \(event.start) has no aligned twin (\(nearest) s)")
        }
        guard case let .indexed(main, attached, _) = try await indexer(catalog).attachMain(path: Self.main, camera: "CAM1") else {
            Issue.record("main not attached")
            return
        }
        #expect(attached.count == found.count)
        for event in attached {
            // Offsets are measured in the main file: 0.7 s more than in the late sub-stream file.
            #expect(abs(event.offsetSeconds - event.start.timeIntervalSince(main.start)) < 0.002)
        }
    }
}
