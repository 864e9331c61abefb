import Catalog

/// An evidence export, a key operation or a bundle read failed.
///
/// The message names the file (or option) and says what to do; `cause` keeps the underlying
/// system or library error for diagnosis. Verification problems are not errors: a bundle that
/// fails verification is a normal answer (see `VerificationReport`).
public struct EvidenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The signing key file is missing, unreadable, too open or not an Ed25519 key.
        case signingKey
        /// `keys generate` found a key at the path and will not overwrite it.
        case keyExists
        /// A public key given to `verify --key` could not be read.
        case publicKey
        /// The request names nothing that can be exported (unknown event, no recordings for a period).
        case notFound
        /// The output exists, or lies inside a recordings folder.
        case output
        /// Reading or writing a file failed.
        case io
        /// Cutting a clip failed.
        case clip
        /// The catalog refused a read or the custody record.
        case catalog
        /// The bundle cannot be opened as a folder or zip, or is not intact where it must be.
        case bundle
        /// A recording's file is not the one the catalog indexed (replaced, changed or gone).
        case source
    }

    public var code: Code
    public var message: String
    /// The underlying error, when there is one.
    public var cause: String?
    /// For `.source`: the recording whose file is not the one indexed (for the health alert).
    public var recording: Recording?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    init(_ code: Code, _ message: String, error: any Error) {
        self.init(code, message, cause: String(describing: error))
    }

    public var description: String { cause.map { "\(message): \($0)" } ?? message }
}
