import Foundation
import Motion
import Testing
import WardWatchConfig

/// Issue 15, defect 5: what `config check` passes, `index` and `run` can use.
@Suite("Configuration: every problem, with ranges")
struct ConfigHardeningTests {
    func problems(_ yaml: String, folders: [String] = [], checkFolders: Bool = true) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfgh-\(UUID().uuidString)")
        for name in folders { try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ward.yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return WardWatchConfiguration.check(path: file, checkFolders: checkFolders).1.map { "\($0.line ?? 0) \($0.key ?? ""): \($0.message)" }
    }

    @Test("huge and negative numbers in every section are reported, all of them, with their ranges")
    func everyNumber() throws {
        let found = try problems("""
            daemon:
              poll_interval: 1e300
              settle_time: 1e300
              workers: 100
            indexing:
              analysis_fps: -1
              grid_columns: 1
            detection:
              merge_gap: 1e300
              reference_lag: -0.5
              pre_roll: 1e300
              frame_gap: .inf
            linking:
              radius: 1e300
              margin: -5
            cameras:
              - id: CAM01
                expected_interval: 1e300
            alerts:
              - name: a
                log: a.jsonl
                min_duration: 1e300
                min_area: 5
            """, checkFolders: false)
        let keys = found.map { String($0.split(separator: ":")[0]) }
        for expected in ["2 daemon.poll_interval", "3 daemon.settle_time", "4 daemon.workers", "6 indexing.analysis_fps",
                         "7 indexing.grid_columns", "9 detection.merge_gap", "10 detection.reference_lag", "11 detection.pre_roll",
                         "12 detection.frame_gap", "14 linking.radius", "15 linking.margin", "18 cameras[0].expected_interval",
                         "22 alerts[0].min_duration"] {
            #expect(keys.contains(expected), "missing \(expected) in \(found)")
        }
        #expect(found.contains { $0.hasPrefix("9 detection.merge_gap: must be from 0 to 86400") })
        #expect(found.contains { $0.hasPrefix("2 daemon.poll_interval: must be from 0.1 to 86400") })
    }

    @Test("a file-name pattern that cannot parse is refused", arguments: ["%Y%m", "%Y%m%d_%Q", "%Y%m%d%"])
    func badPatterns(pattern: String) throws {
        let found = try problems("indexing:\n  file_name_pattern: \"\(pattern)\"\ncameras:\n  - id: C1\n    file_name_pattern: \"\(pattern)\"\n",
                                 checkFolders: false)
        #expect(found.contains { $0.hasPrefix("2 indexing.file_name_pattern: ") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("5 cameras[0].file_name_pattern: ") }, "\(found)")
    }

    @Test("an unknown view is refused; compass points and degrees pass")
    func views() throws {
        let found = try problems("""
            cameras:
              - { id: C1, view: upstairs }
              - { id: C2, view: NE }
              - { id: C3, view: "275" }
              - { id: C4, view: "400" }
            """, checkFolders: false)
        #expect(found.count == 2 && found[0].hasPrefix("2 cameras[0].view: unknown view 'upstairs'") && found[1].hasPrefix("5 cameras[3].view"),
                "\(found)")
    }

    @Test("two cameras sharing one folder are refused")
    func sharedFolder() throws {
        let found = try problems("""
            cameras:
              - { id: C1, folder: cams }
              - { id: C2, folder: cams/ }
            """, folders: ["cams"])
        #expect(found.count == 1 && found[0].hasPrefix("3 cameras[1].folder:") && found[0].contains("camera 'C1'"), "\(found)")
        // Disjoint file patterns in one folder are two cameras' files, not one camera's twice.
        #expect(try problems("""
            cameras:
              - { id: C1, folder: cams, files: ["C1_*.mp4"] }
              - { id: C2, folder: cams, files: ["C2_*.mp4"] }
            """, folders: ["cams"]).isEmpty)
    }

    @Test("a catalog whose folder does not exist is refused, not created empty")
    func catalogFolder() throws {
        let found = try problems("catalog: /nonexistent-disk-\(UUID().uuidString)/wardwatch.sqlite\n")
        #expect(found.count == 1 && found[0].hasPrefix("1 catalog: folder") && found[0].contains("does not exist"), "\(found)")
        #expect(try problems("catalog: here.sqlite\n").isEmpty)
    }

    @Test("detection settings report every bad field at its own line")
    func detectionEveryField() throws {
        let found = try problems("detection:\n  sensitivity: 0\n  min_area: 3\n  merge_gap: -1\n", checkFolders: false)
        #expect(found.map { $0.split(separator: ":")[0] } == ["2 detection.sensitivity", "3 detection.min_area", "4 detection.merge_gap"],
                "\(found)")
        #expect(MotionSettings(mergeGapSeconds: 1e300).problems.count == 1)
    }
}
