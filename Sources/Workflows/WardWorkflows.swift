import Access
import Catalog
import Foundation
import Linking
import Logging

/// What the ward does with its catalog, once, for every front end: the command line, the HTTP API
/// and the web console call these methods and only parse, call and format around them.
///
/// Each method asks the `AccessPolicy` before it touches anything, records refusals and results
/// in the `AuditTrail`, and throws `WorkflowError`.
public struct WardWorkflows: Sendable {
    /// How the workflows run. Plain values with defaults; the executable fills them from the
    /// configuration file and its options.
    public struct Settings: Sendable {
        /// The ward's zone: local times, and times written without an offset.
        public var timeZone: TimeZone = .wardDefault
        /// Cameras whose clock runs in another zone than the ward's (from the camera registry).
        public var cameraTimeZones: [String: TimeZone] = [:]
        /// Where each camera looks (compass point or degrees), for searches by compass heading.
        public var cameraViews: [String: String] = [:]
        /// Where the catalog keeps event stills.
        public var stillsDirectory: String
        /// Where cut clips are cached while browsers fetch them (never inside a recordings folder).
        public var clipDirectory: String
        /// How long a cut clip stays cached, in seconds.
        public var clipCacheSeconds: TimeInterval = 3600
        /// The most bytes the clip cache keeps: the oldest clips go first beyond it.
        public var clipCacheMaxBytes: Int64 = 2 << 30
        /// How many clip cuts, exports and bundle checks may run at once (`HeavyWorkPool`).
        public var heavyWorkSlots: Int = 2
        /// The longest clip one request may ask for, in seconds.
        public var maximumClipSeconds: Double = 1800
        /// The ward's Ed25519 signing key; nil = exports are off.
        public var signingKeyPath: String?
        /// Where bundles made without an output path (over HTTP) are written; nil = such exports are off.
        public var exportDirectory: String?
        /// Written into each bundle's metadata.
        public var version: String = "unknown"
        /// How far linking looks around incidents and tips.
        public var linkSettings = LinkSettings()
        /// Alert lines for new suggested links on open incidents (queued with the links).
        public var linkAlerts: @Sendable (IncidentLinkNotice) -> [NewAlert] = { _ in [] }
        /// Where signed audit checkpoints are appended (with the signing key); nil = only to the alert logs.
        public var anchorPath: String?
        /// Alert lines carrying an audit checkpoint (to the logs that take health alerts).
        public var checkpointAlerts: @Sendable (AuditCheckpoint) -> [NewAlert] = { _ in [] }
        /// Health alert lines for a recording whose file is no longer the one indexed (export, clips).
        public var sourceAlerts: @Sendable (_ recording: Recording, _ problem: String) -> [NewAlert] = { _, _ in [] }

        public init(stillsDirectory: String, clipDirectory: String) {
            self.stillsDirectory = stillsDirectory
            self.clipDirectory = clipDirectory
        }
    }

    public let store: any CatalogStore
    public let settings: Settings
    public let policy: AccessPolicy
    public let audit: AuditTrail
    /// Relinking and alert delivery after a commit or an import, one pass at a time.
    public let followUp: CommitFollowUp
    /// Writes queued alert lines now (nil where a daemon's own service delivers them).
    let deliverAlerts: (@Sendable () async throws -> Void)?
    /// Where clips are cut and bundles built and checked, a bounded number at a time.
    public let heavyWork: HeavyWorkPool

    /// - Parameter deliverAlerts: writes queued alert lines after linking (the command line does;
    ///   a daemon with its own delivery service passes nil).
    public init(store: any CatalogStore, settings: Settings, policy: AccessPolicy = AccessPolicy(),
                deliverAlerts: (@Sendable () async throws -> Void)? = nil, logger: Logger = Logger(label: "wardwatch.workflows")) {
        self.store = store
        self.settings = settings
        self.policy = policy
        audit = AuditTrail(store: store)
        self.deliverAlerts = deliverAlerts
        heavyWork = HeavyWorkPool(slots: settings.heavyWorkSlots)
        followUp = CommitFollowUp(linker: Linker(store: store, settings: settings.linkSettings, alerts: settings.linkAlerts),
                                  deliverAlerts: deliverAlerts, logger: logger)
    }

    /// The linker these workflows use.
    public var linker: Linker { followUp.linker }

    // MARK: - Asking the policy

    /// Throws `WorkflowError.denied` after recording the refusal, unless the policy allows.
    public func authorize(_ requester: Requester, _ action: AccessAction, _ resource: AccessResource = .any) async throws {
        guard case let .deny(denial) = policy.decide(requester, action, resource) else { return }
        try await audit.record(requester, denial)
        throw WorkflowError(denial)
    }

    /// The holder of a bearer token: nil when it is unknown or revoked. Only its hash is looked up.
    public func user(token: String) async throws -> User? {
        try await store.user(tokenHash: AccessTokens.hash(token))
    }

    /// Every registered camera.
    func cameraRegistry() async throws -> [Camera] {
        try await store.cameras()
    }
}
