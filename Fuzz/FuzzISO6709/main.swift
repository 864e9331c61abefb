import Foundation
import Ingest

/// ISO 6709 locations from container tags ("+21.0285+105.8542/"): a position on the globe, or nil.
func fuzzISO6709(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    if let point = ISO6709.parse(text) {
        precondition((-90...90).contains(point.latitude) && (-180...180).contains(point.longitude), "'\(text)' → \(point)")
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
    guard let data else { return withUnsafeBytes(of: UInt8(0)) { fuzzISO6709($0.baseAddress!, 0) } }
    return fuzzISO6709(UnsafeRawPointer(data), count)
})
