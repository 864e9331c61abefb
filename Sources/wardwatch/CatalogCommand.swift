import ArgumentParser
import Catalog
import CatalogCopy
import CatalogPostgres
import CatalogSQLite
import CommandLineSupport
import Foundation
import Logging

/// `wardwatch catalog …`: moving a catalog between engines.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Move a catalog between engines.", subcommands: [CatalogCopyCommand.self])
}

struct CatalogCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite catalog, stills included, into an empty PostgreSQL catalog, then check it.",
        discussion: """
            Copies every table with its ids in one transaction (nothing is left behind if it fails), the reports' \
            search text, and the stills from the folder beside the SQLite file. Afterwards it counts every table on \
            both sides and verifies the copied audit chain. Stop the daemon and the API servers first. Exit status 0 \
            when the check passes, 1 when it does not.
            """)

    @Option(help: ArgumentHelp("The SQLite catalog file to copy.", valueName: "file.sqlite"))
    var from: String

    @Option(help: ArgumentHelp("The PostgreSQL catalog (an empty database): postgresql://user[:password]@host[:port]/database.",
                               valueName: "url"))
    var to: String

    @Option(help: ArgumentHelp("Read the PostgreSQL password from this file (first line).", valueName: "path"))
    var passwordFile: String?

    func run() async throws {
        guard FileManager.default.fileExists(atPath: from) else {
            throw ValidationError("--from: no SQLite catalog at '\(from)'")
        }
        guard PostgresSettings.isPostgresURL(to) else { throw ValidationError("--to: expected a postgresql:// URL, got '\(to)'") }
        var settings = try PostgresSettings(url: to)
        if let passwordFile { try settings.readPassword(file: passwordFile) }
        settings.nodeID = "catalog-copy-\(ProcessInfo.processInfo.processIdentifier)"
        let source = try SQLiteCatalog(path: from)
        var logger = Logger(label: "wardwatch") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let target = try await PostgresCatalog.open(settings, logger: logger)
        let started = ContinuousClock.now
        let report: CatalogCopyReport
        do {
            report = try await CatalogCopier.copy(from: source, to: target) { printError("copying \($0)") }
        } catch {
            await target.close()
            throw error
        }
        try? await target.leave()
        await target.close()
        print(renderTable(header: ["TABLE", "SQLITE", "POSTGRESQL", "CHECK"], rows: report.tables.map {
            [$0.name, String($0.source), String($0.target), $0.source == $0.target ? "ok" : "MISMATCH"]
        }))
        print("stills: \(report.stillsCopied) copied" + (report.stillsMissing.isEmpty ? ""
            : ", \(report.stillsMissing.count) named by events but missing from '\(source.stillsDirectory)'"))
        print("audit: \(report.auditEntries) entries, chain " + (report.auditProblem.map { "BROKEN: \($0)" } ?? "verifies")
            + (report.auditHeadMatches ? ", head matches the source" : ", HEAD DIFFERS from the source"))
        print("copied \(from) to \(settings.displayName) in \(ContinuousClock.now - started)")
        guard report.verified else {
            printError("error: the copy does not match its source (see above)")
            throw ExitCode(1)
        }
    }
}
