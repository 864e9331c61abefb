import Crypto
import Foundation
import TestSupport
import Testing

/// A ward for end-to-end evidence tests: sample recordings copied into their own folder (so that
/// nothing can ever be written next to the shared samples), indexed into a temporary catalog with
/// the built binary, and a signing key.
struct EvidenceWard: Sendable {
    let folder: TemporaryDirectory
    var recordings: String { folder.path("recordings") }
    var catalog: String { folder.path("ward.sqlite") }
    var key: String { folder.path("ward.key") }

    /// Copies `samples` (name in the samples folder → name in the ward) and indexes them as `camera`.
    init(camera: String = "CAM01", samples: [(String, String)]) throws {
        try self.init(camera: camera, copies: samples.map { (SampleRecordings.url($0.0).path, $0.1) })
    }

    /// Copies files (path → name in the ward) and indexes them as `camera`, in the given order.
    init(camera: String, copies: [(String, String)]) throws {
        folder = TemporaryDirectory("wardwatch-evidence")
        try FileManager.default.createDirectory(atPath: folder.path("recordings"), withIntermediateDirectories: true)
        var paths: [String] = []
        for (source, name) in copies {
            let path = (folder.path("recordings") as NSString).appendingPathComponent(name)
            try FileManager.default.copyItem(atPath: source, toPath: path)
            paths.append(path)
        }
        let generated = try run(["keys", "generate", "--key-file", key])
        try #require(generated.status == 0, "keys generate: \(generated.standardError)")
        let indexed = try run(["index", "--camera", camera, "--catalog", catalog] + paths)
        try #require(indexed.status == 0, "index: \(indexed.standardError)")
    }

    /// Runs the built binary in the ward's folder.
    func run(_ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.wardwatch(arguments, directory: folder.url)
    }

    /// `wardwatch export` with the ward's catalog and key.
    func export(_ arguments: [String], case caseID: String = "CASE-7", out: String) throws -> Subprocess.Result {
        try run(["export", "--catalog", catalog, "--key-file", key, "--case", caseID, "--reason", "request 42/CAT",
                 "--out", out] + arguments)
    }

    /// The catalog's events as `events --format json` prints them.
    func events() throws -> [[String: Any]] {
        let listed = try run(["events", "--catalog", catalog, "--format", "json"])
        try #require(listed.status == 0, "events: \(listed.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]])
    }

    /// SHA-256 of every file in the recordings folder, by name.
    func recordingHashes() throws -> [String: String] {
        var hashes: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: recordings) {
            hashes[name] = try sha256Hex(of: (recordings as NSString).appendingPathComponent(name))
        }
        return hashes
    }

    func remove() { folder.remove() }
}

/// Every regular file under `root`, relative, sorted.
func bundleFiles(_ root: String) throws -> [String] {
    let enumerator = try #require(FileManager.default.enumerator(atPath: root))
    var files: [String] = []
    while let path = enumerator.nextObject() as? String {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(path), isDirectory: &isFolder),
           !isFolder.boolValue { files.append(path) }
    }
    return files.sorted()
}

/// SHA-256 of a whole file, computed here with swift-crypto rather than by the code under test.
func sha256Hex(of path: String) throws -> String {
    SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
}
