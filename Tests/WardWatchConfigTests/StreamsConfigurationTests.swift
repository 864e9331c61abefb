import Foundation
import Testing
import WardWatchConfig

@Suite("Configuration: two streams, indexing mode, work order and lag")
struct StreamsConfigurationTests {
    @Test("index_folder, index_files and index_file_name_pattern per camera; mode, order and max_lag")
    func keys() throws {
        let configuration = try WardWatchConfiguration.parse(yaml: """
            indexing: {mode: fast, file_name_pattern: "%Y%m%d_%H%M%S"}
            daemon: {order: newest_first, max_lag: 300}
            cameras:
              - {id: CAM01, folder: /rec/main, index_folder: /rec/sub, index_files: ["*.ts"], index_file_name_pattern: "sub_%Y%m%d%H%M%S"}
              - {id: CAM02, folder: /rec/two, index_folder: /rec/two-sub}
              - {id: CAM03, folder: /rec/three}
            """, file: "w.yaml")
        #expect(configuration.indexing.mode == .fast)
        #expect(configuration.daemon.order == .newestFirst && configuration.daemon.maxLagSeconds == 300)
        let first = try #require(configuration.camera("CAM01"))
        #expect(first.indexFolder == "/rec/sub" && first.indexFilePatterns == ["*.ts"])
        #expect(first.indexFileNamePattern == "sub_%Y%m%d%H%M%S" && first.fileNamePattern == "%Y%m%d_%H%M%S")
        let second = try #require(configuration.camera("CAM02"))
        #expect(second.indexFilePatterns == CameraConfiguration.defaultFilePatterns)
        #expect(second.indexFileNamePattern == "%Y%m%d_%H%M%S")
        #expect(configuration.camera("CAM03")?.indexFolder == nil)
        #expect(WardWatchConfiguration().indexing.mode == .exact && WardWatchConfiguration().daemon.order == .oldestFirst)
    }

    @Test("bad values name the file, line and key", arguments: [
        ("indexing: {mode: quick}", "w.yaml:1: indexing.mode: use exact or fast (got 'quick')"),
        ("daemon: {order: random}", "w.yaml:1: daemon.order: use oldest_first or newest_first (got 'random')"),
        ("daemon: {max_lag: 0}", "w.yaml:1: daemon.max_lag: must be greater than 0"),
        ("cameras:\n  - {id: C, index_folder: /rec/sub}", "w.yaml:2: cameras[0].index_folder: a sub-stream folder needs the main stream's folder too"),
    ])
    func errors(yaml: String, message: String) {
        #expect(throws: ConfigurationError.self) { try WardWatchConfiguration.parse(yaml: yaml, file: "w.yaml") }
        do {
            _ = try WardWatchConfiguration.parse(yaml: yaml, file: "w.yaml")
        } catch {
            #expect(error.description == message)
        }
    }
}
