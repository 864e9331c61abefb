import NIOPosix

/// Runs blocking catalog, file or media work on NIO's thread pool, so that SQLite reads and clip
/// cutting never hold the cooperative threads that serve other requests.
func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
}
