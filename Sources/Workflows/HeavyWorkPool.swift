import Foundation
import Synchronization
import SystemIO

/// A fixed number of slots for the work that takes seconds to minutes: cutting clips, building
/// evidence bundles, verifying bundles.
///
/// Each job runs on a thread of its own (`BlockingWork`), never on one of Swift's cooperative
/// threads, so token lookups, searches and the audit trail keep answering while cuts run. A job
/// that finds every slot taken is refused at once (`WorkflowError` `.busy`, a 503 with
/// `Retry-After` over HTTP) instead of queueing behind minutes of stream copy.
public final class HeavyWorkPool: Sendable {
    /// How many jobs may run at once.
    public let slots: Int
    /// What a refused caller is told to wait before trying again, in seconds.
    public let retryAfterSeconds: Int
    private let running = Mutex(0)

    /// - Parameter slots: at least 1.
    public init(slots: Int, retryAfterSeconds: Int = 5) {
        self.slots = max(1, slots)
        self.retryAfterSeconds = max(1, retryAfterSeconds)
    }

    /// Jobs running now.
    public var busySlots: Int { running.withLock { $0 } }

    /// Runs `body` on its own thread when a slot is free.
    /// - Throws: `WorkflowError` `.busy` when every slot is taken (nothing ran), else what `body` throws.
    public func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withSlot {
            try await BlockingWork.run(name) { () throws -> T in try body() }
        }
    }

    /// Runs async `body` (which does its blocking work on threads of its own) holding a slot.
    /// - Throws: `WorkflowError` `.busy` when every slot is taken (nothing ran), else what `body` throws.
    public func withSlot<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let admitted = running.withLock { count in
            guard count < slots else { return false }
            count += 1
            return true
        }
        guard admitted else {
            throw WorkflowError.busy("all \(slots) slots for clips and exports are taken; try again in \(retryAfterSeconds) s",
                                     retryAfterSeconds: retryAfterSeconds)
        }
        defer { running.withLock { $0 -= 1 } }
        return try await body()
    }
}
