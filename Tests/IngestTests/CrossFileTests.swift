import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Logging
import TestSupport
import Testing

@Suite("Events across consecutive files", .serialized)
struct CrossFileTests {
    /// The 1080p sample cut (stream copy, by the ffmpeg CLI, test-side only) at 26 s: inside the
    /// car's crossing from 22 to 30 s. Each half carries its own creation_time.
    static func halves(in folder: TemporaryDirectory) throws -> (String, String) {
        let source = SampleRecordings.url("street_1080p_h264.mp4").path
        let first = folder.path("CAM01_part1.mp4"), second = folder.path("CAM01_part2.mp4")
        let common = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
        let one = try Subprocess.run("/usr/bin/ffmpeg", common + ["-i", source, "-t", "26", "-c", "copy",
                                     "-metadata", "creation_time=2024-07-10T08:30:00Z", first])
        let two = try Subprocess.run("/usr/bin/ffmpeg", common + ["-ss", "26", "-i", source, "-c", "copy",
                                     "-metadata", "creation_time=2024-07-10T08:30:26Z", second])
        #expect(one.status == 0 && two.status == 0, "\(one.standardError) \(two.standardError)")
        return (first, second)
    }

    @Test("motion running across the cut is one event, whichever half is indexed first", arguments: [false, true])
    func mergedAcrossBoundary(reversed: Bool) async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let (first, second) = try Self.halves(in: folder)
        let catalog = try SQLiteCatalog(path: folder.path("c.sqlite"))
        let indexer = RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory, settings: IndexSettings(),
                                       logger: Logger(label: "test"))
        for path in reversed ? [second, first] : [first, second] {
            guard case .indexed = try await indexer.index(path: path, camera: "CAM01") else {
                Issue.record("\(path) not indexed")
                return
            }
        }
        let origin = try #require(Timestamp.parse("2024-07-10T08:30:00Z"))
        let spans = try await catalog.events(matching: EventQuery()).map {
            ($0.start.timeIntervalSince(origin), $0.end.timeIntervalSince(origin))
        }
        let described = spans.map { String(format: "[%.2f, %.2f]", $0.0, $0.1) }.joined(separator: " ")
        #expect(spans.count == 5, "\(described)")
        let car = try #require(spans.first { $0.0 > 20 && $0.0 < 24 }, "\(described)")
        #expect(abs(car.0 - 22) < 1 && abs(car.1 - 30) < 1, "\(described)")
        let anchored = try await catalog.events(matching: EventQuery()).first { abs($0.start.timeIntervalSince(origin) - car.0) < 0.01 }
        #expect(try await catalog.recording(id: anchored!.recordingID)?.path.hasSuffix("part1.mp4") == true)
    }
}
