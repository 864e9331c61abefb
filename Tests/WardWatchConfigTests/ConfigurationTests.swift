import Alerts
import Foundation
import Linking
import Motion
import Testing
import WardWatchConfig

@Suite("Configuration file")
struct ConfigurationTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/wardwatch.yaml").path

    @Test("the shipped sample configuration loads and matches the built-in defaults")
    func sampleLoads() throws {
        let configuration = try WardWatchConfiguration.load(path: Self.sample)
        var expected = MotionSettings()
        expected.exclude = configuration.detection.exclude
        #expect(configuration.detection == expected)
        #expect(configuration.detection.exclude.count == 1)
        #expect(configuration.timeZone.identifier == "Asia/Ho_Chi_Minh")
        #expect(configuration.indexing.start.fileNamePattern?.pattern == "%Y%m%d_%H%M%S")
        #expect(configuration.catalogPath?.hasSuffix("/out/wardwatch.sqlite") == true)
        #expect(configuration.signingKeyPath?.hasSuffix("/out/wardwatch-signing.key") == true)
        #expect(configuration.cameras.count == 12)
        #expect(Set(configuration.cameras.map(\.id)).count == 12)
        #expect(configuration.cameras.allSatisfy { $0.latitude != nil && $0.folder?.hasPrefix("/") == true })
        // Per-camera overrides apply on top of the global detection settings.
        #expect(configuration.camera("CAM05")?.detection.minimumArea == 0.002)
        #expect(configuration.camera("CAM05")?.detection.exclude == configuration.detection.exclude)
        #expect(configuration.camera("CAM12")?.detection.exclude.count == 1)
        #expect(configuration.alerts.map(\.name) == ["night-motion", "camera-health", "incident-links"])
        #expect(configuration.alerts[2].kinds == [.incident])
        #expect(configuration.linking == LinkSettings())
        #expect(configuration.alerts[0].timeOfDay == TimeWindow(startMinute: 22 * 60, endMinute: 5 * 60))
    }

    @Test("config check collects every problem in the registry, each with its line and key")
    func registryProblems() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("cam1"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = """
            cameras:
              - id: CAM01
                folder: cam1
                latitude: 121.5
                longitude: 105.85
              - id: CAM02
                folder: missing
                colour: red
              - id: CAM01
                folder: cam1
            alerts:
              - name: a
                log: a.jsonl
                cameras: [CAM09]
                time_of_day: "25:00-03:00"
            """
        let file = folder.appendingPathComponent("ward.yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let (_, problems) = WardWatchConfiguration.check(path: file)
        let summary = problems.map { "\($0.line ?? 0) \($0.key ?? "")" }
        #expect(summary == ["4 cameras[0].latitude", "7 cameras[1].folder", "8 cameras[1].colour", "9 cameras[2].id",
                            "14 alerts[0].cameras"], "\(summary)")
        #expect(problems.contains { $0.key == "cameras[0].latitude" && $0.line == 4 && $0.message.contains("-90 to 90") })
        #expect(problems.contains { $0.key == "cameras[1].colour" && $0.line == 8 && $0.message.contains("unknown key") })
        #expect(problems.contains { $0.key == "cameras[2].id" && $0.line == 9 && $0.message.contains("duplicate camera id 'CAM01'") })
        #expect(problems.contains { $0.key == "alerts[0].cameras" && $0.line == 14 && $0.message.contains("CAM09") })
        #expect(!problems.contains { $0.key == "cameras[0].folder" })
    }

    @Test("time-of-day windows may cross midnight", arguments: [
        ("22:00-05:00", 23 * 60, true), ("22:00-05:00", 4 * 60 + 59, true), ("22:00-05:00", 5 * 60, false),
        ("22:00-05:00", 12 * 60, false), ("08:00-17:30", 17 * 60 + 29, true), ("08:00-17:30", 7 * 60, false),
    ])
    func timeWindows(text: String, minute: Int, inside: Bool) throws {
        #expect(try #require(TimeWindow(text)).contains(minuteOfDay: minute) == inside)
    }

    @Test("the console's tile server is optional; by default the map asks nothing of other servers")
    func tileURL() throws {
        #expect(try WardWatchConfiguration.parse(yaml: "", file: "x.yaml").tileURL == nil)
        let yaml = "ui:\n  tile_url: https://tiles.ward.example/{z}/{x}/{y}.png\n"
        #expect(try WardWatchConfiguration.parse(yaml: yaml, file: "x.yaml").tileURL == "https://tiles.ward.example/{z}/{x}/{y}.png")
    }

    @Test("an empty file means all defaults")
    func empty() throws {
        #expect(try WardWatchConfiguration.parse(yaml: "", file: "x.yaml") == WardWatchConfiguration())
    }

    @Test("problems name the file, line and key", arguments: [
        ("detection:\n  sensitivty: 3\n", 2, "detection.sensitivty", "unknown key"),
        ("indexing:\n  grid_columns: 4\n", 2, "indexing.grid_columns", "must be from"),
        ("time_zone: Mars/Olympus\n", 1, "time_zone", "unknown time zone"),
        ("detection:\n  min_area: 3\n", 2, "detection.min_area", "fraction"),
        ("detection:\n  exclude:\n    - [[0, 0], [2, 0], [0, 1]]\n", 3, "detection.exclude[0]", "normalized"),
        ("detection:\n  merge_gap: soon\n", 2, "detection.merge_gap", "expected a number"),
        ("ui:\n  tile_url: tiles.example/{z}/{x}/{y}.png\n", 2, "ui.tile_url", "http(s) URL"),
        ("ui:\n  tiles: x\n", 2, "ui.tiles", "unknown key"),
    ])
    func problems(yaml: String, line: Int, key: String, message: String) {
        #expect {
            _ = try WardWatchConfiguration.parse(yaml: yaml, file: "ward.yaml")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.line == line && error.key == key && error.message.contains(message)
                && error.description.hasPrefix("ward.yaml:\(line): \(key): ")
        }
    }

    @Test("broken YAML is reported with its line")
    func brokenYAML() {
        #expect {
            _ = try WardWatchConfiguration.parse(yaml: "detection:\n  sensitivity: [3\n", file: "ward.yaml")
        } throws: { error in
            (error as? ConfigurationError)?.description.hasPrefix("ward.yaml:") == true
        }
    }

    @Test("a missing file is named")
    func missingFile() {
        #expect {
            _ = try WardWatchConfiguration.load(path: "/nonexistent/ward.yaml")
        } throws: { error in
            (error as? ConfigurationError)?.description == "/nonexistent/ward.yaml: file not found"
        }
    }
}
