import ArgumentParser
import CommandLineSupport
import Catalog
import Evidence
import Foundation
import WardWatchConfig
import Workflows

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export events or a camera period as a signed evidence bundle with a chain of custody.",
        discussion: """
            Give --event ID (one or more), --incident REF (its confirmed links), or --camera with --from and --to. The bundle holds the clips, \
            the stills, metadata.json, manifest.json signed with the ward's key (manifest.sig, public-key.pem), \
            custody.jsonl and index.html. The exported events are put on legal hold, and the export is \
            recorded in the audit trail and the custody log (see wardwatch custody list). \
            --incident exports the events an investigator confirmed for it (wardwatch link confirm); \
            add --include-suggested to take its suggested links too.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("event"), parsing: .upToNextOption, help: ArgumentHelp(
        "Event ids to export (see wardwatch events).", valueName: "id"))
    var events: [Int64] = []

    @Option(help: ArgumentHelp("Export the events linked to this incident (reference or catalog id).", valueName: "ref"))
    var incident: String?

    @Flag(help: "With --incident: also the links still only suggested (never the rejected ones).")
    var includeSuggested = false

    @Option(help: "Export one camera's footage from --from to --to instead of events.")
    var camera: String?

    @Option(help: ArgumentHelp("Start of the period (ISO 8601; no offset = the configured zone).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("End of the period.", valueName: "time"))
    var to: String?

    @Option(name: .customLong("case"), help: "Case reference of the investigation (required).")
    var caseID: String

    @Option(help: "Why the footage is handed out, e.g. a request or warrant number (required).")
    var reason: String

    @Option(help: ArgumentHelp("Bundle to write: a new folder, or a file ending in .zip.", valueName: "path"))
    var out: String

    @Option(help: ArgumentHelp("Seconds of footage before each event or period.", valueName: "seconds"))
    var preRoll: Double = 5

    @Option(help: ArgumentHelp("Seconds of footage after each event or period.", valueName: "seconds"))
    var postRoll: Double = 5

    @Option(help: ArgumentHelp(
        "Signing key. Default: the configuration's evidence.signing_key, else ./wardwatch-signing.key.", valueName: "path"))
    var keyFile: String?

    func validate() throws {
        let period = camera != nil || from != nil || to != nil
        if [!events.isEmpty, period, incident != nil].filter({ $0 }).count != 1 {
            throw ValidationError("give one of --event ID…, --incident REF, or --camera ID --from TIME --to TIME")
        }
        if includeSuggested && incident == nil { throw ValidationError("--include-suggested goes with --incident") }
        if period, camera == nil || from == nil || to == nil {
            throw ValidationError("--camera, --from and --to go together")
        }
        for (name, value) in [("--case", caseID), ("--reason", reason), ("--out", out)]
        where value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("\(name) must not be empty")
        }
        for (name, value) in [("--pre-roll", preRoll), ("--post-roll", postRoll)] where !(0...3600).contains(value) {
            throw ValidationError("\(name) must be from 0 to 3600 seconds")
        }
    }

    func run() async throws {
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let zone = configuration.timeZone
        let catalog = try await global.openStore(configuration)
        var linkedEvents = events
        if let incident {
            let found = try await findIncident(incident, in: catalog.store)
            let wanted: Set<LinkState> = includeSuggested ? [.confirmed, .suggested] : [.confirmed]
            linkedEvents = try await catalog.store.linkedEvents(kind: .incident, reportID: found.id)
                .filter { wanted.contains($0.link.state) }.map(\.event.id)
            guard !linkedEvents.isEmpty else {
                throw ValidationError("incident \(found.reference) has no \(includeSuggested ? "confirmed or suggested" : "confirmed") links; "
                                      + "confirm them with `wardwatch link confirm`, or add --include-suggested")
            }
        }
        let selection: ExportRequest.Selection
        if let camera, let start = try optionTime(from, "--from", zone: zone), let end = try optionTime(to, "--to", zone: zone) {
            guard end > start else { throw ValidationError("--to must be after --from") }
            selection = .cameraPeriod(camera: camera, from: start, to: end)
        } else {
            selection = .events(linkedEvents)
        }
        let key = signingKeyPath(keyFile, configuration)
        // The key must load before anything is cut: a missing or unreadable key is its own error.
        _ = try EvidenceSigningKey.load(from: key)
        let workflows = WardWorkflows.configured(configuration, catalog: catalog, logger: logger, signingKeyPath: key)
        let order = ExportOrder(selection: selection, caseID: caseID, reason: reason, preRollSeconds: preRoll,
                                postRollSeconds: postRoll, destination: .path(out), note: incident.map { "incident=\($0)" })
        // SIGTERM or SIGINT mid-export: remove the half-written copy of the footage at once, then exit.
        let stops = [SIGTERM, SIGINT].map { (number: Int32) -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                PartialExports.removeAllInProgress()
                Foundation.exit(128 + number)
            }
            source.resume()
            return source
        }
        defer { stops.forEach { $0.cancel() } }
        let result: ExportResult
        do {
            result = try await workflows.export(order, by: cliRequester()).result
        } catch {
            // Stopped by a signal: its handler is removing the work and exits; failing here first would cut that short.
            while PartialExports.isStopping { sleep(1) }
            throw error
        }
        print("exported case \(caseID) to \(result.outputPath): \(result.metadata.items.count) items, "
              + "\(result.files.count) files, \(result.heldEventIDs.count) events on legal hold")
        print("manifest SHA-256 \(result.manifestSHA256)")
        print("signed by key \(result.signer.fingerprint)")
    }
}

/// The signing key file: the option, else the configuration, else ./wardwatch-signing.key.
func signingKeyPath(_ option: String?, _ configuration: WardWatchConfiguration) -> String {
    let path = option ?? configuration.signingKeyPath ?? "wardwatch-signing.key"
    return path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
}
