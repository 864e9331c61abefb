/// The background-model detector (`detection.model: background`, the default).
///
/// Per frame:
/// 1. **Global light.** A robust gain/offset fit between the learned background and the frame is
///    applied to the background first, so dusk, clouds and exposure steps cancel out at once.
/// 2. **Per-cell background.** Each cell keeps a running mean (learned with a time constant of
///    `learningSeconds`) and its own flicker: the running mean square of its frame-to-frame change.
///    A cell is foreground when it differs from its mean by more than `noiseFactor` times the larger
///    of the frame's noise (median absolute deviation over all cells) and the cell's own flicker, and
///    by at least `sensitivity` levels. Leaves, water, rain and compression pumping raise only the
///    thresholds of the cells where they happen.
/// 3. **Blobs.** Foreground cells are joined into 8-connected blobs; blobs smaller than
///    `minimumBlobCells` are dropped (lone cells are noise).
/// 4. **Tracks.** Blobs are matched to the tracks of the previous frames by overlap with each
///    track's predicted box. A track starts an event only after it has been seen for
///    `minimumMotionSeconds` in most frames and its centre has travelled steadily (net travel at
///    least `minimumDisplacement` of the picture width, at least a quarter of its own size, and at
///    least 40% of the path it wandered). Things that jitter in place (foliage, flags) and change
///    scattered over the picture never do. The event then starts at the track's first frame.
/// 5. **Learning.** The background learns every cell except those under a moving object (and under
///    a young track that may still prove to be one). An object that stops for `stopSeconds` no longer
///    holds its event open and is learned: with contrast C over a threshold T it blends in after
///    about `learningSeconds × ln(C/T)` more (10 s × ln(60/8) ≈ 20 s with the defaults).
/// 6. **Whole-picture change.** When more than 40% of the cells differ from the background, or 15%
///    start to differ from one frame to the next (a colour/IR switch, a lamp, a big exposure jump the
///    fit cannot follow), the background is relearned from that frame, tracks are dropped and no
///    event can start for a second.
/// 7. **Keyframes.** A confirmed track born inside the picture within a group of pictures that
///    vanishes at the next keyframe, in mid-picture, near where it started and leaving nothing there,
///    was a compression artefact (a refreshed noise patch at a low bitrate): it is dropped, with its
///    event if nothing else joined it. Objects are coded in keyframes too.
struct BackgroundDetector: Sendable {
    let settings: MotionSettings
    let columns: Int
    let rows: Int
    let mask: [Bool]
    let analysedCellCount: Int

    /// Above this fraction of changed cells the whole picture changed: relearn, raise nothing.
    static let globalChangeFraction = 0.4
    /// More than this fraction of the cells changing between one frame and the next is a switch
    /// (lights, IR, exposure), not something walking in.
    static let suddenChangeFraction = 0.15
    /// After a whole-picture change, no track can start an event for this long.
    static let settleSeconds = 1.0
    /// A track unseen for this long is gone.
    static let trackGapSeconds = 0.5
    /// Tracks younger than this protect their cells from learning (they may be a slow object starting).
    static let youngTrackSeconds = 1.5
    /// A confirmed track's frames count for its event up to this long after it last travelled
    /// steadily; pauses longer than that are bridged by the merge gap.
    static let travelGraceSeconds = 0.5
    /// Tracks qualify on their last few seconds.
    static let qualificationWindow = 2.0
    /// No event starts in a file's first moments, while the background and each cell's flicker are
    /// first learned (an object already moving then still gets its event, from its first frame).
    static let warmUpSeconds = 0.5
    /// A track must travel at least this fraction of the path it wandered.
    static let minimumStraightness = 0.4
    /// Keyframes closer together than this (intra-only streams) are not used to tell compression
    /// artefacts from objects.
    static let minimumKeyframeInterval = 0.5
    /// A track that got further than this fraction of the width from its start is an object, even
    /// if a keyframe wipes what is left of it.
    static let artefactReach = 0.25

    private var mean: [Float]
    private var flicker: [Float]
    /// Running mean square of each cell's difference from its background: how far it strays.
    private var deviation: [Float]
    private var previousResidual: [Float]
    private var residual: [Float]
    private var excess: [Float]
    private var scratch: [Float]
    private var foreground: [Bool]
    private var changing: [Bool]
    private var labels: [Int32]
    private var stack: [Int32] = []
    private var blobTrack: [Int] = []
    private var medians = MedianHistogram()
    private var learnedFrames = 0
    private var previousChanged = 0
    private var wholePictureChanged = 0
    private var lastTime: Double?
    private var settleUntil = -Double.infinity
    private var learnFreelyUntil = -Double.infinity
    private var tracks: [Track] = []
    /// The time of the first frame analysed after the latest keyframe.
    private var lastKeyframe = -Double.infinity
    private var nextTrackID = 0
    private var event: OpenEvent?

