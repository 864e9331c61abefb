import Catalog
import Evidence
import Foundation
import MediaIO
import TestSupport
import Testing
import ZIPFoundation

/// Clips in bundles: cut by MediaIO's ClipCutter from the catalog's recordings.
@Suite("Evidence clips", .serialized)
struct ClipExportTests {
    /// Decodes a whole clip: (frames, corrupt packets).
    static func decodeAll(_ path: String) throws -> (frames: Int, corrupt: Int) {
        let decoder = try VideoDecoder(path: path, options: DecoderOptions(threads: 2))
        while try decoder.nextFrame() != nil {}
        return (decoder.frameCount, decoder.corruptPacketCount)
    }

    static func seconds(_ iso: String) throws -> Double {
        try #require(Timestamp.parse(iso)).timeIntervalSince1970
    }

    /// Checks one clip of a bundle against its sources: it decodes whole, starts at the last keyframe
    /// at or before the requested start (so at most one GOP early) and reaches the requested end.
    static func checkClip(_ clip: EvidenceMetadata.Clip, item: EvidenceMetadata.Item, bundle: String) throws {
        let path = (bundle as NSString).appendingPathComponent(clip.path)
        let decoded = try decodeAll(path)
        #expect(decoded.corrupt == 0, "\(clip.path)")
        #expect(decoded.frames == clip.videoPackets && decoded.frames > 0, "\(clip.path): \(decoded.frames) frames")
        let requested = try seconds(clip.requestedStart.utc), start = try seconds(clip.start.utc)
        #expect(start <= requested + 1e-3 && abs(requested - start - clip.leadSeconds) < 2e-3, "\(clip.path)")
        // No keyframe of the source between the clip's start and the requested start: at most one GOP early.
        let first = try #require(item.sources.first { clip.sources.first == $0.path })
        let origin = try seconds(first.start.utc)
        let keyframes = try PacketReader.videoPackets(path: first.path).filter(\.isKeyframe).map { origin + $0.time }
        #expect(!keyframes.contains { $0 > start + 1e-3 && $0 <= requested }, "\(clip.path) starts more than one GOP early")
        #expect(keyframes.contains { abs($0 - start) < 2e-3 }, "\(clip.path) does not start on a keyframe")
        let recordingsEnd = try item.sources.map { try seconds($0.start.utc) + $0.durationSeconds }.max() ?? 0
        #expect(try seconds(clip.end.utc) >= min(try seconds(clip.requestedEnd.utc), recordingsEnd) - 0.05, "\(clip.path)")
    }

    @Test("each exported event has a clip that decodes, starts at most one GOP before start − pre-roll, and is in the manifest")
    func eventClips() throws {
        let ward = try ExportCommandTests.shared.get()
        let out = ward.folder.path("clips-\(UUID().uuidString)")
        let exported = try ward.export(["--event", "1", "4", "--pre-roll", "3", "--post-roll", "2"], out: out)
        try #require(exported.status == 0, "\(exported.standardError)")
        #expect(try ward.run(["verify", out]).status == 0)
        let metadata = try JSONDecoder().decode(EvidenceMetadata.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/metadata.json")))
        let manifest = try String(contentsOfFile: out + "/manifest.json", encoding: .utf8)
        for item in metadata.items {
            let clip = try #require(item.clip)
            #expect(clip.path.hasPrefix("clips/event-") && clip.path.hasSuffix(".mp4"))
            #expect(manifest.contains("\"\(clip.path)\""))
            let event = try #require(item.events.first)
            #expect(clip.requestedStart.utc == Timestamp.format(Date(timeIntervalSince1970: try Self.seconds(event.start.utc) - 3)))
            let offset = try Self.seconds(event.start.utc) - Self.seconds(clip.start.utc)
            #expect(abs(offset - (event.clipOffsetSeconds ?? -1)) < 2e-3)
            try Self.checkClip(clip, item: item, bundle: out)
        }
    }

    @Test("a camera period across consecutive recordings is one clip joining both files; both are hashed in metadata")
    func periodAcrossFiles() throws {
        // The 1080p sample cut into three 20 s recordings, named as a recorder would (start time in the
        // name, read in the ward's zone), without the container's own start tag.
        let scratch = TemporaryDirectory()
        defer { scratch.remove() }
        let ffmpeg = try Subprocess.run("/usr/bin/env", [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-i", SampleRecordings.url("street_1080p_h264.mp4").path, "-map_metadata", "-1", "-c", "copy",
            "-f", "segment", "-segment_time", "20", "-reset_timestamps", "1", scratch.path("seg%d.mp4"),
        ])
        try #require(ffmpeg.status == 0, "ffmpeg: \(ffmpeg.standardError)")
        let names = ["CAM02_20240710_153000.mp4", "CAM02_20240710_153020.mp4", "CAM02_20240710_153040.mp4"]
        let ward = try EvidenceWard(camera: "CAM02", copies: zip((0..<3).map { scratch.path("seg\($0).mp4") }, names).map { ($0, $1) })
        defer { ward.remove() }
        let before = try ward.recordingHashes()

        let out = ward.folder.path("period.zip")
        let exported = try ward.export(["--camera", "CAM02", "--from", "2024-07-10 15:30:15", "--to", "2024-07-10 15:30:24"],
                                       out: out)
        try #require(exported.status == 0, "\(exported.standardError)")
        let verified = try ward.run(["verify", out, "--key", ward.folder.path("k.pem").withKey(from: ward)])
        #expect(verified.status == 0, "\(verified.standardError)")
        #expect(try ward.recordingHashes() == before)

        let unpacked = TemporaryDirectory()
        defer { unpacked.remove() }
        try FileManager.default.unzipItem(at: URL(fileURLWithPath: out), to: unpacked.url)
        let bundle = unpacked.path("period")
        let metadata = try JSONDecoder().decode(EvidenceMetadata.self, from: Data(contentsOf: URL(fileURLWithPath: bundle + "/metadata.json")))
        let item = try #require(metadata.items.first)
        #expect(item.kind == "range" && metadata.items.count == 1)
        #expect(item.from.local == "2024-07-10T15:30:15.000+07:00" && item.from.utc == "2024-07-10T08:30:15.000Z")
        let clip = try #require(item.clip)
        #expect(clip.path == "clips/CAM02_20240710T083015Z-20240710T083024Z.mp4")
        #expect(clip.sources.map { ($0 as NSString).lastPathComponent } == Array(names.prefix(2)))
        #expect(item.sources.map { ($0.path as NSString).lastPathComponent } == Array(names.prefix(2)))
        for source in item.sources {
            #expect(source.sha256 == before[(source.path as NSString).lastPathComponent], "\(source.path)")
        }
        // The events of the period (the 14–15.5 s crossing and the 22–30 s car) come with their stills.
        #expect(item.events.count >= 2 && item.events.allSatisfy { $0.still != nil })
        try Self.checkClip(clip, item: item, bundle: bundle)
        // It really spans the join: longer than what the first file holds after the clip's start.
        #expect(try Self.seconds(clip.end.utc) > Self.seconds("2024-07-10T08:30:20Z") + 5)
    }
}
