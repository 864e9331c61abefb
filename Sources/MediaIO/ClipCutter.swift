import CFFmpeg
import Foundation

/// One input file and where its first frame sits on the caller's timeline (e.g. seconds since the Unix epoch,
/// or since the first file's start).
public struct ClipSource: Sendable, Equatable {
    public var path: String
    public var startSeconds: Double

    public init(path: String, startSeconds: Double) {
        self.path = path
        self.startSeconds = startSeconds
    }
}

/// What `ClipCutter.cut` wrote.
public struct ClipResult: Sendable, Equatable {
    public var outputPath: String
    /// Timeline position (same timeline as ClipSource.startSeconds) of the clip's first video frame (a keyframe at or before `from`).
    public var startSeconds: Double
    /// Timeline position where the clip ends (end of its last video packet).
    public var endSeconds: Double
    /// `from - startSeconds`: how much earlier than asked the clip starts (>= 0, at most one GOP).
    /// Negative only when `from` lies before the first recording, where the clip starts at its first keyframe.
    public var leadSeconds: Double
    public var videoPackets: Int
    public var sourcesUsed: [String]
    public var sizeBytes: Int64
    /// Audio streams copied (0 when the recordings have none or the container cannot store their codec).
    public var audioStreams: Int
    /// Packets whose timestamps were moved (video) or that were dropped (audio) to keep decoding timestamps
    /// increasing, plus joins moved later because a recording overlapped the one before it. 0 for recordings
    /// that follow each other exactly.
    public var timestampFixes: Int

    public init(outputPath: String, startSeconds: Double, endSeconds: Double, leadSeconds: Double,
                videoPackets: Int, sourcesUsed: [String], sizeBytes: Int64, audioStreams: Int = 0,
                timestampFixes: Int = 0) {
        self.outputPath = outputPath
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.leadSeconds = leadSeconds
        self.videoPackets = videoPackets
        self.sourcesUsed = sourcesUsed
        self.sizeBytes = sizeBytes
        self.audioStreams = audioStreams
        self.timestampFixes = timestampFixes
    }
}

/// Cuts clips out of recordings by stream copy: the compressed packets are copied as they are, so a clip
/// costs file I/O only and carries exactly the camera's bytes (what playback and evidence exports need).
public enum ClipCutter {
    /// How far a recording may overlap the end of the one before it (start times taken from file names
    /// are often whole seconds) before it is refused as not consecutive.
    public static let joinOverlapTolerance = 1.0

    /// Cuts [from, to] (timeline seconds) by stream copy into `outputPath` (container chosen from the extension:
    /// .mp4 (with faststart so browsers can play it progressively) or .mkv). Starts at the last video keyframe at or before `from`.
    ///
    /// The clip's video runs from that keyframe through every packet decoded before `to` (so it ends at or
    /// after `to`, or at the end of the last recording); audio is copied when the container accepts its codec,
    /// and skipped otherwise. Data and subtitle streams are skipped. The file appears under `outputPath` only
    /// when complete (it is written under a temporary name in the same folder, then renamed over any file there).
    /// - Parameters:
    ///   - sources: consecutive recordings of one camera, in any order; those that cannot overlap [from, to]
    ///     (judged by their start times) are not opened.
    ///   - outputPath: the clip to write; never one of the sources.
    /// - Throws: MediaIOError when the range touches no source, a source can't be read, the codec parameters of
    ///   consecutive sources differ (can't be joined without re-encoding), or the codec doesn't fit the container.
    public static func cut(_ sources: [ClipSource], from: Double, to: Double, outputPath: String)
        throws(MediaIOError) -> ClipResult
    {
        let container = try ClipContainer(outputPath: outputPath)
        guard from.isFinite, to.isFinite, from < to else {
            throw MediaIOError(.outOfRange, path: outputPath, reason: "the clip range \(from)...\(to) is empty")
        }
        try refuseToOverwrite(sources, with: outputPath)
        let touching = try sourcesTouching(sources, from: from, to: to, outputPath: outputPath)
        let temporary = temporaryPath(for: outputPath)
        do throws(MediaIOError) {
            let assembler = ClipAssembler(from: from, to: to, container: container, outputPath: outputPath,
                                          temporaryPath: temporary)
            var result = try assembler.run(touching)
            guard rename(temporary, outputPath) == 0 else {
                throw MediaIOError(.writeFailed, path: outputPath,
                                   reason: "cannot move the finished clip into place (\(String(cString: strerror(errno))))")
            }
            let attributes = try? FileManager.default.attributesOfItem(atPath: outputPath)
            result.sizeBytes = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
            return result
        } catch {
            unlink(temporary)
            throw error
        }
    }

