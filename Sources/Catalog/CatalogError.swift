/// A catalog operation failed. The message names the catalog file and what to do.
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case cannotOpen
        case busy
        case corrupt
        case constraint
        case io
        /// A query parameter makes no sense (a cursor from another query).
        case invalidQuery
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
