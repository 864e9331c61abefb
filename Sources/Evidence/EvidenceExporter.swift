import Catalog
import Foundation
import MediaIO
import SystemIO
import ZIPFoundation

/// What an export reads and records: cameras, events, recordings, custody and holds.
public typealias EvidenceStore = CameraStore & SearchStore & RecordingStore & CustodyStore

/// Makes evidence bundles from the catalog: clips, stills, metadata, the signed manifest, the
/// first custody entry and the offline report; then records the export and puts its events on
/// legal hold.
///
/// Clips are cut by stream copy (MediaIO's `ClipCutter`): the camera's compressed bytes, not a
/// re-encoding, from the keyframe at or before the requested start.
///
/// Originals are only read. The bundle is assembled in a hidden folder beside the output and
/// moved into place at the end, so a failed export leaves nothing half-written, and the catalog
/// records the export before the bundle appears, so nothing leaves without a record.
public struct EvidenceExporter: Sendable {
    public let store: any EvidenceStore
    /// Where the catalog's stills live (event still paths are relative to it).
    public let stillsDirectory: String
    public let signingKey: EvidenceSigningKey

    public init(store: any EvidenceStore, stillsDirectory: String, signingKey: EvidenceSigningKey) {
        self.store = store
        self.stillsDirectory = stillsDirectory
        self.signingKey = signingKey
    }

    /// What an export's audit entry is made from, once the bundle is built and before it is recorded.
    public struct Recorded: Sendable {
        /// The bundle's absolute path.
        public var outputPath: String
        public var manifestSHA256: String
        public var heldEventIDs: [Int64]
    }

    /// Writes the bundle and records it.
    /// - Parameter auditing: the audit entry of this export, appended in the transaction that records
    ///   the export (custody record and holds), so that neither is ever kept without the other.
    /// - Throws: `EvidenceError`: `.notFound` for an unknown event or a period without recordings,
    ///   `.output` when the output exists or lies in a recordings folder, `.io`, `.clip`, `.catalog`.
    public func export(_ request: ExportRequest, auditing: (@Sendable (Recorded) -> AuditedChange)? = nil)
        async throws(EvidenceError) -> ExportResult
    {
        let now = Date()
        let plans = try await plan(request)
        let output = Self.absolute(request.outputPath)
        try Self.checkOutput(output, zip: request.writesZip, recordings: plans.flatMap(\.recordings))
        let identities = try Self.checkSources(plans)

        let parent = (output as NSString).deletingLastPathComponent
        let name = (output as NSString).lastPathComponent
        // Leftovers of killed exports go first; this one's work is private (0700) until it is finished.
        PartialExports.sweep(parent)
        let work = PartialExports.workPath(for: output)
        let root = request.writesZip ? (work as NSString).appendingPathComponent((name as NSString).deletingPathExtension) : work
        // Registered before it exists: a SIGTERM that lands between mkdir and registering would
        // otherwise find nothing to remove and leave the folder behind.
        PartialExports.register(work)
        defer { PartialExports.unregister(work) }
        guard !PartialExports.isStopping else { throw EvidenceError(.io, "the export was stopped (SIGTERM or SIGINT)") }
        guard mkdir(work, 0o700) == 0 else {
            throw EvidenceError(.io, "cannot create the work folder '\(work)'", cause: String(cString: strerror(errno)))
        }
        var recorded = false
        do throws(EvidenceError) {
            try Self.createFolder(root)
            // Cutting clips, hashing and zipping block: they run on a thread of their own.
            let built = try await BlockingWork.run("wardwatch.export") { () throws(EvidenceError) -> Built in
                try build(plans, request: request, now: now, root: root, work: work, identities: identities)
            }
            let held = Array(Set(built.metadata.items.flatMap { $0.events.map(\.id) })).sorted()
            let record: CustodyRecord
            do {
                record = try await store.addCustodyRecord(NewCustodyRecord(
                    time: now, caseID: request.caseID, action: .export, actor: request.actor, reason: request.reason,
                    bundlePath: output, manifestSHA256: built.manifestSHA256, eventIDs: held), holding: held,
                    auditing: auditing?(Recorded(outputPath: output, manifestSHA256: built.manifestSHA256, heldEventIDs: held)))
            } catch {
                throw EvidenceError(.catalog, "the catalog did not record the export, so no bundle was written", error: error)
            }
            recorded = true
            _ = chmod(built.finished, PartialExports.finishedMode(directory: !request.writesZip))
            // rename(2) replaces an empty folder (checked above) atomically; a zip does not exist yet.
            guard rename(built.finished, output) == 0 else {
                throw EvidenceError(.io, "cannot move the finished bundle to '\(output)' (it is recorded in the catalog "
                                    + "as custody record \(record.id); it is at '\(built.finished)')", cause: String(cString: strerror(errno)))
            }
            if request.writesZip { try? FileManager.default.removeItem(atPath: work) }
            return ExportResult(outputPath: output, manifestSHA256: built.manifestSHA256, signer: signingKey.publicKey,
                                files: built.files, heldEventIDs: held, custody: record, metadata: built.metadata)
        } catch {
            // Once recorded, the finished bundle is kept where the error says it is.
            if !recorded {
                try? FileManager.default.removeItem(atPath: work)
                try? FileManager.default.removeItem(atPath: work + ".zip")
            }
            throw error
        }
    }

