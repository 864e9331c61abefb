import Catalog
import Linking
import Logging

/// "A recording was committed" (or reports were imported): relink the incidents and tips the new
/// footage may show, then deliver the alerts linking queued.
///
/// One owner runs these passes one at a time, in arrival order: two workers relinking the same
/// report at once could each drop the other's new suggestion. (An actor alone would interleave
/// passes at each `await` of the store, so callers queue here.) The indexer, the daemon and the
/// importers all go through one.
public actor CommitFollowUp {
    public nonisolated let linker: Linker
    private let deliverAlerts: (@Sendable () async throws -> Void)?
    private let logger: Logger
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(linker: Linker, deliverAlerts: (@Sendable () async throws -> Void)?, logger: Logger) {
        self.linker = linker
        self.deliverAlerts = deliverAlerts
        self.logger = logger
    }

    /// Links reports waiting for it and reports that new recordings concern, then delivers alerts.
    /// A failure is logged and returned; the recordings stay queued for the next pass.
    /// - Parameter other: a linker with newer settings (a daemon's reloaded configuration), still
    ///   serialized with every other pass of this owner.
    @discardableResult
    public func recordingCommitted(using other: Linker? = nil) async -> Result<LinkSummary, any Error> {
        let linker = other ?? self.linker
        let result: Result<LinkSummary, any Error> = await exclusively {
            do {
                let reports = try await linker.linkAwaitingReports()
                return .success(reports.adding(try await linker.linkNewRecordings()))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case let .success(summary) where summary.added > 0:
            logger.info("new links", metadata: ["links.added": "\(summary.added)", "reports": "\(summary.reports)"])
        case let .failure(error):
            logger.error("linking failed; the recordings stay queued for the next pass", metadata: ["error": "\(error)"])
        default: break
        }
        return result
    }

    /// Runs `work` (an import that stores and links reports) as one pass, then delivers alerts.
    public func afterImport<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        let result: Result<T, any Error> = await exclusively {
            do { return .success(try await work()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Runs `pass` when no other pass is running, then delivers queued alerts.
    private func exclusively<T: Sendable>(_ pass: @Sendable () async -> T) async -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        let value = await pass()
        if let deliverAlerts {
            do { try await deliverAlerts() } catch {
                logger.error("alert lines stay queued", metadata: ["error": "\(error)"])
            }
        }
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
        return value
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