    // MARK: - Choosing the recordings

    /// The recordings that may hold part of [from, to], in timeline order.
    ///
    /// Recordings are consecutive (each ends at or before the next one starts), so only the last one starting
    /// at or before `from` can hold `from`, and one starting at or after `to` holds nothing of the range.
    static func sourcesTouching(_ sources: [ClipSource], from: Double, to: Double, outputPath: String)
        throws(MediaIOError) -> [ClipSource]
    {
        if let bad = sources.first(where: { !$0.startSeconds.isFinite }) {
            throw MediaIOError(.outOfRange, path: bad.path, reason: "has no usable start time (\(bad.startSeconds))")
        }
        let ordered = sources.sorted { $0.startSeconds < $1.startSeconds }
        guard let first = ordered.first else {
            throw MediaIOError(.outOfRange, path: outputPath, reason: "no recordings to cut the clip from")
        }
        guard first.startSeconds < to else {
            throw MediaIOError(.outOfRange, path: first.path,
                               reason: "starts at \(seconds(first.startSeconds)), after the requested clip "
                                   + "\(seconds(from))...\(seconds(to)) ends")
        }
        let firstIndex = ordered.lastIndex { $0.startSeconds <= from } ?? 0
        let lastIndex = ordered.lastIndex { $0.startSeconds < to } ?? 0
        return Array(ordered[firstIndex...lastIndex])
    }

    /// Refuses an output path that names one of the sources (renaming over it would destroy the recording).
    static func refuseToOverwrite(_ sources: [ClipSource], with outputPath: String) throws(MediaIOError) {
        let output = URL(fileURLWithPath: outputPath).standardizedFileURL.resolvingSymlinksInPath().path
        for source in sources
        where URL(fileURLWithPath: source.path).standardizedFileURL.resolvingSymlinksInPath().path == output {
            throw MediaIOError(.writeFailed, path: outputPath, reason: "is one of the recordings being cut; "
                + "choose another output path")
        }
    }

    /// A hidden name next to `outputPath`, so the final rename stays on one file system.
    static func temporaryPath(for outputPath: String) -> String {
        let url = URL(fileURLWithPath: outputPath)
        let name = ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).partial"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3f s", value) }
}

/// The container a clip is written in, from the output file's extension.
struct ClipContainer {
    /// FFmpeg's muxer name.
    let formatName: String
    let fileExtension: String
    let options: [(String, String)]

    init(outputPath: String) throws(MediaIOError) {
        fileExtension = URL(fileURLWithPath: outputPath).pathExtension.lowercased()
        switch fileExtension {
        case "mp4":
            // faststart: the index goes before the media data, so a browser can start playing while loading.
            formatName = "mp4"
            options = [("movflags", "+faststart")]
        case "mkv":
            formatName = "matroska"
            options = []
        default:
            throw MediaIOError(.unsupportedContainer, path: outputPath,
                               reason: "clips are written as .mp4 or .mkv, not '.\(fileExtension)'")
        }
    }
}

// MARK: - Copying

/// How a stream's codec is set up; recordings are joined only when these are identical.
struct CodingSignature: Equatable {
    var codec: AVCodecID
    var width: Int32
    var height: Int32
    var sampleRate: Int32
    var channels: Int32
    var extradata: [UInt8]

    init(_ parameters: UnsafeMutablePointer<AVCodecParameters>) {
        let p = parameters.pointee
        codec = p.codec_id
        width = p.width
        height = p.height
        sampleRate = p.sample_rate
        channels = p.ch_layout.nb_channels
        extradata = p.extradata.map { Array(UnsafeBufferPointer(start: $0, count: Int(p.extradata_size))) } ?? []
    }

    var codecName: String { avcodec_get_name(codec).map { String(cString: $0) } ?? "unknown" }

    /// "h264 1920x1080": what differs, for messages.
    func difference(from other: CodingSignature) -> String {
        let mine = "\(codecName) \(width)x\(height)", theirs = "\(other.codecName) \(other.width)x\(other.height)"
        return mine != theirs ? "\(mine) vs \(theirs)" : "same \(mine) but a different codec setup (extradata)"
    }
}

/// One opened recording and how its streams map onto the clip's streams.
final class ClipInput {
    enum Route {
        case video
        /// Index into the clip's audio tracks.
        case audio(Int)
    }

