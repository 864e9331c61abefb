import ArgumentParser
import CommandLineSupport
import Catalog
import Evidence
import Foundation
import Workflows

struct CustodyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custody",
        abstract: "The chain of custody of evidence bundles, and the events on legal hold.",
        subcommands: [List.self, Append.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List exports and hand-offs recorded in the catalog, and the events on legal hold.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("case"), help: "Only this case.") var caseID: String?
        @Option(help: "Output format: table or json.") var format: TableOrJSON = .table

        struct Record: Encodable {
            var id: Int64
            var time: String
            var `case`: String
            var action: String
            var by: String
            var to: String?
            var reason: String
            var bundle: String
            var manifest_sha256: String
            var events: [Int64]
        }

        struct Hold: Encodable {
            var event: Int64
            var `case`: String
            var since: String
            var custody_record: Int64
        }

        struct Output: Encodable {
            var records: [Record]
            var legal_holds: [Hold]
        }

        func run() async throws {
            let configuration = try global.loadConfiguration()
            let zone = configuration.timeZone
            let catalog = try await global.openStore(configuration)
            let records = try await catalog.store.custodyRecords(caseID: caseID).map {
                Record(id: $0.id, time: Timestamp.format($0.time, in: zone), case: $0.caseID, action: $0.action.rawValue,
                       by: $0.actor, to: $0.recipient, reason: $0.reason, bundle: $0.bundlePath,
                       manifest_sha256: $0.manifestSHA256, events: $0.eventIDs)
            }
            let holds = try await catalog.store.legalHolds(caseID: caseID).map {
                Hold(event: $0.eventID, case: $0.caseID, since: Timestamp.format($0.placed, in: zone), custody_record: $0.custodyID)
            }
            switch format {
            case .json: print(try renderJSON(Output(records: records, legal_holds: holds)))
            case .table:
                print(renderTable(header: ["#", "TIME", "CASE", "ACTION", "BY", "TO", "EVENTS", "REASON", "BUNDLE"], rows: records.map {
                    [String($0.id), $0.time, $0.case, $0.action, $0.by, $0.to ?? "", $0.events.map(String.init).joined(separator: ","),
                     $0.reason, $0.bundle]
                }))
                print("")
                print("Legal holds (retention never deletes these events):")
                print(renderTable(header: ["EVENT", "CASE", "SINCE", "RECORD"], rows: holds.map {
                    [String($0.event), $0.case, $0.since, String($0.custody_record)]
                }))
            }
        }
    }

    struct Append: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a hand-off of a bundle: a signed line appended to its custody.jsonl.",
            discussion: """
                The bundle must verify first. The line is signed with the signing key. When the catalog file \
                exists, the hand-off is also recorded there and in the audit trail.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The bundle: a folder or a .zip file.", valueName: "bundle")) var bundle: String
        @Option(help: "Who hands the bundle on.") var by: String
        @Option(help: "Who receives it.") var to: String
        @Option(help: "Why (required).") var reason: String
        @Option(help: ArgumentHelp(
            "Signing key. Default: the configuration's evidence.signing_key, else ./wardwatch-signing.key.", valueName: "path"))
        var keyFile: String?

        func validate() throws {
            for (name, value) in [("--by", by), ("--to", to), ("--reason", reason)]
            where value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("\(name) must not be empty")
            }
        }

        func run() async throws {
            let logger = global.prepareLogging()
            let configuration = try global.loadConfiguration()
            let key = try EvidenceSigningKey.load(from: signingKeyPath(keyFile, configuration))
            let trusted = Set(try configuration.trustedKeys.map(trustedFingerprint))
            let handoff = try EvidenceBundle.appendHandoff(bundle: bundle, by: by, to: to, reason: reason, key: key,
                                                           trustedKeys: trusted)
            print("custody entry \(handoff.entry.sequence) added to \(bundle): \(by) → \(to)")
            let catalogPath = global.catalogPath(configuration)
            guard FileManager.default.fileExists(atPath: catalogPath) else {
                printError("wardwatch: no catalog at '\(catalogPath)': the hand-off is recorded in the bundle only")
                return
            }
            let catalog = try await global.openStore(configuration)
            let bundlePath = (bundle.hasPrefix("/") ? bundle
                : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(bundle) as String)
            try await catalog.store.addCustodyRecord(NewCustodyRecord(
                time: Date(), caseID: handoff.caseID, action: .handoff, actor: by, recipient: to, reason: reason,
                bundlePath: (bundlePath as NSString).standardizingPath, manifestSHA256: handoff.manifestSHA256,
                eventIDs: handoff.eventIDs), holding: [])
            try await WardWorkflows.configured(configuration, catalog: catalog, logger: logger).audit.record(
                cliRequester(), "custody.append", detail: "case=\(handoff.caseID) by=\(by) to=\(to) reason=\(reason) bundle=\(bundle)",
                results: nil)
        }
    }
}
