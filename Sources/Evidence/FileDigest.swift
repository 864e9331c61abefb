import Crypto
import Foundation

/// SHA-256 of whole files, read in chunks so that an hour of footage never sits in memory.
public enum FileDigest {
    /// The file's size and SHA-256 (64 lower-case hex digits).
    /// - Throws: `EvidenceError` (`.io`) naming the file when it cannot be read.
    public static func sha256(ofFile path: String) throws(EvidenceError) -> (size: Int64, sha256: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EvidenceError(.io, "cannot read '\(path)'", cause: FileManager.default.fileExists(atPath: path)
                ? "permission denied" : "file not found")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            throw EvidenceError(.io, "cannot read '\(path)'", error: error)
        }
        return (size, hex(hasher.finalize()))
    }

    /// SHA-256 of bytes in memory, as hex.
    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
