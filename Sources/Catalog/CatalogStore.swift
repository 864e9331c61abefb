/// The operations WardWatch needs from a catalog, whatever database holds it.
///
/// Implementations are safe to share between tasks and keep every method atomic: a recording and
/// its events are committed together or not at all.
public protocol CatalogStore: Sendable {
    /// The indexed recording with this content fingerprint, if any.
    func recording(fingerprint: String) throws -> Recording?

    /// The recording with this id, if any.
    func recording(id: Int64) throws -> Recording?

    /// Commits a recording and its events in one transaction. When a recording with the same
    /// fingerprint is already indexed, nothing is written and `inserted` is false.
    func commitIndexed(_ recording: NewRecording, events: [NewMotionEvent]) throws -> CommitResult

    /// Events matching the query, in time order (then by id).
    func events(matching query: EventQuery) throws -> [MotionEvent]

    /// All cameras the catalog has seen.
    func cameras() throws -> [Camera]
}

/// The outcome of `commitIndexed`.
public struct CommitResult: Sendable, Equatable {
    public var recording: Recording
    public var events: [MotionEvent]
    /// False when the recording was already indexed (a second run, or a renamed copy).
    public var inserted: Bool

    public init(recording: Recording, events: [MotionEvent], inserted: Bool) {
        self.recording = recording
        self.events = events
        self.inserted = inserted
    }
}
