import Catalog
import Foundation
import Logging
import MediaIO
import Motion
import SystemIO

/// How to index: detection knobs plus the decoding and still choices around them.
public struct IndexSettings: Sendable, Equatable {
    public var motion: MotionSettings
    /// Decoder threads per recording; 0 means one per core.
    public var decoderThreads: Int
    /// Skip the H.264/HEVC deblocking filter while scanning (about 15% faster; stills a little blockier).
    public var fastDecode: Bool
    /// Analysis grid width in cells (the frame is averaged down to about this many columns).
    public var gridColumns: Int
    /// Analyse at most this many frames per second (by timestamp, so variable frame rates work);
    /// every frame is still decoded. 0 analyses every frame. Motion needs no more than ~15 fps.
    public var analysisFPS: Double
    /// Stills are scaled to at most this width.
    public var stillMaxWidth: Int
    public var start: RecordingStartResolver
    /// Hash the whole file (SHA-256, stored for evidence export) on a thread beside the decoder. Off only to
    /// measure what it costs (`wardwatch-bench recording`).
    public var hashWholeFile = true
    /// Decode every frame (`exact`), or triage on packets and keyframes first (`fast`).
    public var mode: IndexMode

    public init(motion: MotionSettings = MotionSettings(), decoderThreads: Int = 0, fastDecode: Bool = true,
                gridColumns: Int = 160, analysisFPS: Double = 15, mode: IndexMode = .exact, stillMaxWidth: Int = 640,
                start: RecordingStartResolver = RecordingStartResolver(fileNamePattern: .standard, timeZone: .wardDefault)) {
        self.motion = motion
        self.decoderThreads = decoderThreads
        self.fastDecode = fastDecode
        self.gridColumns = gridColumns
        self.analysisFPS = analysisFPS
        self.stillMaxWidth = stillMaxWidth
        self.start = start
        self.mode = mode
    }
}

/// How thoroughly a recording is decoded while indexing.
public enum IndexMode: String, Sendable, CaseIterable {
    /// Every frame is decoded and analysed.
    case exact
    /// Packets are read (sizes, key flags) and keyframes decoded; only the groups of pictures whose
    /// keyframe changed, or whose packets grew above the stream's baseline, are decoded in full
    /// (with the GOP before each) and run through the detector. See the README for what it can miss.
    case fast
}

/// What happened to one file.
public enum IndexOutcome: Sendable, Equatable {
    /// Decoded, detected and committed.
    case indexed(Recording, [MotionEvent], IndexStatistics)
    /// The same content was indexed before (maybe under another name); nothing was written.
    case alreadyIndexed(Recording)
}

/// Figures from one indexing pass, for progress reports and benchmarks.
public struct IndexStatistics: Sendable, Equatable {
    public var frames: Int
    public var corruptPackets: Int
    public var footageSeconds: Double
    public var wallSeconds: Double
    /// The recording this one replaced because its file grew at the same path, if any.
    public var replacedRecordingID: Int64?
    /// Frames decoded in full; fewer than `frames` in fast mode.
    public var decodedFrames: Int = 0
    /// Fast mode's triage, when it ran.
    public var triage: FastTriageSummary?
    /// Frames that went through the luma grid and the detector, and the time they took there.
    public var analysedFrames = 0
    public var analysisSeconds = 0.0
}

/// What indexing reads and writes: recordings and events, and the daemon's file record.
public typealias IndexingStore = RecordingStore & IngestQueueStore & RecordingStreamStore

/// Indexes recordings into a catalog: fingerprint, probe, decode + detect in one pass, stills,
/// then one transaction. Safe to call again on the same file: content already indexed is skipped.
public struct RecordingIndexer: Sendable {
    public let store: any IndexingStore
    public let stillsDirectory: String
    public let settings: IndexSettings
    public let logger: Logger

    public init(store: any IndexingStore, stillsDirectory: String, settings: IndexSettings, logger: Logger) {
        self.store = store
        self.stillsDirectory = stillsDirectory
        self.settings = settings
        self.logger = logger
    }

