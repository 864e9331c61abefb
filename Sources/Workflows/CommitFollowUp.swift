import Catalog
import Linking
import Logging

/// "A recording was committed" (or reports were imported): relink the incidents and tips the new
/// footage may show, then deliver the alerts linking queued.
///
/// An actor, so passes never overlap: two workers relinking the same report at once could each
/// drop the other's new suggestion. The indexer, the daemon and the importers all go through one.
public actor CommitFollowUp {
    public nonisolated let linker: Linker
    private let deliverAlerts: (@Sendable () throws -> Void)?
    private let logger: Logger

    public init(linker: Linker, deliverAlerts: (@Sendable () throws -> Void)?, logger: Logger) {
        self.linker = linker
        self.deliverAlerts = deliverAlerts
        self.logger = logger
    }

    /// Links reports waiting for it and reports that new recordings concern, then delivers alerts.
    /// A failure is logged and returned; the recordings stay queued for the next pass.
    /// - Parameter other: a linker with newer settings (a daemon's reloaded configuration), still
    ///   serialized with every other pass of this owner.
    @discardableResult
    public func recordingCommitted(using other: Linker? = nil) -> Result<LinkSummary, any Error> {
        let linker = other ?? self.linker
        let result = Result(catching: { () throws -> LinkSummary in
            let reports = try linker.linkAwaitingReports()
            let recordings = try linker.linkNewRecordings()
            return reports.adding(recordings)
        })
        switch result {
        case let .success(summary) where summary.added > 0:
            logger.info("new links", metadata: ["links.added": "\(summary.added)", "reports": "\(summary.reports)"])
        case let .failure(error):
            logger.error("linking failed; the recordings stay queued for the next pass", metadata: ["error": "\(error)"])
        default: break
        }
        deliver()
        return result
    }

    /// Runs `work` (an import that stores and links reports) within a pass, then delivers alerts.
    public func afterImport<T: Sendable>(_ work: @Sendable () throws -> T) throws -> T {
        defer { deliver() }
        return try work()
    }

    private func deliver() {
        guard let deliverAlerts else { return }
        do { try deliverAlerts() } catch {
            logger.error("alert lines stay queued", metadata: ["error": "\(error)"])
        }
    }
}

extension LinkSummary {
    /// Both passes' counts together.
    func adding(_ other: LinkSummary) -> LinkSummary {
        var sum = self
        sum.reports += other.reports
        sum.added += other.added
        sum.updated += other.updated
        sum.removed += other.removed
        sum.kept += other.kept
        sum.recordings += other.recordings
        sum.unresolved += other.unresolved
        return sum
    }
}
