import Catalog
import Foundation
import Motion

/// Decides which rules a new event or health problem matches, and renders their log lines.
///
/// Lines are rendered once, when the event commits, and stored in the outbox; the writer copies
/// them verbatim, so a line is identical however often delivery is retried.
public struct AlertPlanner: Sendable {
    public let rules: [AlertRule]
    /// The registry: rules match on a camera's ward and street, and lines carry its place.
    public let cameras: [String: Camera]
    /// Each camera's zone for local times; cameras not listed use `timeZone`.
    public let cameraTimeZones: [String: TimeZone]
    public let timeZone: TimeZone
    /// Folder that event still paths are relative to, so alert lines carry absolute paths.
    public let stillsDirectory: String

    public init(rules: [AlertRule], cameras: [Camera], cameraTimeZones: [String: TimeZone] = [:],
                timeZone: TimeZone = .wardDefault, stillsDirectory: String) {
        self.rules = rules
        self.cameras = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.cameraTimeZones = cameraTimeZones
        self.timeZone = timeZone
        self.stillsDirectory = stillsDirectory
    }

    /// Alerts for a committed motion event (its id is assigned).
    public func alerts(for event: MotionEvent) -> [NewAlert] {
        let camera = cameras[event.camera]
        let zone = cameraTimeZones[event.camera] ?? timeZone
        return rules.filter { rule in
            rule.kinds.contains(.motion) && matchesPlace(rule, cameraID: event.camera, camera: camera)
                && event.durationSeconds >= rule.minimumDurationSeconds && event.area >= rule.minimumArea
                && (rule.zones.isEmpty || rule.zones.contains { Self.touches($0, event.boundingBox) })
                && rule.timeOfDay.map { $0.contains(minuteOfDay: Self.minuteOfDay(event.start, zone)) } ?? true
        }.map { rule in
            let line = AlertLine(
                alert_id: "\(rule.name)/event-\(event.id)", rule: rule.name, kind: "motion", event_id: event.id,
                camera: event.camera, place: place(camera), start: Timestamp.format(event.start),
                end: Timestamp.format(event.end), start_local: Timestamp.format(event.start, in: zone),
                end_local: Timestamp.format(event.end, in: zone),
                duration_s: (event.durationSeconds * 1000).rounded() / 1000,
                score: (event.peakScore * 10000).rounded() / 10000, area: (event.area * 100000).rounded() / 100000,
                still: event.still.map { (stillsDirectory as NSString).appendingPathComponent($0) }, reason: nil, file: nil)
            return NewAlert(alertID: line.alert_id, rule: rule.name, log: rule.log, line: render(line, format: rule.format))
        }
    }

    /// Alerts for a new suggested link between an open incident and a motion event (kind
    /// `incident`, action `incident.link`). The line names the incident, the event and why they
    /// were linked; it never carries anything from a tip (no reporter contact can reach a log).
    public func incidentAlerts(for notice: IncidentLinkNotice) -> [NewAlert] {
        let event = notice.event
        let camera = cameras[event.camera]
        let zone = cameraTimeZones[event.camera] ?? timeZone
        return rules.filter { $0.kinds.contains(.incident) && matchesPlace($0, cameraID: event.camera, camera: camera) }.map { rule in
            var line = AlertLine(
                alert_id: "\(rule.name)/incident-\(notice.incidentReference)/event-\(event.id)", rule: rule.name,
                kind: "incident.link", event_id: event.id, camera: event.camera, place: place(camera),
                start: Timestamp.format(event.start), end: Timestamp.format(event.end),
                start_local: Timestamp.format(event.start, in: zone), end_local: Timestamp.format(event.end, in: zone),
                duration_s: (event.durationSeconds * 1000).rounded() / 1000, score: (event.peakScore * 10000).rounded() / 10000,
                area: (event.area * 100000).rounded() / 100000,
                still: event.still.map { (stillsDirectory as NSString).appendingPathComponent($0) }, reason: notice.link.reason,
                file: nil)
            line.incident = notice.incidentReference
            line.category = notice.category
            line.link_score = notice.link.score
            return NewAlert(alertID: line.alert_id, rule: rule.name, log: rule.log, line: render(line, format: rule.format))
        }
    }

