import Foundation
import MediaIO

/// A bounded hand-off of decoded frames from the decoding thread to the analysis thread, so that
/// detection overlaps decoding instead of stalling it. Capacity is small because each frame in
/// flight holds a decoder picture buffer.
final class FrameHandoff: @unchecked Sendable {
    /// A frame whose ownership moves to the consumer: the producer never touches it again.
    struct Transfer: @unchecked Sendable {
        let frame: DecodedFrame
        /// A keyframe was decoded since the previous frame handed over (this one included): the
        /// detector learns where the stream's groups of pictures start.
        let followsKeyframe: Bool
    }

    private let condition = NSCondition()
    private var queue: [Transfer] = []
    private var closed = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    /// Blocks while the queue is full. Returns false when the consumer cancelled (stop producing).
    func put(_ frame: DecodedFrame, followsKeyframe: Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(Transfer(frame: frame, followsKeyframe: followsKeyframe))
        condition.broadcast()
        return true
    }

    /// No more frames will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up (after an error): producers stop at their next `put`.
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until a frame is available; nil once closed and drained.
    func take() -> Transfer? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !closed && !cancelled { condition.wait() }
        guard !queue.isEmpty, !cancelled else { return nil }
        let transfer = queue.removeFirst()
        condition.broadcast()
        return transfer
    }
}
