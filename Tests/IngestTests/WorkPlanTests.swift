import Foundation
import Ingest
import Synchronization
import Testing

/// The daemon's scheduling: how many decoder threads a file gets, and the order files are taken in.
@Suite("Work plan and order")
struct WorkPlanTests {
    @Test("one worker per core; a lone file gets every core, a full queue one thread per file; a configured count wins",
          arguments: [
              (2, 0, 0, 1, 2), (2, 0, 0, 2, 1), (2, 0, 0, 9, 1), (4, 0, 0, 2, 2), (4, 2, 0, 9, 2), (2, 0, 3, 9, 3),
          ])
    func threads(cores: Int, workers: Int, configured: Int, busy: Int, expected: Int) {
        let plan = WorkPlan(cores: cores, workers: workers, decoderThreads: configured)
        #expect(plan.workers == (workers > 0 ? workers : cores))
        #expect(plan.decoderThreads(busy: busy) == expected)
    }

    @Test("oldest_first takes files by modification time, newest_first the other way round", arguments: [false, true])
    func order(newestFirst: Bool) async {
        let base = Date(timeIntervalSince1970: 1_720_600_000)
        let items = [3, 1, 4, 0, 2].map { WardScheduler.Item(path: "/f\($0)", camera: "CAM", modified: base.addingTimeInterval(Double($0))) }
        let taken = Mutex<[String]>([])
        let failures = await WardScheduler.run(items, plan: WorkPlan(cores: 1, workers: 1, decoderThreads: 0),
                                                   order: newestFirst ? .newestFirst : .oldestFirst) { item, _ in
            taken.withLock { $0.append(item.path) }
        }
        #expect(failures.isEmpty)
        let expected = !newestFirst ? ["/f0", "/f1", "/f2", "/f3", "/f4"] : ["/f4", "/f3", "/f2", "/f1", "/f0"]
        #expect(taken.withLock { $0 } == expected)
    }
}
