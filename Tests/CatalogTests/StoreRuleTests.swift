import Catalog
import Foundation
import Testing

/// The rules every store follows, which live in the domain so that backends only store and fetch:
/// the identical imported row, the audit chain, and how a search page and its cursor are cut.
@Suite("Store rules")
struct StoreRuleTests {
    let start = Date(timeIntervalSince1970: 1_720_600_000.123_4)

    @Test("an imported incident equal but for sub-millisecond times is the same report; another field is not")
    func identicalImportedRow() {
        let stored = Incident(id: 7, reference: "INC-1", category: "theft",
                              time: ReportedTime(from: start.atCatalogPrecision, to: start.addingTimeInterval(60).atCatalogPrecision),
                              place: ReportedPlace(text: "Nguyễn Trãi"), resolution: PlaceResolution(precision: .street, cameras: ["CAM01"], point: nil))
        var imported = Incident(reference: "INC-1", category: "theft", time: ReportedTime(from: start, to: start.addingTimeInterval(60)),
                                place: ReportedPlace(text: "Nguyễn Trãi"))
        #expect(stored.sameReport(as: imported))
        imported.status = .closed
        #expect(!stored.sameReport(as: imported))
        var tip = Tip(reference: "T-1", channel: "zalo", time: ReportedTime(around: start, uncertaintySeconds: 300), place: ReportedPlace())
        let storedTip = Tip(id: 3, reference: "T-1", channel: "zalo",
                            time: ReportedTime(around: start, uncertaintySeconds: 300).atCatalogPrecision, place: ReportedPlace())
        #expect(storedTip.sameReport(as: tip))
        tip.reporterContact = "0901 234 567"
        #expect(!storedTip.sameReport(as: tip))
    }

    @Test("audit entries number on from the last stored one and link to it")
    func auditChain() {
        let new = [NewAuditEntry(actor: "lan", action: "search", query: "q", resultCount: 2, client: "cli"),
                   NewAuditEntry(actor: "lan", action: "view", query: "1", resultCount: 1, client: "cli")]
        let first = AuditEntry.chained(new, after: nil, time: start, hash: { String($0.count) })
        #expect(first.map(\.sequence) == [1, 2])
        #expect(first[0].previousHash == AuditEntry.genesis)
        #expect(first[1].previousHash == first[0].hash)
        #expect(first[0].hash == String(first[0].chainText.count))
        let next = AuditEntry.chained(new, after: (sequence: 41, hash: "abc"), time: start, hash: { _ in "h" })
        #expect(next.map(\.sequence) == [42, 43])
        #expect(next[0].previousHash == "abc")
        #expect(next[0].time == start.atCatalogPrecision)
    }

    @Test("a cursor of another order, or no cursor at all, is refused")
    func foreignCursor() throws {
        var query = SearchQuery()
        query.cursor = SearchCursor.encode([3, 1_000, 9])
        #expect(throws: CatalogError.self) { try SearchPlan(query) }
        query.cursor = "not a cursor!"
        #expect(throws: CatalogError.self) { try SearchPlan(query) }
        query.cursor = SearchCursor.encode([1_000, 9])
        let plan = try SearchPlan(query)
        #expect(plan.after == EventKey(start: 1_000, id: 9))
    }

    @Test("a page holds `limit` hits and a cursor only when the store found one more; distance order leads with the rank")
    func pageAndCursor() throws {
        var query = SearchQuery()
        query.limit = 2
        query.near = GeoPoint(latitude: 10.77, longitude: 106.70)
        query.order = .distance
        let near = Camera(id: "B", latitude: 10.7701, longitude: 106.7001), far = Camera(id: "A", latitude: 10.80, longitude: 106.70)
        let plan = try SearchPlan(query)
        #expect(plan.ranked([far, Camera(id: "C"), near]) == ["B", "A", "C"])
        #expect(plan.path(admitted: 1, of: 100) == .nearestCameras)
        func event(_ id: Int64, _ camera: String) -> MotionEvent {
            MotionEvent(id: id, camera: camera, recordingID: 1, start: start, end: start, offsetSeconds: 0, clipStart: start,
                        clipEnd: start, peakTime: start, peakScore: 1, meanScore: 1, area: 0.1,
                        boundingBox: NormalizedBox(x: 0, y: 0, width: 1, height: 1), still: nil)
        }
        let keys = [EventKey(start: 5, id: 1), EventKey(start: 6, id: 2), EventKey(start: 1, id: 3)]
        let events: [Int64: (event: MotionEvent, recordingPath: String)] = [1: (event(1, "B"), "b.mp4"), 2: (event(2, "A"), "a.mp4")]
        let page = plan.page(found: keys, ranks: [0, 1, 1], cameras: [near, far], events: events)
        #expect(page.hits.map(\.event.id) == [1, 2])
        #expect(page.nextCursor.flatMap(SearchCursor.decode) == [1, 6, 2])
        let last = plan.page(found: Array(keys.prefix(2)), ranks: [0, 1], cameras: [near, far], events: events)
        #expect(last.nextCursor == nil)
    }

    @Test("time order merges a few cameras' indexes and scans for most", arguments: [
        (2, 100, SearchPlan.Path.mergeCameras), (80, 100, .timeScan), (100, 100, .timeScan),
    ])
    func timeOrderPath(admitted: Int, all: Int, path: SearchPlan.Path) {
        #expect(SearchPlan.cheaperTimeOrderPath(admitted: admitted, of: all, limit: 100) == path)
    }

    @Test("stored health text reads back as the problems written")
    func healthText() {
        #expect(StoredRow.health(StoredRow.healthText(["black", "view changed"])) == ["black", "view changed"])
        #expect(StoredRow.health(StoredRow.healthText([])) == [])
        #expect(StoredRow.health(nil) == [])
    }
}