    init(settings: MotionSettings, columns: Int, rows: Int) {
        self.settings = settings
        self.columns = columns
        self.rows = rows
        mask = settings.analysedCells(columns: columns, rows: rows)
        analysedCellCount = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        let count = columns * rows
        mean = []
        flicker = [Float](repeating: 0, count: count)
        deviation = [Float](repeating: 0, count: count)
        previousResidual = [Float](repeating: 0, count: count)
        residual = [Float](repeating: 0, count: count)
        excess = [Float](repeating: 0, count: count)
        scratch = [Float](repeating: 0, count: count)
        foreground = [Bool](repeating: false, count: count)
        changing = [Bool](repeating: false, count: count)
        labels = [Int32](repeating: -1, count: count)
    }

    // MARK: - Frames

    mutating func process(_ values: [Float], time: Double, followsKeyframe: Bool = false) -> FrameAnalysis {
        precondition(values.count == columns * rows, "grid size changed mid-stream")
        var outputs: [DetectorOutput] = []
        guard analysedCellCount > 0, let last = lastTime, !mean.isEmpty else {
            if followsKeyframe { lastKeyframe = time }
            if mean.isEmpty {
                mean = values
                settleUntil = time + Self.warmUpSeconds
                learnFreelyUntil = time + Self.youngTrackSeconds
            }
            lastTime = time
            return FrameAnalysis(time: time, area: 0, score: 0, threshold: 0, isMoving: false, isRunPeak: false, outputs: [])
        }
        let dt = min(max(time - last, 0), 1)
        lastTime = time
        learnedFrames += 1
        // A running average while the model is young, then the learning time.
        let alpha = Float(max(min(1, dt / settings.learningSeconds), 1 / Double(learnedFrames + 1)))

        let base = measure(values)
        labelBlobs()
        let changed = wholePictureChanged
        let jump = changed - previousChanged
        previousChanged = changed
        let cellCount = Double(columns * rows)
        if Double(changed) > Self.globalChangeFraction * cellCount || Double(jump) > Self.suddenChangeFraction * cellCount {
            if followsKeyframe { lastKeyframe = time }
            relearn(values, time: time)
            closeIfDue(time: time, outputs: &outputs)
            return FrameAnalysis(time: time, area: 0, score: 0, threshold: base, isMoving: false, isRunPeak: false,
                                 outputs: outputs)
        }
        let blobs = collectBlobs()
        let movingBlobs = track(blobs, time: time, dt: dt, outputs: &outputs)
        if followsKeyframe {
            // Groups of pictures at least half a second long: in an intra-only stream every frame
            // is a keyframe and says nothing.
            if time - lastKeyframe >= Self.minimumKeyframeInterval {
                retractWipedTracks(previousFrame: last, outputs: &outputs)
            }
            lastKeyframe = time
        }

        // Moving objects' cells: score, footprint, and no learning under them (nor next to them).
        var score = 0.0
        var cells = 0
        var footprint = MotionFootprint()
        var box: CellBox?
        for index in 0..<(columns * rows) {
            let label = labels[index]
            guard label >= 0 else { continue }
            let owner = blobTrack[Int(label)]
            guard owner >= 0 else { continue }
            let column = index % columns, row = index / columns
            if isTravelling(tracks[owner], at: time) {
                score += Double(excess[index])
                cells += 1
                footprint.mark(column: column, row: row, columns: columns, rows: rows)
                if box == nil { box = CellBox(column: column, row: row) } else { box!.include(column: column, row: row) }
            }
        }
        learn(values, alpha: alpha, time: time)

        let isMoving = movingBlobs > 0 && cells > 0
        score /= Double(analysedCellCount)
        let area = Double(cells) / Double(analysedCellCount)
        var isRunPeak = false
        if isMoving {
            isRunPeak = addMovingFrame(time: time, score: score, area: area, box: box, footprint: footprint,
                                       outputs: &outputs)
        }
        closeIfDue(time: time, outputs: &outputs)
        return FrameAnalysis(time: time, area: area, score: score, threshold: base, isMoving: isMoving,
                             isRunPeak: isRunPeak, outputs: outputs)
    }

    mutating func finish() -> [DetectorOutput] {
        var outputs: [DetectorOutput] = []
        closeEvent(outputs: &outputs)
        return outputs
    }

    // MARK: - Foreground

