import Catalog
import Foundation
import Linking

/// How the API server runs. Plain values with defaults; the `wardwatch serve` command fills them
/// from its options and the configuration file.
public struct APIConfiguration: Sendable {
    /// The address to listen on: loopback unless an operator decides otherwise.
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one (reported through `onListening`).
    public var port: Int = 8080
    /// The ward's zone: local times in responses, and query times written without an offset.
    public var timeZone: TimeZone = .wardDefault
    /// Where the catalog keeps event stills.
    public var stillsDirectory: String
    /// Where cut clips are cached while browsers fetch them (never inside a recordings folder).
    public var clipDirectory: String
    /// The longest clip one request may ask for, in seconds.
    public var maximumClipSeconds: Double = 1800
    /// Where `POST /api/v1/exports` writes evidence bundles; nil = exports are off.
    public var exportDirectory: String?
    /// The ward's Ed25519 signing key; nil = exports are off.
    public var signingKeyPath: String?
    /// Written into each bundle's metadata.
    public var version: String = "unknown"
    /// How far linking looks around incidents and tips posted to the API.
    public var linkSettings = LinkSettings()
    /// Alert lines for new suggested links on open incidents (queued with the links).
    public var linkAlerts: @Sendable (IncidentLinkNotice) -> [NewAlert] = { _ in [] }

    public init(stillsDirectory: String, clipDirectory: String) {
        self.stillsDirectory = stillsDirectory
        self.clipDirectory = clipDirectory
    }
}
