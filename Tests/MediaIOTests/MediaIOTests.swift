import CFFmpeg
import Foundation
import MediaIO
import TestSupport
import Testing

@Suite("FFmpeg shim")
struct ShimTests {
    @Test("macros that Swift cannot import have their C values")
    func shimValues() {
        #expect(cff_eof() == -541_478_725)
        #expect(cff_nopts() == Int64.min)
        #expect(cff_averror(EAGAIN) == -EAGAIN)
        #expect(av_rescale_q(1_000_000, cff_time_base_q(), AVRational(num: 1, den: 12800)) == 12800)
        #expect(cff_luma_depth(AV_PIX_FMT_YUV420P10LE.rawValue) == 10)
        #expect(cff_has_8bit_luma_plane(AV_PIX_FMT_YUV420P.rawValue) == 1)
        #expect(cff_has_8bit_luma_plane(AV_PIX_FMT_RGB24.rawValue) == 0)
        #expect(FFmpegLibrary.versionDescription.hasPrefix("libavformat "))
    }
}

@Suite("Probing and decoding real files", .serialized)
struct MediaIOTests {
    @Test("probe reads container, stream, creation time and location of the 1080p sample")
    func probe1080p() throws {
        let info = try MediaProbe.probe(path: SampleRecordings.url("street_1080p_h264.mp4").path)
        #expect(info.format.contains("mp4"))
        #expect(info.video.codec == "h264")
        #expect(info.video.width == 1920 && info.video.height == 1080)
        #expect(abs((info.video.averageFrameRate ?? 0) - 25) < 0.01)
        #expect(abs((info.durationSeconds ?? 0) - 60) < 0.1)
        #expect(abs((info.video.keyframeIntervalSeconds ?? 0) - 2) < 0.05)
        #expect(info.creationTimeTag?.hasPrefix("2024-07-10T08:30:00") == true)
        #expect(info.locationTag?.hasPrefix("+21.0285+105.8542") == true)
    }

    @Test("every sample probes with the codec and size its truth states", arguments: SampleRecordings.videoSamples)
    func probeAll(name: String) throws {
        let truth = try #require(SampleRecordings.truth[name])
        let info = try MediaProbe.probe(path: SampleRecordings.url(name).path)
        #expect(info.video.codec == truth.codec)
        #expect(info.video.width == truth.width)
        #expect(info.video.height == truth.height)
        #expect(abs((info.durationSeconds ?? 0) - (truth.duration_s ?? 0)) < 0.5)
    }

    @Test("decoding a variable-frame-rate file yields increasing timestamps with two different spacings")
    func variableFrameRate() throws {
        let decoder = try VideoDecoder(path: SampleRecordings.url("street_vfr.mp4").path, options: DecoderOptions(threads: 2))
        var times: [Double] = []
        while let frame = try decoder.nextFrame() { times.append(frame.time) }
        #expect(times.count > 100)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        let gaps = zip(times, times.dropFirst()).map { (($1 - $0) * 100).rounded() / 100 }
        #expect(gaps.contains(0.04) && gaps.contains(0.1))
        #expect(abs((times.last ?? 0) - 40) < 0.5)
    }

    @Test("luma grids: every codec gives a sensible grid; JPEG stills decode back at the asked width",
          arguments: SampleRecordings.videoSamples)
    func gridsAndStills(name: String) throws {
        let decoder = try VideoDecoder(path: SampleRecordings.url(name).path)
        let frame = try #require(try decoder.nextFrame())
        let cell = LumaGrid.cellSize(forWidth: frame.width)
        let grid = try frame.lumaGrid(cellSize: cell, rowStep: max(1, cell / 4))
        #expect(grid.columns == frame.width / cell && grid.rows == frame.height / cell)
        let mean = grid.values.reduce(0, +) / Float(grid.values.count)
        #expect(mean > 20 && mean < 235)
        // The sampled-row grid agrees with the full grid within a few levels.
        let full = try frame.lumaGrid(cellSize: cell, rowStep: 1)
        let worst = zip(grid.values, full.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 40)

        let jpeg = try frame.jpeg(maxWidth: 320)
        #expect(jpeg.starts(with: [0xFF, 0xD8]))
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("still.jpg")
        try Data(jpeg).write(to: URL(fileURLWithPath: path))
        let still = try MediaProbe.probe(path: path)
        #expect(still.video.width == min(320, frame.width & ~1))
    }

    @Test("bad files give typed errors naming the file")
    func badFiles() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let empty = folder.path("empty.mp4")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let text = folder.path("notes.mp4")
        try "not a video at all\n".write(toFile: text, atomically: true, encoding: .utf8)
        let cases: [(String, MediaIOError.Code)] = [
            (folder.path("missing.mp4"), .fileNotFound),
            (empty, .emptyFile),
            (text, .notAMediaFile),
            (SampleRecordings.url("no_video.m4a").path, .noVideoStream),
        ]
        for (path, code) in cases {
            #expect {
                _ = try VideoDecoder(path: path)
            } throws: { error in
                guard let error = error as? MediaIOError else { return false }
                return error.code == code && error.description.hasPrefix("'\(path)': ")
            }
        }
    }
}
