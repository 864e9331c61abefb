import Foundation
import MediaIO
import TestSupport
import Testing

/// `wardwatch export` of events found on a sub-stream: the clip comes from the 1080p main stream,
/// packet for packet, or from the sub-stream when the main file is gone, and the bundle says which.
@Suite("Evidence from a camera's main stream", .serialized)
struct StreamExportTests {
    struct Ward {
        let folder = TemporaryDirectory("wardwatch-streams")
        var catalog: String { folder.path("ward.sqlite") }
        var key: String { folder.path("ward.key") }
        var main: String { folder.path("main/CAM1_20240710_083000.mp4") }
        var sub: String { folder.path("sub/CAM1_20240710_083000.mp4") }

        init() throws {
            for stream in ["main", "sub"] {
                try FileManager.default.createDirectory(atPath: folder.path(stream), withIntermediateDirectories: true)
                try FileManager.default.copyItem(
                    atPath: SampleRecordings.streams.appendingPathComponent("\(stream)/CAM1_20240710_083000.mp4").path,
                    toPath: folder.path("\(stream)/CAM1_20240710_083000.mp4"))
            }
            let generated = try run(["keys", "generate", "--key-file", key])
            try #require(generated.status == 0, "keys generate: \(generated.standardError)")
        }

        func run(_ arguments: [String]) throws -> Subprocess.Result {
            try Subprocess.wardwatch(arguments, directory: folder.url)
        }

        func index(_ stream: String, _ path: String) throws {
            let result = try run(["index", "--camera", "CAM1", "--catalog", catalog, "--stream", stream, path])
            try #require(result.status == 0, "index --stream \(stream): \(result.standardError)")
        }

        func search() throws -> [[String: Any]] {
            let result = try run(["search", "--catalog", catalog, "--camera", "CAM1", "--format", "json"])
            try #require(result.status == 0, "search: \(result.standardError)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            return try #require(object["events"] as? [[String: Any]])
        }

        /// Exports event `id`; returns the bundle folder and its metadata.
        func export(_ id: Int) throws -> (String, [String: Any]) {
            let out = folder.path("bundle-\(UUID().uuidString)")
            let result = try run(["export", "--catalog", catalog, "--key-file", key, "--case", "CASE-S", "--reason", "test",
                                  "--out", out, "--event", String(id)])
            try #require(result.status == 0, "export: \(result.standardError)")
            let data = try Data(contentsOf: URL(fileURLWithPath: (out as NSString).appendingPathComponent("metadata.json")))
            return (out, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
        }
    }

    /// The item's clip path, its source_stream, and its one event's source_stream.
    func clip(_ metadata: [String: Any], in bundle: String) throws -> (path: String, stream: String?, event: String?) {
        let items = try #require(metadata["items"] as? [[String: Any]])
        let clip = try #require(items.first?["clip"] as? [String: Any])
        let events = try #require(items.first?["events"] as? [[String: Any]])
        let path = try #require(clip["path"] as? String)
        return ((bundle as NSString).appendingPathComponent(path), clip["source_stream"] as? String,
                events.first?["source_stream"] as? String)
    }

    @Test("sub-stream events export a 1920x1080 clip byte-identical to the main file; without it, the sub-stream's, and the bundle says so")
    func exportFromMainThenSub() throws {
        let ward = try Ward()
        defer { ward.folder.remove() }
        try ward.index("sub", ward.sub)
        let beforeMain = try ward.search()
        #expect(!beforeMain.isEmpty && beforeMain.allSatisfy { $0["source_stream"] as? String == "sub" })
        try ward.index("main", ward.main)
        let hits = try ward.search()
        #expect(hits.count == beforeMain.count && hits.allSatisfy { $0["source_stream"] as? String == "main" })
        let id = try #require(hits.first?["id"] as? Int)

        let (bundle, metadata) = try ward.export(id)
        let fromMain = try clip(metadata, in: bundle)
        #expect(fromMain.stream == "main" && fromMain.event == "main")
        let info = try MediaProbe.probe(path: fromMain.path)
        #expect(info.video.width == 1920 && info.video.height == 1080)
        // Stream copy: the clip's packets are a run of the main file's packets, byte for byte.
        let clipPackets = try PacketReader.videoPackets(path: fromMain.path).map(\.sha256)
        let mainPackets = try PacketReader.videoPackets(path: ward.main).map(\.sha256)
        let firstClipPacket = try #require(clipPackets.first)
        let first = try #require(mainPackets.firstIndex(of: firstClipPacket))
        #expect(Array(mainPackets[first..<min(mainPackets.count, first + clipPackets.count)]) == clipPackets)
        let verified = try ward.run(["verify", bundle])
        #expect(verified.status == 0, "\(verified.standardError)")

        try FileManager.default.removeItem(atPath: ward.main)
        let (fallbackBundle, fallback) = try ward.export(id)
        let fromSub = try clip(fallback, in: fallbackBundle)
        #expect(fromSub.stream == "sub" && fromSub.event == "sub")
        let subInfo = try MediaProbe.probe(path: fromSub.path)
        #expect(subInfo.video.width == 640 && subInfo.video.height == 360)
        let subPackets = try PacketReader.videoPackets(path: ward.sub).map(\.sha256)
        let fallbackPackets = try PacketReader.videoPackets(path: fromSub.path).map(\.sha256)
        let firstFallbackPacket = try #require(fallbackPackets.first)
        let start = try #require(subPackets.firstIndex(of: firstFallbackPacket))
        #expect(Array(subPackets[start..<min(subPackets.count, start + fallbackPackets.count)]) == fallbackPackets)
        let items = try #require(fallback["items"] as? [[String: Any]])
        let sources = try #require(items.first?["sources"] as? [[String: Any]])
        #expect(sources.allSatisfy { ($0["path"] as? String)?.contains("/sub/") == true }, "\(sources)")
    }
}
