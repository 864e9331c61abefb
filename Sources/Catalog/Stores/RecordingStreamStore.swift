import Foundation

/// What the catalog stores for cameras with two streams, and for the daemon's lag figures.
///
/// A sub-stream recording is committed with its events like any other (`commitIndexed`), and a
/// main-stream recording with none; attaching then points each event's playback at the main file.
public protocol RecordingStreamStore: Sendable {
    /// Events of `camera` whose playback still points at a sub-stream recording and that overlap
    /// [from, to], in time order.
    func subStreamEvents(camera: String, overlappingFrom from: Date, to: Date) async throws -> [MotionEvent]

    /// Points an event's playback (recording, offset) and still at a main-stream recording. The
    /// sub-stream recording it was detected in stays recorded as `detectedRecordingID`.
    func attachEvent(id: Int64, toRecording recordingID: Int64, offsetSeconds: Double, still: String?) async throws

    /// Per camera, the modification time of the oldest file the daemon has seen but not yet
    /// indexed (pending or being indexed); cameras with nothing waiting are absent.
    func oldestUnindexedFiles() async throws -> [String: Date]
}

/// How far a camera's indexing trails its recorder.
public enum IndexLag {
    /// Seconds since the recorder finished the oldest file not yet indexed; 0 when every finished
    /// file is indexed.
    public static func seconds(oldestUnindexed: Date?, now: Date) -> Double {
        guard let oldestUnindexed else { return 0 }
        return max(0, now.timeIntervalSince(oldestUnindexed))
    }
}
