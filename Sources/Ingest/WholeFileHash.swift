import Crypto
import Foundation
import Synchronization

/// The SHA-256 of a whole recording, computed on a thread of its own while the decoder reads the same
/// file, so that indexing stores it at little extra wall time: the bytes come from the page cache the
/// decoder fills (or fill it for the decoder), and hashing (~1 GB/s) is far faster than decoding.
/// Evidence export compares it with the file it is about to sign.
final class WholeFileHash: @unchecked Sendable {
    private let path: String
    private let done = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)
    // Written by the hashing thread before `done` is signalled, read after waiting on it.
    private var result: Result<(sha256: String, size: Int64), IngestError> = .failure(IngestError(.unreadable, path: "", reason: ""))

    /// Starts hashing `path`.
    init(path: String) {
        self.path = path
        let thread = Thread { [self] in
            result = Self.hash(path, cancelled: cancelled)
            done.signal()
        }
        thread.name = "wardwatch.hash"
        thread.start()
    }

    /// Waits for the hash. `expectedSize` is the size the fingerprint saw: a file that changed size
    /// while it was indexed is refused (the daemon tries it again once it has settled).
    func wait(expectedSize: Int64) throws(IngestError) -> String {
        done.wait()
        let (sha256, size) = try result.get()
        guard size == expectedSize else {
            throw IngestError(.unreadable, path: path, reason: "changed while it was indexed (\(expectedSize) bytes, then \(size))")
        }
        return sha256
    }

    /// Stops hashing (the decode failed or was stopped) and waits for the thread.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
        done.wait()
    }

    private static func hash(_ path: String, cancelled: borrowing Atomic<Bool>) -> Result<(sha256: String, size: Int64), IngestError> {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(IngestError(.unreadable, path: path, reason: "cannot open it to hash it"))
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            while !cancelled.load(ordering: .relaxed), let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            return .failure(IngestError(.unreadable, path: path, reason: "cannot read it to hash it: \(error.localizedDescription)"))
        }
        return .success((hasher.finalize().map { String(format: "%02x", $0) }.joined(), size))
    }
}
