import Catalog
import Foundation

/// An event with what its pages show: its camera and its recording.
public struct EventView: Sendable {
    public var event: MotionEvent
    public var camera: Camera
    public var recording: Recording
}

extension WardWorkflows {
    // MARK: - Cameras and search

    /// The cameras `requester` may see.
    public func cameras(for requester: Requester) async throws -> [Camera] {
        try await authorize(requester, .listCameras)
        return try await cameraRegistry().filter { policy.admits(requester, $0) }
    }

    /// One page of a search, limited to the requester's ward; asking for another ward is refused
    /// rather than silently emptied. A camera of another ward finds nothing, as an unknown camera
    /// does, so camera ids cannot be probed across wards (the refusal is audited). Audited.
    /// - Throws: `WorkflowError` `.denied`, or `.invalid` (field "cursor") for a cursor of another search.
    public func search(_ query: SearchQuery, for requester: Requester) async throws -> SearchPage {
        try await authorize(requester, .search)
        if let asked = query.ward { try await authorize(requester, .search, .ward(asked)) }
        if !query.cameras.isEmpty {
            let asked = try await cameraRegistry().filter { query.cameras.contains($0.id) }
            if case let .deny(denial) = policy.decide(requester, .search, .cameras(asked)) {
                try await audit.record(requester, denial)
                guard denial.kind == .scope else { throw WorkflowError(denial) }
                return SearchPage(hits: [], nextCursor: nil)
            }
        }
        let scoped = policy.scoped(query, for: requester)
        let page: SearchPage
        do {
            page = try await store.search(scoped)
        } catch let error as CatalogError where error.code == .invalidQuery {
            throw WorkflowError.invalid("cursor", "does not belong to this search; start again without it")
        }
        try await audit.record(requester, AccessAction.search.rawValue, results: page.hits.count)
        return page
    }

    // MARK: - Events

    /// An event the requester may see, with its camera and recording. Audited as a view.
    public func event(id: Int64, for requester: Requester) async throws -> EventView {
        let view = try await visibleEvent(id: id, action: .viewEvent, for: requester)
        try await audit.record(requester, AccessAction.viewEvent.rawValue, results: 1)
        return view
    }

    /// The still image of an event the requester may see. Audited.
    public func still(eventID id: Int64, for requester: Requester) async throws -> Data {
        let view = try await visibleEvent(id: id, action: .viewStill, for: requester)
        guard let name = view.event.still else { throw WorkflowError(.notFound, "event \(id) has no still") }
        let path = (settings.stillsDirectory as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkflowError(.notFound, "the still of event \(id) is missing from the stills folder")
        }
        try await audit.record(requester, AccessAction.viewStill.rawValue, results: 1)
        return data
    }

    /// The event, when it exists and the policy lets the requester do `action` to its camera (not
    /// audited: callers record what they did with it). Another ward's event is "no event", as a
    /// missing one (see `authorizeNamed`).
    public func visibleEvent(id: Int64, action: AccessAction, for requester: Requester) async throws -> EventView {
        try await authorize(requester, action)
        let missing = WorkflowError(.notFound, "no event \(id)")
        guard let event = try await store.event(id: id), let recording = try await store.recording(id: event.recordingID) else {
            throw missing
        }
        let place = try await cameraRegistry().first { $0.id == event.camera } ?? Camera(id: event.camera)
        try await authorizeNamed(requester, action, .camera(place), missing: missing)
        return EventView(event: event, camera: place, recording: recording)
    }
}
