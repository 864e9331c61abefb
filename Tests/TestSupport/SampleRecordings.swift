import Foundation

/// The generated sample recordings and their ground truth (Samples/generate.sh).
///
/// Generated once per machine into `.build/samples` (the script skips work when its stamp
/// matches), or read from `$WARDWATCH_SAMPLES` when the test script generated them already.
public enum SampleRecordings {
    /// The package's root folder.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the samples; generates them on first use.
    public static let directory: URL = {
        let environment = ProcessInfo.processInfo.environment
        let folder = environment["WARDWATCH_SAMPLES"].map { URL(fileURLWithPath: $0) }
            ?? packageRoot.appendingPathComponent(".build/samples")
        let script = packageRoot.appendingPathComponent("Samples/generate.sh").path
        let result = try? Subprocess.run("/bin/bash", [script, folder.path])
        precondition(result?.status == 0, "Samples/generate.sh failed: \(result?.standardError ?? "did not run")")
        return folder
    }()

    public static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Two-stream camera recordings made from the 1080p sample (Samples/generate-streams.sh): a 1080p
    /// main stream, its 640x360 512 kbit/s sub-stream, one starting 0.7 s late, and a 12-camera ward.
    public static let streams: URL = {
        let folder = directory.appendingPathComponent("streams")
        let script = packageRoot.appendingPathComponent("Samples/generate-streams.sh").path
        let result = try? Subprocess.run("/bin/bash", [script, directory.path, folder.path])
        precondition(result?.status == 0, "Samples/generate-streams.sh failed: \(result?.standardError ?? "did not run")")
        return folder
    }()

    /// One sample's ground truth.
    public struct Truth: Decodable, Sendable {
        public var width: Int?
        public var height: Int?
        public var fps: Double?
        public var duration_s: Double?
        public var codec: String?
        public var start: String?
        public var motion: [[Double]]?
        public var video: Bool?
    }

    public static let truth: [String: Truth] = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("truth.json"))
        return try! JSONDecoder().decode([String: Truth].self, from: data)
    }()

    /// Names of the samples that have video (every detection test runs over these).
    public static var videoSamples: [String] {
        truth.filter { $0.value.video != false }.keys.sorted()
    }

    /// The peer clips from DVR-Scan in `../shared/external/dvr-scan`, when present (never copied here).
    public static let dvrScanDirectory: URL? = {
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/external/dvr-scan")
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("traffic_camera.mp4").path) ? folder : nil
    }()
}

/// A fresh folder under the system temp folder, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ label: String = "wardwatch-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Matching detected intervals against ground truth: a detection matches a truth interval when
/// they overlap, or when both boundaries are within `tolerance` seconds.
public enum IntervalMatching {
    public static func matches(_ detected: (Double, Double), _ truth: (Double, Double), tolerance: Double = 1) -> Bool {
        let overlap = detected.0 < truth.1 && detected.1 > truth.0
        let close = abs(detected.0 - truth.0) <= tolerance && abs(detected.1 - truth.1) <= tolerance
        return overlap || close
    }

    /// Recall (truth intervals found) and precision (detections that match some truth interval).
    public static func score(detected: [(Double, Double)], truth: [(Double, Double)]) -> (recall: Double, precision: Double) {
        let found = truth.filter { t in detected.contains { matches($0, t) } }.count
        let correct = detected.filter { d in truth.contains { matches(d, $0) } }.count
        let recall = truth.isEmpty ? 1 : Double(found) / Double(truth.count)
        let precision = detected.isEmpty ? 1 : Double(correct) / Double(detected.count)
        return (recall, precision)
    }
}
