import Foundation
import MediaIO
import Testing

/// Issue 15, defect 6: a FIFO or a device must not hang probing or decoding.
@Suite("Non-regular files")
struct NonRegularFileTests {
    @Test("probe and decode refuse a FIFO and /dev/zero at once", .timeLimit(.minutes(1)), arguments: ["fifo", "/dev/zero"])
    func refused(kind: String) throws {
        var path = kind
        if kind == "fifo" {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString).mp4").path
            #expect(mkfifo(path, 0o600) == 0)
        }
        defer { if kind == "fifo" { unlink(path) } }
        let clock = ContinuousClock.now
        do {
            _ = try MediaProbe.probe(path: path)
            Issue.record("probed \(path)")
        } catch {
            #expect(error.reason.hasPrefix("not a regular file"), "\(error)")
        }
        do {
            _ = try VideoDecoder(path: path)
            Issue.record("opened \(path)")
        } catch {
            #expect(error.reason.hasPrefix("not a regular file"), "\(error)")
        }
        #expect(ContinuousClock.now - clock < .seconds(5))
    }
}
