import Foundation
import MediaIO
import Motion

/// Fast mode: triage a recording on what is cheap to read, and decode in full only what may move.
///
/// 1. Every packet is read (sizes and key flags; no decoding), which splits the file into groups of
///    pictures (GOPs) and gives each its bytes.
/// 2. Keyframes alone are decoded (one thread, `skip_frame` = non-key) and compared cell by cell
///    with the previous keyframe. A change flags the GOP between the two (where the motion was).
/// 3. Where the encoder lets sizes vary (VBR), a GOP whose predicted frames are markedly larger than
///    the stream's running baseline is flagged too: motion costs bits. Under a constant bitrate the
///    encoder fills the same budget whatever happens, so this test is not trusted: the stream is
///    marked `constantBitrate`, and only a drop of the keyframe's size (the budget went to motion)
///    or a rise in predicted-frame bytes well beyond the noise flags a GOP.
/// 4. Each flagged GOP is decoded in full together with the GOP before it, through the same detector
///    as exact mode.
///
/// What it loses: motion that starts and ends between two keyframes and does not enlarge the
/// GOP's packets (always possible on constant-bitrate streams). See README "Fast mode".
struct FastTriage {
    struct GOP {
        var start: Double
        var end: Double
        var keyBytes: Int
        var otherBytes: Int
        var otherCount: Int
        var flagged = false

        var otherMean: Double { otherCount > 0 ? Double(otherBytes) / Double(otherCount) : 0 }
    }

    /// Predicted frames this many times the baseline flag a GOP (VBR).
    static let sizeFactor = 1.5
    /// Under a constant bitrate: a keyframe this much smaller, or predicted frames this much larger.
    static let cbrKeyDrop = 0.85
    static let cbrOtherRise = 1.25

    /// Whether the stream looks rate-controlled to a constant bitrate: predicted frames carry a
    /// large share of the bytes even in quiet stretches, and GOPs cost about the same.
    static func isConstantBitrate(_ gops: [GOP]) -> Bool {
        let full = gops.dropLast().filter { $0.otherCount > 0 }
        guard full.count >= 3 else { return false }
        let totals = full.map { Double($0.keyBytes + $0.otherBytes) }.sorted()
        let median = totals[totals.count / 2]
        let steady = totals.filter { abs($0 - median) <= 0.15 * median }.count
        let otherShare = full.map { Double($0.otherBytes) }.reduce(0, +) / max(1, totals.reduce(0, +))
        return otherShare >= 0.3 && Double(steady) >= 0.8 * Double(full.count)
    }

    /// Flags GOPs by their bytes against a running median of recent unflagged GOPs.
    static func flagBySize(_ gops: inout [GOP], constantBitrate: Bool) {
        var recentOther: [Double] = []
        var recentKey: [Double] = []
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        for index in gops.indices where gops[index].otherCount > 0 {
            let gop = gops[index]
            if recentOther.count >= 2 {
                let baseOther = median(recentOther), baseKey = median(recentKey)
                let flagged = constantBitrate
                    ? Double(gop.keyBytes) < cbrKeyDrop * baseKey || gop.otherMean > cbrOtherRise * baseOther
                    : gop.otherMean > sizeFactor * baseOther + 16
                if flagged {
                    gops[index].flagged = true
                    continue
                }
            }
            recentOther.append(gop.otherMean)
            recentKey.append(Double(gop.keyBytes))
            if recentOther.count > 9 {
                recentOther.removeFirst()
                recentKey.removeFirst()
            }
        }
    }

    /// Time ranges to decode in full: each flagged GOP with the GOP before it, joined. The GOP before leads the
    /// detector into motion that began at the flagged GOP's keyframe. No GOP after is needed: motion that runs on
    /// past the next keyframe changes that keyframe too (or enlarges the next GOP's packets), which flags the next
    /// GOP itself.
    static func ranges(_ gops: [GOP]) -> [(start: Double, end: Double)] {
        var wanted = Set<Int>()
        for (index, gop) in gops.enumerated() where gop.flagged {
            for neighbour in (index - 1)...index where gops.indices.contains(neighbour) { wanted.insert(neighbour) }
        }
        var result: [(start: Double, end: Double)] = []
        for index in wanted.sorted() {
            if let last = result.last, abs(last.end - gops[index].start) < 1e-6 || last.end >= gops[index].start {
                result[result.count - 1].end = max(last.end, gops[index].end)
            } else {
                result.append((gops[index].start, gops[index].end))
            }
        }
        return result
    }
}

