import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal, so
/// logs and pipes stay clean.
final class ProgressBar {
    private let enabled = isatty(STDERR_FILENO) != 0
    private var lastDrawn = -1

    func update(label: String, fraction: Double) {
        guard enabled else { return }
        let percent = Int((fraction * 100).rounded(.down))
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let name = label.count > 40 ? "…" + label.suffix(39) : label
        FileHandle.standardError.write(Data("\r[\(bar)] \(String(format: "%3d", percent))% \(name)\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        lastDrawn = -1
    }
}