    /// Refuses to export from any recording whose file is not the one indexed (see `SourceCheck`);
    /// returns each file's identity (device, inode, size, modification time) as it was checked.
    @discardableResult
    static func checkSources(_ plans: [ItemPlan]) throws(EvidenceError) -> [Int64: SourceCheck.Identity] {
        var checked: [Int64: SourceCheck.Identity] = [:]
        for recording in plans.flatMap(\.recordings) where checked[recording.id] == nil {
            if let problem = SourceCheck.problem(recording) { throw sourceError(recording, problem) }
            checked[recording.id] = SourceCheck.identity(path: recording.path)
        }
        return checked
    }

    static func sourceError(_ recording: Recording, _ problem: String) -> EvidenceError {
        var error = EvidenceError(.source, problem + "; nothing was exported (re-index the file, or restore the original)")
        error.recording = recording
        return error
    }

    /// The clips were cut from exactly the hashed bytes: every source file still has the identity it
    /// had before cutting (so nothing wrote to it meanwhile), and its full SHA-256, computed after
    /// cutting, is the one stored at index time.
    static func checkCutSources(_ plans: [ItemPlan], identities: [Int64: SourceCheck.Identity],
                                digests: [String: (size: Int64, sha256: String)]) throws(EvidenceError) {
        var checked = Set<Int64>()
        for recording in plans.flatMap(\.recordings) where checked.insert(recording.id).inserted {
            if let before = identities[recording.id], SourceCheck.identity(path: recording.path) != before {
                throw sourceError(recording, "recording \(recording.id) at '\(recording.path)' was written to while its clip was cut")
            }
            if let stored = recording.sha256, let digest = digests[recording.path], digest.sha256 != stored {
                throw sourceError(recording, "recording \(recording.id) at '\(recording.path)' has SHA-256 \(digest.sha256.prefix(16))… "
                                  + "but \(stored.prefix(16))… was stored when it was indexed: the file was changed after indexing")
            }
        }
    }

    /// A bundle written and signed in its hidden folder (or zipped beside it), not yet recorded.
    struct Built: Sendable {
        var metadata: EvidenceMetadata
        var files: [BundleManifest.Entry]
        var manifestSHA256: String
        /// The hidden folder or zip to move into place.
        var finished: String
    }

    /// Clips, stills, metadata, the signed manifest and the first custody entry, then the zip.
    private func build(_ plans: [ItemPlan], request: ExportRequest, now: Date, root: String,
                       work: String, identities: [Int64: SourceCheck.Identity]) throws(EvidenceError) -> Built {
        let (metadata, files, digests) = try assemble(plans, request: request, now: now, root: root)
        // Again after cutting: a file swapped or written while the clip was cut is caught too.
        try Self.checkSources(plans)
        try Self.checkCutSources(plans, identities: identities, digests: digests)
        let manifestBytes = try BundleManifest(created: Timestamp.format(now), caseID: request.caseID,
                                               signer: signingKey.publicKey, files: files).encoded()
        try Self.write(manifestBytes, to: root, BundleLayout.manifest)
        try Self.write(try signingKey.signature(for: manifestBytes), to: root, BundleLayout.signature)
        try Self.write(Data(BundleLayout.publicKeyFile(signingKey.publicKey).utf8), to: root, BundleLayout.publicKey)
        let manifestSHA256 = FileDigest.sha256(manifestBytes)
        let entry = try CustodyLog.entry(
            sequence: 1, time: now, action: .export, by: request.actor, to: nil, caseID: request.caseID,
            reason: request.reason, manifestSHA256: manifestSHA256, previousLine: nil, key: signingKey)
        try Self.write(try CustodyLog.line(entry), to: root, BundleLayout.custody)
        // The zip is written inside the private folder, then moved out.
        let finished = request.writesZip ? (work as NSString).appendingPathComponent((request.outputPath as NSString).lastPathComponent) : work
        if request.writesZip { try Self.zip(folder: root, to: finished) }
        return Built(metadata: metadata, files: files, manifestSHA256: manifestSHA256, finished: finished)
    }

