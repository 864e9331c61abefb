import Catalog
import Crypto
import Foundation
import MediaIO

/// Evidence must come from the file that was indexed. If the file at a recording's path was
/// replaced (another camera's footage copied over it, a re-encode, a truncated copy), export and
/// playback refuse it instead of signing someone else's pictures.
///
/// The check recomputes the catalog's content fingerprint: SHA-256 over the file size and 16 blocks
/// of 64 KiB spread over the file (the whole file under 1 MiB), the same reading `wardwatch index`
/// stores (Ingest's `RecordingFingerprint`; a test pins the two together).
public enum SourceCheck {
    static let blockSize = 64 * 1024
    static let blockCount = 16

    /// Why the file at `recording.path` is not the indexed recording; nil when it is.
    public static func problem(_ recording: Recording) -> String? {
        let path = recording.path
        do { try RegularFile.check(path) } catch { return "recording \(recording.id) at '\(path)': \(error.reason)" }
        guard let fingerprint = try? fingerprint(path: path) else {
            return "recording \(recording.id) at '\(path)': cannot be read"
        }
        if fingerprint.size != recording.sizeBytes {
            return "recording \(recording.id) at '\(path)' is \(fingerprint.size) bytes, but \(recording.sizeBytes) were indexed: "
                + "the file was replaced or changed after indexing"
        }
        if fingerprint.hex != recording.fingerprint {
            return "recording \(recording.id) at '\(path)' has other content than the file indexed (fingerprint "
                + "\(fingerprint.hex.prefix(16))…, indexed \(recording.fingerprint.prefix(16))…): the file was replaced after indexing"
        }
        return nil
    }

    /// What changes when anything writes to or replaces a file: device, inode, size and
    /// modification time (to the nanosecond).
    public struct Identity: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int
        var modifiedNanoseconds: Int
    }

    /// The file's identity now, or nil when it cannot be read.
    public static func identity(path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                        modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }

    /// The content fingerprint of a file, as the catalog stores it.
    public static func fingerprint(path: String) throws -> (hex: String, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw EvidenceError(.io, "cannot open '\(path)'") }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        var hasher = SHA256()
        withUnsafeBytes(of: size.littleEndian) { hasher.update(bufferPointer: $0) }
        if size <= UInt64(blockSize * blockCount) {
            try handle.seek(toOffset: 0)
            if let data = try handle.readToEnd() { hasher.update(data: data) }
        } else {
            let lastStart = size - UInt64(blockSize)
            for index in 0..<blockCount {
                try handle.seek(toOffset: lastStart * UInt64(index) / UInt64(blockCount - 1))
                if let data = try handle.read(upToCount: blockSize) { hasher.update(data: data) }
            }
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), Int64(size))
    }
}
