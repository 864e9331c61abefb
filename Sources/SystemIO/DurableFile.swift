#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Bytes that must be on disk before anyone is told they are written: alert log lines, the
/// signing key, bundle files. One way to write them: every byte (short writes are continued,
/// EINTR retried), then fsync, then close.
public enum DurableFile {
    /// How to open the file.
    public enum Mode: Sendable {
        /// Append at the end, creating the file if needed (logs that logrotate may rename or truncate).
        case append
        /// Append at the end of a file that must exist already.
        case appendExisting
        /// Create a new file; fail when one exists (keys, bundle files).
        case createNew
    }

    /// Writes `bytes` to `path` and syncs them to disk before returning.
    /// - Parameter permissions: for a file that is created (0o600 for secrets).
    /// - Throws: `SystemCallError` naming the call that failed and the file.
    public static func write(_ bytes: some Collection<UInt8>, to path: String, mode: Mode,
                             permissions: mode_t = 0o644) throws(SystemCallError) {
        let flags = switch mode {
        case .append: O_WRONLY | O_CLOEXEC | O_APPEND | O_CREAT
        case .appendExisting: O_WRONLY | O_CLOEXEC | O_APPEND
        case .createNew: O_WRONLY | O_CLOEXEC | O_CREAT | O_EXCL
        }
        let descriptor = try syscall("open", path: path) { open(path, flags, permissions) }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, path: path)
        try syscall("fsync", path: path) { fsync(descriptor) }
    }

    /// Writes every byte to an open descriptor, continuing after short writes.
    public static func writeAll(_ bytes: some Collection<UInt8>, to descriptor: Int32, path: String) throws(SystemCallError) {
        let contiguous = Array(bytes)
        var offset = 0
        while offset < contiguous.count {
            let count = try syscall("write", path: path) {
                contiguous[offset...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            }
            offset += count
        }
    }
}
