import Catalog
import Foundation

/// Who asks a workflow for something: a token holder over HTTP, a console session, or the local
/// operator at the command line. The access policy decides on these fields only.
public struct Requester: Sendable, Equatable {
    /// The name the audit trail records ("chi", "cli:lan").
    public var name: String
    public var role: AccessRole
    /// The ward this requester is limited to; nil = every ward.
    public var ward: String?
    /// Where the request came from: a client address, or "cli".
    public var client: String
    /// What was asked, as the audit trail records it: a request path with its query, or a command line.
    public var request: String

    public init(name: String, role: AccessRole, ward: String?, client: String, request: String) {
        self.name = name
        self.role = role
        self.ward = ward
        self.client = client
        self.request = request
    }

    /// A token holder (or a console session's user) asking through `client`.
    public init(user: User, client: String, request: String) {
        self.init(name: user.name, role: user.role, ward: user.ward, client: client, request: request)
    }

    /// The operator at the machine's command line: the file system already gives them the catalog,
    /// so they act as an administrator of every ward, and are audited under their system user.
    public static func localOperator(name: String, request: String) -> Requester {
        Requester(name: name, role: .admin, ward: nil, client: "cli", request: request)
    }
}
