import Foundation
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
        #expect(configuration.indexing.fileNamePattern == "%Y%m%d_%H%M%S")
        #expect(configuration.catalogPath == "wardwatch.sqlite")
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
