import MediaIO

/// Truncation in containers that declare no length (MPEG-TS, MPEG-PS, raw elementary streams): a file cut short
/// looks complete, but its last frame stops in the middle of its data. Indexing decodes with the deblocking filter
/// skipped, which also turns off H.264's error concealment and so its damage flags; the tail is decoded again
/// here, fully, from the keyframe before the last few seconds, and a damaged last frame is a cut file.
enum TailCheck {
    /// Demuxers whose files carry no duration or frame count that a shorter copy would contradict.
    static let undeclaredLength: Set<String> = ["mpegts", "mpeg", "mpegvideo", "h264", "hevc", "mjpeg", "m4v"]

    static func applies(to format: String) -> Bool {
        format.split(separator: ",").contains { undeclaredLength.contains(String($0)) }
    }

    /// Whether the last frame of `path` decodes with errors concealed; `end` is the stream's last frame time.
    static func lastFrameDamaged(path: String, end: Double) throws(IngestError) -> Bool {
        do {
            let decoder = try VideoDecoder(path: path, options: DecoderOptions(threads: 1))
            try decoder.seek(toSeconds: max(0, end - 3))
            while try decoder.nextFrame() != nil {}
            return decoder.lastFrameDamaged
        } catch {
            throw IngestError(.unreadable, path: path, reason: error.reason)
        }
    }
}
