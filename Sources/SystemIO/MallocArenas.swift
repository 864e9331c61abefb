import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// glibc's heap arenas, capped for a long-running indexer.
public enum MallocArenas {
    /// Caps glibc's heap arenas at one per core (two at least). glibc gives each thread that
    /// contends for the heap an arena of its own, up to eight per core, and keeps what each one
    /// held: with decoder threads, analysis threads and the concurrency pool, a two-worker indexer
    /// reached about 300 MB where one arena per core holds it near 130 MB at the same speed
    /// (BENCHMARKS.md, issue 11). `MALLOC_ARENA_MAX` in the environment still wins. Call it first
    /// thing in `main`: threads that already have an arena keep it.
    public static func limitToOnePerCore() {
        #if canImport(Glibc)
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        // mallopt(3) is declared in <malloc.h>, which Swift's Glibc module does not include; it is
        // looked up in the process instead. M_ARENA_MAX is -8 in every glibc since 2.10.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-8, Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        #endif
    }
}
