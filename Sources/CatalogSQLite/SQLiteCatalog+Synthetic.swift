import Catalog
import Foundation
import GRDB

extension SQLiteCatalog {
    /// The shape of a synthetic catalog for benchmarks.
    public struct SyntheticPlan: Sendable {
        public var cameras: Int
        public var days: Int
        public var eventsPerCameraPerDay: Int
        public var wards: Int
        public var streetsPerWard: Int
        /// Centre of the synthetic city; cameras scatter within about 3 km.
        public var centre: GeoPoint
        public var start: Date
        public var seed: UInt64

        public init(cameras: Int = 500, days: Int = 365, eventsPerCameraPerDay: Int = 55, wards: Int = 25,
                    streetsPerWard: Int = 8, centre: GeoPoint = GeoPoint(latitude: 21.0285, longitude: 105.8542),
                    start: Date = Date(timeIntervalSince1970: 1_704_067_200), seed: UInt64 = 7) {
            self.cameras = cameras
            self.days = days
            self.eventsPerCameraPerDay = eventsPerCameraPerDay
            self.wards = wards
            self.streetsPerWard = streetsPerWard
            self.centre = centre
            self.start = start
            self.seed = seed
        }

        public var eventCount: Int { cameras * days * eventsPerCameraPerDay }
    }

    /// Fills an empty catalog with synthetic cameras, one recording per camera per day, and events
    /// spread over each day — for `wardwatch bench search` only. One transaction, bulk statements.
    /// - Parameter progress: called with the fraction done.
    public func generateSynthetic(_ plan: SyntheticPlan, progress: (Double) -> Void = { _ in }) async throws -> [Camera] {
        var random = plan.seed
        func next() -> UInt64 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return random >> 33
        }
        let streetNames = ["Nguyễn Trãi", "Lê Lợi", "Trần Phú", "Hàng Bông", "Hàng Gai", "Lý Quốc Sư", "Nhà Thờ", "Đinh Lễ",
                           "Tràng Thi", "Bà Triệu", "Hai Bà Trưng", "Lý Thường Kiệt", "Phan Chu Trinh", "Hàng Bài"]
        var cameras: [Camera] = []
        for index in 0..<plan.cameras {
            let ward = Int(next() % UInt64(plan.wards))
            let street = streetNames[(ward * plan.streetsPerWard + Int(next() % UInt64(plan.streetsPerWard))) % streetNames.count]
            let dLat = (Double(next() % 6000) - 3000) / 111_000, dLon = (Double(next() % 6000) - 3000) / 104_000
            cameras.append(Camera(
                id: String(format: "SYN%03d", index), name: "số \(index % 97 + 1) \(street)", ward: "Phường \(ward + 1)",
                street: "số \(index % 97 + 1) \(street) (P\(ward + 1))", latitude: plan.centre.latitude + dLat,
                longitude: plan.centre.longitude + dLon))
        }
        try await saveCameras(cameras)
        try writeInBulk { db in
            let recordingInsert = try db.makeStatement(sql: """
                INSERT INTO recording (fingerprint, path, camera_id, start_ms, start_source, duration_s, codec, width, height,
                    frame_rate, frame_count, size_bytes, indexed_at_ms)
                VALUES (?, ?, ?, ?, 'container', 86400, 'h264', 1920, 1080, 25, 2160000, 0, ?)
                """)
            let eventInsert = try db.makeStatement(sql: """
                INSERT INTO event (camera_id, recording_id, start_ms, end_ms, offset_s, clip_start_ms, clip_end_ms, peak_ms,
                    peak_score, mean_score, area, bbox_x, bbox_y, bbox_w, bbox_h)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0.1, 0.1, 0.2, 0.3)
                """)
            let dayMillis: Int64 = 86_400_000
            let origin = Int64(plan.start.timeIntervalSince1970 * 1000)
            var longest: Int64 = 0
            for day in 0..<plan.days {
                for camera in cameras {
                    let dayStart = origin + Int64(day) * dayMillis
                    try recordingInsert.execute(arguments: ["\(camera.id)-\(day)", "/synthetic/\(camera.id)/\(day).mp4", camera.id,
                                                            dayStart, dayStart])
                    let recording = db.lastInsertedRowID
                    var times = (0..<plan.eventsPerCameraPerDay).map { _ in Int64(next() % UInt64(dayMillis - 600_000)) }
                    times.sort()
                    for offset in times {
                        let length = Int64(1500 + next() % 120_000)
                        longest = max(longest, length)
                        let start = dayStart + offset
                        let score = Double(next() % 1000) / 1000
                        try eventInsert.execute(arguments: [
                            camera.id, recording, start, start + length, Double(offset) / 1000, start - 2000, start + length + 2000,
                            start + length / 2, score, score / 2, Double(next() % 500) / 10000,
                        ])
                    }
                }
                progress(Double(day + 1) / Double(plan.days))
            }
            try db.execute(sql: "UPDATE catalog_meta SET value = max(value, ?) WHERE key = 'max_event_ms'", arguments: [longest])
        }
        return cameras
    }
}
