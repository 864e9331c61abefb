import Foundation
import Logging
import ServiceLifecycle
import Workflows

/// Signs a checkpoint of the audit trail at the configured interval (`evidence.checkpoint_interval`) while the
/// daemon or the server runs, when the ward has a signing key.
struct CheckpointService: Service {
    let workflows: WardWorkflows
    let interval: Double
    let logger: Logger

    func run() async throws {
        let logger = self.logger
        await cancelWhenGracefulShutdown {
            await workflows.writeCheckpoints(every: interval) { error in
                logger.error("audit checkpoint not written; trying again at the next interval", metadata: ["error": "\(error)"])
            }
        }
    }
}