    let source: ClipSource
    let file: InputFile
    let packet: OwnedPacket
    let videoIndex: Int
    let videoTimeBase: AVRational
    /// Timestamp of the first video frame (the stream's start_time): the frame that sits at `source.startSeconds`.
    let origin: Int64
    var routes: [Int: Route] = [:]

    init(_ source: ClipSource) throws(MediaIOError) {
        self.source = source
        file = try InputFile(path: source.path)
        videoIndex = try file.bestVideoStreamIndex()
        packet = try OwnedPacket(path: source.path)
        let video = file.stream(videoIndex)
        videoTimeBase = video.pointee.time_base
        let start = video.pointee.start_time
        origin = start != cff_nopts() ? start : 0
        routes[videoIndex] = .video
    }

    var path: String { source.path }
    var video: UnsafeMutablePointer<AVStream> { file.stream(videoIndex) }

    /// Indices of the audio streams, in container order.
    var audioIndices: [Int] {
        (0..<file.streamCount).filter { file.stream($0).pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_AUDIO }
    }

    /// Reads the next packet into `packet`; false at the end (or at a read error in a truncated tail,
    /// which ends the readable part of a camera file just the same).
    func read() -> Bool {
        av_packet_unref(packet.pointer)
        return av_read_frame(file.context, packet.pointer) >= 0
    }

    /// The last video timestamp at or before timeline position `seconds`.
    func videoTimestamp(atSeconds seconds: Double) -> Int64 {
        origin + videoTimeBase.ticks(forSeconds: seconds - source.startSeconds, .down)
    }
}

/// One stream of the clip.
struct ClipTrack {
    let index: Int
    let signature: CodingSignature
    var timeBase = AVRational(num: 1, den: 1)
    var lastDts = Int64.min
}

/// Writes one clip: finds its first keyframe in the first recording, then copies packets through the
/// following recordings, shifting their timestamps onto one clock that starts at 0 at that keyframe.
final class ClipAssembler {
    let from: Double
    let to: Double
    let container: ClipContainer
    let outputPath: String
    let temporaryPath: String

    private var output: OutputFile?
    private var video: ClipTrack?
    private var audio: [ClipTrack] = []
    /// Timeline seconds of the clip's first keyframe.
    private var clipStart = 0.0
    /// Where `to` falls, in the clip's video time base.
    private var videoLimit = Int64.max
    /// End of the latest video packet written (pts + duration), in the clip's video time base.
    private var videoEnd = Int64.min
    private var videoDone = false
    private var audioDone: [Bool] = []
    /// Clip seconds of the latest packet read after the video reached `to` (bounds the wait for audio).
    private var latestAfterDone = 0.0
    /// Per input stream: timestamp offset in the output stream's time base.
    private var offsets: [Int: Int64] = [:]
    private var videoPackets = 0
    private var timestampFixes = 0
    private var used: [String] = []

    init(from: Double, to: Double, container: ClipContainer, outputPath: String, temporaryPath: String) {
        self.from = from
        self.to = to
        self.container = container
        self.outputPath = outputPath
        self.temporaryPath = temporaryPath
    }

    func run(_ sources: [ClipSource]) throws(MediaIOError) -> ClipResult {
        for source in sources where !videoDone {
            let input = try ClipInput(source)
            if output == nil {
                // No clip yet: this recording must hold `from` (or start after it).
                guard let start = try startPoint(in: input) else { continue }
                try openOutput(with: input, keyframe: start.keyframe)
                for pending in start.packets { try take(pending.pointer, from: input) }
            } else {
                try join(input, after: used.last ?? "")
            }
            used.append(input.path)
            try copyRest(of: input)
        }
        guard let output, let video else {
            let last = sources.last?.path ?? outputPath
            throw MediaIOError(.outOfRange, path: last, reason: "ends before the requested clip starts at "
                + "\(ClipCutter.seconds(from)) (no video at or after that time)")
        }
        try output.finish()
        let start = clipStart
        return ClipResult(
            outputPath: outputPath, startSeconds: start,
            endSeconds: start + video.timeBase.seconds(ofTicks: videoEnd), leadSeconds: from - start,
            videoPackets: videoPackets, sourcesUsed: used, sizeBytes: 0, audioStreams: audio.count,
            timestampFixes: timestampFixes)
    }

    // MARK: Finding the first keyframe

