import NIOPosix

/// Runs blocking catalog or media work on NIO's thread pool, so that SQLite reads and clip cutting
/// never stall the event loops that serve other requests.
func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
}
