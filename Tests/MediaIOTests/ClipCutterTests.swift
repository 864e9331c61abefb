import CFFmpeg
import Foundation
import MediaIO
import TestSupport
import Testing

/// Clips are checked by reading them back with our own libavformat code (`PacketReader`, `VideoDecoder`);
/// the ffmpeg CLI only prepares inputs (segments, extra audio, an odd codec).
@Suite("Stream-copy clips", .serialized)
struct ClipCutterTests {
    /// An epoch-like timeline origin: clip times are computed at realistic magnitudes.
    static let epoch = 1_720_600_200.0

    init() { FFmpegLibrary.configureLogging(verbose: false) }

    @Test("an H.264 clip starts at the keyframe before `from`, copies the source's packets byte for byte, and decodes")
    func h264Clip() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let sourcePath = SampleRecordings.url("street_1080p_h264.mp4").path
        let sourceHash = try fileSHA256(sourcePath)
        let from = Self.epoch + 13.3, to = Self.epoch + 21.7
        let output = folder.path("clip.mp4")

        let result = try ClipCutter.cut([ClipSource(path: sourcePath, startSeconds: Self.epoch)], from: from, to: to,
                                        outputPath: output)

        #expect(result.outputPath == output)
        #expect(result.sourcesUsed == [sourcePath])
        #expect(result.leadSeconds >= 0 && result.leadSeconds < 2.0)   // the sample's GOP is 2 s
        #expect(abs(result.startSeconds - (from - result.leadSeconds)) < 1e-6)
        #expect(result.endSeconds >= to)
        #expect(result.sizeBytes == (try FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.int64Value)

        let source = try PacketReader.videoPackets(path: sourcePath)
        let clip = try PacketReader.videoPackets(path: output)
        let first = try #require(source.lastIndex { $0.isKeyframe && $0.time <= from - Self.epoch + 1e-9 })
        #expect(abs(source[first].time - (result.startSeconds - Self.epoch)) < 1e-6)
        #expect(clip.first?.isKeyframe == true)
        #expect(clip.count == result.videoPackets)
        // The same packets, in order, none missing: a contiguous run of the source from that keyframe ...
        #expect(clip.map(\.sha256) == source[first..<(first + clip.count)].map(\.sha256))
        // ... that holds every frame shown before `to`, at the same spacing, from 0.
        let lastShown = try #require(source.lastIndex { $0.time < to - Self.epoch })
        #expect(clip.count >= lastShown - first + 1)
        #expect(zip(clip, source[first...]).allSatisfy { abs($0.time - ($1.time - source[first].time)) < 1e-3 })
        #expect(clip.first?.pts == 0)

