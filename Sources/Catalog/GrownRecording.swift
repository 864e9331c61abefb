import Foundation

/// A recorder (or a copy) still writing a file when the daemon committed it: the file at the same path later
/// grows, and the complete file replaces the recording of its first part instead of becoming a second,
/// overlapping recording. The rules live here; the stores only carry them out, in the commit's transaction.
public enum GrownRecording {
    /// Whether `new`, just decoded, is the grown file of `old`: same camera and path, other content, at least
    /// as long and larger, and overlapping it in time (a path reused later for other footage is not a growth).
    public static func replaces(_ old: Recording, with new: NewRecording) -> Bool {
        let newEnd = new.start.addingTimeInterval(new.durationSeconds)
        return old.path == new.path && old.camera == new.camera && old.fingerprint != new.fingerprint
            && new.durationSeconds >= old.durationSeconds && new.sizeBytes > old.sizeBytes
            && old.start < newEnd && new.start < old.end
    }

    /// Takes from `old` the event that `new` continues (the first that overlaps it in time), if any: the new
    /// event keeps its id, so its links, legal holds and alert ids stay, and no alert is raised twice.
    public static func takeMatch(_ old: inout [MotionEvent], for new: NewMotionEvent) -> MotionEvent? {
        guard let index = old.firstIndex(where: { $0.start <= new.end && new.start <= $0.end }) else { return nil }
        return old.remove(at: index)
    }
}
