import Catalog
import Foundation
import Linking

/// CSV and JSON imports: bytes → text (encodings) → rows → incidents and tips.
func fuzzImports(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let text = try? ReportFile.text(of: data, file: "fuzz") else { return 0 }
    let importer = ReportImport(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
    for format in [ReportFile.Format.csv, .json] {
        guard let rows = try? ReportFile.parse(text, format: format, file: "fuzz") else { continue }
        _ = try? importer.incidents(rows, file: "fuzz")
        _ = try? importer.tips(rows, file: "fuzz")
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
    guard let data else { return withUnsafeBytes(of: UInt8(0)) { fuzzImports($0.baseAddress!, 0) } }
    return fuzzImports(UnsafeRawPointer(data), count)
})