    struct StartPoint {
        /// pts of the keyframe the clip starts at, in the recording's video time base.
        var keyframe: Int64
        /// Packets read from there on: video from the keyframe, audio from its time.
        var packets: [OwnedPacket]
    }

    private enum Scan {
        case found(StartPoint)
        /// The seek landed after the keyframe we need (container index by dts, or an imprecise seek).
        case landedLate
        /// The recording ends before `from`.
        case endsBefore

        var start: StartPoint? {
            if case .found(let start) = self { return start }
            return nil
        }
    }

    /// The last video keyframe at or before `from` in `input`, with the packets read from it, or nil
    /// when the recording ends before `from`.
    private func startPoint(in input: ClipInput) throws(MediaIOError) -> StartPoint? {
        let target = input.videoTimestamp(atSeconds: from)
        guard target > input.origin else {
            // `from` is at or before the first frame: read from the start and take the first keyframe.
            return try scan(input, upTo: target, acceptFirst: true).start
        }
        // A backward seek lands on a keyframe whose *index* timestamp is at or before the target; MP4 indexes
        // by dts, so with B-frames that keyframe may still display after `from`. Seek earlier until it does not.
        let margins: [Double] = [0, 1, 5, 30]
        for margin in margins {
            let seekTo = target - input.videoTimeBase.ticks(forSeconds: margin)
            // A failed seek (unseekable input) leaves the reader where it was; the scan then reads on from there.
            av_seek_frame(input.file.context, Int32(input.videoIndex), seekTo, AVSEEK_FLAG_BACKWARD)
            switch try scan(input, upTo: target, acceptFirst: false) {
            case .found(let start): return start
            case .endsBefore: return nil
            case .landedLate: continue
            }
        }
        // Still too late: read from the first frame.
        av_seek_frame(input.file.context, Int32(input.videoIndex), input.origin, AVSEEK_FLAG_BACKWARD)
        return try scan(input, upTo: target, acceptFirst: true).start
    }

    /// Reads from the current position, keeping the packets from the latest keyframe at or before `target`
    /// until a video packet decodes after `target` (no later keyframe can then display at or before it).
    private func scan(_ input: ClipInput, upTo target: Int64, acceptFirst: Bool) throws(MediaIOError) -> Scan {
        var keyframe: Int64?
        var pending: [(packet: OwnedPacket, isVideo: Bool)] = []
        var end = Int64.min
        let audioIndices = Set(input.audioIndices)
        while input.read() {
            let packet = input.packet.pointer
            let index = Int(packet.pointee.stream_index)
            if index == input.videoIndex {
                guard let stamps = timestamps(packet) else { continue }
                let pts = stamps.pts, dts = stamps.dts
                let isKey = packet.pointee.flags & AV_PKT_FLAG_KEY != 0
                if isKey, pts <= target || (keyframe == nil && acceptFirst) {
                    keyframe = pts
                    // Start over from this keyframe; keep the audio that plays from its time on.
                    pending.removeAll { entry in
                        let audio = entry.packet.pointer.pointee
                        let timeBase = input.file.stream(Int(audio.stream_index)).pointee.time_base
                        return entry.isVideo || av_compare_ts(audio.pts, timeBase, pts, input.videoTimeBase) < 0
                    }
                } else if keyframe == nil {
                    // Before any usable keyframe: nothing here can be decoded. A keyframe after `target`
                    // means the seek went too far.
                    if isKey { return .landedLate }
                    continue
                }
                pending.append((try OwnedPacket(referencing: packet, path: input.path), true))
                end = max(end, pts + max(packet.pointee.duration, 0))
                if dts > target, let keyframe {
                    return .found(StartPoint(keyframe: keyframe, packets: pending.map(\.packet)))
                }
            } else if audioIndices.contains(index), packet.pointee.pts != cff_nopts() {
                pending.append((try OwnedPacket(referencing: packet, path: input.path), false))
            }
        }
        // The end of the file came first: the clip starts here only if the last frame still shows at `target`.
        guard let keyframe, end > target || acceptFirst else { return .endsBefore }
        return .found(StartPoint(keyframe: keyframe, packets: pending.map(\.packet)))
    }

    // MARK: The output