        let frames = try decodeAll(output)
        #expect(frames.corrupt == 0)
        #expect(frames.count == clip.count)
        let info = try MediaProbe.probe(path: output)
        #expect(abs((info.durationSeconds ?? 0) - (result.endSeconds - result.startSeconds)) < 0.1)
        #expect(try fileSHA256(sourcePath) == sourceHash)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["clip.mp4"])
    }

    @Test("a range across two consecutive files gives one continuous clip of both files' packets")
    func joinsConsecutiveFiles() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let original = SampleRecordings.url("street_1080p_h264.mp4").path
        // 0-20 s, 20-40 s, 40-60 s; the first segment's timestamps start at 0.08 s (B-frame delay), not 0.
        try ffmpeg(["-i", original, "-c", "copy", "-f", "segment", "-segment_time", "20", "-reset_timestamps", "1",
                    folder.path("seg%d.mp4")])
        let segments = (0..<3).map { folder.path("seg\($0).mp4") }
        let hashes = try segments.map(fileSHA256)
        let listing = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        let from = Self.epoch + 14.5, to = Self.epoch + 27.3
        let outputFolder = TemporaryDirectory()
        defer { outputFolder.remove() }
        let output = outputFolder.path("joined.mp4")
        // Out of order, plus recordings the range cannot touch: missing files that must not even be opened.
        let sources = [
            ClipSource(path: segments[1], startSeconds: Self.epoch + 20),
            ClipSource(path: folder.path("missing-after.mp4"), startSeconds: Self.epoch + 40),
            ClipSource(path: segments[0], startSeconds: Self.epoch),
            ClipSource(path: folder.path("missing-before.mp4"), startSeconds: Self.epoch - 60),
        ]

        let result = try ClipCutter.cut(sources, from: from, to: to, outputPath: output)

        #expect(result.sourcesUsed == [segments[0], segments[1]])
        #expect(result.leadSeconds >= 0 && result.leadSeconds < 2.0)
        #expect(result.endSeconds >= to)
        #expect(result.timestampFixes == 0)
        let first = try PacketReader.videoPackets(path: segments[0])
        let second = try PacketReader.videoPackets(path: segments[1])
        let clip = try PacketReader.videoPackets(path: output)
        let start = try #require(first.lastIndex { $0.isKeyframe && $0.time <= from - Self.epoch })
        #expect(clip.first?.isKeyframe == true)
        #expect(clip.map(\.sha256) == (first + second)[start..<(start + clip.count)].map(\.sha256))
        #expect(clip.count > first.count - start)   // it did reach into the second file

        // Strictly increasing dts, no gap over 2 frame durations (0.04 s at 25 fps), also at the join.
        let reader = try PacketReader(path: output)
        let dts = clip.compactMap(\.dts)
        #expect(dts.count == clip.count)
        #expect(zip(dts, dts.dropFirst()).allSatisfy { $0 < $1 })
        #expect(zip(dts, dts.dropFirst()).allSatisfy { Double($1 - $0) * reader.timeBase <= 2 * 0.04 + 1e-9 })
        // Presentation times continue across the join exactly as in the unsplit recording.
        let unsplit = try PacketReader.videoPackets(path: original)
        let origin = try #require(unsplit.firstIndex { $0.sha256 == clip[0].sha256 })
        #expect(zip(clip, unsplit[origin...]).allSatisfy { abs($0.time - ($1.time - unsplit[origin].time)) < 1e-3 })

        let frames = try decodeAll(output)
        #expect(frames.corrupt == 0)
        #expect(frames.count == clip.count)
        #expect(try segments.map(fileSHA256) == hashes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == listing)

        // A start time 0.4 s early (names with whole seconds) overlaps the first file: the second file
        // continues right after it instead, still one continuous clip of the same packets.
        let early = [ClipSource(path: segments[0], startSeconds: Self.epoch),
                     ClipSource(path: segments[1], startSeconds: Self.epoch + 19.6)]
        let shifted = try ClipCutter.cut(early, from: from, to: to, outputPath: output)
        #expect(shifted.timestampFixes == 1)
        let again = try PacketReader.videoPackets(path: output)
        #expect(again.map(\.sha256) == clip.map(\.sha256))
        #expect(zip(again, clip).allSatisfy { $0.dts == $1.dts && $0.pts == $1.pts })
        // Overlapping by more than `joinOverlapTolerance`: not consecutive recordings.
        let overlapping = [ClipSource(path: segments[0], startSeconds: Self.epoch),
                           ClipSource(path: segments[1], startSeconds: Self.epoch + 17)]
        #expect {
            _ = try ClipCutter.cut(overlapping, from: from, to: to, outputPath: output)
        } throws: { error in
            (error as? MediaIOError)?.code == .incompatibleSources
                && (error as? MediaIOError)?.description.contains("'\(segments[0])'") == true
        }
    }

    @Test("a range that begins before the first recording starts at its first frame")
    func rangeBeforeFirstRecording() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let sourcePath = SampleRecordings.url("CAM07_20240710_153000.mp4").path
        let output = folder.path("clip.mkv")

        let result = try ClipCutter.cut([ClipSource(path: sourcePath, startSeconds: 100)], from: 95, to: 103,
                                        outputPath: output)

        #expect(result.startSeconds == 100)
        #expect(result.leadSeconds == -5)
        let source = try PacketReader.videoPackets(path: sourcePath)
        let clip = try PacketReader.videoPackets(path: output)
        #expect(clip.map(\.sha256) == source.prefix(clip.count).map(\.sha256))
        #expect(result.endSeconds >= 103)
    }

    @Test("H.265 and MJPEG clips cut and decode", arguments: [
        ("street_720p_hevc.mp4", "mp4", 12.3, 16.0),
        ("street_mjpeg.avi", "mkv", 5.3, 9.1),
        ("street_mjpeg.avi", "mp4", 5.3, 9.1),   // the MP4 muxer accepts MJPEG (browsers may not play it)
    ])
    func otherCodecs(name: String, container: String, from: Double, to: Double) throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let sourcePath = SampleRecordings.url(name).path
        let output = folder.path("clip.\(container)")
        let gop = try #require(try MediaProbe.probe(path: sourcePath).video.keyframeIntervalSeconds)

        let result = try ClipCutter.cut([ClipSource(path: sourcePath, startSeconds: 0)], from: from, to: to,
                                        outputPath: output)

        #expect(result.leadSeconds >= 0 && result.leadSeconds < gop + 1e-6)
        #expect(result.endSeconds >= to)
        let source = try PacketReader.videoPackets(path: sourcePath)
        let clip = try PacketReader.videoPackets(path: output)
        #expect(clip.first?.isKeyframe == true)
        let first = try #require(source.firstIndex { $0.sha256 == clip.first?.sha256 })
        #expect(abs(source[first].time - result.startSeconds) < 1e-3)
        // Leading pictures of an open GOP (they display before the keyframe) are left out, nothing else.
        let expected = source[first...].filter { $0.time >= source[first].time }.prefix(clip.count)
        #expect(clip.map(\.sha256) == expected.map(\.sha256))

        let frames = try decodeAll(output)
        #expect(frames.corrupt == 0)
        #expect(frames.count == clip.count)
        #expect(frames.count >= Int((to - from) * 14))
    }

    @Test("audio is copied when the container takes its codec, and skipped (never fatal) when it does not",
          arguments: [("aac", "mp4", 1), ("pcm_s16le", "mkv", 0)])
    func audio(codec: String, sourceContainer: String, copied: Int) throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let source = folder.path("with-audio.\(sourceContainer)")
        try ffmpeg(["-i", SampleRecordings.url("CAM07_20240710_153000.mp4").path,
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10",
                    "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", codec, source])
        let output = folder.path("clip.mp4")

        let result = try ClipCutter.cut([ClipSource(path: source, startSeconds: 100)], from: 103, to: 107,
                                        outputPath: output)

        #expect(result.audioStreams == copied)
        #expect(try MediaProbe.probe(path: output).audioStreamCount == copied)
        let frames = try decodeAll(output)
        #expect(frames.corrupt == 0 && frames.count == result.videoPackets)
    }

    @Test("problems give typed errors naming the file; no file or leftover appears")
    func errors() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let h264 = SampleRecordings.url("street_1080p_h264.mp4").path   // 60 s
        let hevc = SampleRecordings.url("street_720p_hevc.mp4").path
        let missing = folder.path("missing.mp4")
        let ffv1 = folder.path("ffv1.mkv")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-t", "3", "-c:v", "ffv1", ffv1])
        let output = folder.path("clip.mp4")

        let cases: [(sources: [ClipSource], from: Double, to: Double, output: String, code: MediaIOError.Code,
                     named: [String])] = [
            ([ClipSource(path: h264, startSeconds: 1000)], 1100, 1110, output, .outOfRange, [h264]),   // after
            ([ClipSource(path: h264, startSeconds: 1000)], 900, 910, output, .outOfRange, [h264]),     // before
            ([ClipSource(path: missing, startSeconds: 0)], 1, 5, output, .fileNotFound, [missing]),
            ([ClipSource(path: h264, startSeconds: 0), ClipSource(path: hevc, startSeconds: 60)], 55, 65, output,
             .incompatibleSources, [hevc, h264]),
            ([ClipSource(path: ffv1, startSeconds: 0)], 0.5, 2, output, .unsupportedContainer, [output, ffv1]),
            ([ClipSource(path: h264, startSeconds: 0)], 1, 5, folder.path("clip.avi"), .unsupportedContainer,
             [folder.path("clip.avi")]),
            ([ClipSource(path: h264, startSeconds: 0)], 5, 1, output, .outOfRange, [output]),
        ]
        for test in cases {
            #expect {
                _ = try ClipCutter.cut(test.sources, from: test.from, to: test.to, outputPath: test.output)
            } throws: { error in
                guard let error = error as? MediaIOError else { return false }
                return error.code == test.code && test.named.allSatisfy { error.description.contains("'\($0)'") }
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == ["ffv1.mkv"])
    }

    @Test("the output path may not be one of the recordings")
    func refusesToOverwriteASource() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let source = folder.path("cam.mp4")
        try FileManager.default.copyItem(atPath: SampleRecordings.url("CAM07_20240710_153000.mp4").path, toPath: source)
        let hash = try fileSHA256(source)
        #expect(throws: MediaIOError.self) {
            _ = try ClipCutter.cut([ClipSource(path: source, startSeconds: 0)], from: 1, to: 3, outputPath: source)
        }
        #expect(try fileSHA256(source) == hash)
    }

    // MARK: - Helpers

    private func decodeAll(_ path: String) throws -> (count: Int, corrupt: Int) {
        let decoder = try VideoDecoder(path: path, options: DecoderOptions(threads: 2))
        while try decoder.nextFrame() != nil {}
        return (decoder.frameCount, decoder.corruptPacketCount)
    }

    private func ffmpeg(_ arguments: [String]) throws {
        let result = try Subprocess.run("/usr/bin/env",
                                        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + arguments)
        try #require(result.status == 0, "ffmpeg \(arguments.joined(separator: " ")): \(result.standardError)")
    }

    private func fileSHA256(_ path: String) throws -> [UInt8] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var digest = [UInt8](repeating: 0, count: 32)
        data.withUnsafeBytes { bytes in
            digest.withUnsafeMutableBufferPointer { out in
                _ = cff_sha256(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, out.baseAddress)
            }
        }
        return digest
    }
}
