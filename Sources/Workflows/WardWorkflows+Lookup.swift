import Catalog
import Foundation

extension WardWorkflows {
    // MARK: - Things named by id

    /// Asks the policy about something the requester named by id (an event, recording, camera,
    /// incident, link or bundle), once it has been looked up.
    ///
    /// A refusal for the role is a refusal (`denied`, 403 over HTTP): the role says nothing about the
    /// id. A refusal for the ward is answered with `missing`, the very error a nonexistent id gets, so
    /// that a ward-limited requester cannot tell another ward's ids from unused ones. Both refusals
    /// are recorded in the audit trail.
    /// - Parameter missing: what the requester is told when the id does not exist.
    public func authorizeNamed(_ requester: Requester, _ action: AccessAction, _ resource: AccessResource,
                               missing: @autoclosure () -> WorkflowError) async throws {
        guard case let .deny(denial) = policy.decide(requester, action, resource) else { return }
        try await audit.record(requester, denial)
        guard denial.kind == .scope else { throw WorkflowError(denial) }
        throw missing()
    }

    /// A registered camera the requester may do `action` to; another ward's camera is "no camera".
    /// - Throws: `WorkflowError` `.notFound` (also for another ward's camera), `.denied` for the role.
    public func camera(id: String, action: AccessAction, for requester: Requester) async throws -> Camera {
        try await authorize(requester, action)
        let missing = WorkflowError(.notFound, "no camera \(id)")
        guard let camera = try await cameraRegistry().first(where: { $0.id == id }) else { throw missing }
        try await authorizeNamed(requester, action, .camera(camera), missing: missing)
        return camera
    }
}