    // MARK: - Plan

    /// One section of the bundle: an event, or a camera period.
    struct ItemPlan: Sendable {
        var kind: String
        var title: String
        var camera: Camera
        var from: Date
        var to: Date
        var events: [MotionEvent]
        /// The recordings the clip is cut from, in start order: the camera's main-stream recordings
        /// that overlap the period with its rolls, or its sub-stream's when the main stream has none
        /// on disk for the period.
        var recordings: [Recording]
        /// The stream `recordings` belong to.
        var stream: RecordingStream = .main
        /// Every recording of the camera that overlaps the period, of either stream.
        var overlapping: [Recording] = []
        /// The clip's path in the bundle, without extension.
        var clipStem: String
    }

    func plan(_ request: ExportRequest) async throws(EvidenceError) -> [ItemPlan] {
        let cameras = try await catalog("read the cameras") { try await store.cameras() }
        func camera(_ id: String) -> Camera { cameras.first { $0.id == id } ?? Camera(id: id) }
        var plans: [ItemPlan] = []
        switch request.selection {
        case let .events(ids):
            guard !ids.isEmpty else { throw EvidenceError(.notFound, "no events to export (give --event ID)") }
            var seen = Set<Int64>()
            for id in ids where seen.insert(id).inserted {
                guard let event = try await catalog("read event \(id)", { try await store.event(id: id) }) else {
                    throw EvidenceError(.notFound, "event \(id): not in the catalog (see wardwatch events)")
                }
                plans.append(ItemPlan(kind: "event", title: "Event \(id)", camera: camera(event.camera), from: event.start,
                                      to: event.end, events: [event], recordings: [], clipStem: "\(BundleLayout.clips)/event-\(id)"))
            }
        case let .cameraPeriod(id, from, to):
            guard to > from else {
                throw EvidenceError(.notFound, "the period of \(id) must end (to) after it starts (from)")
            }
            let events = try await catalog("read the events of \(id)") {
                try await store.events(matching: EventQuery(camera: id, from: from, to: to))
            }
            let stem = "\(BundleLayout.clips)/\(Self.fileSafe(id))_\(Self.compact(from))-\(Self.compact(to))"
            plans.append(ItemPlan(kind: "range", title: "\(id) \(Timestamp.format(from, in: request.zone(for: id))) – "
                                  + Timestamp.format(to, in: request.zone(for: id)),
                                  camera: camera(id), from: from, to: to, events: events, recordings: [], clipStem: stem))
        }
        for index in plans.indices {
            let plan = plans[index]
            let start = plan.from.addingTimeInterval(-request.preRollSeconds)
            let end = plan.to.addingTimeInterval(request.postRollSeconds)
            let recordings = try await catalog("read the recordings of \(plan.camera.id)") {
                try await store.recordings(camera: plan.camera.id, overlappingFrom: start, to: end)
            }
            guard !recordings.isEmpty else {
                throw EvidenceError(.notFound, "\(plan.title): no indexed recordings of camera \(plan.camera.id) cover "
                                    + "\(Timestamp.format(start)) – \(Timestamp.format(end))")
            }
            let choice = StreamAlignment.playbackRecordings(
                recordings, coreFrom: plan.from, to: plan.to, exists: { FileManager.default.fileExists(atPath: $0.path) })
            plans[index].recordings = choice.recordings
            plans[index].stream = choice.stream
            plans[index].overlapping = recordings
        }
        return plans
    }