    /// Creates the clip's streams from the first recording (video, plus the audio the container accepts)
    /// and writes the header. If the muxer refuses the header with audio, it is written again without audio:
    /// audio never stops a clip.
    private func openOutput(with input: ClipInput, keyframe: Int64) throws(MediaIOError) {
        clipStart = input.source.startSeconds
            + input.videoTimeBase.seconds(ofTicks: keyframe - input.origin)
        for withAudio in [true, false] {
            let file = try OutputFile(path: temporaryPath, formatName: container.formatName, displayPath: outputPath)
            let videoCodec = input.video.pointee.codecpar.pointee.codec_id
            guard file.accepts(videoCodec) else {
                let name = CodingSignature(input.video.pointee.codecpar).codecName
                let hint = container.fileExtension == "mkv" ? "" : "; use .mkv"
                throw MediaIOError(.unsupportedContainer, path: outputPath,
                                   reason: "\(name) video (from '\(input.path)') cannot be stored in "
                                       + ".\(container.fileExtension)\(hint)")
            }
            var videoTrack = ClipTrack(index: try file.addStream(copying: input.video),
                                       signature: CodingSignature(input.video.pointee.codecpar))
            var audioTracks: [(input: Int, track: ClipTrack)] = []
            for index in withAudio ? input.audioIndices : [] {
                let stream = input.file.stream(index)
                guard file.accepts(stream.pointee.codecpar.pointee.codec_id) else { continue }
                audioTracks.append((index, ClipTrack(index: try file.addStream(copying: stream),
                                                     signature: CodingSignature(stream.pointee.codecpar))))
            }
            do throws(MediaIOError) {
                try file.writeHeader(options: container.options)
            } catch where withAudio && !audioTracks.isEmpty && error.code == .unsupportedContainer {
                continue
            }
            videoTrack.timeBase = file.stream(videoTrack.index).pointee.time_base
            for i in audioTracks.indices {
                audioTracks[i].track.timeBase = file.stream(audioTracks[i].track.index).pointee.time_base
                input.routes[audioTracks[i].input] = .audio(i)
            }
            output = file
            video = videoTrack
            audio = audioTracks.map(\.track)
            audioDone = audio.map { _ in false }
            videoLimit = videoTrack.timeBase.ticks(forSeconds: to - clipStart, .up)
            setOffsets(of: input, anchor: keyframe, clipSeconds: 0)
            return
        }
    }

    /// Maps a later recording onto the clip: its first frame goes to its start time on the clip's clock
    /// (moved later if it would overlap the clip so far), its audio to the clip's audio tracks of the same coding.
    private func join(_ input: ClipInput, after previousPath: String) throws(MediaIOError) {
        guard let video else { return }
        let signature = CodingSignature(input.video.pointee.codecpar)
        guard signature == video.signature else {
            throw MediaIOError(.incompatibleSources, path: input.path,
                               reason: "cannot be joined to '\(previousPath)' without re-encoding "
                                   + "(\(signature.difference(from: video.signature)))")
        }
        var position = input.source.startSeconds - clipStart
        let end = video.timeBase.seconds(ofTicks: videoEnd)
        if video.timeBase.ticks(forSeconds: position) < videoEnd {
            guard end - position <= ClipCutter.joinOverlapTolerance else {
                throw MediaIOError(.incompatibleSources, path: input.path,
                                   reason: "starts \(ClipCutter.seconds(end - position)) before '\(previousPath)' "
                                       + "ends; the recordings overlap, so they are not consecutive")
            }
            // Start times rounded to whole seconds: continue right after the previous recording instead.
            position = end
            timestampFixes += 1
        }
        // Each audio track continues with the first unused audio stream coded the same; a track with none
        // has a gap for this recording (the video does not).
        var unused = input.audioIndices
        for track in audio.indices {
            let match = unused.firstIndex { CodingSignature(input.file.stream($0).pointee.codecpar) == audio[track].signature }
            if let match { input.routes[unused.remove(at: match)] = .audio(track) }
        }
        // A track this recording does not continue has nothing more to wait for.
        audioDone = audio.indices.map { track in
            !input.routes.values.contains { if case .audio(track) = $0 { true } else { false } }
        }
        setOffsets(of: input, anchor: input.origin, clipSeconds: position)
    }

    /// Offsets such that input timestamp `anchor` (video time base) lands at `clipSeconds` on the clip's clock,
    /// for each routed stream, in that output stream's time base.
    private func setOffsets(of input: ClipInput, anchor: Int64, clipSeconds: Double) {
        offsets = [:]
        for (index, route) in input.routes {
            let timeBase: AVRational
            switch route {
            case .video: timeBase = video!.timeBase
            case .audio(let track): timeBase = audio[track].timeBase
            }
            offsets[index] = timeBase.ticks(forSeconds: clipSeconds)
                - av_rescale_q(anchor, input.videoTimeBase, timeBase)
        }
    }

