import Access
import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Evidence
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
        subcommands: [List.self, Verify.self, Checkpoint.self])

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
            abstract: "Check the hash chain: exit 0 when intact, 1 naming the first edited, missing or reordered entry.",
            discussion: """
                With --anchor, the trail must also reach every signed checkpoint in the file (an anchor file, or an \
                alert log with audit.checkpoint lines) with the hash it recorded: a trail whose newest entries were \
                cut, or an older copy of the catalog, fails. Checkpoints must be signed by the ward's key (--key, \
                else the configuration's evidence.signing_key).
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("An anchor file or alert log with signed audit checkpoints (repeatable).", valueName: "path"))
        var anchor: [String] = []
        @Option(help: ArgumentHelp("The key checkpoints must be signed with: a public-key PEM file, base64 or fingerprint.",
                                   valueName: "public-key"))
        var key: String?

        func run() async throws {
            let configuration = try global.loadConfiguration()
            let entries = try await global.openStore(configuration).store.auditEntries(actor: nil, action: nil, from: nil, to: nil)
            if let problem = AuditChain.firstProblem(in: entries) {
                printError("wardwatch: audit trail broken: \(problem)")
                throw ExitCode(1)
            }
            var trusted = Set<String>()
            if let key {
                trusted.insert(try trustedFingerprint(key))
            } else if !anchor.isEmpty, let path = configuration.signingKeyPath, FileManager.default.fileExists(atPath: path) {
                trusted.insert(try EvidenceSigningKey.load(from: path).publicKey.fingerprint)
            }
            for path in anchor {
                let checked = try AuditAnchor.problem(anchor: path, trail: entries, trusted: trusted)
                if let problem = checked.problem {
                    printError("wardwatch: audit trail does not match its anchor: \(problem)")
                    throw ExitCode(1)
                }
                let who = trusted.isEmpty ? "by key \(checked.signers.sorted().joined(separator: ", ")) (no ward key given to compare)"
                    : "by the ward's key"
                print("anchor \(path): \(checked.checkpoints) checkpoints signed \(who), all reached by the trail")
            }
            print("audit trail intact: \(entries.count) entries")
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a checkpoint of the audit trail now: to evidence.anchor_file and the health alert logs.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(
            "Signing key. Default: the configuration's evidence.signing_key, else ./wardwatch-signing.key.", valueName: "path"))
        var keyFile: String?
        @Option(help: ArgumentHelp("Append to this anchor file (default: the configuration's evidence.anchor_file).",
                                   valueName: "path"))
        var anchor: String?

        func run() async throws {
            let logger = global.prepareLogging()
            var configuration = try global.loadConfiguration()
            if let anchor { configuration.anchorPath = anchor }
            let opened = try await global.openStore(configuration, logger: logger)
            let workflows = WardWorkflows.configured(configuration, catalog: opened, logger: logger,
                                                     signingKeyPath: signingKeyPath(keyFile, configuration))
            guard let checkpoint = try await workflows.writeCheckpoint(reason: "manual") else { return }
            print("audit checkpoint: \(checkpoint.entries) entries, last hash \(checkpoint.lastHash)"
                  + (configuration.anchorPath.map { ", appended to \($0)" } ?? ""))
        }
    }
}

/// The audit actor for command-line use: the operating-system user.
func cliActor() -> String {
    "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "\(getuid())")
}

extension AccessRole: ExpressibleByArgument {}
