import Crypto
import Foundation
import MediaIO

/// Identifies a recording by its content, so a second run or a renamed copy adds no duplicate.
///
/// SHA-256 over the file size and up to 16 blocks of 64 KiB spread evenly over the file (the first
/// and last included), which reads about 1 MiB whatever the file size. Files under 1 MiB are
/// hashed whole.
public enum RecordingFingerprint {
    static let blockSize = 64 * 1024
    static let blockCount = 16

    public struct Result: Sendable, Equatable {
        public var hex: String
        public var sizeBytes: Int64
    }

    public static func compute(path: String) throws(IngestError) -> Result {
        // Opening a FIFO blocks until a writer comes, and /dev/zero never ends: refuse both before opening.
        do { try RegularFile.check(path) } catch { throw IngestError(.unreadable, path: path, reason: error.reason) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw IngestError(.unreadable, path: path, reason: exists ? "permission denied" : "file not found")
        }
        defer { try? handle.close() }
        do {
            let size = try handle.seekToEnd()
            var hasher = SHA256()
            withUnsafeBytes(of: size.littleEndian) { hasher.update(bufferPointer: $0) }
            let total = UInt64(blockSize * blockCount)
            if size <= total {
                try handle.seek(toOffset: 0)
                if let data = try handle.readToEnd() { hasher.update(data: data) }
            } else {
                let lastStart = size - UInt64(blockSize)
                for index in 0..<blockCount {
                    let offset = lastStart * UInt64(index) / UInt64(blockCount - 1)
                    try handle.seek(toOffset: offset)
                    if let data = try handle.read(upToCount: blockSize) { hasher.update(data: data) }
                }
            }
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            return Result(hex: digest, sizeBytes: Int64(size))
        } catch {
            throw IngestError(.unreadable, path: path, reason: "cannot read: \(error.localizedDescription)")
        }
    }
}
