import Foundation

/// Which events to list. Every field narrows the result; nil means "any".
public struct EventQuery: Sendable, Equatable {
    public var camera: String?
    /// Events of any of these cameras (empty = no such restriction).
    public var cameras: [String]
    /// Events that overlap [from, to): they end after `from` and start before `to`.
    public var from: Date?
    public var to: Date?
    public var recordingID: Int64?
    public var limit: Int?

    public init(camera: String? = nil, cameras: [String] = [], from: Date? = nil, to: Date? = nil, recordingID: Int64? = nil,
                limit: Int? = nil) {
        self.camera = camera
        self.cameras = cameras
        self.from = from
        self.to = to
        self.recordingID = recordingID
        self.limit = limit
    }
}