    /// Fits the global light change, moves the background with it, and marks foreground cells.
    /// Returns the frame's base threshold in luma levels.
    private mutating func measure(_ values: [Float]) -> Double {
        let count = values.count
        for i in 0..<count { residual[i] = values[i] - mean[i] }
        let offset = medians.median(of: residual)
        let light = LightChange(reference: mean, current: values, offset: offset)
        let g = light.gain, s = light.shift
        for i in 0..<count {
            mean[i] = min(255, max(0, g * mean[i] + s))
            residual[i] = values[i] - mean[i]
        }
        let center = medians.median(of: residual)
        for i in 0..<count { scratch[i] = abs(residual[i] - center) }
        let sigma = Double(medians.median(of: scratch)) * 1.4826
        let base = Float(max(settings.sensitivity, settings.noiseFactor * sigma))
        let factor = Float(settings.noiseFactor)
        // The whole picture is measured (light, noise, whole-picture change): a small include region
        // that a passing car fills is no sign of a light change. Only analysed cells form blobs.
        wholePictureChanged = 0
        for i in 0..<count {
            residual[i] -= center
            let limit = max(base, factor * max(flicker[i] * 0.5, deviation[i]).squareRoot())
            let clipped = (values[i] >= 253 || values[i] <= 2) && (mean[i] >= 250 || mean[i] <= 5)
            let size = abs(residual[i])
            foreground[i] = !clipped && size > limit
            excess[i] = size / limit
            // Changed since the previous frame too: what moves now, as opposed to what differs from
            // the background (an overlay that ignores the exposure, a blob not yet learned).
            changing[i] = !clipped && abs(residual[i] - previousResidual[i]) > limit
            if foreground[i] {
                wholePictureChanged += 1
                if !mask[i] { foreground[i] = false }
            }
        }
        return Double(base)
    }

    /// Labels 8-connected foreground blobs.
    private mutating func labelBlobs() {
        let count = columns * rows
        for i in 0..<count { labels[i] = -1 }
        var next: Int32 = 0
        for start in 0..<count where foreground[start] && labels[start] < 0 {
            labels[start] = next
            stack.removeAll(keepingCapacity: true)
            stack.append(Int32(start))
            while let top = stack.popLast() {
                let i = Int(top), column = i % columns, row = i / columns
                for dy in -1...1 {
                    let r = row + dy
                    guard r >= 0, r < rows else { continue }
                    for dx in -1...1 {
                        let c = column + dx
                        guard c >= 0, c < columns else { continue }
                        let j = r * columns + c
                        if foreground[j] && labels[j] < 0 {
                            labels[j] = next
                            stack.append(Int32(j))
                        }
                    }
                }
            }
            next += 1
        }
        blobCount = Int(next)
    }

    private var blobCount = 0

    /// The blobs of at least `minimumBlobCells` cells; smaller ones are unlabelled.
    private mutating func collectBlobs() -> [Blob] {
        var blobs = [Blob?](repeating: nil, count: blobCount)
        for i in 0..<(columns * rows) {
            let label = labels[i]
            guard label >= 0 else { continue }
            let column = i % columns, row = i / columns
            if blobs[Int(label)] == nil { blobs[Int(label)] = Blob(label: Int(label), column: column, row: row) }
            blobs[Int(label)]!.add(column: column, row: row, changing: changing[i])
        }
        blobTrack = [Int](repeating: -1, count: blobCount)
        var kept: [Blob] = []
        for case let blob? in blobs {
            if blob.cells >= settings.minimumBlobCells { kept.append(blob) }
        }
        if kept.count < blobs.count {
            let keep = Set(kept.map(\.label))
            for i in 0..<(columns * rows) where labels[i] >= 0 && !keep.contains(Int(labels[i])) { labels[i] = -1 }
        }
        return kept
    }

    // MARK: - Tracks

