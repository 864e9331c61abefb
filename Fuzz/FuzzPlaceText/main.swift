import Catalog
import Foundation
import FuzzSupport
import Linking

/// Place text: folding, word matching and offline resolution of a reported place to cameras.
func fuzzPlaceText(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    let folded = PlaceText.fold(text)
    let words = PlaceText.foldedWords(text)
    _ = PlaceText.matches(query: text, in: "Số 12 Nguyễn Trãi, Phường Bến Thành")
    _ = PlaceText.matches(words: words, in: folded)
    let resolver = PlaceResolver(cameras: FuzzWard.cameras, radiusMetres: 300)
    _ = resolver.resolve(ReportedPlace(text: text))
    _ = resolver.resolve(ReportedPlace(text: nil, ward: text, street: text))
}

enum FuzzWard {
    static let cameras = [
        Camera(id: "CAM01", name: "Số 12 Nguyễn Trãi", ward: "Phường Bến Thành", street: "số 12 Nguyễn Trãi",
               latitude: 10.7725, longitude: 106.6980),
        Camera(id: "CAM02", name: "Ngã tư Nguyễn Trãi – Lê Lợi", ward: "Phường Bến Thành", street: "ngã tư Nguyễn Trãi – Lê Lợi",
               latitude: 10.7740, longitude: 106.6990),
    ]
}

FuzzDriver.run(fuzzPlaceText)
