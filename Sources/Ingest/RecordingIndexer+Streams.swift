import Catalog
import Foundation
import MediaIO
import SystemIO

extension RecordingIndexer {
    /// Records a main-stream file of a camera indexed from its sub-stream: fingerprinted, probed and
    /// committed without decoding, then every sub-stream event it covers is attached to it (playback
    /// pointer, offset, and a still decoded from it at the event's peak).
    /// - Throws: `IngestError` naming the file; nothing is committed for it then.
    public func attachMain(path: String, camera: String, source: String? = nil) async throws(IngestError) -> IndexOutcome {
        let clock = ContinuousClock.now
        let (fingerprint, existing) = try await fingerprint(path: path, source: source)
        if let existing { return .alreadyIndexed(existing) }
        let start = settings.start
        let recording = try await BlockingWork.run("wardwatch.probe") { () throws(IngestError) -> NewRecording in
            try Self.describeMain(path: path, camera: camera, fingerprint: fingerprint, start: start)
        }
        let result = try await catalog({
            try await store.commitIndexed(recording, events: [], options: CommitOptions(source: source))
        }, path: path)
        guard result.inserted else { return .alreadyIndexed(result.recording) }
        let main = result.recording
        let waiting = try await catalog({
            try await store.subStreamEvents(camera: camera, overlappingFrom: main.start, to: main.end)
        }, path: path)
        let attached = try await attach(waiting, to: main)
        let wall = ContinuousClock.now - clock
        let statistics = IndexStatistics(
            frames: 0, corruptPackets: 0, footageSeconds: main.durationSeconds,
            wallSeconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
        return .indexed(main, attached, statistics)
    }

    /// Probe (and, when the header lacks them, count packets for) a main-stream file: no decoding.
    static func describeMain(path: String, camera: String, fingerprint: RecordingFingerprint.Result,
                             start resolver: RecordingStartResolver) throws(IngestError) -> NewRecording {
        let info: RecordingInfo
        do { info = try MediaProbe.probe(path: path) } catch { throw IngestError(.unreadable, path: path, reason: error.reason) }
        guard let start = resolver.resolve(info) else {
            throw IngestError(.noStartTime, path: path, reason: "no creation_time tag, no timestamp in the name, no mtime")
        }
        var duration = info.durationSeconds ?? 0
        var frames = info.video.frameCount ?? 0
        if duration <= 0 || frames == 0 {
            do {
                let packets = try PacketReader.videoPackets(path: path)
                frames = packets.count
                duration = max(duration, (packets.map(\.time).max() ?? 0) + (info.video.averageFrameRate.map { 1 / $0 } ?? 0))
            } catch {
                throw IngestError(.unreadable, path: path, reason: error.reason)
            }
        }
        let location = info.locationTag.flatMap(ISO6709.parse)
        var recording = NewRecording(
            fingerprint: fingerprint.hex, path: (path.absolutePath as NSString).standardizingPath, camera: camera,
            start: start.start, startSource: start.source, durationSeconds: duration, codec: info.video.codec,
            width: info.video.width, height: info.video.height, frameRate: info.video.averageFrameRate,
            frameCount: frames, sizeBytes: fingerprint.sizeBytes, latitude: location?.latitude,
            longitude: location?.longitude)
        recording.stream = .main
        return recording
    }

    /// After a sub-stream commit: attaches the new events to main-stream recordings already in the
    /// catalog; returns the events as they now stand.
    func attachToMainStream(subRecording: Recording, events: [MotionEvent], path: String) async throws(IngestError)
        -> [MotionEvent]
    {
        guard let from = events.map(\.start).min(), let to = events.map(\.end).max() else { return events }
        let mains = try await catalog({
            try await store.recordings(camera: subRecording.camera, overlappingFrom: from, to: to).filter { $0.stream == .main }
        }, path: path)
        var result: [MotionEvent] = []
        for event in events {
            if let main = StreamAlignment.mainRecording(for: event, among: mains) {
                result += try await attach([event], to: main)
            } else {
                result.append(event)
            }
        }
        return result
    }

    /// Points each event that `main` covers at it, with a still decoded from it at the event's peak.
    /// A still that cannot be decoded leaves the sub-stream's still in place (and is logged).
    func attach(_ events: [MotionEvent], to main: Recording) async throws(IngestError) -> [MotionEvent] {
        var result: [MotionEvent] = []
        for var event in events where StreamAlignment.mainRecording(for: event, among: [main]) != nil {
            let peak = event.peakTime.timeIntervalSince(main.start)
            let id = event.id
            let number = Int(id % 1000)
            let maxWidth = settings.stillMaxWidth
            let still: String? = await BlockingWork.run("wardwatch.still") { () -> String? in
                do {
                    let jpeg = try FrameGrabber.jpeg(path: main.path, atSeconds: max(0, peak), maxWidth: maxWidth)
                    return try writeStill(jpeg, fingerprint: main.fingerprint, number: number, peak: peak, path: main.path)
                } catch {
                    logger.warning("no still from the main stream; keeping the sub-stream's", metadata: [
                        "recording.path": "\(main.path)", "event.id": "\(id)", "error": "\(error)"])
                    return nil
                }
            }
            let offset = max(0, event.start.timeIntervalSince(main.start))
            try await catalog({ try await store.attachEvent(id: id, toRecording: main.id, offsetSeconds: offset, still: still) },
                                  path: main.path)
            if event.detectedRecordingID == nil { event.detectedRecordingID = event.recordingID }
            event.recordingID = main.id
            event.offsetSeconds = offset
            event.sourceStream = .main
            if let still { event.still = still }
            result.append(event)
        }
        return result
    }
}