    /// Matches blobs to tracks, starts tracks for the rest, confirms tracks that moved. Returns how
    /// many blobs belong to confirmed, moving tracks.
    private mutating func track(_ blobs: [Blob], time: Double, dt: Double, outputs: inout [DetectorOutput]) -> Int {
        // Each blob goes to the nearest track whose predicted box (grown by a margin) it overlaps.
        for t in tracks.indices { tracks[t].frames += 1 }
        var assigned = [[Int]](repeating: [], count: tracks.count)
        var unmatched: [Blob] = []
        for (index, blob) in blobs.enumerated() {
            var best = -1
            var bestDistance = Double.infinity
            for (t, candidate) in tracks.enumerated() {
                let predicted = candidate.predictedBox(after: time - candidate.lastSeen, columns: columns, rows: rows)
                guard predicted.intersects(blob.box) else { continue }
                let (px, py) = candidate.predictedCentre(after: time - candidate.lastSeen)
                let distance = distance(blob.centreX - px, blob.centreY - py)
                if distance < bestDistance { bestDistance = distance; best = t }
            }
            if best >= 0 { assigned[best].append(index) } else { unmatched.append(blob) }
        }
        var moving = 0
        for t in tracks.indices {
            guard !assigned[t].isEmpty else { continue }
            var merged = blobs[assigned[t][0]]
            for other in assigned[t].dropFirst() { merged.merge(blobs[other]) }
            tracks[t].observe(merged, time: time, dt: dt, columns: columns, rows: rows)
            for blob in assigned[t] { blobTrack[blobs[blob].label] = t }
        }
        for blob in unmatched {
            tracks.append(Track(id: nextTrackID, blob: blob, time: time, columns: columns, rows: rows))
            nextTrackID += 1
            blobTrack[blob.label] = tracks.count - 1
        }
        // Mark footprints of this frame's blobs on their tracks (cells of each blob).
        for i in 0..<(columns * rows) {
            let label = labels[i]
            guard label >= 0, blobTrack[Int(label)] >= 0 else { continue }
            tracks[blobTrack[Int(label)]].footprint.mark(column: i % columns, row: i / columns, columns: columns, rows: rows)
        }
        let minimumTravel = settings.minimumDisplacement * Double(columns)
        for t in tracks.indices {
            tracks[t].remember(time: time, window: Self.qualificationWindow)
            // Travelling steadily now: confirms a new track, keeps a confirmed one moving.
            if time >= settleUntil || tracks[t].confirmed,
               tracks[t].qualifies(minimumAge: settings.minimumMotionSeconds, minimumTravel: minimumTravel,
                                   straightness: Self.minimumStraightness, now: time) {
                if !tracks[t].confirmed {
                    tracks[t].confirmed = true
                    tracks[t].since = tracks[t].recentStart
                    join(t, outputs: &outputs)
                }
                tracks[t].lastMoved = time
            }
            if isTravelling(tracks[t], at: time) { moving += 1 }
        }
        // Forget tracks unseen for a while; a confirmed one hands its path to the open event.
        let unseen = Set(tracks.indices.filter { time - tracks[$0].lastSeen > Self.trackGapSeconds })
        for t in unseen where tracks[t].confirmed { event?.fold(tracks[t], columns: columns, rows: rows) }
        removeTracks(at: unseen)
        return moving
    }

    /// Removes the tracks at `indices`, keeping each labelled blob pointing at its track.
    private mutating func removeTracks(at indices: Set<Int>) {
        guard !indices.isEmpty else { return }
        var kept: [Track] = []
        var remap = [Int](repeating: -1, count: tracks.count)
        for (t, candidate) in tracks.enumerated() where !indices.contains(t) {
            remap[t] = kept.count
            kept.append(candidate)
        }
        for b in blobTrack.indices where blobTrack[b] >= 0 { blobTrack[b] = remap[blobTrack[b]] }
        tracks = kept
    }

    /// Drops the tracks that a keyframe wiped out. At low bitrates an encoder copies a frozen noise
    /// pattern from picture to picture and refreshes it in patches late in a group of pictures; a
    /// patch can grow and drift like a slow object for half a second, then the intra-coded picture
    /// replaces it at once. An object is coded in the keyframe too: it does not vanish there in
    /// the middle of the picture. A confirmed track is wiped when all of these hold:
    /// - it was seen in the last frame before the keyframe and is gone in the first one after it;
    /// - its whole life lies within the group of pictures that just ended;
    /// - it was still travelling a moment before (not a smear left behind by an object that
    ///   already went on: the keyframe clears the smear, and the object's event stays);
    /// - it did not come in through the picture's edge (a person who walked in and then went behind
    ///   a tree, leaving a smear the keyframe clears, keeps the event; refresh patches appear in the
    ///   picture);
    /// - it was not leaving: an object going out of the picture touches its edge and shrinks;
    /// - it never got further than a quarter of the picture's width from where it started;
    /// - where it was is clear now (under a tenth of its box differs from the background): an
    ///   object that only lost its track, merging into another blob (a person walking into
    ///   foliage), is still there.
    /// An event that only wiped tracks joined is discarded.
    private mutating func retractWipedTracks(previousFrame: Double, outputs: inout [DetectorOutput]) {
        let reach = Self.artefactReach * Double(columns)
        let wiped = Set(tracks.indices.filter { t in
            let candidate = tracks[t]
            return candidate.confirmed && candidate.lastSeen == previousFrame && candidate.birth > lastKeyframe
                && previousFrame - candidate.lastActive <= Self.travelGraceSeconds
                && !candidate.enteredAtEdge
                && !candidate.isLeaving(columns: columns, rows: rows) && candidate.farthest < reach
                && isClear(candidate.box)
        })
        guard !wiped.isEmpty else { return }
        for t in wiped where tracks[t].inEvent { event?.members.remove(tracks[t].id) }
        if let open = event, open.members.isEmpty {
            event = nil
            outputs.append(.eventDiscarded)
        }
        removeTracks(at: wiped)
    }

    /// Whether under a tenth of `box`'s cells (grown by one) differ from the background in this frame.
    private func isClear(_ box: CellBox) -> Bool {
        var area = 0, different = 0
        for row in max(0, box.minRow - 1)...min(rows - 1, box.maxRow + 1) {
            for column in max(0, box.minColumn - 1)...min(columns - 1, box.maxColumn + 1) {
                area += 1
                if foreground[row * columns + column] { different += 1 }
            }
        }
        return different * 10 < area
    }

