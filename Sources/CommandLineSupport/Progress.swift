import Catalog
import Foundation
import Synchronization

/// A one-line progress bar on standard error, drawn only when standard error is a terminal, so
/// logs and pipes stay clean.
/// Decoding reports progress from its own thread, hence the lock.
public final class ProgressBar: Sendable {
    private let enabled = isatty(STDERR_FILENO) != 0
    private let lastDrawn = Mutex(-1)

    public init() {}

    public func update(label: String, fraction: Double) {
        guard enabled else { return }
        let percent = Int(saturating: fraction * 100, rounding: .down)
        guard lastDrawn.withLock({ last in
            defer { last = percent }
            return last != percent
        }) else { return }
        let width = 30
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let name = label.count > 40 ? "…" + label.suffix(39) : label
        FileHandle.standardError.write(Data("\r[\(bar)] \(String(format: "%3d", percent))% \(name)\u{1B}[K".utf8))
    }

    public func finish() {
        guard enabled, lastDrawn.withLock({ last in
            defer { last = -1 }
            return last >= 0
        }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
