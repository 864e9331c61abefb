import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Evidence
import Foundation
import Ingest

/// Evidence export throughput next to a plain copy of the same bytes, measured in one run.
struct BenchExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Measure evidence export (stream-copy clip, hashes, signature, report) against a plain copy.",
        discussion: """
            Indexes FILE into a temporary catalog (not timed), then, alternately: exports the whole \
            recording as one camera period to a bundle folder, and copies the file with read/write. \
            Prints the medians in MB/s of source footage and times realtime.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A recording to export.")
    var file: String

    @Option(help: "Runs of each measurement; the median is reported.")
    var `repeat` = 5

    func validate() throws {
        if !(1...1000).contains(`repeat`) { throw ValidationError("--repeat must be from 1 to 1000") }
    }

    func run() async throws {
        let logger = global.prepareLogging()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wardwatch-bench-export-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let catalog = try SQLiteCatalog(path: (scratch as NSString).appendingPathComponent("bench.sqlite"))
        let indexer = RecordingIndexer(store: catalog, stillsDirectory: catalog.stillsDirectory,
                                       settings: try global.loadConfiguration().indexing, logger: logger)
        let recording: Recording
        switch try await indexer.index(path: file, camera: "BENCH") {
        case let .indexed(indexed, _, _): recording = indexed
        case let .alreadyIndexed(indexed): recording = indexed
        }
        let key = try EvidenceSigningKey.generate(at: (scratch as NSString).appendingPathComponent("bench.key"))
        let exporter = EvidenceExporter(store: catalog, stillsDirectory: catalog.stillsDirectory, signingKey: key)
        let bytes = Double(recording.sizeBytes)

        var exportSeconds: [Double] = [], copySeconds: [Double] = [], bundleBytes: Int64 = 0
        for run in 0..<`repeat` {
            let out = (scratch as NSString).appendingPathComponent("bundle-\(run)")
            let request = ExportRequest(
                selection: .cameraPeriod(camera: "BENCH", from: recording.start, to: recording.end), caseID: "BENCH-\(run)",
                reason: "benchmark", actor: "bench", outputPath: out, preRollSeconds: 0, postRollSeconds: 0,
                wardwatchVersion: wardwatchVersion)
            var started = Date()
            let result = try await exporter.export(request)
            exportSeconds.append(Date().timeIntervalSince(started))
            bundleBytes = result.files.reduce(0) { $0 + $1.size }
            try FileManager.default.removeItem(atPath: out)

            let copy = (scratch as NSString).appendingPathComponent("copy-\(run)")
            started = Date()
            try Self.copy(file, to: copy)
            copySeconds.append(Date().timeIntervalSince(started))
            try FileManager.default.removeItem(atPath: copy)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let export = median(exportSeconds), plain = median(copySeconds)
        print("file: \((file as NSString).lastPathComponent) (\(recording.codec) \(recording.width)x\(recording.height), "
              + "\(fixed(recording.durationSeconds, digits: 1)) s, \(fixed(bytes / 1e6, digits: 1)) MB); median of \(`repeat`) runs")
        print(renderTable(
            header: ["MEASUREMENT", "WALL", "MB/s", "x REALTIME", "vs COPY"],
            rows: [
                ["plain copy (read + write + fsync)", fixed(plain * 1000, digits: 1) + " ms", fixed(bytes / 1e6 / plain, digits: 0),
                 fixed(recording.durationSeconds / plain, digits: 0) + "x", "1.00"],
                ["export (clip, stills, hashes, signature, report)", fixed(export * 1000, digits: 1) + " ms",
                 fixed(bytes / 1e6 / export, digits: 0), fixed(recording.durationSeconds / export, digits: 0) + "x",
                 fixed(plain / export, digits: 2)],
            ]))
        print("bundle: \(fixed(Double(bundleBytes) / 1e6, digits: 1)) MB in all")
    }

    /// A plain copy in 1 MiB blocks, synced like the bundle's files, as the reference.
    static func copy(_ source: String, to destination: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw ValidationError("cannot read '\(source)'") }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: destination, contents: nil),
              let output = FileHandle(forWritingAtPath: destination) else { throw ValidationError("cannot write '\(destination)'") }
        defer { try? output.close() }
        while let block = try input.read(upToCount: 1 << 20), !block.isEmpty { try output.write(contentsOf: block) }
        try output.synchronize()
    }
}
