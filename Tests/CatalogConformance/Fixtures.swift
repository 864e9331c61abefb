import Catalog
import Foundation

/// Values the checks build their catalogs from.
enum Fixture {
    /// 2024-07-10 15:30:00 +07:00.
    static let base = Date(timeIntervalSince1970: 1_720_600_200)

    static func recording(_ fingerprint: String, camera: String = "CAM01", start: Date? = nil,
                          duration: Double = 60) -> NewRecording {
        NewRecording(fingerprint: fingerprint, path: "/footage/\(fingerprint).mp4", camera: camera, start: start ?? base,
                     startSource: .container, durationSeconds: duration, codec: "h264", width: 1920, height: 1080,
                     frameRate: 25, frameCount: Int(duration * 25), sizeBytes: 1234)
    }

    /// An event `from`…`to` seconds after `start` (default `base`).
    static func event(_ from: Double, _ to: Double, start: Date? = nil, peak: Double = 1.5, still: String? = "x/1.jpg")
        -> NewMotionEvent
    {
        let origin = start ?? base
        return NewMotionEvent(
            start: origin.addingTimeInterval(from), end: origin.addingTimeInterval(to), offsetSeconds: from,
            clipStart: origin.addingTimeInterval(from - 2), clipEnd: origin.addingTimeInterval(to + 2),
            peakTime: origin.addingTimeInterval(from), peakScore: peak, meanScore: 0.8, area: 0.01,
            boundingBox: NormalizedBox(x: 0.1, y: 0.2, width: 0.3, height: 0.4), still: still)
    }

    static func alert(_ id: String, log: String = "/var/log/wardwatch/alerts.jsonl") -> NewAlert {
        NewAlert(alertID: id, rule: "night", log: log, line: #"{"id":"\#(id)"}"#)
    }

    /// Seconds after `base`, to the millisecond (what catalogs keep).
    static func offset(_ date: Date) -> Double { (date.timeIntervalSince(base) * 1000).rounded() / 1000 }

    /// A stand-in for SHA-256 in the audit chain: deterministic, and different for different texts.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        return String(value, radix: 16)
    }

    static let cameras = [
        Camera(id: "CAM01", name: "Số 12 Nguyễn Trãi", ward: "Phường Bến Thành", street: "số 12 Nguyễn Trãi",
               latitude: 10.7725, longitude: 106.6980),
        Camera(id: "CAM02", name: "Ngã tư Nguyễn Trãi – Lê Lợi", ward: "Phường Bến Thành", street: "ngã tư Nguyễn Trãi – Lê Lợi",
               latitude: 10.7740, longitude: 106.6990),
        Camera(id: "CAM03", name: "Số 5 Đinh Lễ", ward: "Phường Tràng Tiền", street: "số 5 Đinh Lễ",
               latitude: 10.7900, longitude: 106.7100),
    ]

    static func incident(_ reference: String, at minutes: Double, category: String = "theft", text: String? = nil,
                         description: String = "", status: IncidentStatus = .open) -> Incident {
        Incident(reference: reference, category: category,
                 time: ReportedTime(around: base.addingTimeInterval(minutes * 60), uncertaintySeconds: 120),
                 place: ReportedPlace(text: text), description: description, status: status)
    }

    static func tip(_ reference: String, at minutes: Double, incident: String? = nil, contact: String? = nil) -> Tip {
        Tip(reference: reference, channel: "zalo", time: ReportedTime(around: base.addingTimeInterval(minutes * 60),
                                                                      uncertaintySeconds: 300),
            place: ReportedPlace(text: "phố Nhà Thờ"), incidentReference: incident, reporterContact: contact)
    }
}
