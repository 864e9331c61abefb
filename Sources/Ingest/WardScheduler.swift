import Foundation

/// The daemon's scheduling (its work queue, order and work plan) over a fixed list of files, for
/// benchmarks and one-shot catch-up runs: every file is taken by one of `plan.workers` threads in
/// the configured order, with the decoder threads the plan gives it at that moment.
public enum WardScheduler {
    /// One file to process.
    public struct Item: Sendable {
        public var path: String
        public var camera: String
        public var modified: Date

        public init(path: String, camera: String, modified: Date) {
            self.path = path
            self.camera = camera
            self.modified = modified
        }
    }

    /// Runs `work(item, decoderThreads)` for every item on the plan's workers; returns the errors,
    /// by path. Blocking work inside `work` belongs on a thread of its own (`BlockingWork`), as the
    /// indexer does.
    public static func run(_ items: [Item], plan: WorkPlan, order: DaemonSettings.WorkOrder = .oldestFirst,
                           work: @escaping @Sendable (Item, Int) async throws -> Void) async -> [String: String] {
        let queue = WorkQueue(order: order)
        let byPath = Dictionary(items.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for item in items {
            await queue.enqueue(IngestDaemon.Job(path: item.path, camera: WatchedCamera(
                id: item.camera, folder: nil, filePatterns: []),
                                                 modified: item.modified))
        }
        await queue.closeWhenDrained()
        return await withTaskGroup(of: [String: String].self) { group in
            for _ in 0..<plan.workers {
                group.addTask {
                    var failures: [String: String] = [:]
                    while let (job, threads) = await queue.next(plan: plan) {
                        guard let item = byPath[job.path] else { continue }
                        do { try await work(item, threads) } catch { failures[job.path] = "\(error)" }
                        await queue.finished(job.path)
                    }
                    return failures
                }
            }
            var all: [String: String] = [:]
            for await failures in group { all.merge(failures) { a, _ in a } }
            return all
        }
    }
}
