import Catalog
import Linking
import Testing

/// Part of the sample registry (Config/wardwatch.yaml): Phường Hàng Trống and one Tràng Tiền camera.
enum Registry {
    static let cameras = [
        Camera(id: "CAM01", ward: "Phường Hàng Trống", street: "ngã tư Hàng Trống – Lê Thái Tổ", latitude: 21.02850, longitude: 105.85120),
        Camera(id: "CAM02", ward: "Phường Hàng Trống", street: "số 12 Hàng Trống", latitude: 21.02791, longitude: 105.85048),
        Camera(id: "CAM03", ward: "Phường Hàng Trống", street: "ngã tư Nhà Thờ – Lý Quốc Sư", latitude: 21.02880, longitude: 105.84920),
        Camera(id: "CAM04", ward: "Phường Hàng Trống", street: "số 40 Nhà Thờ", latitude: 21.02862, longitude: 105.84985),
        Camera(id: "CAM07", ward: "Phường Hàng Trống", street: "ngã tư Lê Thái Tổ – Hàng Gai", latitude: 21.03160, longitude: 105.85160),
        Camera(id: "CAM08", ward: "Phường Hàng Trống", street: "số 25 Lý Quốc Sư", latitude: 21.02990, longitude: 105.84880),
        Camera(id: "CAM11", ward: "Phường Tràng Tiền", street: "ngã tư Đinh Lễ – Tràng Tiền", latitude: 21.02560, longitude: 105.85390),
    ]
}

@Suite("Place resolution against the camera registry")
struct PlaceResolverTests {
    let resolver = PlaceResolver(cameras: Registry.cameras, radiusMetres: 300)

    @Test("text places resolve to the right cameras, whatever the diacritics, order or joining word", arguments: [
        ("ngã tư Lê Thái Tổ – Hàng Gai", PlacePrecision.intersection, ["CAM07"]),
        ("Le Thai To giao Hang Gai", .intersection, ["CAM07"]),
        ("nga tu hang gai - le thai to", .intersection, ["CAM07"]),
        ("Ngã tư Hàng Trống/Lê Thái Tổ, Phường Hàng Trống", .intersection, ["CAM01"]),
        ("số 12 Hàng Trống", .address, ["CAM02"]),
        ("12 hang trong, P. Hang Trong", .address, ["CAM02"]),
        ("số 99 Hàng Trống", .street, ["CAM01", "CAM02"]),
        ("phố Nhà Thờ", .street, ["CAM03", "CAM04"]),
        ("dinh le", .street, ["CAM11"]),
        ("Đinh Lễ x Tràng Tiền", .intersection, ["CAM11"]),
        ("ngã tư Lý Quốc Sư – Hàng Gai", .street, ["CAM03", "CAM07", "CAM08"]),
        ("ngã tư Hàng Gai Lê Thái Tổ", .intersection, ["CAM07"]),
        ("nga tu le thai to hang gai", .intersection, ["CAM07"]),
    ])
    func text(_ place: String, _ precision: PlacePrecision, _ cameras: [String]) {
        let resolution = resolver.resolve(ReportedPlace(text: place))
        #expect(resolution.precision == precision, "\(place)")
        #expect(resolution.cameras == cameras, "\(place)")
    }

    @Test("an intersection resolves to a point at its camera; a street to the mean of its cameras")
    func points() throws {
        let corner = try #require(resolver.resolve(ReportedPlace(text: "ngã tư Lê Thái Tổ – Hàng Gai")).point)
        #expect(corner == GeoPoint(latitude: 21.03160, longitude: 105.85160))
        let street = try #require(resolver.resolve(ReportedPlace(street: "Nhà Thờ")).point)
        #expect(abs(street.latitude - 21.02871) < 1e-6 && abs(street.longitude - 105.849525) < 1e-6)
    }

    @Test("a ward alone gives its cameras; a ward restricts a street that several wards have")
    func wards() {
        let ward = resolver.resolve(ReportedPlace(ward: "phuong hang trong"))
        #expect(ward.precision == .ward && ward.cameras.count == 6 && !ward.cameras.contains("CAM11"))
        let restricted = resolver.resolve(ReportedPlace(text: "Tràng Tiền", ward: "Phường Tràng Tiền"))
        #expect(restricted.cameras == ["CAM11"])
    }

    @Test("places matching nothing are unresolved, never guessed", arguments: [
        "chợ Đồng Xuân", "Hàng", "ngã tư Hàng Bạc – Mã Mây", "số 5",
    ])
    func unresolved(_ place: String) {
        let resolution = resolver.resolve(ReportedPlace(text: place))
        #expect(resolution.precision == .unresolved, "\(place): \(resolution.cameras)")
        #expect(resolution.cameras.isEmpty && resolution.point == nil)
        #expect(resolution.unresolvedText == place)
    }

    @Test("coordinates win over text: cameras within the radius plus the place's uncertainty")
    func coordinates() {
        let point = GeoPoint(latitude: 21.02850, longitude: 105.85120)
        let near = resolver.resolve(ReportedPlace(text: "ngã tư Lê Thái Tổ – Hàng Gai", point: point))
        #expect(near.precision == .coordinates)
        // 0, 99, 210, 141 and 294 m away; CAM07 is 347 m away and CAM11 427 m.
        #expect(near.cameras == ["CAM01", "CAM02", "CAM03", "CAM04", "CAM08"])
        let wider = resolver.resolve(ReportedPlace(point: point, uncertaintyMetres: 100))
        #expect(wider.cameras == ["CAM01", "CAM02", "CAM03", "CAM04", "CAM07", "CAM08"])
    }
}