    /// A confirmed track that is seen changing in this frame and travelled steadily a moment ago:
    /// its frame counts for the event. (A track stuck on foliage after its person left does not.)
    private func isTravelling(_ track: Track, at time: Double) -> Bool {
        track.confirmed && track.lastSeen == time && track.active && time - track.lastMoved <= Self.travelGraceSeconds
    }

    // MARK: - Learning

    private mutating func learn(_ values: [Float], alpha: Float, time: Double) {
        // Cells of moving objects and of young tracks, grown by one cell, keep the old background.
        for i in 0..<(columns * rows) { scratch[i] = 0 }
        for i in 0..<(columns * rows) {
            let label = labels[i]
            guard label >= 0 else { continue }
            let owner = blobTrack[Int(label)]
            guard owner >= 0 else { continue }
            let candidate = tracks[owner]
            // 2: a moving object (nothing learned); 1: a young track (its mean is kept).
            // While the model is new, young tracks protect nothing: swaying leaves present from the
            // first frame must teach their cells how much they flicker.
            let level: Float = candidate.confirmed ? (candidate.isMoving(at: time, stop: settings.stopSeconds) ? 2 : 0)
                : (time - candidate.birth < Self.youngTrackSeconds && time >= learnFreelyUntil ? 1 : 0)
            guard level > 0 else { continue }
            let column = i % columns, row = i / columns
            for r in max(0, row - 1)...min(rows - 1, row + 1) {
                for c in max(0, column - 1)...min(columns - 1, column + 1) {
                    scratch[r * columns + c] = max(scratch[r * columns + c], level)
                }
            }
        }
        for i in 0..<(columns * rows) {
            let change = residual[i] - previousResidual[i]
            previousResidual[i] = residual[i]
            // Nothing is learned under moving objects and young tracks: traffic must not teach a
            // lane that it flickers, nor a slow walker's path that it is background.
            if scratch[i] == 0 {
                flicker[i] += alpha * (change * change - flicker[i])
                mean[i] += alpha * (values[i] - mean[i])
                deviation[i] += alpha * (residual[i] * residual[i] - deviation[i])
            }
        }
    }

    private mutating func relearn(_ values: [Float], time: Double) {
        mean = values
        previousChanged = 0
        for i in previousResidual.indices { previousResidual[i] = 0 }
        settleUntil = time + Self.settleSeconds
        for candidate in tracks where candidate.confirmed { event?.fold(candidate, columns: columns, rows: rows) }
        tracks.removeAll()
    }

    // MARK: - Events

    /// Adds a frame in which confirmed tracks moved; returns whether it is the event's new peak.
    private mutating func addMovingFrame(time: Double, score: Double, area: Double, box: CellBox?,
                                         footprint: MotionFootprint, outputs: inout [DetectorOutput]) -> Bool {
        let movers = tracks.indices.filter { isTravelling(tracks[$0], at: time) }
        if let open = event, time - open.start >= settings.maximumEventSeconds {
            // Split: this event closes, the ongoing motion continues as a new one.
            closeEvent(outputs: &outputs)
            for t in movers { tracks[t].restartPath(at: time, columns: columns, rows: rows) }
        }
        // Back after the event closed (a pause longer than the merge gap, or a split).
        for t in movers where !tracks[t].inEvent { join(t, outputs: &outputs) }
        return event!.summary.add(time: time, score: score, area: area, box: box, footprint: footprint)
    }

    /// A confirmed track joins the open event, or opens one: the event covers the track from `since`
    /// (its first frame) to the last frame in which it changed, even when it is already gone.
    private mutating func join(_ t: Int, outputs: inout [DetectorOutput]) {
        if let open = event, tracks[t].since - open.end > settings.mergeGapSeconds
            || tracks[t].lastActive - open.start >= settings.maximumEventSeconds {
            // Too far from the open event, or it would grow past the maximum length: a new event.
            let longEnough = tracks[t].lastActive - open.start >= settings.maximumEventSeconds
            closeEvent(outputs: &outputs)
            if longEnough { tracks[t].restartPath(at: tracks[t].lastActive, columns: columns, rows: rows) }
        }
        let since = tracks[t].since
        if event == nil { event = OpenEvent(start: since, time: tracks[t].lastActive) }
        event!.members.insert(tracks[t].id)
        tracks[t].inEvent = true
        event!.start = min(event!.start, since)
        event!.end = max(event!.end, tracks[t].lastActive)
        event!.summary.footprint.formUnion(tracks[t].footprint)
        if let whole = tracks[t].wholeBox { event!.summary.include(whole) }
    }

