import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The web console's files, embedded in the binary: one HTML page, plain ES modules and a style
/// sheet. The page holds no data and needs no sign-in; what it fetches does.
extension WardWatchAPI {
    struct ConsoleAsset: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    static let consoleAssets: [String: ConsoleAsset] = [
        "app.css": ConsoleAsset(bytes: PackageResources.app_css, contentType: "text/css; charset=utf-8"),
        "app.js": ConsoleAsset(bytes: PackageResources.app_js, contentType: "text/javascript; charset=utf-8"),
        "api.js": ConsoleAsset(bytes: PackageResources.api_js, contentType: "text/javascript; charset=utf-8"),
        "i18n.js": ConsoleAsset(bytes: PackageResources.i18n_js, contentType: "text/javascript; charset=utf-8"),
        "views.js": ConsoleAsset(bytes: PackageResources.views_js, contentType: "text/javascript; charset=utf-8"),
    ]

    /// No inline script or style; images from this server (and the ward's tile server when configured).
    var contentSecurityPolicy: String {
        var images = "'self' blob:"
        if let tiles = configuration.console.tileURL, let origin = Self.origin(of: tiles) { images += " " + origin }
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src \(images); media-src 'self'; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    /// "https://tiles.example:8443" from a tile URL template.
    static func origin(of template: String) -> String? {
        guard let components = URLComponents(string: template.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")),
              let scheme = components.scheme, let host = components.host else { return nil }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }

    func addConsolePages(to router: Router<APIRequestContext>) {
        let policy = contentSecurityPolicy
        router.get("/") { _, _ -> Response in
            Self.page(PackageResources.index_html, contentType: "text/html; charset=utf-8", policy: policy)
        }
        router.get("/console/icon.svg") { _, _ -> Response in
            Self.page(Array(Self.icon.utf8), contentType: "image/svg+xml", policy: policy)
        }
        router.get("/console/:file") { _, context -> Response in
            guard let name = context.parameters.get("file"), let asset = Self.consoleAssets[name] else {
                throw APIError(.notFound, "no console file \(context.parameters.get("file") ?? "")")
            }
            return Self.page(asset.bytes, contentType: asset.contentType, policy: policy)
        }
    }

    /// A camera with its view wedge, as the tab's icon.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 16 L30 6 A17 17 0 0 1 30 26 Z" fill="#0b5cad" \
        opacity=".5"/><circle cx="16" cy="16" r="7" fill="#12263f"/></svg>
        """

    static func page(_ bytes: [UInt8], contentType: String, policy: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = policy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