    /// Copies the rest of `input` until the video reaches `to` (then waits a little for audio) or the file ends.
    private func copyRest(of input: ClipInput) throws(MediaIOError) {
        while input.read() {
            try take(input.packet.pointer, from: input)
            if videoDone, audioDone.allSatisfy({ $0 }) || latestAfterDone > endSeconds + 2 { return }
        }
    }

    private var endSeconds: Double { video.map { $0.timeBase.seconds(ofTicks: videoEnd) } ?? 0 }

    /// Moves one packet onto the clip's clock and writes it, or drops it.
    private func take(_ packet: UnsafeMutablePointer<AVPacket>, from input: ClipInput) throws(MediaIOError) {
        let index = Int(packet.pointee.stream_index)
        guard let output, let route = input.routes[index], let offset = offsets[index],
              timestamps(packet) != nil else { return }
        let track: ClipTrack
        switch route {
        case .video: track = video!
        case .audio(let i): track = audio[i]
        }
        if packet.pointee.pts == cff_nopts() { packet.pointee.pts = packet.pointee.dts }
        // A missing dts (Matroska leaves it out) is the pts for streams without reordering; lavf fills it in
        // for streams with B-frames.
        if packet.pointee.dts == cff_nopts() { packet.pointee.dts = packet.pointee.pts }
        av_packet_rescale_ts(packet, input.file.stream(index).pointee.time_base, track.timeBase)
        packet.pointee.pts += offset
        packet.pointee.dts += offset
        packet.pointee.stream_index = Int32(track.index)
        packet.pointee.pos = -1
        if videoDone {
            latestAfterDone = max(latestAfterDone, track.timeBase.seconds(ofTicks: packet.pointee.pts))
        }

        switch route {
        case .video:
            guard !videoDone else { return }
            if packet.pointee.dts >= videoLimit {
                // Decoded after `to`: everything up to here is enough to show every frame before `to`.
                videoDone = true
                return
            }
            // Displays before the clip's first keyframe: an open-GOP leading picture, which needs the
            // previous GOP and cannot be decoded from the clip.
            guard packet.pointee.pts >= 0 else { return }
            if packet.pointee.dts <= track.lastDts {
                // Fixed rather than dropped: every later frame of the GOP may reference this one.
                packet.pointee.dts = track.lastDts + 1
                packet.pointee.pts = max(packet.pointee.pts, packet.pointee.dts)
                timestampFixes += 1
            }
            video!.lastDts = packet.pointee.dts
            videoEnd = max(videoEnd, packet.pointee.pts + max(packet.pointee.duration, 0))
            videoPackets += 1
        case .audio(let i):
            guard packet.pointee.pts >= 0 else { return }
            if videoDone, track.timeBase.seconds(ofTicks: packet.pointee.pts) >= endSeconds {
                audioDone[i] = true
                return
            }
            if packet.pointee.dts <= track.lastDts {
                // Dropped rather than moved: an audio packet stands alone, and moving it would overlap the
                // samples before it. At most a few milliseconds of sound are lost at a join.
                timestampFixes += 1
                return
            }
            audio[i].lastDts = packet.pointee.dts
        }
        try output.write(packet)
    }

    /// pts and dts of a packet, each standing in for the other when missing; nil when it has neither.
    private func timestamps(_ packet: UnsafeMutablePointer<AVPacket>) -> (pts: Int64, dts: Int64)? {
        let pts = packet.pointee.pts, dts = packet.pointee.dts
        if pts == cff_nopts() && dts == cff_nopts() { return nil }
        return (pts != cff_nopts() ? pts : dts, dts != cff_nopts() ? dts : pts)
    }
}

extension AVRational {
    /// `seconds` in whole time-base units: the nearest, or (`.down`, `.up`) the last one at or before, the first
    /// one at or after. A microsecond of slack absorbs floating-point noise (epoch seconds carry about 0.2 µs).
    func ticks(forSeconds seconds: Double, _ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Int64 {
        let units = seconds * Double(den) / Double(num), slack = 1e-6 * Double(den) / Double(num)
        switch rule {
        case .down: return Int64((units + slack).rounded(.down))
        case .up: return Int64((units - slack).rounded(.up))
        default: return Int64(units.rounded(rule))
        }
    }

    /// `ticks` time-base units in seconds.
    func seconds(ofTicks ticks: Int64) -> Double { Double(ticks) * Double(num) / Double(den) }
}
