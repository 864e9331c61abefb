import Catalog
import Foundation
import FuzzSupport

/// Search parameters as a URL query ("camera=…&near=…&min_duration=…"), the way the HTTP API and
/// the CLI hand them to `SearchParameters`: every value either becomes a query or an error naming it.
func fuzzSearchQuery(_ bytes: UnsafeRawBufferPointer) {
    let text = String(decoding: bytes, as: UTF8.self)
    var parameters = SearchParameters()
    for pair in text.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0]), value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
        switch name {
        case "camera": parameters.cameras.append(value)
        case "ward": parameters.ward = value
        case "street": parameters.street = value
        case "near": parameters.near = value
        case "radius": if let number = Double(value) { parameters.radius = number }
        case "bbox": parameters.bbox = value
        case "from": parameters.from = value
        case "to": parameters.to = value
        case "last": parameters.last = value
        case "min_score": parameters.minScore = Double(value)
        case "min_duration": parameters.minDuration = Double(value)
        case "min_area": parameters.minArea = Double(value)
        case "sort": parameters.sort = value
        case "limit": if let number = Int(value) { parameters.limit = number }
        case "cursor": parameters.cursor = value
        default: break
        }
    }
    guard let query = try? parameters.query(zone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, now: Date(timeIntervalSince1970: 1_720_600_200))
    else { return }
    // What is accepted converts to the store's integers without trapping.
    _ = query.minimumDurationSeconds.map { Int64(millisecondsOf: $0) }
    _ = query.from.map { Int64(millisecondsSince1970: $0) }
    _ = query.to.map { Timestamp.format($0) }
    _ = query.cursor.flatMap(SearchCursor.decode)
    _ = query.admitted(FuzzCameras.all)
}

enum FuzzCameras {
    static let all = [
        Camera(id: "CAM01", name: "Số 12 Nguyễn Trãi", ward: "Phường Bến Thành", street: "số 12 Nguyễn Trãi",
               latitude: 10.7725, longitude: 106.6980),
        Camera(id: "CAM03", name: nil, ward: nil, street: nil, latitude: nil, longitude: nil),
    ]
}

FuzzDriver.run(fuzzSearchQuery)