    /// Indexes one file for `camera`.
    /// - Parameters:
    ///   - source: the daemon's file record, marked indexed in the same transaction.
    ///   - alerts: alerts to queue for each committed event (same transaction).
    ///   - healthAlerts: alerts to queue for the recording's picture problems (same transaction).
    ///   - replaceGrownFile: replace the recording of this path's first part when the file grew (the daemon;
    ///     see `GrownRecording`).
    ///   - shouldStop: polled while decoding; returning true abandons the file uncommitted.
    ///   - progress: called now and then with the fraction of the footage decoded (0...1).
    /// - Throws: `IngestError` naming the file; nothing is committed for it then.
    /// Decoding runs on a thread of its own; the catalog is awaited.
    ///   - stream: `.sub` for a camera's sub-stream: its events then play from the main stream's
    ///     recordings covering them (attached now, or when a main file arrives later).
    public func index(path: String, camera: String, stream: RecordingStream = .main, source: String? = nil,
                      alerts: @escaping @Sendable (MotionEvent) -> [NewAlert] = { _ in [] },
                      healthAlerts: (_ problems: [String], _ start: Date) -> [NewAlert] = { _, _ in [] },
                      replaceGrownFile: Bool = false,
                      shouldStop: @escaping @Sendable () -> Bool = { false },
                      progress: @escaping @Sendable (Double) -> Void = { _ in }) async throws(IngestError) -> IndexOutcome
    {
        let (fingerprint, existing) = try await fingerprint(path: path, source: source)
        if let existing { return .alreadyIndexed(existing) }
        let clock = ContinuousClock.now
        let decoded = try await BlockingWork.run("wardwatch.decode") { () throws(IngestError) -> Decoded in
            try decode(path: path, camera: camera, fingerprint: fingerprint, shouldStop: shouldStop, progress: progress)
        }
        var recording = decoded.recording
        recording.stream = stream
        if let verdict = decoded.health {
            let previous = try await catalog({ try await store.previousSignature(camera: camera, before: recording.start) },
                                             path: path)
            if let previous, !verdict.black, PictureHealth.viewChanged(from: previous, to: verdict.signature) {
                recording.health.append("view changed since the previous recording")
            }
        }
        var options = CommitOptions(
            source: source, mergeGapSeconds: settings.motion.mergeGapSeconds, alerts: alerts,
            recordingAlerts: recording.health.isEmpty ? [] : healthAlerts(recording.health, recording.start))
        options.replaceGrownFile = replaceGrownFile
        let events = decoded.events
        let result = try await catalog({ try await store.commitIndexed(recording, events: events, options: options) }, path: path)
        guard result.inserted else { return .alreadyIndexed(result.recording) }
        var committed = result.events
        if stream == .sub { committed = try await attachToMainStream(subRecording: result.recording, events: committed, path: path) }
        if decoded.corruptPackets > 0 {
            logger.warning("skipped corrupt packets", metadata: [
                "recording.path": "\(path)", "packets": "\(decoded.corruptPackets)"])
        }
        let wall = ContinuousClock.now - clock
        var statistics = IndexStatistics(
            frames: recording.frameCount, corruptPackets: decoded.corruptPackets, footageSeconds: recording.durationSeconds,
            wallSeconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
        statistics.decodedFrames = decoded.decodedFrames
        statistics.triage = decoded.triage
        statistics.analysedFrames = decoded.analysedFrames
        statistics.analysisSeconds = decoded.analysisSeconds
        statistics.replacedRecordingID = result.replaced
        return .indexed(result.recording, committed, statistics)
    }

    /// A file decoded and its stills written, ready to commit.
    struct Decoded: Sendable {
        var recording: NewRecording
        var events: [NewMotionEvent]
        var health: PictureHealth.Verdict?
        var corruptPackets: Int
        var decodedFrames: Int
        var triage: FastTriageSummary?
        var analysedFrames = 0
        var analysisSeconds = 0.0
    }

    /// Probe, decode + detect, stills: the blocking part of indexing one file.
    func decode(path: String, camera: String, fingerprint: RecordingFingerprint.Result, shouldStop: () -> Bool,
                progress: (Double) -> Void) throws(IngestError) -> Decoded {
        let info: RecordingInfo
        do { info = try MediaProbe.probe(path: path) } catch { throw IngestError(.unreadable, path: path, reason: error.reason) }
        guard let start = settings.start.resolve(info) else {
            throw IngestError(.noStartTime, path: path, reason: "no creation_time tag, no timestamp in the name, no mtime")
        }
        // The full-file hash runs beside the decoder; a failed decode stops it, so no thread outlives the file.
        let wholeFile = settings.hashWholeFile ? WholeFileHash(path: path) : nil
        let scan: ScanResult
        do {
            scan = settings.mode == .fast
                ? try scanFast(path: path, expectedDuration: info.durationSeconds, shouldStop: shouldStop, progress: progress)
                : try self.scan(path: path, expectedDuration: info.durationSeconds, shouldStop: shouldStop, progress: progress)
        } catch {
            wholeFile?.cancel()
            throw error
        }
        let sha256 = try wholeFile?.wait(expectedSize: fingerprint.sizeBytes)
        let duration = max(scan.endTime, info.durationSeconds ?? 0)
        if let expected = info.durationSeconds, expected - scan.endTime > max(1.0, expected * 0.02) {
            throw IngestError(.truncated, path: path, reason: String(
                format: "truncated or damaged: video stops at %.1f s of the %.1f s its header states", scan.endTime, expected))
        }
        // Containers whose duration FFmpeg recomputes from what is there (AVI, some MJPEG files) still
        // declare their frame count in the header: fewer decoded frames than declared is a cut file.
        if let declared = info.video.frameCount, declared > scan.frames + scan.corruptPackets,
           Double(declared - scan.frames - scan.corruptPackets) > max(Double(declared) * 0.02, info.video.averageFrameRate ?? 25) {
            throw IngestError(.truncated, path: path, reason:
                "truncated or damaged: \(scan.frames) frames decode of the \(declared) its header declares")
        }

        // Containers that declare no length (MPEG-TS, MPEG-PS) cut short look complete; the cut shows in the data:
        // the last frame stops mid-way and decodes with errors concealed.
        var cutInTail = scan.lastFrameDamaged
        if !cutInTail, TailCheck.applies(to: info.format) {
            cutInTail = try TailCheck.lastFrameDamaged(path: path, end: scan.endTime)
        }
        if cutInTail {
            throw IngestError(.truncated, path: path, reason:
                "truncated or damaged: the file ends in the middle of its last frame (frame \(scan.frames) decodes with errors)")
        }

        let location = info.locationTag.flatMap(ISO6709.parse)
        var recording = NewRecording(
            fingerprint: fingerprint.hex, path: (path.absolutePath as NSString).standardizingPath, camera: camera,
            start: start.start, startSource: start.source, durationSeconds: duration, codec: info.video.codec,
            width: info.video.width, height: info.video.height, frameRate: info.video.averageFrameRate,
            frameCount: scan.frames, sizeBytes: fingerprint.sizeBytes, latitude: location?.latitude,
            longitude: location?.longitude)
        recording.sha256 = sha256
        if let verdict = scan.health {
            if verdict.black { recording.health.append("black picture") }
            if verdict.frozen { recording.health.append("frozen picture") }
            // A black or frozen picture is no baseline for the next recording's view.
            if !verdict.black && !verdict.frozen { recording.signature = verdict.signature }
        }
        let recordingEnd = start.start.addingTimeInterval(duration)
        var events: [NewMotionEvent] = []
        for (number, found) in scan.events.enumerated() {
            let motion = found.motion
            var still: String?
            if let jpeg = found.still {
                still = try writeStill(jpeg, fingerprint: fingerprint.hex, number: number, peak: motion.peakTime, path: path)
            }
            let eventStart = start.start.addingTimeInterval(motion.start)
            let eventEnd = start.start.addingTimeInterval(motion.end)
            var event = NewMotionEvent(
                start: eventStart, end: eventEnd, offsetSeconds: motion.start,
                clipStart: max(start.start, eventStart.addingTimeInterval(-settings.motion.preRollSeconds)),
                clipEnd: min(recordingEnd, eventEnd.addingTimeInterval(settings.motion.postRollSeconds)),
                peakTime: start.start.addingTimeInterval(motion.peakTime), peakScore: motion.peakScore,
                meanScore: motion.meanScore, area: motion.peakArea,
                boundingBox: NormalizedBox(x: motion.boundingBox.x, y: motion.boundingBox.y,
                                           width: motion.boundingBox.width, height: motion.boundingBox.height),
                still: still)
            event.footprint = motion.footprint.isEmpty ? nil : EventFootprint(words: motion.footprint)
            event.path = motion.path.map { TravelPoint(seconds: max(0, $0.time - motion.start), x: $0.x, y: $0.y) }
            events.append(event)
        }
        var decoded = Decoded(recording: recording, events: events, health: scan.health, corruptPackets: scan.corruptPackets,
                              decodedFrames: scan.decodedFrames ?? scan.frames, triage: scan.triage)
        decoded.analysedFrames = scan.analysedFrames
        decoded.analysisSeconds = scan.analysisSeconds
        return decoded
    }

    // MARK: - Decode and detect

    struct FoundEvent {
        var motion: DetectedMotion
        var still: [UInt8]?
    }

    struct ScanResult {
        var events: [FoundEvent]
        var health: PictureHealth.Verdict?
        var frames: Int
        var corruptPackets: Int
        var endTime: Double
        /// The last frame decoded with errors concealed: the data stops inside it.
        var lastFrameDamaged = false
        /// Frames actually decoded in full (fewer than `frames` in fast mode).
        var decodedFrames: Int?
        var triage: FastTriageSummary?
        var analysedFrames = 0
        var analysisSeconds = 0.0
    }

    /// One pass over the video, every frame offered to the detector (see `decodeAndAnalyse`).
    func scan(path: String, expectedDuration: Double?, shouldStop: () -> Bool, progress: (Double) -> Void)
        throws(IngestError) -> ScanResult
    {
        let decoder = try openDecoder(path: path)
        var endTime = 0.0
        var lastReport = -1.0
        let (found, health, _, cost) = try decodeAndAnalyse(decoder, path: path, shouldStop: shouldStop) { frame in
            endTime = max(endTime, frame.time + max(frame.duration, 0))
            if let total = expectedDuration, total > 0, frame.time - lastReport >= 1 {
                lastReport = frame.time
                progress(min(1, frame.time / total))
            }
            return .analyse
        }
        guard decoder.frameCount > 0 else { throw IngestError(.noFrames, path: path, reason: "no decodable video frames") }
        progress(1)
        var result = ScanResult(events: found, health: health, frames: decoder.frameCount,
                                corruptPackets: decoder.corruptPacketCount, endTime: endTime,
                                lastFrameDamaged: decoder.lastFrameDamaged)
        (result.analysedFrames, result.analysisSeconds) = cost
        return result
    }

    /// A decoder for the file with the indexing settings' threads and loop-filter choice, optionally at `seconds`.
    func openDecoder(path: String, seekingTo seconds: Double? = nil) throws(IngestError) -> VideoDecoder {
        do {
            let decoder = try VideoDecoder(path: path, options: DecoderOptions(
                threads: settings.decoderThreads, skipLoopFilter: settings.fastDecode))
            if let seconds { try decoder.seek(toSeconds: seconds) }
            return decoder
        } catch {
            throw IngestError(.unreadable, path: path, reason: error.reason)
        }
    }

    /// What the decoding loop does with a frame it decoded.
    enum FrameUse {
        /// Offer it to the detector (frames closer together than `analysis_fps` allows are still skipped).
        case analyse
        /// Count it as decoded, but do not analyse it.
        case skip
        /// Stop decoding before this frame.
        case stop
    }

    /// Decodes `decoder`'s frames on the calling thread while a second thread reduces them to luma grids and runs
    /// the detector, so analysis overlaps decoding. The peak frame of each motion run is kept (by reference, no
    /// copy) and encoded as a JPEG only when the run beats the open event's best still so far.
    /// - Parameter use: what to do with each decoded frame.
    /// - Returns: the events and picture verdict found, how many frames were decoded (stopped ones excluded), and the
    ///   frames analysed with the time their grids and the detector took.
    func decodeAndAnalyse(_ decoder: VideoDecoder, path: String, shouldStop: () -> Bool, use: (DecodedFrame) -> FrameUse)
        throws(IngestError) -> (events: [FoundEvent], health: PictureHealth.Verdict?, frames: Int,
                                cost: (frames: Int, seconds: Double))
    {
        let handoff = FrameHandoff()
        let analysis = FrameAnalyser(settings: settings, width: decoder.info.width)
        let finished = DispatchSemaphore(value: 0)
        let worker = Thread {
            analysis.consume(handoff)
            finished.signal()
        }
        worker.name = "wardwatch.analysis"
        worker.start()

        var lastAnalysed = -Double.infinity
        // A little slack so 25 fps material analysed at 15 fps takes every other frame steadily.
        let analysisInterval = settings.analysisFPS > 0 ? 0.9 / settings.analysisFPS : 0
        var decodeError: MediaIOError?
        var stopped = false
        var frames = 0
        var keyframeSinceAnalysed = false
        do {
            decoding: while let frame = try decoder.nextFrame() {
                let wanted = use(frame)
                if wanted == .stop { break decoding }
                frames += 1
                if frames % 25 == 0, shouldStop() {
                    stopped = true
                    break
                }
                if frame.isKeyframe { keyframeSinceAnalysed = true }
                guard wanted == .analyse, frame.time - lastAnalysed >= analysisInterval else { continue }
                lastAnalysed = frame.time
                guard handoff.put(frame, followsKeyframe: keyframeSinceAnalysed) else { break }
                keyframeSinceAnalysed = false
            }
        } catch {
            decodeError = error
        }
        if stopped { handoff.cancel() } else { handoff.close() }
        finished.wait()
        if stopped { throw IngestError(.cancelled, path: path, reason: "stopped before it was committed") }

        if let decodeError { throw IngestError(.unreadable, path: path, reason: decodeError.reason) }
        let (found, health) = try analysis.result(path: path)
        return (found, health, frames, analysis.cost)
    }

    // MARK: - Stills and catalog

    /// Writes a still atomically under the stills folder; returns its path relative to that folder.
    func writeStill(_ jpeg: [UInt8], fingerprint: String, number: Int, peak: Double, path: String) throws(IngestError)
        -> String
    {
        let folder = String(fingerprint.prefix(16))
        let name = String(format: "%@/%03d-%.0f.jpg", folder, number, peak * 1000)
        let directory = (stillsDirectory as NSString).appendingPathComponent(folder)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let target = URL(fileURLWithPath: (stillsDirectory as NSString).appendingPathComponent(name))
            try Data(jpeg).write(to: target, options: .atomic)
        } catch {
            throw IngestError(.stills, path: path, reason: "cannot write still under '\(stillsDirectory)': \(error.localizedDescription)")
        }
        return name
    }

    /// The file's content fingerprint, and the recording already indexed with that content (the daemon's file
    /// `source` is then marked indexed as a copy of it).
    func fingerprint(path: String, source: String?) async throws(IngestError) -> (RecordingFingerprint.Result, Recording?) {
        let fingerprint = try await BlockingWork.run("wardwatch.fingerprint") { () throws(IngestError) in
            try RecordingFingerprint.compute(path: path)
        }
        guard let existing = try await catalog({ try await store.recording(fingerprint: fingerprint.hex) }, path: path) else {
            return (fingerprint, nil)
        }
        if let source { try await catalog({ try await store.markIndexed(path: source, recordingID: existing.id) }, path: path) }
        return (fingerprint, existing)
    }

    func catalog<T>(_ body: () async throws -> T, path: String) async throws(IngestError) -> T {
        do { return try await body() } catch { throw IngestError(.catalog, path: path, reason: "\(error)") }
    }
}

extension String {
    /// This path made absolute against the current directory.
    var absolutePath: String {
        hasPrefix("/") ? self : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(self)
    }
}
