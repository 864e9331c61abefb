import Access
import ArgumentParser
import Catalog
import CommandLineSupport
import Foundation
import Ingest

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Enforce each camera's retention_days.",
        subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete events, stills, cached clips and recording rows older than each camera's retention_days.",
            discussion: """
                Events on legal hold, and the recordings they come from, are kept. Recording files are deleted \
                only with `retention: { delete_recordings: true }` in the configuration. Every deletion is \
                written to the audit trail. The daemon (wardwatch run) does the same every hour.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print what would be deleted; delete nothing.")
        var dryRun = false

        @Option(help: ArgumentHelp("The HTTP server's clip cache (default: next to the catalog).", valueName: "path"))
        var clipCache: String?

        func run() async throws {
            _ = global.prepareLogging()
            let configuration = try global.loadConfiguration()
            let catalog = try await global.openStore(configuration)
            let cameras = RunCommand.retentionDays(configuration)
            guard !cameras.isEmpty else {
                print("no camera has retention_days: nothing to do")
                return
            }
            let runner = RetentionRunner(
                store: catalog.store, stillsDirectory: catalog.stillsDirectory,
                clipDirectory: clipCache ?? (catalog.base + ".clips"),
                deleteRecordingFiles: configuration.retention.deleteRecordings, actor: cliActor(), hash: { sha256Hex($0) })
            let report = try await runner.run(cameras: cameras, dryRun: dryRun)
            for line in report.lines { print((dryRun ? "would delete: " : "deleted: ") + line) }
            print((dryRun ? "dry run: would delete " : "deleted ")
                  + "\(report.events) events, \(report.recordings) recording rows"
                  + (dryRun ? "" : ", \(report.stills) stills, \(report.clips) cached clips, \(report.recordingFiles) recording files")
                  + "; kept \(report.keptForHolds) expired recordings holding evidence")
        }
    }
}
