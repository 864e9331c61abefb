import Foundation

/// The list of every file in a bundle with its size and SHA-256, and the key that signs it.
///
/// `manifest.sig` is an Ed25519 signature over the exact bytes of `manifest.json`, so a verifier
/// never re-encodes the manifest: it checks the bytes it was given, then decodes them.
public struct BundleManifest: Codable, Sendable, Equatable {
    public static let formatName = "wardwatch-evidence-manifest/1"

    public var format: String
    /// When the bundle was made (ISO 8601, UTC).
    public var created: String
    public var caseID: String
    public var signer: Signer
    /// Every file of the bundle except the four that describe it (`BundleLayout.unlisted`), sorted by path.
    public var files: [Entry]

    public struct Signer: Codable, Sendable, Equatable {
        /// Always "Ed25519".
        public var algorithm: String
        /// The raw public key in base64.
        public var publicKey: String
        /// SHA-256 of the raw public key, hex.
        public var fingerprint: String

        enum CodingKeys: String, CodingKey {
            case algorithm, fingerprint
            case publicKey = "public_key"
        }
    }

    public struct Entry: Codable, Sendable, Equatable {
        /// Relative to the bundle's root, with "/" separators.
        public var path: String
        public var size: Int64
        public var sha256: String

        public init(path: String, size: Int64, sha256: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, created, signer, files
        case caseID = "case"
    }

    public init(created: String, caseID: String, signer: EvidencePublicKey, files: [Entry]) {
        format = Self.formatName
        self.created = created
        self.caseID = caseID
        self.signer = Signer(algorithm: "Ed25519", publicKey: signer.base64, fingerprint: signer.fingerprint)
        self.files = files.sorted { $0.path < $1.path }
    }

    /// The manifest as written: pretty JSON with sorted keys and a final newline.
    public func encoded() throws(EvidenceError) -> Data {
        try BundleJSON.encode(self)
    }
}

/// The fixed names in a bundle.
public enum BundleLayout {
    public static let manifest = "manifest.json"
    public static let signature = "manifest.sig"
    public static let publicKey = "public-key.pem"
    public static let custody = "custody.jsonl"
    public static let metadata = "metadata.json"
    public static let report = "index.html"
    public static let clips = "clips"
    public static let stills = "stills"

    /// Files that describe the bundle and so cannot be listed in its manifest: the manifest itself,
    /// its signature, the key that checks it, and the custody log, which grows after export and
    /// protects itself with its own chained signatures.
    public static let unlisted: Set<String> = [manifest, signature, publicKey, custody]

    /// public-key.pem: a note for people naming the fingerprint, then the PEM block (openssl skips
    /// text before a block). Verification requires exactly these bytes.
    public static func publicKeyFile(_ key: EvidencePublicKey) -> String {
        "Ed25519 public key that signed manifest.json (manifest.sig is its raw 64-byte signature).\n"
            + "SHA-256 fingerprint of the 32 raw key bytes: \(key.fingerprint)\n" + key.pem
    }
}

/// JSON as bundles write it: stable key order, unescaped slashes, one final newline.
enum BundleJSON {
    static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws(EvidenceError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            return data
        } catch {
            throw EvidenceError(.io, "cannot encode \(T.self) as JSON", error: error)
        }
    }
}