    /// Alerts for a camera health problem: a failed recording, a black, frozen or moved picture,
    /// or a camera gone silent. `key` makes the alert id deterministic, so the same problem is
    /// never alerted twice, across retries and restarts.
    public func healthAlerts(camera cameraID: String, problem: String, file: String?, at time: Date, key: String) -> [NewAlert] {
        let camera = cameras[cameraID]
        let zone = cameraTimeZones[cameraID] ?? timeZone
        return rules.filter { $0.kinds.contains(.health) && matchesPlace($0, cameraID: cameraID, camera: camera) }.map { rule in
            let line = AlertLine(
                alert_id: "\(rule.name)/\(key)", rule: rule.name, kind: "health", event_id: nil,
                camera: cameraID, place: place(camera), start: Timestamp.format(time), end: nil,
                start_local: Timestamp.format(time, in: zone), end_local: nil, duration_s: nil, score: nil, area: nil,
                still: nil, reason: problem, file: file)
            return NewAlert(alertID: line.alert_id, rule: rule.name, log: rule.log, line: render(line, format: rule.format))
        }
    }

    // MARK: - Matching

    private func matchesPlace(_ rule: AlertRule, cameraID: String, camera: Camera?) -> Bool {
        if !rule.cameras.isEmpty, !rule.cameras.contains(cameraID) { return false }
        if !rule.wards.isEmpty {
            guard let ward = camera?.ward.map(PlaceText.fold) else { return false }
            if !rule.wards.contains(where: { PlaceText.fold($0) == ward }) { return false }
        }
        if !rule.streets.isEmpty {
            guard let street = camera?.street.map(PlaceText.fold) else { return false }
            if !rule.streets.contains(where: { street.contains(PlaceText.fold($0)) }) { return false }
        }
        return true
    }

    /// Whether a motion box and a zone overlap: a box corner or centre inside the zone, or a zone
    /// vertex inside the box.
    static func touches(_ zone: Polygon, _ box: NormalizedBox) -> Bool {
        let corners = [(box.x, box.y), (box.x + box.width, box.y), (box.x, box.y + box.height),
                       (box.x + box.width, box.y + box.height), (box.x + box.width / 2, box.y + box.height / 2)]
        if corners.contains(where: { zone.contains(x: $0.0, y: $0.1) }) { return true }
        return zone.points.contains { $0.x >= box.x && $0.x <= box.x + box.width && $0.y >= box.y && $0.y <= box.y + box.height }
    }

    static func minuteOfDay(_ date: Date, _ zone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    // MARK: - Rendering

    private func place(_ camera: Camera?) -> AlertLine.Place? {
        guard let camera else { return nil }
        return AlertLine.Place(name: camera.name, ward: camera.ward, street: camera.street, latitude: camera.latitude,
                               longitude: camera.longitude)
    }

    private func render(_ line: AlertLine, format: AlertRule.Format) -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: (try? encoder.encode(line)) ?? Data(), as: UTF8.self)
        case .text:
            var text = "\(line.start_local) [\(line.rule)] \(line.kind) \(line.camera)"
            if let where_ = line.place?.street ?? line.place?.name { text += " (\(where_))" }
            if let duration = line.duration_s { text += String(format: " %.1f s", duration) }
            if let area = line.area { text += String(format: ", area %.2f%%", area * 100) }
            if let incident = line.incident { text += " incident \(incident)" }
            if let event = line.event_id { text += ", event \(event)" }
            if let reason = line.reason { text += ": \(reason)" }
            if let file = line.file { text += " — \(file)" }
            if let still = line.still { text += ", still \(still)" }
            return text + " [\(line.alert_id)]"
        }
    }
}

/// One alert as a JSON line (keys are part of the interface; see README).
struct AlertLine: Codable {
    var alert_id: String
    var rule: String
    var kind: String
    var event_id: Int64?
    var camera: String
    var place: Place?
    var start: String
    var end: String?
    var start_local: String
    var end_local: String?
    var duration_s: Double?
    var score: Double?
    var area: Double?
    var still: String?
    var reason: String?
    var file: String?
    /// For `incident.link`: the incident's reference and category, and the link's score.
    var incident: String?
    var category: String?
    var link_score: Double?

    struct Place: Codable {
        var name: String?
        var ward: String?
        var street: String?
        var latitude: Double?
        var longitude: Double?
    }
}
