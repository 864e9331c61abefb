import Access
import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Foundation
import Workflows

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage access tokens: who may search, view, play and export, and in which ward.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user and print their token once (only its hash is stored).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name (unique).") var name: String
        @Option(help: "Role: viewer, investigator or admin.") var role: AccessRole
        @Option(help: "Limit the user to this ward (every ward when omitted).") var ward: String?

        func run() async throws {
            let logger = global.prepareLogging()
            let (_, catalog, workflows) = try await global.openWorkflows(logger: logger)
            try await workflows.authorize(cliRequester(), .manageUsers)
            let token = AccessTokens.generate()
            try await catalog.addUser(User(name: name, role: role, ward: ward, created: Date(), revoked: nil),
                                tokenHash: AccessTokens.hash(token))
            try await workflows.audit.record(cliRequester(), "users.add", detail: "name=\(name) role=\(role.rawValue) ward=\(ward ?? "*")",
                                             results: nil)
            print(token)
            printError("wardwatch: token for '\(name)' (\(role.rawValue)\(ward.map { ", \($0)" } ?? "")); it is not shown again")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users (never their tokens).")
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let configuration = try global.loadConfiguration()
            let users = try await global.openStore(configuration).store.users()
            print(renderTable(header: ["NAME", "ROLE", "WARD", "CREATED", "REVOKED"], rows: users.map {
                [$0.name, $0.role.rawValue, $0.ward ?? "*", Timestamp.format($0.created, in: configuration.timeZone),
                 $0.revoked.map { Timestamp.format($0, in: configuration.timeZone) } ?? ""]
            }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a user's token at once.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var name: String
        func run() async throws {
            let logger = global.prepareLogging()
            let (_, catalog, workflows) = try await global.openWorkflows(logger: logger)
            try await workflows.authorize(cliRequester(), .manageUsers)
            guard try await catalog.revokeUser(name: name) else {
                throw ValidationError("no active user named '\(name)' (see wardwatch users list)")
            }
            try await workflows.audit.record(cliRequester(), "users.revoke", detail: "name=\(name)", results: nil)
        }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and verify the audit trail of searches, views and exports.",
        subcommands: [List.self, Verify.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List audit entries, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this actor.") var actor: String?
        @Option(help: "Only this action (search, view, still, clip, users.add, …).") var action: String?
        @Option(help: ArgumentHelp("From this time (ISO 8601).", valueName: "time")) var from: String?
        @Option(help: ArgumentHelp("Before this time (ISO 8601).", valueName: "time")) var to: String?
        @Option(help: "Output format: table or json.") var format: TableOrJSON = .table

        struct Item: Encodable {
            var sequence: Int64
            var time: String
            var actor: String
            var action: String
            var query: String
            var results: Int?
            var client: String
            var hash: String
        }

        func run() async throws {
            let configuration = try global.loadConfiguration()
            let zone = configuration.timeZone
            let entries = try await global.openStore(configuration).store.auditEntries(
                actor: actor, action: action, from: try optionTime(from, "--from", zone: zone),
                to: try optionTime(to, "--to", zone: zone))
            let items = entries.map {
                Item(sequence: $0.sequence, time: Timestamp.format($0.time, in: zone), actor: $0.actor, action: $0.action,
                     query: $0.query, results: $0.resultCount, client: $0.client, hash: $0.hash)
            }
            switch format {
            case .json: print(try renderJSON(items))
            case .table:
                print(renderTable(header: ["#", "TIME", "ACTOR", "ACTION", "RESULTS", "CLIENT", "QUERY"], rows: items.map {
                    [String($0.sequence), $0.time, $0.actor, $0.action, $0.results.map(String.init) ?? "", $0.client, $0.query]
                }))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain: exit 0 when intact, 1 naming the first edited, missing or reordered entry.")
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            let configuration = try global.loadConfiguration()
            let entries = try await global.openStore(configuration).store.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            if let problem = AuditChain.firstProblem(in: entries) {
                printError("wardwatch: audit trail broken: \(problem)")
                throw ExitCode(1)
            }
            print("audit trail intact: \(entries.count) entries")
        }
    }
}

/// The audit actor for command-line use: the operating-system user.
func cliActor() -> String {
    "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "\(getuid())")
}

extension AccessRole: ExpressibleByArgument {}
