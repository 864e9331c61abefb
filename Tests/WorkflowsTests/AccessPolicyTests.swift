import Catalog
import Foundation
import Testing
import Workflows

@Suite("Access policy: who may do what, where")
struct AccessPolicyTests {
    static let policy = AccessPolicy()
    static let benThanh = Camera(id: "CAM01", name: nil, ward: "Phường Bến Thành", street: nil, latitude: nil, longitude: nil)
    static let trangTien = Camera(id: "CAM03", name: nil, ward: "Phường Tràng Tiền", street: nil, latitude: nil, longitude: nil)

    static func requester(_ role: AccessRole, ward: String? = nil) -> Requester {
        Requester(name: "t", role: role, ward: ward, client: "test", request: "/")
    }

    /// Every action against every role: allowed exactly from its minimum role up, and a refusal
    /// names the action's audit record.
    @Test(arguments: AccessAction.allCases, AccessRole.allCases)
    func roles(action: AccessAction, role: AccessRole) {
        let decision = Self.policy.decide(Self.requester(role), action, .any)
        let expected: [AccessAction: AccessRole] = [
            .listCameras: .viewer, .search: .viewer, .viewEvent: .viewer, .viewStill: .viewer, .listIncidents: .viewer,
            .viewIncident: .viewer, .listTips: .viewer, .playClip: .investigator, .exportEvidence: .investigator,
            .downloadBundle: .investigator, .importReports: .investigator, .confirmLink: .investigator,
            .rejectLink: .investigator, .seeContacts: .investigator, .readCustody: .investigator, .manageUsers: .admin,
            .readAudit: .admin,
        ]
        guard let minimum = expected[action] else {
            Issue.record("\(action) has no expected role in this table")
            return
        }
        if role >= minimum {
            #expect(decision == .allow)
        } else {
            guard case let .deny(denial) = decision else { Issue.record("\(action) allowed for \(role)"); return }
            #expect(denial.kind == .role && denial.auditAction == action.rawValue + ".denied")
            #expect(denial.reason.contains(minimum.rawValue))
        }
    }

    @Test("a ward-limited requester reaches its own ward's cameras only, with diacritics and case ignored")
    func wardScope() {
        let binh = Self.requester(.investigator, ward: "phuong ben thanh")
        #expect(Self.policy.decide(binh, .playClip, .camera(Self.benThanh)) == .allow)
        guard case let .deny(denial) = Self.policy.decide(binh, .playClip, .camera(Self.trangTien)) else {
            Issue.record("another ward's camera was allowed")
            return
        }
        #expect(denial.kind == .scope && denial.auditAction == "clip.denied" && denial.reason.contains("CAM03"))
        #expect(!Self.policy.decide(binh, .exportEvidence, .cameras([Self.benThanh, Self.trangTien])).isAllowed)
        #expect(Self.policy.decide(binh, .exportEvidence, .cameras([Self.benThanh])).isAllowed)
        #expect(Self.policy.decide(binh, .search, .ward("Bến Thành")).isAllowed)
        #expect(!Self.policy.decide(binh, .search, .ward("Tràng Tiền")).isAllowed)
        #expect(!Self.policy.decide(binh, .downloadBundle, .unrecordedBundle).isAllowed)
        // Imports may touch any ward's reports: never for a ward-limited requester, whatever the role.
        #expect(!Self.policy.decide(Self.requester(.admin, ward: "Phường Bến Thành"), .importReports, .any).isAllowed)
        // An unlimited requester reaches everything its role allows.
        let chi = Self.requester(.investigator)
        #expect(Self.policy.decide(chi, .playClip, .camera(Self.trangTien)).isAllowed)
        #expect(Self.policy.decide(chi, .downloadBundle, .unrecordedBundle).isAllowed)
        #expect(Self.policy.decide(.localOperator(name: "cli:lan", request: "users add"), .manageUsers, .any).isAllowed)
    }

    @Test("a report is in a ward when it names the ward or resolved to one of its cameras; unplaced ones are unlimited-only")
    func reports() {
        let binh = Self.requester(.viewer, ward: "Phường Bến Thành")
        let registry = [Self.benThanh, Self.trangTien]
        let named = ReportedPlace(text: "chợ", ward: "phường bến thành")
        #expect(Self.policy.decide(binh, .viewIncident, .report(named, nil, registry: registry)).isAllowed)
        let resolvedHere = PlaceResolution(precision: .address, cameras: ["CAM01"], point: nil)
        let resolvedThere = PlaceResolution(precision: .address, cameras: ["CAM03"], point: nil)
        #expect(Self.policy.decide(binh, .viewIncident, .report(ReportedPlace(text: "x"), resolvedHere, registry: registry)).isAllowed)
        #expect(!Self.policy.decide(binh, .viewIncident, .report(ReportedPlace(text: "x"), resolvedThere, registry: registry)).isAllowed)
        #expect(!Self.policy.decide(binh, .viewIncident, .report(ReportedPlace(text: "x"), nil, registry: registry)).isAllowed)
        #expect(Self.policy.decide(Self.requester(.viewer), .viewIncident, .report(ReportedPlace(text: "x"), nil, registry: registry)).isAllowed)
    }

    @Test("searches of a ward-limited requester are limited to its ward")
    func scopedSearch() {
        let query = SearchQuery()
        #expect(Self.policy.scoped(query, for: Self.requester(.viewer, ward: "Phường Bến Thành")).wardScope == ["Phường Bến Thành"])
        #expect(Self.policy.scoped(query, for: Self.requester(.viewer)).wardScope == nil)
    }
}
