import Foundation
import FuzzSupport
import WardWatchConfig

/// The YAML configuration: every problem collected, none of them a crash.
func fuzzConfig(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    let (configuration, problems) = WardWatchConfiguration.check(yaml: text, file: "/fuzz/ward.yaml", checkFolders: false)
    if problems.isEmpty {
        // What passes the check must be usable: every detection setting in range.
        precondition(configuration.detection.problems.isEmpty, "config check passed bad detection settings")
        for camera in configuration.cameras { precondition(camera.detection.problems.isEmpty) }
    }
}

FuzzDriver.run(fuzzConfig)
