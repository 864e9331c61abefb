import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

@Suite("wardwatch serve, end to end")
struct ServeCommandTests {
    @Test("serve prints its address, answers with a token from users add, refuses without, and stops on SIGTERM")
    func serveLifecycle() async throws {
        let folder = TemporaryDirectory("wardwatch-serve")
        defer { folder.remove() }
        let catalog = folder.path("c.sqlite")
        let indexed = try Subprocess.wardwatch(["index", "--camera", "CAM01", "--catalog", catalog,
                                                SampleRecordings.url("street_vfr.mp4").path])
        #expect(indexed.status == 0)
        let added = try Subprocess.wardwatch(["users", "add", "an", "--role", "viewer", "--catalog", catalog])
        let token = try #require(added.standardOutput.split(separator: "\n").first { $0.hasPrefix("ww_") }.map(String.init))

        let server = try await ServeProcess(["--catalog", catalog], folder: folder)
        let process = server.process
        let base = server.base
        #expect(base.hasPrefix("http://127.0.0.1:"))

        func status(_ path: String, token: String?) async throws -> (Int, Data) {
            var request = URLRequest(url: URL(string: base + path)!)
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as! HTTPURLResponse).statusCode, data)
        }
        #expect(try await status("/api/v1/events", token: nil).0 == 401)
        let (code, body) = try await status("/api/v1/events?camera=CAM01", token: token)
        #expect(code == 200)
        let events = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["events"] as? [Any]
        #expect((events?.count ?? 0) > 0)
        let page = try await status("/", token: nil)
        // The ward console: a sign-in form and its embedded ES modules.
        let html = String(decoding: page.1, as: UTF8.self)
        #expect(page.0 == 200 && html.contains(#"name="token""#) && html.contains("/console/app.js"))
        #expect(try await status("/console/views.js", token: nil).0 == 200)

        process.terminate() // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let audit = try Subprocess.wardwatch(["audit", "list", "--catalog", catalog, "--action", "search", "--format", "json"])
        #expect(audit.standardOutput.contains("127.0.0.1"))
    }
}
