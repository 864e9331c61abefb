import ArgumentParser
import CommandLineSupport
import Catalog
import CatalogSQLite
import Foundation
import Linking

struct BenchLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Measure linking on a large synthetic catalog: every incident, then relinking per new recording.",
        discussion: """
            Needs a catalog made by `bench search --generate` (copy it first: this adds incidents, links and \
            recordings to it). Adds --incidents synthetic incidents at random cameras and times (coordinates, \
            house numbers, streets and wards; approximate times and windows), links each of them (timed one by \
            one), then commits --recordings new 10-minute recordings, each where and when some incident is, and \
            times the incremental relinking that follows each commit. Prints p50 and p99.
            """)

    @Option(help: ArgumentHelp("A copy of a synthetic catalog.", valueName: "path")) var catalog: String
    @Option(help: "Synthetic incidents to add.") var incidents: Int = 10_000
    @Option(help: "New recordings to commit, one at a time, after linking.") var recordings: Int = 200
    @Option(help: "Linking radius in metres.") var radius: Double = 300
    @Option(help: "Linking margin in seconds.") var margin: Double = 900
    @Option(help: "Days of footage in the catalog (as generated).") var days: Int = 365
    @Option(help: "Random seed.") var seed: UInt64 = 11

    func validate() throws {
        if !(1...10_000_000).contains(incidents) || !(1...1_000_000).contains(recordings) || !(1...36_500).contains(days) {
            throw ValidationError("--incidents (1 to 10000000), --recordings (1 to 1000000) and --days (1 to 36500) are out of range")
        }
        if !(radius > 0 && radius <= 100_000) { throw ValidationError("--radius must be more than 0 and at most 100000 metres") }
        if !(0...86_400).contains(margin) { throw ValidationError("--margin must be from 0 to 86400 seconds") }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: catalog) else { throw ValidationError("no catalog at '\(catalog)'") }
        let store = try SQLiteCatalog(path: catalog)
        let cameras = try await store.cameras().filter { $0.latitude != nil && $0.longitude != nil }
        guard !cameras.isEmpty else { throw ValidationError("'\(catalog)' has no cameras: make it with bench search --generate") }
        guard try await store.incidents(matching: ReportFilter(limit: 1)).isEmpty else {
            throw ValidationError("'\(catalog)' has incidents already: benchmark a fresh copy of the synthetic catalog")
        }
        guard let first = try await store.events(matching: EventQuery(limit: 1)).first?.start else {
            throw ValidationError("'\(catalog)' has no events")
        }
        var random = seed
        func next(_ bound: Int) -> Int {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((random >> 33) % UInt64(bound))
        }
        // Incidents fall within the generated days, an hour short of the end.
        let span = Double(days) * 86400 - 3600

        // 1. Incidents: a mix of the place and time forms reports use.
        var made: [Incident] = []
        for number in 0..<incidents {
            let camera = cameras[next(cameras.count)]
            let at = first.addingTimeInterval(Double(next(Int(span))))
            var place = ReportedPlace()
            switch number % 10 {
            case 0...3: // coordinates near the camera, ±100 m
                place.point = GeoPoint(latitude: camera.latitude! + Double(next(1800) - 900) / 1e7 * 10,
                                       longitude: camera.longitude! + Double(next(1800) - 900) / 1e7 * 10)
                place.uncertaintyMetres = 50
            case 4...6: place.text = camera.street // a house number on a street
            case 7...8: place.text = camera.street.map { String($0.split(separator: " ").dropFirst(2).joined(separator: " ")) }
            default: place.ward = camera.ward
            }
            let time = number % 5 < 3 ? ReportedTime(around: at, uncertaintySeconds: 600)
                : ReportedTime(from: at, to: at.addingTimeInterval(3600))
            made.append(Incident(reference: "BENCH-\(number)", category: "synthetic", time: time, place: place,
                                 description: "synthetic incident \(number)"))
        }
        var clock = ContinuousClock.now
        for batch in stride(from: 0, to: made.count, by: 1000) {
            _ = try await store.importIncidents(Array(made[batch..<min(batch + 1000, made.count)]))
        }
        let importSeconds = Self.seconds(since: clock)

        // 2. Link every incident, timing each (its candidate query and its one-transaction save).
        let linker = Linker(store: store, settings: LinkSettings(radiusMetres: radius, marginSeconds: margin))
        let resolver = PlaceResolver(cameras: try await store.cameras(), radiusMetres: radius)
        var linkTimes: [Double] = []
        var linksMade = 0
        clock = ContinuousClock.now
        while true {
            let batch = try await store.reportsAwaitingLinks(limit: 1000)
            guard !batch.isEmpty else { break }
            for subject in batch {
                let start = ContinuousClock.now
                linksMade += try await linker.link(subject, resolver: resolver).changes.added.count
                linkTimes.append(Self.seconds(since: start) * 1000)
            }
        }
        let linkSeconds = Self.seconds(since: clock)

        // 3. New recordings, each at an incident's camera and time; time the relinking after each commit.
        var relinkTimes: [Double] = [], commitTimes: [Double] = []
        var relinked = 0
        for number in 0..<recordings {
            let incident = made[next(made.count)]
            let resolution = resolver.resolve(incident.place)
            let camera = resolution.cameras.isEmpty ? cameras[next(cameras.count)].id : resolution.cameras[next(resolution.cameras.count)]
            let start = incident.time.start.addingTimeInterval(Double(next(600)))
            let events = (0..<3).map { index in
                let offset = Double(60 + index * 180 + next(60))
                return NewMotionEvent(start: start.addingTimeInterval(offset), end: start.addingTimeInterval(offset + 8),
                                      offsetSeconds: offset, clipStart: start.addingTimeInterval(offset - 2),
                                      clipEnd: start.addingTimeInterval(offset + 10), peakTime: start.addingTimeInterval(offset + 4),
                                      peakScore: Double(next(1000)) / 1000, meanScore: 0.1, area: 0.01,
                                      boundingBox: NormalizedBox(x: 0.1, y: 0.1, width: 0.2, height: 0.3), still: nil)
            }
            let recording = NewRecording(
                fingerprint: "bench-link-\(seed)-\(number)", path: "/synthetic/bench-link/\(number).mp4", camera: camera, start: start,
                startSource: .container, durationSeconds: 600, codec: "h264", width: 1920, height: 1080, frameRate: 25,
                frameCount: 15000, sizeBytes: 0)
            clock = ContinuousClock.now
            _ = try await store.commitIndexed(recording, events: events)
            commitTimes.append(Self.seconds(since: clock) * 1000)
            clock = ContinuousClock.now
            relinked += try await linker.linkNewRecordings().reports
            relinkTimes.append(Self.seconds(since: clock) * 1000)
        }

        print("catalog: \(catalog) (\(cameras.count) cameras), radius \(Int(radius)) m, margin \(Int(margin)) s")
        print("import \(incidents) incidents: \(fixed(importSeconds, digits: 2)) s (transactions of 1000)")
        print("link \(incidents) incidents: \(fixed(linkSeconds, digits: 2)) s in all, \(linksMade) links; per incident "
            + "p50 \(fixed(Self.percentile(linkTimes, 0.5), digits: 2)) ms, p99 \(fixed(Self.percentile(linkTimes, 0.99), digits: 2)) ms")
        print("new recording (\(recordings), 3 events each): commit p50 \(fixed(Self.percentile(commitTimes, 0.5), digits: 2)) ms; "
            + "relink p50 \(fixed(Self.percentile(relinkTimes, 0.5), digits: 2)) ms, "
            + "p99 \(fixed(Self.percentile(relinkTimes, 0.99), digits: 2)) ms, "
            + "\(fixed(Double(relinked) / Double(recordings), digits: 1)) reports relinked per recording")
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