    // MARK: - Assemble

    /// Writes stills, clips, metadata.json and index.html into `root`; returns the metadata and
    /// the manifest entries of everything written.
    func assemble(_ plans: [ItemPlan], request: ExportRequest, now: Date,
                  root: String) throws(EvidenceError)
        -> (EvidenceMetadata, [BundleManifest.Entry], [String: (size: Int64, sha256: String)]) {
        var sourceDigests: [String: (size: Int64, sha256: String)] = [:]
        var stills: [Int64: String] = [:]
        var items: [EvidenceMetadata.Item] = []
        for plan in plans {
            let zone = request.zone(for: plan.camera.id)
            func time(_ date: Date) -> EvidenceMetadata.Time {
                EvidenceMetadata.Time(utc: Timestamp.format(date), local: Timestamp.format(date, in: zone))
            }
            let clip = try cutClip(plan, request: request, root: root, time: time)
            // The recordings the clip joins, and the event's own recording when the clip did not need it.
            var sources: [EvidenceMetadata.Source] = []
            let playedFrom = Dictionary(plan.events.map { ($0.id, Self.playback(of: $0, in: plan)) }, uniquingKeysWith: { a, _ in a })
            for recording in plan.recordings
            where clip.sources.contains(recording.path) || playedFrom.values.contains(where: { $0?.id == recording.id }) {
                if sourceDigests[recording.path] == nil { sourceDigests[recording.path] = try FileDigest.sha256(ofFile: recording.path) }
                guard let digest = sourceDigests[recording.path] else { continue }
                sources.append(EvidenceMetadata.Source(
                    path: recording.path, sha256: digest.sha256, size: digest.size, recordingID: recording.id,
                    start: time(recording.start), durationSeconds: recording.durationSeconds, codec: recording.codec,
                    sha256AtIndex: recording.sha256,
                    sha256Check: recording.sha256 == nil ? EvidenceMetadata.Source.noneAtIndex
                        : digest.sha256 == recording.sha256 ? EvidenceMetadata.Source.matchesIndex : "differs"))
            }
            var events: [EvidenceMetadata.Event] = []
            for event in plan.events {
                if stills[event.id] == nil, let still = event.still {
                    stills[event.id] = try copyStill(still, event: event.id, root: root)
                }
                let recording = playedFrom[event.id] ?? nil
                events.append(EvidenceMetadata.Event(
                    id: event.id, start: time(event.start), end: time(event.end), peak: time(event.peakTime),
                    durationSeconds: Self.rounded(event.durationSeconds), score: Self.rounded(event.peakScore, 4),
                    area: Self.rounded(event.area, 5),
                    box: [event.boundingBox.x, event.boundingBox.y, event.boundingBox.width, event.boundingBox.height]
                        .map { Self.rounded($0) },
                    still: stills[event.id], clipOffsetSeconds: Self.rounded(event.start.timeIntervalSince1970 - clip.startSeconds),
                    recordingID: recording?.id ?? event.recordingID,
                    recordingPath: recording?.path ?? "",
                    recordingOffsetSeconds: Self.rounded(recording.map { event.start.timeIntervalSince($0.start) } ?? event.offsetSeconds),
                    sourceStream: plan.stream.rawValue))
            }
            items.append(EvidenceMetadata.Item(kind: plan.kind, title: plan.title, camera: plan.camera, timeZone: zone.identifier,
                                               from: time(plan.from), to: time(plan.to), events: events, clip: clip.metadata,
                                               sources: sources))
        }
        let zone = request.timeZone
        let metadata = EvidenceMetadata(
            caseID: request.caseID, reason: request.reason, exportedBy: request.actor, exportedAt: Timestamp.format(now),
            exportedAtLocal: Timestamp.format(now, in: zone), wardwatchVersion: request.wardwatchVersion,
            ffmpeg: FFmpegLibrary.versionDescription, preRollSeconds: request.preRollSeconds,
            postRollSeconds: request.postRollSeconds, items: items)
        try Self.write(try BundleJSON.encode(metadata), to: root, BundleLayout.metadata)

        var files = try Self.entries(in: root)
        let page = EvidenceReport.html(metadata: metadata, files: files, signer: signingKey.publicKey)
        try Self.write(Data(page.utf8), to: root, BundleLayout.report)
        let report = try FileDigest.sha256(ofFile: (root as NSString).appendingPathComponent(BundleLayout.report))
        files.append(BundleManifest.Entry(path: BundleLayout.report, size: report.size, sha256: report.sha256))
        return (metadata, files.sorted { $0.path < $1.path }, sourceDigests)
    }

