import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Logging
import TestSupport
import Testing

@Suite("Camera health from real recordings", .serialized)
struct PictureHealthIndexingTests {
    static func ffmpeg(_ arguments: [String]) throws {
        let result = try Subprocess.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + arguments)
        #expect(result.status == 0, "\(result.standardError)")
    }

    func index(_ paths: [String], folder: TemporaryDirectory) async throws -> [Recording] {
        let catalog = try SQLiteCatalog(path: folder.path("c.sqlite"))
        let indexer = RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory, settings: IndexSettings(),
                                       logger: Logger(label: "test"))
        var recordings: [Recording] = []
        for path in paths {
            guard case let .indexed(recording, _, _) = try await indexer.index(path: path, camera: "CAM01") else {
                throw IngestError(.catalog, path: path, reason: "not indexed")
            }
            recordings.append(recording)
        }
        return recordings
    }

    @Test("a dark, noisy clip is a black picture; a still picture repeated is frozen; the street is healthy")
    func blackAndFrozen() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dark = folder.path("dark.mp4"), frozen = folder.path("frozen.mp4")
        try Self.ffmpeg(["-f", "lavfi", "-i", "color=c=0x0c0c0c:s=640x360:r=25:d=8,format=yuv420p,noise=alls=4:allf=t",
                         "-c:v", "libx264", "-preset", "veryfast", "-metadata", "creation_time=2024-07-10T01:00:00Z", dark])
        try Self.ffmpeg(["-ss", "3", "-i", SampleRecordings.url("street_720p_hevc.mp4").path, "-frames:v", "1",
                         folder.path("still.png")])
        try Self.ffmpeg(["-loop", "1", "-framerate", "25", "-i", folder.path("still.png"), "-t", "8", "-pix_fmt", "yuv420p",
                         "-c:v", "libx264", "-preset", "veryfast", "-metadata", "creation_time=2024-07-10T02:00:00Z", frozen])
        let recordings = try await index([dark, frozen, SampleRecordings.url("CAM07_20240710_153000.mp4").path], folder: folder)
        #expect(recordings[0].health == ["black picture"])
        #expect(recordings[1].health == ["frozen picture"])
        #expect(recordings[2].health.isEmpty)
    }

    @Test("a turned camera is noticed against its previous recording; the same view is not")
    func viewChanged() async throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let source = SampleRecordings.url("street_720p_hevc.mp4").path
        let same = folder.path("same.mp4"), turned = folder.path("turned.mp4")
        // The same view later (re-encoded), and the view panned: the picture shifted by a third.
        try Self.ffmpeg(["-i", source, "-t", "10", "-c:v", "libx264", "-preset", "veryfast",
                         "-metadata", "creation_time=2024-07-11T10:00:00Z", same])
        try Self.ffmpeg(["-i", source, "-t", "10", "-vf", "crop=853:480:427:240,scale=1280:720", "-c:v", "libx264",
                         "-preset", "veryfast", "-metadata", "creation_time=2024-07-11T11:00:00Z", turned])
        let recordings = try await index([source, same, turned], folder: folder)
        #expect(recordings[0].health.isEmpty)
        #expect(recordings[1].health.isEmpty)
        #expect(recordings[2].health == ["view changed since the previous recording"])
    }
}
