import Catalog
import Foundation

/// ISO 8601 times and relative periods ("90s", "2h", "7d"), and formatting what they parse to.
func fuzzTimes(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    // Local mean time (before ~1912) has offsets with seconds, which ISO 8601 cannot print: those are
    // checked in UTC only.
    if let date = Timestamp.parse(text, defaultZone: zone), zone.secondsFromGMT(for: date) % 60 == 0 {
        // Round trip: what we print, we read back to the same millisecond.
        let printed = Timestamp.format(date, in: zone)
        let again = Timestamp.parse(printed, defaultZone: zone)
        precondition(again.map { abs($0.timeIntervalSince(date)) < 0.001 } == true, "round trip of '\(text)' via '\(printed)'")
    }
    if let seconds = SearchParameters.period(text) {
        var parameters = SearchParameters()
        parameters.last = text
        _ = try? parameters.query(zone: zone, now: Date(timeIntervalSince1970: 1_720_600_200))
        precondition(seconds.isFinite && seconds > 0)
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
    guard let data else { return withUnsafeBytes(of: UInt8(0)) { fuzzTimes($0.baseAddress!, 0) } }
    return fuzzTimes(UnsafeRawPointer(data), count)
})
