import Foundation

/// Finding events: by query, by page of a search, by id; and per-camera status figures.
public protocol SearchStore: Sendable {
    /// Events matching the query, in time order (then by id).
    func events(matching query: EventQuery) async throws -> [MotionEvent]

    /// The event with this id, if any.
    func event(id: Int64) async throws -> MotionEvent?

    /// One page of events matching a search, with their cameras and recordings.
    /// - Throws: `CatalogError` with code `.invalidQuery` for a cursor from another query.
    func search(_ query: SearchQuery) async throws -> SearchPage

    /// Per-camera counts and times for status reports, by camera id.
    func cameraStatus() async throws -> [CameraStatus]
}
