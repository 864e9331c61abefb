import Foundation
import FuzzSupport
import Ingest

/// ISO 6709 locations from container tags ("+21.0285+105.8542/"): a position on the globe, or nil.
func fuzzISO6709(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let point = ISO6709.parse(text) {
        precondition((-90...90).contains(point.latitude) && (-180...180).contains(point.longitude), "'\(text)' → \(point)")
    }
}

FuzzDriver.run(fuzzISO6709)
