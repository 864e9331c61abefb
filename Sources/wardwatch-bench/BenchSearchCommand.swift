import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogPostgres
import CatalogSQLite
import Foundation

struct BenchSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Measure search latency (p50/p99) on a large synthetic catalog.",
        discussion: """
            With --generate, first fills an empty catalog with --cameras cameras over --days days \
            (55 events per camera per day: 10 million for 500 cameras and a year). Then runs each query \
            shape --queries times at random places and times, reading one page of 100 results. With --postgres, \
            runs the very same queries on that PostgreSQL catalog too (a `wardwatch catalog copy` of this file) and \
            prints both side by side.
            """)

    @Option(help: ArgumentHelp("The synthetic catalog (created with --generate).", valueName: "path"))
    var catalog: String

    @Flag(help: "Generate the synthetic catalog first (the file must not exist).")
    var generate = false

    @Option(help: "Cameras to generate.") var cameras: Int = 500
    @Option(help: "Days to generate.") var days: Int = 365
    @Option(help: "Queries of each shape.") var queries: Int = 200
    @Option(help: "Output format: table or json.") var format: TableOrJSON = .table
    @Option(help: ArgumentHelp("Also time the same queries on this PostgreSQL copy of the catalog.", valueName: "url"))
    var postgres: String?

    func validate() throws {
        if !(1...100_000).contains(cameras) || !(1...36_500).contains(days) || !(1...1_000_000).contains(queries) {
            throw ValidationError("--cameras (1 to 100000), --days (1 to 36500) and --queries (1 to 1000000) are out of range")
        }
    }

    struct Row: Encodable {
        var query: String
        var engine: String
        var runs: Int
        var p50_ms: Double
        var p99_ms: Double
        var mean_results: Double
    }

    func run() async throws {
        if generate {
            guard !FileManager.default.fileExists(atPath: catalog) else {
                throw ValidationError("--generate needs a new file, and '\(catalog)' exists")
            }
            let store = try SQLiteCatalog(path: catalog)
            let plan = SQLiteCatalog.SyntheticPlan(cameras: cameras, days: days)
            let bar = ProgressBar()
            let started = ContinuousClock.now
            _ = try await store.generateSynthetic(plan) { bar.update(label: "generating \(plan.eventCount) events", fraction: $0) }
            bar.finish()
            print("generated \(plan.eventCount) events for \(cameras) cameras over \(days) days in \(ContinuousClock.now - started)")
        }
        let store = try SQLiteCatalog(path: catalog)
        let all = try await store.cameras()
        guard !all.isEmpty else { throw ValidationError("'\(catalog)' has no cameras: run with --generate first") }
        let bounds = try await store.search({ var q = SearchQuery(); q.limit = 1; return q }()).hits.first?.event.start
            ?? Date(timeIntervalSince1970: 1_704_067_200)
        let span = Double(days) * 86400
        var random = SystemRandomNumberGenerator()
        func randomStart(_ window: Double) -> Date {
            bounds.addingTimeInterval(Double.random(in: 0...(max(1, span - window)), using: &random))
        }
        let wards = Array(Set(all.compactMap(\.ward))).sorted()
        let shapes: [(String, () -> SearchQuery)] = [
            ("street + 24 h", {
                var q = SearchQuery()
                let camera = all.randomElement(using: &random)!
                q.street = camera.street.map { String($0.split(separator: " ").dropFirst(2).prefix(2).joined(separator: " ")) }
                q.from = randomStart(86400); q.to = q.from!.addingTimeInterval(86400)
                return q
            }),
            ("ward + 7 days", {
                var q = SearchQuery()
                q.ward = wards.randomElement(using: &random)
                q.from = randomStart(7 * 86400); q.to = q.from!.addingTimeInterval(7 * 86400)
                return q
            }),
            ("500 m radius + 2 h", {
                var q = SearchQuery()
                let camera = all.randomElement(using: &random)!
                q.near = GeoPoint(latitude: camera.latitude!, longitude: camera.longitude!)
                q.radiusMetres = 500
                q.from = randomStart(7200); q.to = q.from!.addingTimeInterval(7200)
                return q
            }),
            ("camera + 1 h", {
                var q = SearchQuery()
                q.cameras = [all.randomElement(using: &random)!.id]
                q.from = randomStart(3600); q.to = q.from!.addingTimeInterval(3600)
                return q
            }),
        ]
        // The same queries for every engine, chosen up front.
        let planned = shapes.map { name, make in (name, (0..<queries).map { _ in make() }) }
        var rows: [Row] = []
        func measure(_ engine: String, _ search: (SearchQuery) async throws -> SearchPage) async throws {
            for (name, list) in planned {
                var times: [Double] = []
                var results = 0
                for query in list {
                    let start = ContinuousClock.now
                    let page = try await search(query)
                    let elapsed = ContinuousClock.now - start
                    times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                    results += page.hits.count
                }
                times.sort()
                rows.append(Row(query: name, engine: engine, runs: list.count, p50_ms: times[times.count / 2],
                                p99_ms: times[min(times.count - 1, Int(Double(times.count) * 0.99))],
                                mean_results: Double(results) / Double(list.count)))
            }
        }
        try await measure("sqlite") { try await store.search($0) }
        if let postgres {
            let catalog = try await PostgresCatalog.open(url: postgres)
            do {
                // One untimed pass warms the server's caches as the SQLite file is warm in the page cache.
                for (_, list) in planned { for query in list.prefix(20) { _ = try await catalog.search(query) } }
                try await measure("postgresql") { try await catalog.search($0) }
            } catch {
                await catalog.close()
                throw error
            }
            await catalog.close()
        }
        switch format {
        case .json: print(try renderJSON(rows))
        case .table:
            print(renderTable(header: ["QUERY", "ENGINE", "RUNS", "p50", "p99", "RESULTS (mean, page of 100)"], rows: rows.map {
                [$0.query, $0.engine, String($0.runs), fixed($0.p50_ms, digits: 2) + " ms", fixed($0.p99_ms, digits: 2) + " ms",
                 fixed($0.mean_results, digits: 1)]
            }))
        }
    }
}
