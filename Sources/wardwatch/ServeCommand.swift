import ArgumentParser
import CommandLineSupport
import Evidence
import Foundation
import HTTPAPI
import Logging
import Workflows

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (search, events, stills, cameras, clips) to holders of access tokens.",
        discussion: """
            Listens on loopback unless --host says otherwise. Every request needs a bearer token from \
            `wardwatch users add`; searches, views, stills and clips are written to the audit trail. The \
            API is described at /api/v1/openapi.yaml. Prints "listening on http://HOST:PORT" once ready; \
            SIGTERM/SIGINT stop it.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on. Anything but loopback exposes footage search to the network: put TLS in front.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 = any free port, printed at start).")
    var port = 8080

    @Option(help: ArgumentHelp("Folder for clips cut for playback (default: next to the catalog).", valueName: "path"))
    var clipCache: String?

    @Option(help: ArgumentHelp(
        "Signing key for POST /api/v1/exports. Default: the configuration's evidence.signing_key, else ./wardwatch-signing.key if present; without one, exports are off.",
        valueName: "path"))
    var keyFile: String?

    @Option(help: ArgumentHelp("Folder for evidence bundles made over HTTP (default: next to the catalog).", valueName: "path"))
    var exportDir: String?

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
    }

    mutating func run() async throws {
        _ = global.prepareLogging()
        var logger = Logger(label: "wardwatch.http") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = global.verbose ? .debug : .notice
        let configuration = try global.loadConfiguration()
        let opened = try await global.openStore(configuration, asNode: true)
        let key = signingKeyPath(keyFile, configuration)
        let hasKey = FileManager.default.fileExists(atPath: key)
        if hasKey {
            // The key is loaded once here, so a key that cannot sign (unreadable, readable by others, not a
            // key) stops the server at start instead of failing every export later.
            do { _ = try EvidenceSigningKey.load(from: key) } catch {
                throw ValidationError("the signing key '\(key)' cannot be used: \(error)")
            }
            // Work of exports killed with the last server (SIGKILL, power loss) is removed at start.
            let exports = exportDir ?? (opened.base + ".exports")
            for path in PartialExports.sweep(exports) { logger.notice("removed a killed export's partial work", metadata: ["path": "\(path)"]) }
        }
        if !hasKey && (keyFile != nil || configuration.signingKeyPath != nil) {
            throw ValidationError("no signing key at '\(key)': create one with `wardwatch keys generate`")
        }
        let workflows = WardWorkflows.configured(
            configuration, catalog: opened, logger: logger, signingKeyPath: hasKey ? key : nil,
            exportDirectory: hasKey ? exportDir ?? (opened.base + ".exports") : nil,
            clipDirectory: clipCache, deliverAlerts: false)
        let host = self.host
        var settings = APIConfiguration(host: host, port: port)
        do { settings.trustedProxies = try TrustedProxies(configuration.http.trustedProxies) } catch {
            throw ValidationError("http.trusted_proxies: \(error)")
        }
        settings.console.tileURL = configuration.tileURL
        for camera in configuration.cameras {
            if let view = camera.viewDirection.flatMap(ConsoleSettings.degrees) { settings.console.viewDegrees[camera.id] = view }
            if let interval = camera.expectedIntervalSeconds { settings.console.expectedIntervalSeconds[camera.id] = interval }
        }
        let api = WardWatchAPI(workflows: workflows, configuration: settings)
        // Signed audit checkpoints at intervals while the server runs (queued to the alert logs, anchored to the file).
        let checkpoints = Task { [logger] in
            await workflows.writeCheckpoints(every: configuration.checkpointIntervalSeconds) { error in
                logger.error("audit checkpoint not written; trying again at the next interval", metadata: ["error": "\(error)"])
            }
        }
        defer { checkpoints.cancel() }
        try await api.run(logger: logger) { port in
            // Unbuffered, so a supervisor or test reading a pipe sees it at once.
            FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
    }
}
