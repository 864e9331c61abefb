import ArgumentParser
import CatalogSQLite
import CommandLineSupport
import Evidence
import Foundation
import WardWatchConfig

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an evidence bundle (folder or .zip): signature, every hash, no file missing or added, custody.",
        discussion: """
            Needs no catalog, configuration or network. Exit status 0 when the bundle is intact, 1 naming \
            the first problem. Without --key, an intact bundle is only shown to be consistent with the key \
            inside it; with --key, it must also have been signed by that key.
            """)

    @Argument(help: ArgumentHelp("The bundle: a folder or a .zip file.", valueName: "bundle"))
    var bundle: String

    @Option(help: ArgumentHelp(
        "The key the bundle must be signed with: a public-key PEM file, the raw key in base64, or its SHA-256 fingerprint.",
        valueName: "public-key"))
    var key: String?

    @Option(name: .customLong("trusted-key"), help: ArgumentHelp(
        "A key, besides the bundle's own, that may sign custody hand-offs (repeatable; PEM file, base64 or fingerprint).",
        valueName: "public-key"))
    var trustedKeys: [String] = []

    @Option(help: ArgumentHelp(
        "Configuration whose evidence.trusted_keys may sign hand-offs too (default: $WARDWATCH_CONFIG when set).",
        valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp(
        "A catalog (SQLite file) whose custody records the bundle's custody log must hold: a log cut back, or a step "
        + "rewritten, fails.", valueName: "path"))
    var catalog: String?

    func run() async throws {
        let trusted = try key.map(trustedFingerprint)
        var custodyKeys = Set(try trustedKeys.map(trustedFingerprint))
        if let path = config ?? ProcessInfo.processInfo.environment["WARDWATCH_CONFIG"] {
            let configuration = try WardWatchConfiguration.load(path: path)
            for text in configuration.trustedKeys { custodyKeys.insert(try trustedFingerprint(text)) }
        }
        let report: VerificationReport
        do { report = try BundleVerifier.verify(path: bundle, trustedFingerprint: trusted, trustedCustodyKeys: custodyKeys) } catch {
            printError("wardwatch: \(error)")
            throw ExitCode(1)
        }
        if let problem = report.problem {
            printError("wardwatch: bundle '\(bundle)' is not intact: \(problem)")
            throw ExitCode(1)
        }
        if let catalog {
            guard FileManager.default.fileExists(atPath: catalog) else {
                printError("wardwatch: no catalog at '\(catalog)'")
                throw ExitCode(1)
            }
            let records = try await SQLiteCatalog(path: catalog).custodyRecords(caseID: report.caseID)
            if let problem = CustodyCatalogCheck.problem(entries: report.custody, records: records) {
                printError("wardwatch: bundle '\(bundle)' does not match the catalog '\(catalog)': \(problem)")
                throw ExitCode(1)
            }
            let recorded = records.filter { $0.manifestSHA256 == report.custody.first?.manifestSHA256 }.count
            print("custody log holds all \(recorded) steps the catalog records for this bundle")
        }
        let handoffs = max(0, report.custody.count - 1)
        print("bundle intact: case \(report.caseID ?? "?"), \(report.filesChecked) files match manifest.json, "
              + "custody log of \(report.custody.count) entries (\(handoffs) hand-offs) signed and chained")
        let fingerprint = report.signer?.fingerprint ?? "?"
        for entry in report.custody {
            let signer = entry.signerFingerprint ?? "?"
            let whose = signer == fingerprint ? "the bundle's key" : "a trusted key"
            print("custody line \(entry.sequence): \(entry.action.rawValue) by \(entry.by)\(entry.to.map { " to \($0)" } ?? ""), "
                  + "signed by key \(signer) (\(whose))")
        }
        if report.signedByTrustedKey == true {
            print("signed by the given key \(fingerprint)")
        } else {
            print("signed by key \(fingerprint); no --key given, so this shows the bundle is unchanged since it was "
                  + "signed, not who signed it: compare the fingerprint with the ward's published key, or pass --key")
        }
    }
}

/// A fingerprint from a PEM file, a base64 raw key or a hex fingerprint.
func trustedFingerprint(_ text: String) throws -> String {
    if text.count == 64, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
    let content = FileManager.default.fileExists(atPath: text)
        ? (try? String(contentsOfFile: text, encoding: .utf8)) ?? "" : text
    if content.contains("PRIVATE KEY") {
        throw ValidationError("key '\(text)' is a private key; give the public key (wardwatch keys show prints it)")
    }
    do { return try EvidencePublicKey(text: content).fingerprint } catch {
        throw ValidationError("key '\(text)': \(error.message) (give a public-key PEM file, a base64 raw key or a "
                              + "64-digit hex fingerprint)")
    }
}
