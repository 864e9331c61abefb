import Foundation

/// Blocking work (FFmpeg decoding, clip cutting, zipping) runs on a thread of its own, so that it
/// never holds one of Swift's cooperative threads (two on a two-core machine) while async code
/// waits for it. The result comes back to the awaiting task.
public enum BlockingWork {
    /// Runs `body` on a new thread named `name` and returns its result.
    public static func run<T: Sendable, E: Error>(
        _ name: String, _ body: @escaping @Sendable () throws(E) -> T
    ) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { () throws(E) -> T in try body() })
            }
            thread.name = name
            thread.start()
        }
        return try result.get()
    }
}
