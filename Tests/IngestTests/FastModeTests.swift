import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Logging
import MediaIO
import TestSupport
import Testing

/// `indexing.mode: fast` against the samples' ground truth, under the limits the README states:
/// every event at least one GOP long is found, and nothing is found where nothing moved.
@Suite("Fast mode: triage on packets and keyframes", .serialized)
struct FastModeTests {
    /// The longest keyframe interval of a file, in seconds.
    static func gopSeconds(_ path: String) throws -> Double {
        let keys = try PacketReader.videoPackets(path: path).filter(\.isKeyframe).map(\.time).sorted()
        guard keys.count > 1 else { return 0 }
        return zip(keys.dropFirst(), keys).map { $0 - $1 }.max() ?? 0
    }

    static var fast: IndexSettings {
        var settings = IndexSettings()
        settings.mode = .fast
        return settings
    }

    @Test("recall ≥ 0.95 on events at least one GOP long, precision ≥ 0.95, on every sample",
          arguments: SampleRecordings.videoSamples)
    func accuracy(name: String) async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let path = SampleRecordings.url(name).path
        let gop = try Self.gopSeconds(path)
        let truth = try #require(SampleRecordings.truth[name]?.motion).map { ($0[0], $0[1]) }
        let long = truth.filter { $0.1 - $0.0 >= gop }
        let (_, outcome) = try await indexFresh(path, settings: Self.fast, folder: folder)
        let detected = intervals(outcome)
        let found = detected.map { String(format: "[%.2f, %.2f]", $0.0, $0.1) }.joined(separator: " ")
        let recall = IntervalMatching.score(detected: detected, truth: long).recall
        let precision = IntervalMatching.score(detected: detected, truth: truth).precision
        #expect(recall >= 0.95, "\(name) (GOP \(gop) s): recall \(recall) on events ≥ one GOP; detected \(found)")
        #expect(precision >= 0.95, "\(name): precision \(precision); detected \(found)")
        if truth.isEmpty { #expect(detected.isEmpty, "\(name) has no motion but gave \(found)") }
    }

    @Test("a recording without motion is mostly not decoded; exact mode decodes every frame")
    func quietFootageSkipsDecoding() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        guard case let .indexed(_, _, statistics) = try await indexFresh(
            SampleRecordings.url("static_noisy_720p.mp4").path, settings: Self.fast, folder: folder).outcome else {
            Issue.record("not indexed")
            return
        }
        #expect(statistics.decodedFrames * 4 < statistics.frames,
                "decoded \(statistics.decodedFrames) of \(statistics.frames) frames of a motionless file")
        let triage = try #require(statistics.triage)
        #expect(triage.decodedGOPs * 4 < triage.gops)
    }

    @Test("a constant-bitrate sub-stream is recognised as such; the variable-bitrate main is not")
    func constantBitrate() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let sub = SampleRecordings.streams.appendingPathComponent("sub/CAM1_20240710_083000.mp4").path
        let (catalog, subOutcome) = try await indexFresh(sub, settings: Self.fast, folder: folder)
        guard case let .indexed(_, _, subStatistics) = subOutcome else { Issue.record("sub not indexed"); return }
        #expect(subStatistics.triage?.constantBitrate == true)
        let indexer = RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory, settings: Self.fast,
                                       logger: Logger(label: "test"))
        guard case let .indexed(_, _, mainStatistics) = try await indexer.index(
            path: SampleRecordings.url("street_1080p_h264.mp4").path, camera: "CAM02") else { Issue.record("main not indexed"); return }
        #expect(mainStatistics.triage?.constantBitrate == false)
    }
}
