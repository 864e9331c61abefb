/// Takes single pictures out of a recording at given instants, without decoding the whole file.
public enum FrameGrabber {
    /// The JPEG of the frame on screen at `seconds` from the recording's first frame: the last frame
    /// that starts at or before it. Seeks to the keyframe before and decodes forward from there.
    /// - Throws: `MediaIOError` naming the file when it cannot be read or has no frame there.
    public static func jpeg(path: String, atSeconds seconds: Double, maxWidth: Int) throws(MediaIOError) -> [UInt8] {
        let decoder = try VideoDecoder(path: path, options: DecoderOptions(threads: 1))
        try decoder.seek(toSeconds: seconds)
        var shown: DecodedFrame?
        while let frame = try decoder.nextFrame() {
            // A millisecond of slack: instants from the catalog are stored in whole milliseconds.
            if frame.time > seconds + 0.001, shown != nil { break }
            shown = frame
        }
        guard let shown else {
            throw MediaIOError(.outOfRange, path: path, reason: "no frame at \(seconds) s")
        }
        return try shown.jpeg(maxWidth: maxWidth)
    }
}
