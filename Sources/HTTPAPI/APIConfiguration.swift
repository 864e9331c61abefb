import Foundation

/// How the API server listens. What it serves, and to whom, is the workflows' business
/// (`WardWorkflows.Settings`); the `wardwatch serve` command fills both.
public struct APIConfiguration: Sendable {
    /// The address to listen on: loopback unless an operator decides otherwise.
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one (reported through `onListening`).
    public var port: Int = 8080
    /// The web console: tiles, camera view directions, expected recording intervals.
    public var console = ConsoleSettings()
    /// How long a console sign-in lasts.
    public var sessionLifetimeSeconds: Double = 12 * 3600
    /// Marks the session cookie Secure: set when TLS sits in front of the server.
    public var secureCookies = false
    /// Proxies whose `X-Forwarded-For` names the client in the audit trail; from anyone else the
    /// header is ignored.
    public var trustedProxies = TrustedProxies()

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}
