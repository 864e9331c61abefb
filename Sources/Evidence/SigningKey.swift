import Crypto
import Foundation
import SystemIO

/// The Ed25519 key that signs evidence bundles.
///
/// The private half lives only in its key file (PKCS#8 PEM, mode 0600, which `openssl pkey` reads
/// too) and in this value while a command runs. Nothing prints it: `description` and `dump` show
/// the public fingerprint only, and bundles carry the public key alone.
public struct EvidenceSigningKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The 32 raw private key bytes (swift-crypto's key type is not `Sendable`; these bytes are).
    private let privateBytes: Data
    public let publicKey: EvidencePublicKey

    init(privateKey: Curve25519.Signing.PrivateKey) {
        privateBytes = privateKey.rawRepresentation
        // A Curve25519 public key is always 32 bytes, so this cannot fail.
        publicKey = EvidencePublicKey(validRaw: privateKey.publicKey.rawRepresentation)
    }

    /// Creates a new key and writes it to `path` with mode 0600, never replacing an existing file.
    /// The file is created by open(2) with O_EXCL and the mode, so it is never readable by others,
    /// not even for a moment.
    /// - Throws: `.keyExists` when a file is at `path`; `.signingKey` when it cannot be written.
    public static func generate(at path: String) throws(EvidenceError) -> EvidenceSigningKey {
        let key = EvidenceSigningKey(privateKey: Curve25519.Signing.PrivateKey())
        do {
            try DurableFile.write(Array(key.pkcs8PEM.utf8), to: path, mode: .createNew, permissions: 0o600)
        } catch {
            if error.call == "open" && error.errno == EEXIST {
                throw EvidenceError(.keyExists, "signing key '\(path)' exists already; WardWatch never overwrites a key "
                                    + "(bundles signed with it could no longer be tied to it). Move it away first")
            }
            if error.call == "open" { throw EvidenceError(.signingKey, "cannot create signing key '\(path)'", cause: error.reason) }
            unlink(path)
            throw EvidenceError(.signingKey, "cannot write signing key '\(path)'", cause: error.reason)
        }
        return key
    }

    /// Reads the key at `path`. Like ssh, it refuses a key file that other users can read.
    /// - Throws: `.signingKey` naming the file and what to do.
    public static func load(from path: String) throws(EvidenceError) -> EvidenceSigningKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT {
                throw EvidenceError(.signingKey, "no signing key at '\(path)' (create one with `wardwatch keys generate "
                                    + "--key-file \(path)`, or name another with --key-file)")
            }
            throw EvidenceError(.signingKey, "cannot read signing key '\(path)'", cause: String(cString: strerror(errno)))
        }
        guard info.st_mode & 0o077 == 0 else {
            throw EvidenceError(.signingKey, "signing key '\(path)' can be read by other users (mode "
                                + String(info.st_mode & 0o777, radix: 8) + "); run `chmod 600 \(path)`")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let der = PEM.decode(text, label: "PRIVATE KEY"),
              der.count == DER.pkcs8Prefix.count + 32, der.starts(with: DER.pkcs8Prefix),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
        else {
            throw EvidenceError(.signingKey, "signing key '\(path)' is not an Ed25519 private key in PKCS#8 PEM "
                                + "(as written by `wardwatch keys generate`)")
        }
        return EvidenceSigningKey(privateKey: key)
    }

    /// An Ed25519 signature (64 bytes) over `data`.
    func signature(for data: Data) throws(EvidenceError) -> Data {
        do { return try Curve25519.Signing.PrivateKey(rawRepresentation: privateBytes).signature(for: data) } catch {
            throw EvidenceError(.signingKey, "cannot sign with key \(publicKey.fingerprint)", error: error)
        }
    }

    private var pkcs8PEM: String {
        PEM.encode(DER.pkcs8Prefix + privateBytes, label: "PRIVATE KEY")
    }

    public var description: String { "Ed25519 signing key \(publicKey.fingerprint)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey]) }
}

/// An Ed25519 public key: what a bundle carries and what `verify --key` compares with.
///
/// Its fingerprint is the SHA-256 of the 32 raw key bytes, in hex, so that anyone can recompute it
/// (`openssl pkey -pubin -in public-key.pem -outform DER | tail -c 32 | sha256sum`).
public struct EvidencePublicKey: Sendable, Equatable, CustomStringConvertible {
    /// The 32 raw key bytes.
    public let rawRepresentation: Data

    init(validRaw: Data) { rawRepresentation = validRaw }

    /// A key from its 32 raw bytes.
    /// - Throws: `.publicKey` when the bytes are not an Ed25519 public key.
    public init(rawRepresentation: Data) throws(EvidenceError) {
        guard rawRepresentation.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation)) != nil
        else { throw EvidenceError(.publicKey, "not an Ed25519 public key (\(rawRepresentation.count) bytes, expected 32)") }
        self.rawRepresentation = rawRepresentation
    }

    /// A key from text: a PEM block ("BEGIN PUBLIC KEY", any text around it), or the base64 of the
    /// 32 raw bytes.
    /// - Throws: `.publicKey` when the text is neither.
    public init(text: String) throws(EvidenceError) {
        if let der = PEM.decode(text, label: "PUBLIC KEY") {
            guard der.count == DER.spkiPrefix.count + 32, der.starts(with: DER.spkiPrefix) else {
                throw EvidenceError(.publicKey, "the PEM block is not an Ed25519 public key")
            }
            try self.init(rawRepresentation: der.suffix(32))
        } else if let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            try self.init(rawRepresentation: raw)
        } else {
            throw EvidenceError(.publicKey, "not a PEM public key or the base64 of a raw Ed25519 key")
        }
    }

    /// SHA-256 of the raw key, hex: how people name and compare keys.
    public var fingerprint: String { FileDigest.sha256(rawRepresentation) }

    /// The raw key in base64 (44 characters).
    public var base64: String { rawRepresentation.base64EncodedString() }

    /// SubjectPublicKeyInfo PEM, as openssl writes and reads it.
    public var pem: String { PEM.encode(DER.spkiPrefix + rawRepresentation, label: "PUBLIC KEY") }

    /// True when `signature` is this key's Ed25519 signature over `data`.
    public func isValidSignature(_ signature: Data, for data: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawRepresentation) else { return false }
        return key.isValidSignature(signature, for: data)
    }

    public var description: String { "Ed25519 public key \(fingerprint)" }
}

/// The fixed DER headers of Ed25519 keys (RFC 8410): the key bytes follow them.
enum DER {
    /// SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING (32 bytes) }.
    static let spkiPrefix = Data([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])
    /// OneAsymmetricKey v0 { AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING (32 bytes) } }.
    static let pkcs8Prefix = Data([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                   0x04, 0x22, 0x04, 0x20])
}

/// RFC 7468 text encoding: base64 in 64-character lines between BEGIN and END lines.
enum PEM {
    static func encode(_ der: Data, label: String) -> String {
        let base64 = der.base64EncodedString()
        var lines = ["-----BEGIN \(label)-----"]
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<end]))
            index = end
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The DER bytes of the first block with `label`, ignoring any text outside it; nil when there
    /// is no such block or its base64 is damaged.
    static func decode(_ text: String, label: String) -> Data? {
        let begin = "-----BEGIN \(label)-----", end = "-----END \(label)-----"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex)
        else { return nil }
        let body = text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(body))
    }
}
