import Foundation

/// Why a workflow did not do what was asked, in terms any front end can answer with: the command
/// line prints it, the HTTP API turns the code into a status.
public struct WorkflowError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The access policy refused; the refusal is already in the audit trail.
        case denied
        /// The named event, recording, incident or bundle does not exist.
        case notFound
        /// A value the requester gave is wrong; `field` names it.
        case invalid
        /// This installation lacks what the workflow needs (a signing key, an export folder).
        case unavailable
        /// The recording's file is not the one indexed (replaced or changed): nothing is cut from it.
        case conflict
        /// Every slot for clips and exports is taken: try again after `retryAfterSeconds`.
        case busy
        /// Something failed underneath (a disk, the catalog, FFmpeg); `cause` says what.
        case failed
    }

    public var code: Code
    public var message: String
    /// The request field at fault, for `invalid`.
    public var field: String?
    /// The refusal, for `denied`.
    public var denial: AccessDenial?
    /// The underlying error, for `failed` (for logs, never for clients).
    public var cause: String?
    /// For `busy`: when to try again, in seconds.
    public var retryAfterSeconds: Int?

    public init(_ code: Code, _ message: String, field: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause.map { "\($0)" }
    }

    init(_ denial: AccessDenial) {
        self.init(.denied, denial.reason)
        self.denial = denial
    }

    public static func invalid(_ field: String, _ message: String) -> WorkflowError {
        WorkflowError(.invalid, "\(field) \(message)", field: field)
    }

    public static func busy(_ message: String, retryAfterSeconds: Int) -> WorkflowError {
        var error = WorkflowError(.busy, message)
        error.retryAfterSeconds = retryAfterSeconds
        return error
    }

    public var description: String { message + (cause.map { ": \($0)" } ?? "") }
}
