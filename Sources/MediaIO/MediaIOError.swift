import CFFmpeg

/// Why a recording could not be read, decoded, encoded or cut, phrased so a user can act on it.
///
/// The FFmpeg return code, when there is one, is kept for diagnosis; `description` is one line
/// that names the file first ("'/data/cam07/a.mp4': not a recording FFmpeg can read (...)").
public struct MediaIOError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case fileNotFound
        case emptyFile
        case unreadable
        case notAMediaFile
        case noVideoStream
        case unsupportedCodec
        case decodeFailed
        case encodeFailed
        case outOfMemory
        /// A clip's time range touches none of the given recordings (or is empty).
        case outOfRange
        /// Consecutive recordings differ in codec, size or codec setup, so they cannot be joined by stream copy.
        case incompatibleSources
        /// The output file's extension names no supported container, or the container cannot hold the video codec.
        case unsupportedContainer
        /// The output file could not be created or written.
        case writeFailed
    }

    public var code: Code
    /// The file the operation was about.
    public var path: String
    /// What went wrong, in words.
    public var reason: String
    /// FFmpeg's negative return code, when the failure came from FFmpeg.
    public var ffmpegCode: Int32?

    public init(_ code: Code, path: String, reason: String, ffmpegCode: Int32? = nil) {
        self.code = code
        self.path = path
        self.reason = reason
        self.ffmpegCode = ffmpegCode
    }

    public var description: String { "'\(path)': \(reason)" }
}

/// FFmpeg's own text for a return code ("Invalid data found when processing input").
func ffmpegMessage(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    return buffer.withUnsafeMutableBufferPointer { raw in
        cff_error_string(code, raw.baseAddress!, raw.count)
        return String(cString: raw.baseAddress!)
    }
}
