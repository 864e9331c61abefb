import Catalog
import Foundation
import MediaIO

/// Works out when a recording began: the container's `creation_time`, else a timestamp in the file
/// name, else the file's modification time minus the duration (recorders close a file when it ends).
public struct RecordingStartResolver: Sendable, Equatable {
    public var fileNamePattern: FileNameTimestamp?
    /// The zone that file-name timestamps are written in (the camera's local time).
    public var timeZone: TimeZone

    public init(fileNamePattern: FileNameTimestamp?, timeZone: TimeZone) {
        self.fileNamePattern = fileNamePattern
        self.timeZone = timeZone
    }

    public func resolve(_ info: RecordingInfo) -> (start: Date, source: StartSource)? {
        // Container times are UTC by specification. A zero/epoch tag means "not set" on many cameras.
        if let tag = info.creationTimeTag, let date = Timestamp.parse(tag, defaultZone: TimeZone(identifier: "UTC")!),
           date.timeIntervalSince1970 > 86_400 {
            return (date, .container)
        }
        let name = (info.path as NSString).lastPathComponent
        if let pattern = fileNamePattern, let date = pattern.date(in: name, timeZone: timeZone) {
            return (date, .fileName)
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: info.path),
           let modified = attributes[.modificationDate] as? Date {
            return (modified.addingTimeInterval(-(info.durationSeconds ?? 0)), .modificationTime)
        }
        return nil
    }
}

/// ISO 6709 point strings as cameras and phones tag them: "+21.0285+105.8542/", "+21.0285+105.8542+012.3/".
public enum ISO6709 {
    public static func parse(_ text: String) -> (latitude: Double, longitude: Double)? {
        var numbers: [Double] = []
        var current = ""
        for c in text {
            if c == "+" || c == "-" || c == "/" {
                if !current.isEmpty {
                    guard let value = Double(current) else { return nil }
                    numbers.append(value)
                }
                current = c == "/" ? "" : String(c)
                if c == "/" { break }
            } else if c.isNumber || c == "." {
                current.append(c)
            } else {
                return nil
            }
        }
        if !current.isEmpty, let value = Double(current) { numbers.append(value) }
        guard numbers.count >= 2, (-90...90).contains(numbers[0]), (-180...180).contains(numbers[1]) else { return nil }
        return (numbers[0], numbers[1])
    }
}
