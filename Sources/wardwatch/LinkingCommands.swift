import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Foundation
import Linking
import WardWatchConfig
import Workflows

// The command line is the local operator: it sees incidents and tips, but a tip's reporter contact
// only with --show-contacts, which is written to the audit trail. CSV output never carries contacts.

/// "2024-07-10 15:30 ±5 min" or "2024-07-10 15:00 – 16:00", in the ward's zone.
func reportTime(_ time: ReportedTime, zone: TimeZone) -> String {
    func local(_ date: Date) -> String { String(Timestamp.format(date, in: zone).prefix(16)).replacingOccurrences(of: "T", with: " ") }
    if let at = time.approximate {
        return local(at) + (time.halfWidthSeconds > 0 ? " ±" + LinkScore.duration(time.halfWidthSeconds) : "")
    }
    let start = local(time.start), end = local(time.end)
    return start + " – " + (start.prefix(10) == end.prefix(10) ? String(end.dropFirst(11)) : end)
}

/// Where linking placed a report: its cameras, "unresolved", or "pending" before linking.
func placedAt(_ resolution: PlaceResolution?) -> String {
    guard let resolution else { return "pending" }
    if resolution.isUnresolved { return "unresolved" }
    return resolution.cameras.isEmpty ? "no camera in reach" : resolution.cameras.joined(separator: " ")
}

/// An incident named by its reference, or by its catalog id.
func findIncident(_ name: String, in catalog: any ReportStore) async throws -> Incident {
    if let incident = try await catalog.incident(reference: name) { return incident }
    if let id = Int64(name.hasPrefix("#") ? String(name.dropFirst()) : name), let incident = try await catalog.incident(id: id) {
        return incident
    }
    throw ValidationError("no incident '\(name)' (give its reference or catalog id; see wardwatch incidents)")
}

// MARK: - import

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import incident reports or citizen tips (CSV with a header, or a JSON array) and link them to events.",
        discussion: """
            A file imports all or nothing. Each bad row gets one line on stderr naming the file, line, row \
            and field, and the exit status is 1. Rows are matched by reference (incidents) or id (tips): an \
            unchanged row is left alone, a changed one is updated and linked again. Columns: see README.
            """,
        subcommands: [Incidents.self, Tips.self])

    struct Options: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("CSV or JSON file.", valueName: "file")) var file: String
        @Option(help: "Output format: table or json.") var format: TableOrJSON = .table

        func run(_ kind: ReportKind) async throws {
            let logger = global.prepareLogging()
            let configuration = try global.loadConfiguration()
            let rows: [ImportRow]
            do { rows = try ReportFile.read(path: file) } catch {
                printError("wardwatch: \(error)")
                throw ExitCode(1)
            }
            let catalog = try await global.openStore(configuration)
            let workflows = WardWorkflows.configured(configuration, catalog: catalog, logger: logger)
            let report: ImportReport
            do {
                report = try await workflows.importReports(kind, rows: rows, file: file, by: cliRequester())
            } catch let problems as ImportProblems {
                for problem in problems.problems { printError("wardwatch: \(problem)") }
                printError("wardwatch: nothing imported from '\(file)' (\(problems.problems.count) bad rows)")
                throw ExitCode(1)
            }
            switch format {
            case .json: print(try renderJSON(report))
            case .table:
                for row in report.rows { print("\(row.outcome.padding(toLength: 10, withPad: " ", startingAt: 0)) \(row.reference)") }
                for item in report.unresolved { print("unresolved: \(item.reference): \(item.place)") }
                print("\(kind.rawValue)s: \(report.inserted) inserted, \(report.updated) updated, \(report.unchanged) unchanged; "
                    + "\(report.links_added) new links")
            }
        }
    }

    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import incident reports.")
        @OptionGroup var options: Options
        func run() async throws { try await options.run(.incident) }
    }

    struct Tips: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import citizen tips.")
        @OptionGroup var options: Options
        func run() async throws { try await options.run(.tip) }
    }
}

// MARK: - listings

/// Filters shared by `incidents` and `tips`.
struct ReportFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Reports whose time ends after this (ISO 8601).", valueName: "time")) var from: String?
    @Option(help: ArgumentHelp("Reports whose time starts before this.", valueName: "time")) var to: String?
    @Option(help: "Words in the description, place or reference (diacritics and case ignored, word prefixes match).")
    var text: String?
    @Option(help: "At most this many.") var limit: Int?

    func filter(zone: TimeZone) throws -> ReportFilter {
        if let limit, !(1...10_000).contains(limit) { throw ValidationError("--limit must be from 1 to 10000") }
        return ReportFilter(from: try optionTime(from, "--from", zone: zone), to: try optionTime(to, "--to", zone: zone), text: text,
                            limit: limit)
    }
}

struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "List incident reports, by reported time.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: ReportFilterOptions
    @Option(help: "open or closed.") var status: IncidentStatus?
    @Option(help: "Category (diacritics and case ignored).") var category: String?
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func run() async throws {
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let zone = configuration.timeZone
        var filter = try filters.filter(zone: zone)
        filter.status = status
        filter.category = category
        let workflows = WardWorkflows.configured(configuration, catalog: try await global.openStore(configuration), logger: logger)
        let incidents = try await workflows.incidents(matching: filter, for: cliRequester())
        let items = incidents.map { IncidentItem($0, zone: zone) }
        switch format {
        case .json: print(try renderJSON(items))
        case .csv:
            print(renderCSV(header: ["id", "reference", "category", "status", "time", "place", "cameras", "case_number", "description"],
                            rows: incidents.map {
                                [String($0.id), $0.reference, $0.category, $0.status.rawValue, reportTime($0.time, zone: zone),
                                 $0.place.summary, placedAt($0.resolution), $0.caseNumber ?? "", $0.description]
                            }), terminator: "")
        case .table:
            print(renderTable(header: ["ID", "REFERENCE", "CATEGORY", "STATUS", "TIME (local)", "PLACE", "CAMERAS", "DESCRIPTION"],
                              rows: incidents.map {
                                  [String($0.id), $0.reference, $0.category, $0.status.rawValue, reportTime($0.time, zone: zone),
                                   $0.place.summary, placedAt($0.resolution), String($0.description.prefix(40))]
                              }))
        }
    }
}

struct TipsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tips", abstract: "List citizen tips, by reported time (reporter contacts only with --show-contacts).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var filters: ReportFilterOptions
    @Option(help: "Channel: \(Tip.channels.joined(separator: ", ")).") var channel: String?
    @Option(help: "Tips about this incident reference.") var incident: String?
    @Flag(help: "Show reporter contacts (investigator use; written to the audit trail; not with csv).") var showContacts = false
    @Option(help: "Output format: table, json or csv.") var format: OutputFormat = .table

    func validate() throws {
        if showContacts && format == .csv { throw ValidationError("--show-contacts is not available with csv: contacts are never exported") }
    }

    func run() async throws {
        let logger = global.prepareLogging()
        let configuration = try global.loadConfiguration()
        let zone = configuration.timeZone
        var filter = try filters.filter(zone: zone)
        filter.channel = channel
        filter.incidentReference = incident
        let catalog = try await global.openStore(configuration)
        let workflows = WardWorkflows.configured(configuration, catalog: catalog, logger: logger)
        let tips = try await workflows.tips(matching: filter, contacts: showContacts ? .asked : .hidden, for: cliRequester()).tips
        let items = tips.map { TipItem($0, zone: zone, showContact: showContacts) }
        switch format {
        case .json: print(try renderJSON(items))
        case .csv:
            print(renderCSV(header: ["id", "reference", "channel", "reliability", "time", "place", "cameras", "incident", "description"],
                            rows: tips.map {
                                [String($0.id), $0.reference, $0.channel, $0.reliability.rawValue, reportTime($0.time, zone: zone),
                                 $0.place.summary, placedAt($0.resolution), $0.incidentReference ?? "", $0.description]
                            }), terminator: "")
        case .table:
            print(renderTable(
                header: ["ID", "REFERENCE", "CHANNEL", "TIME (local)", "PLACE", "CAMERAS", "INCIDENT", "DESCRIPTION"]
                    + (showContacts ? ["CONTACT"] : []),
                rows: tips.map {
                    [String($0.id), $0.reference, $0.channel, reportTime($0.time, zone: zone), $0.place.summary,
                     placedAt($0.resolution), $0.incidentReference ?? "", String($0.description.prefix(40))]
                        + (showContacts ? [$0.reporterContact ?? ""] : [])
                }))
        }
    }
}

extension IncidentStatus: ExpressibleByArgument {}

// MARK: - incident show

struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: "One incident with its ranked linked events and its tips.",
        subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an incident, its linked events (best first) and its tips.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The incident's reference, or its catalog id.", valueName: "incident")) var incident: String
        @Flag(help: "Show reporter contacts of its tips (written to the audit trail).") var showContacts = false
        @Option(help: "Output format: table or json.") var format: TableOrJSON = .table

        func run() async throws {
            let logger = global.prepareLogging()
            let configuration = try global.loadConfiguration()
            let zone = configuration.timeZone
            let catalog = try await global.openStore(configuration)
            let workflows = WardWorkflows.configured(configuration, catalog: catalog, logger: logger)
            let file = try await workflows.incident(.reference(incident), contacts: showContacts ? .asked : .hidden, for: cliRequester())
            let (found, links, tips) = (file.incident, file.links, file.tips)
            let detail = IncidentDetail(
                incident: IncidentItem(found, zone: zone),
                links: links.map {
                    LinkItem($0, zone: zone, still: $0.event.still.map { (catalog.stillsDirectory as NSString).appendingPathComponent($0) },
                             recordingPath: $0.recordingPath)
                },
                tips: tips.map { TipItem($0, zone: zone, showContact: showContacts) })
            switch format {
            case .json: print(try renderJSON(detail))
            case .table:
                print("\(found.reference) (#\(found.id)) \(found.category), \(found.status.rawValue)"
                    + (found.caseNumber.map { ", case \($0)" } ?? ""))
                print("time:  \(reportTime(found.time, zone: zone))")
                print("place: \(found.place.summary) → \(placedAt(found.resolution))"
                    + (found.resolution.map { " (\($0.precision.rawValue))" } ?? ""))
                if !found.description.isEmpty { print("about: \(found.description)") }
                print("")
                print(links.isEmpty ? "no linked events" : renderTable(
                    header: ["#", "EVENT", "CAMERA", "DISTANCE", "OFFSET", "SCORE", "STATE", "START (local)", "STILL", "REASON"],
                    rows: detail.links.enumerated().map { rank, link in
                        [String(rank + 1), String(link.event), link.camera, link.distance_m.map { "\(Int($0)) m" } ?? "",
                         signedDuration(link.offset_s), fixed(link.score, digits: 3),
                         link.state + (link.decided_by.map { " by \($0)" } ?? ""), String(link.start.prefix(19)),
                         link.still ?? "", link.reason]
                    }))
                for tip in detail.tips {
                    print("tip \(tip.reference) (\(tip.channel), \(tip.reliability)): \(tip.description)"
                        + (tip.reporter_contact.map { " — contact: \($0)" } ?? ""))
                }
            }
        }
    }
}

/// "+4 min", "-30 s", "0".
func signedDuration(_ seconds: Double) -> String {
    seconds == 0 ? "0" : (seconds > 0 ? "+" : "-") + LinkScore.duration(abs(seconds))
}

// MARK: - link

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link", abstract: "Confirm or reject a suggested link, or run linking now.",
        subcommands: [Confirm.self, Reject.self, Run.self])

    struct Decision: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The incident's reference, or its catalog id.", valueName: "incident")) var incident: String
        @Argument(help: ArgumentHelp("The event id.", valueName: "event")) var event: Int64
        @Option(help: "Who decided (default: the system user).") var by: String?

        func run(_ state: LinkState) async throws {
            let logger = global.prepareLogging()
            let (_, _, workflows) = try await global.openWorkflows(logger: logger)
            let person = by ?? cliActor()
            let found: Incident
            do {
                (found, _) = try await workflows.decideLink(state, incident: .reference(incident), eventID: event, person: person,
                                                            by: cliRequester())
            } catch let error as WorkflowError where error.code == .notFound {
                throw ValidationError(error.message + " (see wardwatch incident show \(incident))")
            }
            print("\(state.rawValue): \(found.reference) ↔ event \(event) by \(person)")
        }
    }

    struct Confirm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm that an event shows the incident (kept across relinking).")
        @OptionGroup var decision: Decision
        func run() async throws { try await decision.run(.confirmed) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a suggested link (kept across relinking).")
        @OptionGroup var decision: Decision
        func run() async throws { try await decision.run(.rejected) }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link reports waiting to be linked, and reports that recordings indexed since the last pass concern.")
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let logger = global.prepareLogging()
            let (_, _, workflows) = try await global.openWorkflows(logger: logger)
            let summary = try await workflows.followUp.recordingCommitted().get()
            print("linked \(summary.reports) reports after \(summary.recordings) new recordings: "
                + "\(summary.added) links added, \(summary.removed) dropped, \(summary.kept) decisions kept")
        }
    }
}
