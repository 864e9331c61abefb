import Catalog
import Foundation

/// JSON text written by hand for the one response that is large and frequent: a page of search
/// results. Profiling the API at full load put Foundation's `JSONEncoder` at a third of the server's
/// CPU; this writes the same document (keys sorted, absent values omitted) at a fraction of that.
/// `SearchResultJSONTests` checks it against `JSONEncoder` on random pages.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"key":` — keys are our own ASCII names and need no escaping.
    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number(_ value: Double) {
        guard value.isFinite else { return raw("null") }
        if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    mutating func number(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    mutating func optional(_ name: StaticString, _ value: String?) {
        if let value { key(name); string(value) }
    }

    mutating func optional(_ name: StaticString, _ value: Double?) {
        if let value { key(name); number(value) }
    }
}

extension SearchResultItem {
    func write(to json: inout JSONText) {
        json.raw("{")
        json.key("area", first: true); json.number(area)
        json.key("bbox"); json.raw("{")
        json.key("h", first: true); json.number(bbox.h)
        json.key("w"); json.number(bbox.w)
        json.key("x"); json.number(bbox.x)
        json.key("y"); json.number(bbox.y)
        json.raw("}")
        json.key("camera"); json.raw("{")
        json.key("id", first: true); json.string(camera.id)
        json.optional("latitude", camera.latitude)
        json.optional("longitude", camera.longitude)
        json.optional("name", camera.name)
        json.optional("street", camera.street)
        json.optional("ward", camera.ward)
        json.raw("}")
        json.optional("distance_m", distance_m)
        json.key("duration_s"); json.number(duration_s)
        json.key("end"); json.string(end)
        json.key("end_local"); json.string(end_local)
        json.key("id"); json.number(id)
        json.key("playback"); json.raw("{")
        json.key("clip_end", first: true); json.string(playback.clip_end)
        json.key("clip_start"); json.string(playback.clip_start)
        json.optional("clip_url", playback.clip_url)
        json.key("offset_s"); json.number(playback.offset_s)
        json.optional("path", playback.path)
        json.key("recording"); json.number(playback.recording)
        json.raw("}")
        json.key("score"); json.number(score)
        json.key("source_stream"); json.string(source_stream)
        json.key("start"); json.string(start)
        json.key("start_local"); json.string(start_local)
        json.optional("still", still)
        json.raw("}")
    }
}

extension SearchResultList {
    /// The page as compact JSON with sorted keys, the same document `JSONEncoder` would write.
    public func jsonData() -> Data {
        var json = JSONText(capacity: 700 * events.count + 64)
        json.raw("{")
        json.key("events", first: true); json.raw("[")
        for (index, item) in events.enumerated() {
            if index > 0 { json.raw(",") }
            item.write(to: &json)
        }
        json.raw("]")
        json.optional("next_cursor", next_cursor)
        json.raw("}")
        return Data(json.bytes)
    }
}

extension SearchGeoJSON {
    /// The collection as compact JSON with sorted keys, the same document `JSONEncoder` would write.
    public func jsonData() -> Data {
        var json = JSONText(capacity: 800 * features.count + 64)
        json.raw("{")
        json.key("features", first: true); json.raw("[")
        for (index, feature) in features.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{")
            json.key("geometry", first: true)
            if let point = feature.geometry {
                json.raw("{")
                json.key("coordinates", first: true); json.raw("[")
                for (k, coordinate) in point.coordinates.enumerated() {
                    if k > 0 { json.raw(",") }
                    json.number(coordinate)
                }
                json.raw("]")
                json.key("type"); json.string(point.type)
                json.raw("}")
            } else {
                json.raw("null")
            }
            json.key("id"); json.number(feature.id)
            json.key("properties"); feature.properties.write(to: &json)
            json.key("type"); json.string(feature.type)
            json.raw("}")
        }
        json.raw("]")
        json.optional("next_cursor", next_cursor)
        json.key("type"); json.string(type)
        json.raw("}")
        return Data(json.bytes)
    }
}
