import Foundation
import Synchronization

/// The hidden work folders of exports in progress, and the leftovers of exports that were killed.
///
/// A work folder is named `.<bundle name>.partial-<pid>-<uuid>` and created with mode 0700, so a
/// half-written copy of footage is never readable by other users. An export killed with SIGKILL
/// leaves its folder behind; the next export into the same folder (and `serve` at start) removes
/// every work folder whose process no longer runs. A process that receives SIGTERM removes its own
/// at once (`removeAllInProgress`, called by the CLI's signal handler).
public enum PartialExports {
    private static let inProgress = Mutex<Set<String>>([])
    /// Set once the process is stopping: exports create no more folders (which would bring a
    /// removed work folder back).
    static let stopping = Atomic<Bool>(false)

    /// True once `removeAllInProgress` has begun: the signal handler owns the exit from then on.
    public static var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    /// The marker between a bundle's name and the owner's pid.
    static let marker = ".partial-"

    /// A new work path beside `output` (not created).
    static func workPath(for output: String) -> String {
        let parent = (output as NSString).deletingLastPathComponent
        let name = (output as NSString).lastPathComponent
        return (parent as NSString).appendingPathComponent(".\(name)\(marker)\(getpid())-\(UUID().uuidString)")
    }

    static func register(_ path: String) { _ = inProgress.withLock { $0.insert(path) } }
    static func unregister(_ path: String) { _ = inProgress.withLock { $0.remove(path) } }

    /// Removes the work of every export this process is running (for a SIGTERM handler).
    public static func removeAllInProgress() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        let paths = inProgress.withLock { $0 }
        // A folder call already past the `stopping` check can bring a work folder back once: three passes.
        for pass in 0..<3 {
            if pass > 0 { usleep(20_000) }
            for path in paths {
                // Renamed first (atomic), so the export's next write fails instead of landing in the folder.
                let doomed = path + ".removing"
                let target = rename(path, doomed) == 0 ? doomed : path
                try? FileManager.default.removeItem(atPath: target)
            }
        }
        // Wait (up to 10 s) for the exports to give up, so nothing of theirs can come back after the last sweep.
        for _ in 0..<1000 where !inProgress.withLock({ $0.isEmpty }) { usleep(10_000) }
        // Last, by name: anything of this process's exports that came back or was half removed.
        let mine = "\(marker)\(getpid())-"
        for directory in Set(paths.map { ($0 as NSString).deletingLastPathComponent }) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.contains(mine) {
                try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
            }
        }
    }

    /// Removes, from `directory`, the work folders and zips of exports whose process has ended.
    /// - Returns: the paths removed.
    @discardableResult
    public static func sweep(_ directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(".") {
            guard let range = name.range(of: marker, options: .backwards) else { continue }
            let digits = name[range.upperBound...].prefix { $0.isNumber }
            guard let pid = Int32(digits), pid > 0 else { continue }
            // Still running (ours or another export's): leave it. ESRCH: the owner is gone.
            if kill(pid, 0) == 0 || errno != ESRCH { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// The mode new files and folders get under the process's umask (bundles, once finished, are
    /// as readable as anything else the user writes).
    static func finishedMode(directory: Bool) -> mode_t {
        let mask = umask(0o077)
        umask(mask)
        return (directory ? 0o777 : 0o666) & ~mask
    }
}
