import Foundation
import TestSupport

/// `wardwatch serve` as a process on a free loopback port, for the tests that need the real binary.
/// Its `listening on` line gives the address; the process is stopped when the value goes away.
final class ServeProcess {
    let process = Process()
    /// `http://127.0.0.1:PORT`.
    private(set) var base = ""

    /// Starts `wardwatch serve` with `arguments` (`--port 0` is added) and waits up to `seconds` for it to listen.
    init(_ arguments: [String], folder: TemporaryDirectory, directory: URL? = nil, seconds: Double = 60) async throws {
        process.executableURL = URL(fileURLWithPath: Subprocess.wardwatchBinary)
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        let output = folder.path("serve.out")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: output)
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                base = String(line.dropFirst(13))
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw ServeProcessError(message: "wardwatch serve did not report its address within \(seconds) s")
    }

    deinit { if process.isRunning { process.terminate() } }
}

struct ServeProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
