import Foundation

/// Runs a program to completion and collects its output: how tests drive the built binary.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    public static func run(_ executable: String, _ arguments: [String], directory: URL? = nil,
                           environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        let errorData = LockedData()
        let reader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Result(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData.value, as: UTF8.self))
    }

    /// The built `wardwatch` executable, next to the test bundle.
    public static var wardwatchBinary: String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test runner is `<products>/WardWatchPackageTests.xctest`; `swift test` may also
        // run it through a helper, so fall back to the package's debug folder.
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("wardwatch").path) {
            folder = SampleRecordings.packageRoot.appendingPathComponent(".build/debug")
        }
        return folder.appendingPathComponent("wardwatch").path
    }

    /// Runs `wardwatch` with `arguments`, with a clean environment (no config or catalog variables).
    public static func wardwatch(_ arguments: [String], directory: URL? = nil) throws -> Result {
        try run(wardwatchBinary, arguments, directory: directory, environment: cleanEnvironment)
    }

    /// Runs the `wardwatch-bench` executable (built beside `wardwatch`) with `arguments`.
    public static func wardwatchBench(_ arguments: [String], directory: URL? = nil) throws -> Result {
        let binary = (wardwatchBinary as NSString).deletingLastPathComponent + "/wardwatch-bench"
        return try run(binary, arguments, directory: directory, environment: cleanEnvironment)
    }

    private static var cleanEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["WARDWATCH_CONFIG"] = nil
        environment["WARDWATCH_CATALOG"] = nil
        return environment
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func set(_ value: Data) { lock.withLock { data = value; done = true } }
    var isSet: Bool { lock.withLock { done } }
    var value: Data { lock.withLock { data } }
}