    /// Closes the event once the merge gap has passed and no young track could still join it.
    private mutating func closeIfDue(time: Double, outputs: inout [DetectorOutput]) {
        guard let open = event, time - open.end > settings.mergeGapSeconds else { return }
        let pending = tracks.contains {
            !$0.confirmed && $0.birth - open.end <= settings.mergeGapSeconds && time - $0.birth < Self.youngTrackSeconds
        }
        if !pending { closeEvent(outputs: &outputs) }
    }

    private mutating func closeEvent(outputs: inout [DetectorOutput]) {
        guard var closed = event else { return }
        event = nil
        for t in tracks.indices where tracks[t].inEvent {
            closed.fold(tracks[t], columns: columns, rows: rows)
            tracks[t].inEvent = false
            tracks[t].restartPath(at: tracks[t].lastSeen, columns: columns, rows: rows)
        }
        if closed.end - closed.start < settings.minimumEventSeconds {
            outputs.append(.eventDiscarded)
            return
        }
        outputs.append(.runEnded(qualified: true, peakTime: closed.summary.peakTime, peakScore: closed.summary.peakScore))
        outputs.append(.eventClosed(closed.motion(columns: columns, rows: rows)))
    }
}

// MARK: - Blobs and tracks

/// Connected foreground cells.
struct Blob: Sendable {
    var label: Int
    var cells = 0
    /// Cells that also changed since the previous frame, and the sums of their coordinates.
    var changingCells = 0
    var changingX = 0.0
    var changingY = 0.0
    var changingBox: CellBox?
    var sumX = 0.0
    var sumY = 0.0
    var box: CellBox

    init(label: Int, column: Int, row: Int) {
        self.label = label
        box = CellBox(column: column, row: row)
    }

    /// Something in it is moving right now, not just different from the background.
    var isActive: Bool { changingCells >= 2 }
    /// Where it is changing: the moving part, not a smear or a shadow being learned.
    var motionX: Double { changingX / Double(max(changingCells, 1)) }
    /// The size of the moving part, in cells.
    var motionExtent: Double {
        changingBox.map { Double(max($0.maxColumn - $0.minColumn, $0.maxRow - $0.minRow) + 1) } ?? 0
    }
    var motionY: Double { changingY / Double(max(changingCells, 1)) }

    mutating func add(column: Int, row: Int, changing: Bool) {
        cells += 1
        if changing {
            changingCells += 1
            changingX += Double(column)
            changingY += Double(row)
            if changingBox == nil { changingBox = CellBox(column: column, row: row) } else { changingBox!.include(column: column, row: row) }
        }
        sumX += Double(column)
        sumY += Double(row)
        box.include(column: column, row: row)
    }

    mutating func merge(_ other: Blob) {
        cells += other.cells
        changingCells += other.changingCells
        changingX += other.changingX
        changingY += other.changingY
        if let other = other.changingBox {
            if changingBox == nil { changingBox = other } else { changingBox!.include(other) }
        }
        sumX += other.sumX
        sumY += other.sumY
        box.include(other.box)
    }

    var centreX: Double { sumX / Double(max(cells, 1)) }
    var centreY: Double { sumY / Double(max(cells, 1)) }
}

@inline(__always)
func distance(_ dx: Double, _ dy: Double) -> Double { (dx * dx + dy * dy).squareRoot() }

extension CellBox {
    init(minColumn: Int, maxColumn: Int, minRow: Int, maxRow: Int) {
        self.init(column: minColumn, row: minRow)
        self.maxColumn = maxColumn
        self.maxRow = maxRow
    }

    func touchesEdge(columns: Int, rows: Int) -> Bool {
        minColumn <= 0 || minRow <= 0 || maxColumn >= columns - 1 || maxRow >= rows - 1
    }

    func intersects(_ other: CellBox) -> Bool {
        minColumn <= other.maxColumn && other.minColumn <= maxColumn && minRow <= other.maxRow && other.minRow <= maxRow
    }
}

/// One object followed across frames, in cell units.
struct Track: Sendable {
    var id: Int
    var birth: Double
    /// Where the track's part of the next event starts: its birth, or where its last event ended.
    var since: Double
    var lastSeen: Double
    var seenFrames = 1
    /// Where its moving part was first seen, and the farthest it has been from there, in cells.
    var origin: (x: Double, y: Double)
    var farthest = 0.0
    /// Its first blob touched the picture's edge: it came in from outside.
    var enteredAtEdge: Bool
    /// The size of its blob when last seen, and the largest it has been, in cells.
    var lastCells: Int
    var peakCells: Int
    var x: Double
    var y: Double
    /// Where its changing cells were first, last, and when the path was last counted: travel is
    /// measured on what changes from frame to frame, so a blob that grows or shrinks in place (a
    /// clock's digits, a compression smear, a shadow being learned) does not travel.
    var motionX: Double?
    var motionY: Double?
    /// The size of its moving part when last seen changing, in cells.
    var motionExtent = 0.0
    /// Whether its blob was changing in the latest frame it was seen.
    var active: Bool
    var velocityX = 0.0
    var velocityY = 0.0
    var box: CellBox
    var wholeBox: CellBox?
    var footprint = MotionFootprint()
    /// Where the path was last counted from: moves under a cell are jitter, not travel.
    var lastMoved: Double
    /// The last frame in which its blob was changing.
    var lastActive: Double
    var confirmed = false
    var inEvent = false
    /// Frames offered since birth (seen or not), to judge persistence.
    var frames = 1
    /// Frames in which its blob was changing, not just different from the background.
    var activeFrames: Int
    /// The last few seconds, frame by frame: what qualification looks at.
    var recent: [RecentSample] = []

