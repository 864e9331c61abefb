/// Why a recording was not indexed. One line, naming the file first.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The file is missing, empty, not media, has no video, or FFmpeg could not decode it.
        case unreadable
        /// The file ends before the duration its header states.
        case truncated
        /// The recording has no decodable frames.
        case noFrames
        /// Its start time could not be worked out.
        case noStartTime
        /// The catalog refused or failed the commit.
        case catalog
        /// A still could not be written.
        case stills
        /// The work was stopped (shutdown) before it committed; nothing was written.
        case cancelled
    }

    public var code: Code
    public var path: String
    public var reason: String

    public init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String { "'\(path)': \(reason)" }
}
