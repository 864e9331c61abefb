/// How many files the daemon indexes at once, and with how many decoder threads each.
///
/// Measured on 2 cores (see BENCHMARKS.md and the FFmpeg notes): files in parallel at one thread
/// each match one file at two threads for full decodes, beat it for small sub-streams (threading
/// overhead is a larger share of a 640x360 frame) and for keyframe-only triage (one thread is
/// faster there). So the daemon runs one worker per core and gives a file more threads only when
/// fewer files than cores are waiting.
public struct WorkPlan: Sendable, Equatable {
    public var cores: Int
    /// Files indexed at once.
    public var workers: Int
    /// Decoder threads per file when configured (> 0); 0 lets the plan choose per job.
    public var configuredThreads: Int

    /// - Parameters:
    ///   - workers: `daemon.workers`; 0 = one per core.
    ///   - decoderThreads: `indexing.decoder_threads`; 0 = chosen per job.
    public init(cores: Int, workers: Int, decoderThreads: Int) {
        self.cores = max(1, cores)
        self.workers = workers > 0 ? workers : self.cores
        self.configuredThreads = decoderThreads
    }

    /// Decoder threads for a job started while `busy` jobs (this one included) run or wait.
    public func decoderThreads(busy: Int) -> Int {
        if configuredThreads > 0 { return configuredThreads }
        return max(1, cores / max(1, min(busy, workers)))
    }
}