    /// Cuts the item's clip by stream copy from the keyframe at or before (start − pre-roll) to
    /// (end + post-roll), joining the camera's consecutive recordings. Recording start times are the
    /// timeline (seconds since 1970), so the clip's times are absolute instants.
    private func cutClip(_ plan: ItemPlan, request: ExportRequest, root: String,
                         time: (Date) -> EvidenceMetadata.Time) throws(EvidenceError) -> (metadata: EvidenceMetadata.Clip,
                                                                                          startSeconds: Double, sources: [String]) {
        let requestedStart = plan.from.addingTimeInterval(-request.preRollSeconds)
        let requestedEnd = plan.to.addingTimeInterval(request.postRollSeconds)
        // Browsers play H.264 (and some HEVC) in MP4; other codecs go into Matroska, which takes any.
        let playable: Set<String> = ["h264", "hevc", "mpeg4", "av1"]
        let ext = plan.recordings.allSatisfy { playable.contains($0.codec.lowercased()) } ? "mp4" : "mkv"
        let relative = plan.clipStem + "." + ext
        let output = (root as NSString).appendingPathComponent(relative)
        try Self.createFolder((output as NSString).deletingLastPathComponent)
        let result: ClipResult
        do {
            result = try ClipCutter.cut(
                plan.recordings.map { ClipSource(path: $0.path, startSeconds: $0.start.timeIntervalSince1970) },
                from: requestedStart.timeIntervalSince1970, to: requestedEnd.timeIntervalSince1970, outputPath: output)
        } catch {
            throw EvidenceError(.clip, "\(plan.title): cannot cut the clip from camera \(plan.camera.id)'s recordings",
                                cause: String(describing: error))
        }
        let start = Date(timeIntervalSince1970: result.startSeconds), end = Date(timeIntervalSince1970: result.endSeconds)
        let metadata = EvidenceMetadata.Clip(
            path: relative, start: time(start), end: time(end), requestedStart: time(requestedStart),
            requestedEnd: time(requestedEnd), leadSeconds: Self.rounded(result.leadSeconds),
            durationSeconds: Self.rounded(result.endSeconds - result.startSeconds), videoPackets: result.videoPackets,
            sources: result.sourcesUsed, sourceStream: plan.stream.rawValue)
        return (metadata, result.startSeconds, result.sourcesUsed)
    }

    /// The recording an event is played from in this bundle: its own when the clip comes from the
    /// same stream, else the recording of the clip's stream that holds it (the sub-stream file it
    /// was detected in, when the main file is gone).
    static func playback(of event: MotionEvent, in plan: ItemPlan) -> Recording? {
        if let own = plan.recordings.first(where: { $0.id == event.recordingID }) { return own }
        if let detected = event.detectedRecordingID, let found = plan.recordings.first(where: { $0.id == detected }) {
            return found
        }
        return plan.recordings.first { StreamAlignment.covers($0, from: event.start, to: event.end) }
            ?? plan.overlapping.first { $0.id == event.recordingID }
    }

    /// Copies an event's still into stills/; returns its path in the bundle.
    private func copyStill(_ still: String, event: Int64, root: String) throws(EvidenceError) -> String {
        let source = still.hasPrefix("/") ? still : (stillsDirectory as NSString).appendingPathComponent(still)
        let ext = (still as NSString).pathExtension.isEmpty ? "jpg" : (still as NSString).pathExtension
        let relative = "\(BundleLayout.stills)/event-\(event).\(Self.fileSafe(ext))"
        let target = (root as NSString).appendingPathComponent(relative)
        do {
            try Self.createFolder((target as NSString).deletingLastPathComponent)
            try FileManager.default.copyItem(atPath: source, toPath: target)
        } catch {
            throw EvidenceError(.io, "event \(event): cannot copy its still '\(source)'", error: error)
        }
        return relative
    }

    // MARK: - Files