    struct RecentSample: Sendable {
        var time: Double
        var active: Bool
        var x: Double
        var y: Double
    }
    var path: [PathPoint] = []

    init(id: Int, blob: Blob, time: Double, columns: Int, rows: Int) {
        self.id = id
        birth = time
        since = time
        lastSeen = time
        origin = blob.isActive ? (blob.motionX, blob.motionY) : (blob.centreX, blob.centreY)
        lastCells = blob.cells
        peakCells = blob.cells
        enteredAtEdge = blob.box.touchesEdge(columns: columns, rows: rows)
        x = blob.centreX
        y = blob.centreY
        active = blob.isActive
        if blob.isActive {
            motionX = blob.motionX
            motionY = blob.motionY
        }
        box = blob.box
        wholeBox = blob.box
        lastMoved = time
        lastActive = time
        activeFrames = blob.isActive ? 1 : 0
        path = blob.isActive ? [Self.point(time: time, x: blob.motionX, y: blob.motionY, columns: columns, rows: rows)] : []
    }

    static func point(time: Double, x: Double, y: Double, columns: Int, rows: Int) -> PathPoint {
        PathPoint(time: time, x: (x + 0.5) / Double(columns), y: (y + 0.5) / Double(rows))
    }

    func predictedCentre(after elapsed: Double) -> (Double, Double) {
        (x + velocityX * elapsed, y + velocityY * elapsed)
    }

    /// The last box moved by the velocity and grown by a margin that scales with the object.
    func predictedBox(after elapsed: Double, columns: Int, rows: Int) -> CellBox {
        let shiftX = Int((velocityX * elapsed).rounded()), shiftY = Int((velocityY * elapsed).rounded())
        let margin = 2 + max(box.maxColumn - box.minColumn, box.maxRow - box.minRow) / 4
        return CellBox(minColumn: box.minColumn + min(shiftX, 0) - margin, maxColumn: box.maxColumn + max(shiftX, 0) + margin,
                       minRow: box.minRow + min(shiftY, 0) - margin, maxRow: box.maxRow + max(shiftY, 0) + margin)
    }

    func isMoving(at time: Double, stop: Double) -> Bool { time - lastMoved <= stop }

    /// Going out of the picture: its blob touches an edge and has shrunk to under half its size.
    func isLeaving(columns: Int, rows: Int) -> Bool {
        box.touchesEdge(columns: columns, rows: rows) && 2 * lastCells < peakCells
    }

    mutating func observe(_ blob: Blob, time: Double, dt: Double, columns: Int, rows: Int) {
        let elapsed = max(time - lastSeen, 1e-3)
        let newX = blob.centreX, newY = blob.centreY
        // Velocity smoothed over a few frames: blob shapes wobble.
        velocityX += 0.5 * ((newX - x) / elapsed - velocityX)
        velocityY += 0.5 * ((newY - y) / elapsed - velocityY)
        x = newX
        y = newY
        lastSeen = time
        seenFrames += 1
        lastCells = blob.cells
        peakCells = max(peakCells, blob.cells)
        box = blob.box
        if wholeBox == nil { wholeBox = blob.box } else { wholeBox!.include(blob.box) }
        active = blob.isActive
        if blob.isActive {
            activeFrames += 1
            lastActive = time
            motionExtent = blob.motionExtent
            motionX = blob.motionX
            motionY = blob.motionY
            farthest = max(farthest, distance(blob.motionX - origin.x, blob.motionY - origin.y))
        }
        if blob.isActive, time - (path.last?.time ?? -1) >= 1 {
            path.append(Self.point(time: time, x: blob.motionX, y: blob.motionY, columns: columns, rows: rows))
        }
    }

