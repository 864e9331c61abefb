import Catalog
import Foundation
import Linking

/// Place text: folding, word matching and offline resolution of a reported place to cameras.
func fuzzPlaceText(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let folded = PlaceText.fold(text)
    let words = PlaceText.foldedWords(text)
    _ = PlaceText.matches(query: text, in: "Số 12 Nguyễn Trãi, Phường Bến Thành")
    _ = PlaceText.matches(words: words, in: folded)
    let resolver = PlaceResolver(cameras: FuzzWard.cameras, radiusMetres: 300)
    _ = resolver.resolve(ReportedPlace(text: text))
    _ = resolver.resolve(ReportedPlace(text: nil, ward: text, street: text))
    return 0
}

enum FuzzWard {
    static let cameras = [
        Camera(id: "CAM01", name: "Số 12 Nguyễn Trãi", ward: "Phường Bến Thành", street: "số 12 Nguyễn Trãi",
               latitude: 10.7725, longitude: 106.6980),
        Camera(id: "CAM02", name: "Ngã tư Nguyễn Trãi – Lê Lợi", ward: "Phường Bến Thành", street: "ngã tư Nguyễn Trãi – Lê Lợi",
               latitude: 10.7740, longitude: 106.6990),
    ]
}

// MARK: - libFuzzer driver (main is ours; libFuzzer comes from libclang_rt.fuzzer_no_main)

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var fuzzArgc = CommandLine.argc
var fuzzArgv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&fuzzArgc, &fuzzArgv) { data, count in
    guard let data else { return withUnsafeBytes(of: UInt8(0)) { fuzzPlaceText($0.baseAddress!, 0) } }
    return fuzzPlaceText(UnsafeRawPointer(data), count)
})
