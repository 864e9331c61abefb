import Foundation

/// Which of a camera's two recorded streams a recording (or an event's footage) comes from.
///
/// IP cameras record a full-resolution main stream and a small sub-stream. Motion is found on the
/// sub-stream, which decodes many times faster; playback, clips, stills and evidence come from the
/// main stream when it has a recording for the time, and from the sub-stream otherwise.
public enum RecordingStream: String, Sendable, Codable, CaseIterable {
    case main
    case sub
}

/// How the two streams of one camera are matched up: by their absolute (wall-clock) times.
///
/// Each stream's recordings carry their own start instant (container tag, file name, or
/// modification time), and an event found on the sub-stream is an absolute interval. A main
/// recording covers it when it spans the interval within `toleranceSeconds` at either end: a
/// camera's two encoders start files a fraction of a second apart, and file-name times are
/// whole seconds.
public enum StreamAlignment {
    /// Seconds by which a main recording may fall short of an event's start or end and still be
    /// taken as covering it. A whole second: file names carry whole seconds.
    public static let toleranceSeconds: Double = 1.0

    /// Whether `recording` spans [start, end] within the tolerance.
    public static func covers(_ recording: Recording, from start: Date, to end: Date) -> Bool {
        recording.start.timeIntervalSince(start) <= toleranceSeconds
            && end.timeIntervalSince(recording.end) <= toleranceSeconds
    }

    /// The main recording that holds an event's peak, among `recordings` (any stream), preferring
    /// one that covers the whole event.
    public static func mainRecording(for event: MotionEvent, among recordings: [Recording]) -> Recording? {
        let mains = recordings.filter { $0.stream == .main }
        if let whole = mains.first(where: { covers($0, from: event.start, to: event.end) }) { return whole }
        return mains.first { covers($0, from: event.peakTime, to: event.peakTime) }
    }

    /// The recordings to cut footage of [start, end] from: the main stream's files when they are on
    /// disk and together cover the period's core [coreStart, coreEnd]; else the sub-stream's.
    /// - Parameter exists: whether a recording's file is still on disk.
    public static func playbackRecordings(_ recordings: [Recording], coreFrom coreStart: Date, to coreEnd: Date,
                                          exists: (Recording) -> Bool) -> (recordings: [Recording], stream: RecordingStream) {
        let mains = recordings.filter { $0.stream == .main && exists($0) }
        let subs = recordings.filter { $0.stream == .sub }
        if subs.isEmpty { return (recordings.filter { $0.stream == .main }, .main) }
        if !mains.isEmpty, Self.union(mains, covers: coreStart, coreEnd) { return (mains, .main) }
        return (subs, .sub)
    }

    /// Whether consecutive recordings leave no gap longer than the tolerance inside [start, end].
    static func union(_ recordings: [Recording], covers start: Date, _ end: Date) -> Bool {
        var reached = start
        for recording in recordings.sorted(by: { $0.start < $1.start }) {
            if recording.start.timeIntervalSince(reached) > toleranceSeconds { break }
            reached = max(reached, recording.end)
        }
        return end.timeIntervalSince(reached) <= toleranceSeconds
    }
}
