import Catalog
import Foundation
import MediaIO
import Testing
import TestSupport

@Suite("Clips over HTTP, cut by stream copy")
struct ClipEndpointTests {
    /// A live loopback server (clips are files sent with byte ranges) whose recordings are the real
    /// 60 s 1080p sample.
    func withServer(_ body: @Sendable (TestServer, Fixture.Tokens) async throws -> Void) async throws {
        let sample = SampleRecordings.url("street_1080p_h264.mp4").path
        let (folder, catalog, tokens) = try await Fixture.catalog(recordingPath: { _ in sample }, durationSeconds: 60)
        try await TestServer.run(catalog: catalog, folder: folder, .live) { server in try await body(server, tokens) }
    }

    @Test("an investigator plays an event's clip_url: an MP4 starting on a keyframe at most one GOP early; ranges work")
    func playsClip() async throws {
        try await withServer { server, tokens in
            let search = try await server.get("/api/v1/events?camera=CAM01&limit=3", token: tokens.investigator)
            let event = try #require(search.events.last)
            let clipURL = try #require((event["playback"] as? [String: Any])?["clip_url"] as? String)
            let clip = try await server.get(clipURL, token: tokens.investigator)
            #expect(clip.status == 200 && clip.headers["content-type"] == "video/mp4")
            #expect(clip.headers["accept-ranges"] == "bytes")
            let lead = try #require(Double(clip.headers["x-clip-lead-seconds"] ?? ""))
            #expect(lead >= 0 && lead <= 2.0) // the sample has a keyframe every 2 s

            let file = server.folder.path("played.mp4")
            try clip.body.write(to: URL(fileURLWithPath: file))
            let packets = try PacketReader.videoPackets(path: file)
            #expect(packets.first?.isKeyframe == true)
            let requested = try #require(clipURL.split(separator: "?").last.map { query in
                Dictionary(uniqueKeysWithValues: query.split(separator: "&").map { pair in
                    let parts = pair.split(separator: "=")
                    return (String(parts[0]), Double(parts[1]) ?? -1)
                })
            })
            let length = try #require(requested["to"]) - (try #require(requested["from"]))
            let covered = (packets.last?.time ?? 0) - (packets.first?.time ?? 0)
            #expect(covered >= length - 0.1 && covered <= length + lead + 0.5, "clip covers \(covered) s for \(length) s asked")

            let part = try await server.get(clipURL, token: tokens.investigator, headers: ["Range": "bytes=0-99"])
            #expect(part.status == 206 && part.body == clip.body.prefix(100))
            #expect(part.headers["content-range"] == "bytes 0-99/\(clip.body.count)")
            #expect(part.headers["x-clip-lead-seconds"] == clip.headers["x-clip-lead-seconds"]) // a cache hit knows its start
            let tail = try await server.get(clipURL, token: tokens.investigator, headers: ["Range": "bytes=-10"])
            #expect(tail.status == 206 && tail.body == clip.body.suffix(10))

            let past = try await server.get(clipURL, token: tokens.investigator, headers: ["Range": "bytes=999999999-"])
            #expect(past.status == 416 && past.headers["content-range"] == "bytes */\(clip.body.count)")

            let actions = try await server.catalog.auditEntries(actor: "chi", action: "clip", from: nil, to: nil)
            #expect(actions.count == 4 && actions.allSatisfy { $0.client == "127.0.0.1" || $0.client == "::1" })
        }
    }

    @Test("the cache sweep removes only clips it made, even when pointed at a folder of footage")
    func sweepKeepsOtherFiles() async throws {
        try await withServer { server, tokens in
            let clips = server.folder.path("clips")
            try FileManager.default.createDirectory(atPath: clips, withIntermediateDirectories: true)
            let footage = (clips as NSString).appendingPathComponent("CAM01_20240710_153000.mp4")
            try Data("not ours".utf8).write(to: URL(fileURLWithPath: footage))
            let old = Date().addingTimeInterval(-7200)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: footage)
            let first = try await server.get("/api/v1/recordings/1/clip?from=1&to=3", token: tokens.investigator)
            let made = try FileManager.default.contentsOfDirectory(atPath: clips).filter { $0.hasPrefix("wwclip-") && $0.hasSuffix(".mp4") }
            #expect(first.status == 200 && made.count == 1)
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: (clips as NSString).appendingPathComponent(made[0]))
            #expect(try await server.get("/api/v1/recordings/1/clip?from=4&to=6", token: tokens.investigator).status == 200)
            #expect(FileManager.default.fileExists(atPath: footage))
            #expect(!FileManager.default.fileExists(atPath: (clips as NSString).appendingPathComponent(made[0])))
        }
    }

    @Test("clips need the investigator role and a valid range inside the recording")
    func refusals() async throws {
        try await withServer { server, tokens in
            let viewer = try await server.get("/api/v1/recordings/1/clip?from=1&to=5", token: tokens.viewer)
            #expect(viewer.status == 403)
            #expect(try await server.get("/api/v1/recordings/1/clip?from=1&to=5", token: nil).status == 401)
            #expect(try await server.get("/api/v1/recordings/77/clip?from=1&to=5", token: tokens.investigator).status == 404)
            for (query, field) in [("to=5", "from"), ("from=5&to=2", "to"), ("from=90&to=95", "from"), ("from=soon&to=5", "from"),
                                   ("from=1&to=5&speed=2", "speed")] {
                let reply = try await server.get("/api/v1/recordings/1/clip?\(query)", token: tokens.investigator)
                #expect(reply.status == 400 && reply.errorField == field, "\(query): \(String(decoding: reply.body, as: UTF8.self))")
            }
            // ISO 8601 times work as well as offsets (recording 1 starts 2024-07-10T15:30:00+07:00).
            let timed = try await server.get("/api/v1/recordings/1/clip?from=\(encoded("2024-07-10 15:30:10"))&to=\(encoded("2024-07-10T08:30:14Z"))",
                                             token: tokens.investigator)
            #expect(timed.status == 200 && !timed.body.isEmpty)
            #expect(try await server.catalog.auditEntries(actor: "an", action: "clip.denied", from: nil, to: nil).count == 1)

            let validator = try OpenAPIValidator()
            for reply in [viewer, timed] {
                let problems = try validator.problems(path: "/api/v1/recordings/{id}/clip", status: reply.status,
                                                      contentType: reply.headers["content-type"] ?? "", body: reply.body)
                #expect(problems.isEmpty, "\(problems)")
            }
        }
    }
}
