import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import ZIPFoundation

/// `wardwatch export` and `POST /api/v1/exports` are one workflow: for a camera whose clock runs in
/// another zone than the ward's, both bundles give every event and clip the same UTC and local times.
@Suite("Export parity: command line and HTTP")
struct ExportParityTests {
    @Test("the same events exported by the built binary and over HTTP agree on every time in metadata.json")
    func sameTimes() async throws {
        let folder = TemporaryDirectory("wardwatch-parity")
        defer { folder.remove() }
        // The ward is in Hồ Chí Minh City (+07:00); camera CAM09's clock is set to Tokyo (+09:00).
        let config = folder.path("wardwatch.yaml")
        try """
            catalog: \(folder.path("ward.sqlite"))
            time_zone: Asia/Ho_Chi_Minh
            cameras:
              - id: CAM09
                name: Số 9 Lê Lợi
                ward: Phường Bến Thành
                street: số 9 Lê Lợi
                latitude: 10.7730
                longitude: 106.7000
                time_zone: Asia/Tokyo
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let key = folder.path("ward.key")
        func run(_ arguments: [String]) throws -> Subprocess.Result {
            let result = try Subprocess.wardwatch(arguments + ["--config", config], directory: folder.url)
            try #require(result.status == 0, "\(arguments.first ?? ""): \(result.standardError)")
            return result
        }
        _ = try run(["keys", "generate", "--key-file", key])
        _ = try run(["index", "--camera", "CAM09", SampleRecordings.url("street_1080p_h264.mp4").path])
        let listed = try run(["events", "--format", "json"])
        let ids = try #require(try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]])
            .compactMap { $0["id"] as? Int }
        try #require(ids.count >= 2, "the sample has several events")

        // The command line.
        let cliBundle = folder.path("cli.zip")
        _ = try run(["export", "--event"] + ids.map(String.init)
            + ["--case", "CA-9", "--reason", "request 9", "--out", cliBundle, "--key-file", key])

        // HTTP, from `wardwatch serve` with the same configuration.
        let added = try run(["users", "add", "chi", "--role", "investigator"])
        let token = try #require(added.standardOutput.split(separator: "\n").first { $0.hasPrefix("ww_") }.map(String.init))
        let server = try await ServeProcess(
            ["--config", config, "--key-file", key, "--export-dir", folder.path("exports")], folder: folder, directory: folder.url,
            seconds: 60)
        let process = server.process
        let base = server.base
        var post = URLRequest(url: URL(string: base + "/api/v1/exports")!)
        post.httpMethod = "POST"
        post.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        post.setValue("application/json", forHTTPHeaderField: "Content-Type")
        post.httpBody = try JSONSerialization.data(withJSONObject: ["events": ids, "case_id": "CA-9", "reason": "request 9"])
        let (created, createdResponse) = try await URLSession.shared.data(for: post)
        try #require((createdResponse as? HTTPURLResponse)?.statusCode == 201, "\(String(decoding: created, as: UTF8.self))")
        let url = try #require((try JSONSerialization.jsonObject(with: created) as? [String: Any])?["download_url"] as? String)
        var get = URLRequest(url: URL(string: base + url)!)
        get.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let (zip, zipResponse) = try await URLSession.shared.data(for: get)
        try #require((zipResponse as? HTTPURLResponse)?.statusCode == 200)
        let httpBundle = folder.path("http.zip")
        try zip.write(to: URL(fileURLWithPath: httpBundle))
        process.terminate()
        process.waitUntilExit()

        let cli = try Self.times(in: try Self.metadata(cliBundle))
        let http = try Self.times(in: try Self.metadata(httpBundle))
        // Every event start, end and peak and every clip time, in UTC and local, plus each item's zone.
        #expect(cli.count >= ids.count * 6)
        #expect(cli == http)
        let locals = cli.filter { $0.key.hasSuffix(".local") }
        #expect(!locals.isEmpty && locals.allSatisfy { $0.value.hasSuffix("+09:00") }, "\(locals)")
        #expect(cli.filter { $0.key.hasSuffix("time_zone") }.allSatisfy { $0.value == "Asia/Tokyo" })
    }

    /// metadata.json of a zipped bundle.
    static func metadata(_ path: String) throws -> [String: Any] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        let entry = try #require(archive.first { $0.path.hasSuffix("/metadata.json") || $0.path == "metadata.json" })
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every time (`utc` and `local`) and zone under the bundle's items, by its path in the document.
    static func times(in metadata: [String: Any]) throws -> [String: String] {
        var found: [String: String] = [:]
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    if ["utc", "local", "time_zone"].contains(key), let text = child as? String { found[path + "." + key] = text }
                    walk(child, path + "." + key)
                }
            } else if let array = value as? [Any] {
                for (index, child) in array.enumerated() { walk(child, path + "[\(index)]") }
            }
        }
        walk(try #require(metadata["items"]), "items")
        return found
    }
}
