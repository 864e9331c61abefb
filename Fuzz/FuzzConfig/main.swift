import Foundation
import WardWatchConfig

/// The YAML configuration: every problem collected, none of them a crash.
func fuzzConfig(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let (configuration, problems) = WardWatchConfiguration.check(yaml: text, file: "/fuzz/ward.yaml", checkFolders: false)
    if problems.isEmpty {
        // What passes the check must be usable: every detection setting in range.
        precondition(configuration.detection.problems.isEmpty, "config check passed bad detection settings")
        for camera in configuration.cameras { precondition(camera.detection.problems.isEmpty) }
    }
    return 0
}

// MARK: - libFuzzer driver (main is ours; libFuzzer comes from libclang_rt.fuzzer_no_main)

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var fuzzArgc = CommandLine.argc
var fuzzArgv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&fuzzArgc, &fuzzArgv) { data, count in
    guard let data else { return withUnsafeBytes(of: UInt8(0)) { fuzzConfig($0.baseAddress!, 0) } }
    return fuzzConfig(UnsafeRawPointer(data), count)
})
