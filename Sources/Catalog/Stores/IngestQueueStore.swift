import Foundation

/// The daemon's work state: one record per file seen in a camera folder.
public protocol IngestQueueStore: Sendable {
    /// The file record for a path, if the daemon has seen it.
    func sourceFile(path: String) async throws -> SourceFile?

    /// Records a newly seen file (or one whose size or time changed) as pending, attempts reset.
    func notePending(path: String, camera: String, sizeBytes: Int64, modified: Date) async throws

    /// Marks a file as taken by a worker and counts the attempt; returns the attempt number.
    func markIndexing(path: String) async throws -> Int

    /// Marks a file indexed as a copy of an already indexed recording.
    func markIndexed(path: String, recordingID: Int64) async throws

    /// Puts a file that is being indexed back to pending without counting the attempt (shutdown interrupted it).
    func markInterrupted(path: String) async throws

    /// Marks a file failed (`final`) or pending again (attempts remain), keeps `reason`, and queues
    /// `alerts` in the same transaction.
    func markFailed(path: String, reason: String, final: Bool, alerts: [NewAlert]) async throws

    /// After a crash: files left "indexing" go back to pending, the interrupted attempt not
    /// counted. Returns how many.
    func recoverInterruptedWork() async throws -> Int

    /// At the daemon's start: files left "indexing" were held by a process that died (a clean stop gives them
    /// back with `markInterrupted`). Each one's crash is counted; those that reach `maxCrashes` become failed
    /// with `RecoveredWork.quarantineReason` and their `alerts` queued, the others go back to pending — all in one
    /// transaction. A file that changes (`notePending`) starts again from no crashes.
    func recoverCrashedWork(quarantineAfter maxCrashes: Int, alerts: @escaping @Sendable (SourceFile) -> [NewAlert]) async throws
        -> RecoveredWork

    /// When the daemon first saw its newest file, per camera.
    func lastFileSeen() async throws -> [String: Date]
}