    /// Seen for long enough, in most frames, after travelling steadily far enough.
    /// Judged over the recent `window` only, so that a person who walks through a patch of foliage
    /// that has been tracked (and rejected) for minutes still starts an event once clear of it.
    func qualifies(minimumAge: Double, minimumTravel: Double, straightness: Double, now: Double) -> Bool {
        guard let first = recent.first, now - max(birth, first.time) >= minimumAge else { return false }
        let active = recent.filter(\.active)
        guard Double(active.count) >= 0.6 * Double(recent.count), let start = active.first, let end = active.last else {
            return false
        }
        let travel = distance(end.x - start.x, end.y - start.y)
        // The wandered path, sampled every 0.2 s so that a blob's shape wobble is not counted as travel.
        var path = 0.0
        var previous = start
        for sample in active.dropFirst() where sample.time - previous.time >= 0.2 || sample.time == end.time {
            path += distance(sample.x - previous.x, sample.y - previous.y)
            previous = sample
        }
        // A big moving part must travel a quarter of its own size: change churning over a wide dark
        // area (compression noise at night) drifts a little, as a whole, without going anywhere.
        guard travel >= minimumTravel, travel >= motionExtent / 4, travel >= straightness * max(path, travel) else {
            return false
        }
        // Frame by frame, most steps go the way of the travel: a chain of unrelated specks (rain,
        // noise) that happens to drift does not. A large object that moves less than a cell a frame
        // passes when its steps are taken a quarter of a second apart: the centre of its changing
        // cells (the edges of its parts that crossed a cell boundary in that frame) wobbles by a cell
        // or two from frame to frame around a steady course. Specks stay scattered at any spacing.
        let direction = (x: (end.x - start.x) / travel, y: (end.y - start.y) / travel)
        return Self.stepsGoForward(active, direction: direction, travel: travel, spacing: 0, minimumSteps: 3)
            || Self.stepsGoForward(active, direction: direction, travel: travel, spacing: Self.wobbleSpacing, minimumSteps: 4)
    }

    /// Steps between samples at least `spacing` seconds apart: most go the way of `direction` (a
    /// step back under half a cell is wobble, not a step back), and together they wander at most
    /// twice the travel.
    static func stepsGoForward(_ samples: [RecentSample], direction: (x: Double, y: Double), travel: Double,
                               spacing: Double, minimumSteps: Int) -> Bool {
        guard var previous = samples.first, let last = samples.last else { return false }
        var forward = 0, steps = 0
        var wandered = 0.0
        for sample in samples.dropFirst() where sample.time - previous.time >= spacing || sample.time == last.time {
            steps += 1
            wandered += distance(sample.x - previous.x, sample.y - previous.y)
            if (sample.x - previous.x) * direction.x + (sample.y - previous.y) * direction.y > -0.5 { forward += 1 }
            previous = sample
        }
        return steps >= minimumSteps && Double(forward) >= minimumForwardShare * Double(steps) && travel >= 0.5 * wandered
    }

    /// How far apart the samples are taken for a slow, large object's second chance.
    static let wobbleSpacing = 0.25

    /// The share of frame-to-frame steps that must go the way of the travel.
    static let minimumForwardShare = 0.75

    /// The start of the recent window (where an event this track starts would begin).
    var recentStart: Double { max(since, recent.first?.time ?? since) }

    /// Records this frame for the recent window (seen or not).
    mutating func remember(time: Double, window: Double) {
        let seen = lastSeen == time
        recent.append(RecentSample(time: time, active: seen && active, x: motionX ?? x, y: motionY ?? y))
        while let first = recent.first, time - first.time > window { recent.removeFirst() }
    }

    /// Starts a new path at the current position (after its event closed or was split).
    mutating func restartPath(at time: Double, columns: Int, rows: Int) {
        path = motionX.map { [Self.point(time: time, x: $0, y: motionY!, columns: columns, rows: rows)] } ?? []
        since = time
        wholeBox = box
        footprint = MotionFootprint()
    }

    /// The path with the latest position appended.
    func finishedPath(columns: Int, rows: Int) -> [PathPoint] {
        guard let last = path.last, last.time < lastMoved, let motionX, let motionY else { return path }
        return path + [Self.point(time: lastMoved, x: motionX, y: motionY, columns: columns, rows: rows)]
    }
}

/// The event being built.
struct OpenEvent: Sendable {
    var summary: EventAccumulator
    /// The tracks that joined it.
    var members: Set<Int> = []
    /// The path of the track seen in the most frames so far: the event's main object.
    var mainPath: [PathPoint] = []
    var mainWeight = 0

    init(start: Double, time: Double) {
        summary = EventAccumulator(start: start, time: time)
    }

    var start: Double {
        get { summary.start }
        set { summary.start = newValue }
    }
    var end: Double {
        get { summary.end }
        set { summary.end = newValue }
    }

    /// Takes a track's path if it is the main object so far.
    mutating func fold(_ track: Track, columns: Int, rows: Int) {
        guard track.inEvent else { return }
        if track.seenFrames > mainWeight {
            mainWeight = track.seenFrames
            mainPath = track.finishedPath(columns: columns, rows: rows)
        }
    }

    func motion(columns: Int, rows: Int) -> DetectedMotion {
        summary.motion(columns: columns, rows: rows, path: mainPath)
    }
}