extension RecordingIndexer {
    /// Fast mode's pass over a recording (see `FastTriage`).
    func scanFast(path: String, expectedDuration: Double?, shouldStop: () -> Bool, progress: (Double) -> Void)
        throws(IngestError) -> ScanResult
    {
        // 1. Packets: GOP boundaries and sizes.
        var gops: [FastTriage.GOP] = []
        var endTime = 0.0
        var packets = 0
        do {
            let reader = try PacketReader(path: path, hashing: false)
            while let packet = try reader.nextPacket() {
                packets += 1
                endTime = max(endTime, packet.time + Double(max(packet.duration, 0)) * reader.timeBase)
                if packet.isKeyframe || gops.isEmpty {
                    if let last = gops.indices.last { gops[last].end = packet.time }
                    gops.append(FastTriage.GOP(start: packet.time, end: packet.time, keyBytes: packet.size, otherBytes: 0,
                                               otherCount: 0))
                } else {
                    gops[gops.count - 1].otherBytes += packet.size
                    gops[gops.count - 1].otherCount += 1
                }
            }
        } catch {
            throw IngestError(.unreadable, path: path, reason: error.reason)
        }
        guard !gops.isEmpty else { throw IngestError(.noFrames, path: path, reason: "no video packets") }
        // All-intra video (MJPEG, every frame a keyframe): nothing to skip, so decode it all, once.
        if packets < 2 * gops.count {
            var result = try scan(path: path, expectedDuration: expectedDuration, shouldStop: shouldStop, progress: progress)
            result.triage = FastTriageSummary(gops: gops.count, decodedGOPs: gops.count, constantBitrate: false)
            return result
        }
        gops[gops.count - 1].end = max(endTime, gops[gops.count - 1].start)
        let constantBitrate = FastTriage.isConstantBitrate(gops)
        FastTriage.flagBySize(&gops, constantBitrate: constantBitrate)

        // 2. Keyframes: compare each with the previous; feed picture health.
        var health: PictureHealth?
        var corrupt = 0
        do {
            let decoder = try VideoDecoder(path: path, options: DecoderOptions(
                threads: 1, skipLoopFilter: settings.fastDecode, keyframesOnly: true))
            let cellSize = LumaGrid.cellSize(forWidth: max(decoder.info.width, 1), targetColumns: settings.gridColumns)
            var previous: (time: Double, values: [Float])?
            while let frame = try decoder.nextFrame() {
                if shouldStop() { throw IngestError(.cancelled, path: path, reason: "stopped before it was committed") }
                let grid = try frame.lumaGrid(cellSize: cellSize, rowStep: max(1, cellSize / 4))
                if health == nil { health = PictureHealth(columns: grid.columns, rows: grid.rows) }
                health?.offer(grid.values, time: frame.time)
                if let previous, KeyframeChange.looksLikeMotion(previous.values, grid.values, settings: settings.motion) {
                    // The change happened between the two keyframes: flag the GOP(s) they enclose.
                    for index in gops.indices where gops[index].start >= previous.time - 1e-3 && gops[index].start < frame.time - 1e-3 {
                        gops[index].flagged = true
                    }
                }
                previous = (frame.time, grid.values)
            }
            corrupt += decoder.corruptPacketCount
        } catch let error as IngestError {
            throw error
        } catch let error as MediaIOError {
            throw IngestError(.unreadable, path: path, reason: error.reason)
        } catch {
            throw IngestError(.unreadable, path: path, reason: "\(error)")
        }
        progress(0.2)

        // The last GOP has no keyframe after it to show motion running on: it goes with the GOP before it.
        if gops.count >= 2, gops[gops.count - 2].flagged { gops[gops.count - 1].flagged = true }

        // 3. Full decodes of the flagged GOPs and the GOPs before them, each range through a fresh detector.
        let ranges = FastTriage.ranges(gops)
        var events: [FoundEvent] = []
        var decoded = 0
        let total = ranges.reduce(0) { $0 + $1.end - $1.start }
        var done = 0.0
        for range in ranges {
            let part = try scanRange(path: path, from: range.start, to: range.end, shouldStop: shouldStop)
            events += part.events
            decoded += part.frames
            corrupt += part.corruptPackets
            done += range.end - range.start
            progress(0.2 + 0.8 * done / max(total, 0.001))
        }
        progress(1)
        var result = ScanResult(events: events, health: health?.verdict(), frames: packets, corruptPackets: corrupt,
                                endTime: endTime)
        result.decodedFrames = decoded
        result.triage = FastTriageSummary(gops: gops.count, decodedGOPs: gops.indices.filter { index in
            ranges.contains { gops[index].start >= $0.start - 1e-6 && gops[index].end <= $0.end + 1e-6 }
        }.count, constantBitrate: constantBitrate)
        return result
    }

    /// Decodes [from, to) of a file in full and runs it through a fresh detector.
    func scanRange(path: String, from start: Double, to end: Double, shouldStop: () -> Bool) throws(IngestError)
        -> ScanResult
    {
        let decoder = try openDecoder(path: path, seekingTo: start)
        let (found, _, frames) = try decodeAndAnalyse(decoder, path: path, shouldStop: shouldStop) { frame in
            frame.time >= end - 1e-6 ? .stop : frame.time >= start - 1e-6 ? .analyse : .skip
        }
        return ScanResult(events: found, health: nil, frames: frames, corruptPackets: decoder.corruptPacketCount, endTime: end)
    }
}

/// What fast mode's triage decided for one file.
public struct FastTriageSummary: Sendable, Equatable {
    public var gops: Int
    /// GOPs decoded in full (flagged ones and the GOPs before them).
    public var decodedGOPs: Int
    /// Packet sizes were judged useless for triage (constant bitrate).
    public var constantBitrate: Bool
}
