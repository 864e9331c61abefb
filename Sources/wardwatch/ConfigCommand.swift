import ArgumentParser
import CommandLineSupport
import Foundation
import WardWatchConfig

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with the configuration file.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration: every problem, one line each, as file:line: key: message.",
            discussion: "Exit status 0 when the file is valid, 1 when it has problems.")

        @Option(help: ArgumentHelp("Configuration file to check.", valueName: "path"))
        var config: String = ProcessInfo.processInfo.environment["WARDWATCH_CONFIG"] ?? "/etc/wardwatch/wardwatch.yaml"

        @Flag(help: "Do not require camera folders to exist (checking a file meant for another machine).")
        var skipFolders = false

        func run() throws {
            let (configuration, problems) = WardWatchConfiguration.check(path: config, checkFolders: !skipFolders)
            for problem in problems { printError(problem.description) }
            guard problems.isEmpty else { throw ExitCode(1) }
            print("\(config): OK — \(configuration.cameras.count) cameras, \(configuration.alerts.count) alert rules")
        }
    }
}