    /// Manifest entries for every file under `root` (none of the describing files exist yet).
    static func entries(in root: String) throws(EvidenceError) -> [BundleManifest.Entry] {
        var result: [BundleManifest.Entry] = []
        for file in try FolderBundle(root: root).files() where !BundleLayout.unlisted.contains(file.path) {
            let digest = try FileDigest.sha256(ofFile: (root as NSString).appendingPathComponent(file.path))
            result.append(BundleManifest.Entry(path: file.path, size: digest.size, sha256: digest.sha256))
        }
        return result
    }

    static func write(_ data: Data, to root: String, _ relative: String) throws(EvidenceError) {
        let path = (root as NSString).appendingPathComponent(relative)
        // Synced before the manifest that lists it is signed, so a crash leaves no signed bundle with a hole.
        do { try DurableFile.write(data, to: path, mode: .createNew) } catch {
            throw EvidenceError(.io, "cannot write '\(path)'", cause: error.reason)
        }
    }

    static func createFolder(_ path: String) throws(EvidenceError) {
        guard !PartialExports.stopping.load(ordering: .sequentiallyConsistent) else {
            throw EvidenceError(.io, "the export was stopped (SIGTERM or SIGINT)")
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw EvidenceError(.io, "cannot create folder '\(path)'", error: error)
        }
    }

    /// Zips `folder` (keeping it as the archive's one top folder). Clips and stills are stored as
    /// they are (already compressed); text is deflated.
    static func zip(folder: String, to path: String) throws(EvidenceError) {
        let top = (folder as NSString).lastPathComponent
        let base = URL(fileURLWithPath: (folder as NSString).deletingLastPathComponent)
        do {
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
            for file in try FolderBundle(root: folder).files() {
                let compressed = file.path.hasSuffix(".json") || file.path.hasSuffix(".jsonl") || file.path.hasSuffix(".html")
                    || file.path.hasSuffix(".pem")
                try archive.addEntry(with: top + "/" + file.path, relativeTo: base,
                                     compressionMethod: compressed ? .deflate : .none)
            }
        } catch let error as EvidenceError {
            throw error
        } catch {
            throw EvidenceError(.io, "cannot write zip '\(path)'", error: error)
        }
    }

    /// Refuses an output that exists (a non-empty folder, any file) or lies inside a folder that
    /// holds source recordings: export only ever reads next to originals.
    static func checkOutput(_ output: String, zip: Bool, recordings: [Recording]) throws(EvidenceError) {
        let resolvedOutput = resolved(output)
        for folder in Set(recordings.map { resolved(($0.path as NSString).deletingLastPathComponent) }) {
            if resolvedOutput == folder || resolvedOutput.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") {
                throw EvidenceError(.output, "--out '\(output)' is inside the recordings folder '\(folder)'; export never "
                                    + "writes next to originals, so choose another place")
            }
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isFolder) {
            let empty = isFolder.boolValue && ((try? FileManager.default.contentsOfDirectory(atPath: output))?.isEmpty ?? false)
            guard empty, !zip else {
                throw EvidenceError(.output, "--out '\(output)' exists already; a bundle is never written over anything")
            }
        }
        let parent = (output as NSString).deletingLastPathComponent
        try createFolder(parent)
    }

    /// The path with symbolic links resolved as far as it exists, so that two spellings of one
    /// folder compare equal.
    private static func resolved(_ path: String) -> String {
        var existing = path, rest: [String] = []
        while !existing.isEmpty, existing != "/", !FileManager.default.fileExists(atPath: existing) {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        let base = (existing as NSString).resolvingSymlinksInPath
        return rest.reduce(base) { ($0 as NSString).appendingPathComponent($1) }
    }

    static func absolute(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (absolute as NSString).standardizingPath
    }

    /// Letters, digits, "-" and "_" only: camera ids and case references become file names.
    public static func fileSafe(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
    }

    /// "20240710T083000Z": a UTC instant for file names.
    static func compact(_ date: Date) -> String {
        Timestamp.format(date).prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
    }

    static func rounded(_ value: Double, _ digits: Int = 3) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }

    private func catalog<T>(_ what: String, _ body: () async throws -> T) async throws(EvidenceError) -> T {
        do { return try await body() } catch { throw EvidenceError(.catalog, "cannot \(what) from the catalog", error: error) }
    }
}
