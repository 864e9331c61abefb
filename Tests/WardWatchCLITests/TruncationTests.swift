import Foundation
import TestSupport
import Testing

/// Issue 15, defect 7: truncation is caught in every container we index, whether its header declares the length
/// (MP4, MKV, FLV: duration; AVI: frame count) or nothing at all (MPEG-TS, MPEG-PS: the last frame is cut).
@Suite("A file cut short is refused as truncated, in every container")
struct TruncationTests {
    /// (extension, ffmpeg output options): the 1080p sample's first 20 s in each container.
    static let containers: [(String, [String])] = [
        ("mkv", ["-c", "copy", "-f", "matroska"]),
        ("ts", ["-c", "copy", "-f", "mpegts"]),
        ("flv", ["-c", "copy", "-f", "flv"]),
        ("mpg", ["-c:v", "mpeg2video", "-b:v", "2M", "-an", "-f", "mpeg"]),
        ("avi", ["-c:v", "mjpeg", "-q:v", "5", "-an", "-f", "avi"]),
        ("mp4", ["-c", "copy", "-movflags", "+faststart", "-f", "mp4"]),
    ]

    @Test("the whole file indexes; its first 60 % is refused as truncated", arguments: containers.map(\.0))
    func cutShort(_ ext: String) throws {
        let folder = TemporaryDirectory("wardwatch-cut-\(ext)")
        defer { folder.remove() }
        let options = try #require(Self.containers.first { $0.0 == ext }?.1)
        let whole = folder.path("CAM01_20240710_153000.\(ext)")
        let made = try Subprocess.run("/usr/bin/env", ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i",
                                                       SampleRecordings.url("street_1080p_h264.mp4").path, "-t", "20"]
                                      + options + [whole])
        try #require(made.status == 0, "ffmpeg: \(made.standardError)")
        let data = try Data(contentsOf: URL(fileURLWithPath: whole))
        let cut = folder.path("CAM02_20240710_153000.\(ext)")
        try data.prefix(data.count * 6 / 10).write(to: URL(fileURLWithPath: cut))

        let indexed = try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", folder.path("c.sqlite"), whole])
        #expect(indexed.status == 0, "\(ext) whole: \(indexed.standardError)")
        let refused = try Subprocess.wardwatch(["index", "--camera", "CAM02", "--catalog", folder.path("c.sqlite"), cut])
        #expect(refused.status == 1, "\(ext) cut was indexed: \(refused.standardOutput)")
        #expect(refused.standardError.contains("truncated"), "\(ext): \(refused.standardError)")
    }
}
