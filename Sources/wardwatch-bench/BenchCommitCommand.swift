import ArgumentParser
import Catalog
import CatalogPostgres
import CatalogSQLite
import CommandLineSupport
import Foundation

/// `wardwatch bench commit`: what the catalog adds per recording — claim, commit, alerts — on SQLite and PostgreSQL.
struct BenchCommitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Measure the catalog's per-file work (note, claim, commit with events and alerts) on SQLite and PostgreSQL.",
        discussion: """
            For each of --files synthetic recordings with --events events each: note the file pending, claim it, and \
            commit the recording, its events, one alert per event and the claim's completion in one transaction — \
            what the daemon asks of the catalog per file, without decoding. SQLite runs on a new file in a temporary \
            folder; with --postgres, the same on that (empty) PostgreSQL database.
            """)

    @Option(help: "Recordings to commit.") var files: Int = 300
    @Option(help: "Events per recording.") var events: Int = 8
    @Option(help: ArgumentHelp("Also measure on this empty PostgreSQL database.", valueName: "url")) var postgres: String?

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-bench-commit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var rows: [[String]] = []
        let sqlite = try SQLiteCatalog(path: folder.appendingPathComponent("bench.sqlite").path)
        rows.append(try await measure("sqlite", sqlite))
        if let postgres {
            var settings = try PostgresSettings(url: postgres)
            settings.registersNode = true
            let catalog = try await PostgresCatalog.open(settings)
            do { rows.append(try await measure("postgresql", catalog)) } catch {
                await catalog.close()
                throw error
            }
            try? await catalog.leave()
            await catalog.close()
        }
        print(renderTable(header: ["ENGINE", "FILES", "EVENTS/FILE", "p50 per file", "p99 per file", "files/s (one worker)"], rows: rows))
    }

    func measure(_ engine: String, _ store: any CatalogStore) async throws -> [String] {
        let base = Date(timeIntervalSince1970: 1_720_600_200)
        var times: [Double] = []
        let started = ContinuousClock.now
        for index in 0..<files {
            let path = "/bench/\(engine)/CAM01_\(index).mp4"
            let start = base.addingTimeInterval(Double(index) * 600)
            let recording = NewRecording(fingerprint: "\(engine)-\(index)", path: path, camera: "CAM0\(index % 5)", start: start,
                                         startSource: .fileName, durationSeconds: 600, codec: "h264", width: 1920, height: 1080,
                                         frameRate: 25, frameCount: 15000, sizeBytes: 1)
            let newEvents = (0..<events).map { event in
                let offset = Double(event * 70 + 5)
                return NewMotionEvent(start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + 9),
                                      offsetSeconds: offset, clipStart: start.addingTimeInterval(offset - 2),
                                      clipEnd: start.addingTimeInterval(offset + 11), peakTime: start.addingTimeInterval(offset + 3),
                                      peakScore: 0.5, meanScore: 0.3, area: 0.02,
                                      boundingBox: NormalizedBox(x: 0.1, y: 0.1, width: 0.2, height: 0.2), still: "s/\(index)-\(event).jpg")
            }
            let clock = ContinuousClock.now
            try await store.notePending(path: path, camera: recording.camera, sizeBytes: 1, modified: start)
            _ = try await store.markIndexing(path: path)
            _ = try await store.commitIndexed(recording, events: newEvents, options: CommitOptions(
                source: path, mergeGapSeconds: 2,
                alerts: { [NewAlert(alertID: "bench/\($0.id)", rule: "bench", log: "/dev/null", line: "{\"event\":\($0.id)}")] }))
            let elapsed = ContinuousClock.now - clock
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        let total = ContinuousClock.now - started
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        times.sort()
        return [engine, String(files), String(events), fixed(times[times.count / 2], digits: 2) + " ms",
                fixed(times[min(times.count - 1, Int(Double(times.count) * 0.99))], digits: 2) + " ms",
                fixed(Double(files) / seconds, digits: 0)]
    }
}
