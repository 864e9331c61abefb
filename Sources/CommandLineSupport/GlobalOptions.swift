import ArgumentParser
import Catalog
import CatalogSQLite
import Foundation
import Ingest
import Logging
import MediaIO
import WardWatchConfig

/// Options every subcommand shares: where the configuration and the catalog are.
public struct GlobalOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (YAML). Default: $WARDWATCH_CONFIG, else /etc/wardwatch/wardwatch.yaml if present.",
        valueName: "path"))
    public var config: String?

    @Option(name: .long, help: ArgumentHelp(
        "SQLite catalog file. Default: $WARDWATCH_CATALOG, else the configuration's `catalog`, else ./wardwatch.sqlite.",
        valueName: "path"))
    public var catalog: String?

    @Flag(name: .long, help: "Show FFmpeg's own warnings and debug logging.")
    public var verbose = false

    /// The configuration in force, with its defaults.
    public func loadConfiguration() throws -> WardWatchConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let path = config ?? environment["WARDWATCH_CONFIG"]
            ?? (FileManager.default.fileExists(atPath: "/etc/wardwatch/wardwatch.yaml") ? "/etc/wardwatch/wardwatch.yaml" : nil)
        guard let path else { return WardWatchConfiguration() }
        return try WardWatchConfiguration.load(path: path)
    }

    /// The catalog file, made absolute so that still paths printed from it are usable anywhere.
    public func catalogPath(_ configuration: WardWatchConfiguration) -> String {
        let path = catalog ?? ProcessInfo.processInfo.environment["WARDWATCH_CATALOG"] ?? configuration.catalogPath
            ?? "wardwatch.sqlite"
        let absolute = path.hasPrefix("/")
            ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (absolute as NSString).standardizingPath
    }

    /// Opens the catalog and saves the configured camera registry into it, so that places
    /// (ward, street, position) are searchable whichever command indexed the footage.
    public func openCatalog(_ configuration: WardWatchConfiguration) async throws -> SQLiteCatalog {
        let path = catalogPath(configuration)
        // A configured catalog on a disk that is not mounted must not become a new, empty catalog.
        let directory = (path as NSString).deletingLastPathComponent
        if catalog == nil, ProcessInfo.processInfo.environment["WARDWATCH_CATALOG"] == nil, configuration.catalogPath != nil,
           !FileManager.default.fileExists(atPath: directory) {
            throw ValidationError("the catalog's folder '\(directory)' does not exist (an unmounted disk?); create it first")
        }
        let catalog = try SQLiteCatalog(path: path)
        if !configuration.cameras.isEmpty {
            try await catalog.saveCameras(configuration.cameras.map(\.camera))
        }
        return catalog
    }

    public func prepareLogging() -> Logger {
        FFmpegLibrary.configureLogging(verbose: verbose)
        var logger = Logger(label: "wardwatch") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }
}

/// Output formats for lists.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Output formats for reports that have no CSV form.
public enum TableOrJSON: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Writes one line to standard error.
public func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The version both executables report (and bundles record).
public let wardwatchVersion = "0.1.0"
