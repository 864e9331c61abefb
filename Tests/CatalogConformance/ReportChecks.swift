import Catalog
import Foundation
import Testing

/// `ReportStore`: incidents and tips imported by reference, and their filters.
enum ReportChecks {
    static let all: [ConformanceCheck] = [
        ConformanceCheck("reports: import inserts, leaves an identical row alone, updates a changed one; all by reference") { store in
            let a = Fixture.incident("INC-1", at: 0, text: "Hàng Gai", description: "Giật túi xách")
            let b = Fixture.incident("INC-2", at: 30, text: "Đinh Lễ")
            let first = try await store.importIncidents([a, b])
            #expect(first.map { if case .inserted = $0 { true } else { false } } == [true, true])
            #expect(Set(first.map(\.id)).count == 2)
            #expect(try await store.importIncidents([a]) == [.unchanged(id: first[0].id)])
            var changed = a
            changed.status = .closed
            changed.caseNumber = "HS-2024-17"
            #expect(try await store.importIncidents([changed]) == [.updated(id: first[0].id)])
            let stored = try #require(try await store.incident(reference: "INC-1"))
            #expect(stored.id == first[0].id && stored.status == .closed && stored.caseNumber == "HS-2024-17")
            #expect(stored.time == a.time && stored.place == a.place && stored.description == "Giật túi xách")
            #expect(try await store.incident(id: first[1].id)?.reference == "INC-2")
            #expect(try await store.incident(id: 999_999) == nil)
            #expect(try await store.incident(reference: "nope") == nil)
            // A tip may share an incident's reference: kinds are apart.
            let tip = try await store.importTips([Fixture.tip("INC-1", at: 0)])
            #expect(tip.count == 1 && !first.map(\.id).contains(tip[0].id))
        },
        ConformanceCheck("reports: incidents filter by status, category (folded), time overlap and text, in time order") { store in
            _ = try await store.importIncidents([
                Fixture.incident("B", at: 60, text: "Hàng Gai", description: "Va chạm giao thông", status: .closed),
                Fixture.incident("A", at: 0, text: "Hàng Gai", description: "Giật túi xách, đối tượng đi xe đạp"),
                Fixture.incident("C", at: 600, category: "vandalism", text: "Đinh Lễ"),
            ])
            func references(_ filter: ReportFilter) async throws -> [String] {
                try await store.incidents(matching: filter).map(\.reference)
            }
            #expect(try await references(ReportFilter()) == ["A", "B", "C"])
            #expect(try await references(ReportFilter(text: "giat tui")) == ["A"])
            #expect(try await references(ReportFilter(text: "XE DAP")) == ["A"])
            #expect(try await references(ReportFilter(text: "đối tượng")) == ["A"])
            #expect(try await references(ReportFilter(text: "doi t")) == ["A"])
            #expect(try await references(ReportFilter(text: "hang gai")) == ["A", "B"])
            #expect(try await references(ReportFilter(text: "trom")) == [])
            #expect(try await references(ReportFilter(status: .closed)) == ["B"])
            #expect(try await references(ReportFilter(category: "THEFT")) == ["A", "B"])
            #expect(try await references(ReportFilter(category: "THEFT", from: Fixture.base.addingTimeInterval(1800))) == ["B"])
            // Overlap: an incident at 60 min ± 2 min ends after 61 min.
            #expect(try await references(ReportFilter(from: Fixture.base.addingTimeInterval(61 * 60 - 1),
                                                      to: Fixture.base.addingTimeInterval(62 * 60))) == ["B"])
            #expect(try await references(ReportFilter(limit: 2)) == ["A", "B"])
        },
        ConformanceCheck("reports: tips keep their contact, filter by incident reference and channel") { store in
            _ = try await store.importTips([Fixture.tip("T-2", at: 10, incident: "INC-1"),
                                            Fixture.tip("T-1", at: 5, incident: "INC-1", contact: "0912 345 678"),
                                            Fixture.tip("T-3", at: 0)])
            let tips = try await store.tips(matching: ReportFilter(incidentReference: "INC-1"))
            #expect(tips.map(\.reference) == ["T-1", "T-2"])
            #expect(tips[0].reporterContact == "0912 345 678" && tips[0].channel == "zalo")
            #expect(try await store.tips(matching: ReportFilter(channel: "zalo")).count == 3)
            #expect(try await store.tips(matching: ReportFilter(channel: "hotline")).isEmpty)
        },
    ]
}
