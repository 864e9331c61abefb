import ArgumentParser
import CommandLineSupport
import SystemIO

@main
struct WardWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wardwatch",
        abstract: "Index motion in street-camera recordings, and find the right minutes of footage.",
        version: wardwatchVersion,
        subcommands: [ProbeCommand.self, IndexCommand.self, EventsCommand.self, ConfigCommand.self, RunCommand.self, StatusCommand.self, SearchCommand.self, ServeCommand.self, UsersCommand.self, AuditCommand.self, ExportCommand.self, VerifyCommand.self, KeysCommand.self, CustodyCommand.self,
                      ImportCommand.self, IncidentsCommand.self, TipsCommand.self, IncidentCommand.self, LinkCommand.self, CatalogCommand.self, RetentionCommand.self]
    )

    static func main() async {
        MallocArenas.limitToOnePerCore()
        await main(nil)
    }
}
