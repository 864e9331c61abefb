import Foundation

/// What `verify` found in a bundle.
public struct VerificationReport: Sendable, Equatable {
    /// The first problem, naming the file ("manifest.json: signature does not match"); nil when intact.
    public var problem: String?
    /// Files whose hashes were checked.
    public var filesChecked: Int
    /// The key that signed the manifest, when it could be read.
    public var signer: EvidencePublicKey?
    /// True when a trusted key was given and it is the signer; nil when none was given. Without
    /// one, an intact bundle only shows it is internally consistent, not who made it.
    public var signedByTrustedKey: Bool?
    /// The custody log's entries, when it could be read.
    public var custody: [CustodyEntry]
    /// The case named in the manifest.
    public var caseID: String?

    public var intact: Bool { problem == nil }
}

/// Checks a bundle from its own files alone: no catalog, no network, no WardWatch configuration.
///
/// Order of checks, so that the first problem printed is the most basic one: the four describing
/// files exist; public-key.pem holds a key and is exactly as exported; the signature covers the
/// manifest's exact bytes and the manifest names that key (with a trusted key, the signer must be
/// it); every listed file exists with its size and SHA-256; nothing unlisted is present; the
/// custody log is signed and chained.
public enum BundleVerifier {
    /// Verifies the folder or zip at `path`.
    /// - Parameter trustedFingerprint: SHA-256 (hex) of the raw public key the bundle must be signed
    ///   with (see `EvidencePublicKey.fingerprint`); nil to check consistency only.
    /// - Throws: `.bundle` only when the path is neither a folder nor a zip; every problem inside a
    ///   bundle is reported in `VerificationReport.problem`.
    /// - Parameter trustedCustodyKeys: fingerprints of keys, besides the bundle's own, that may sign hand-offs.
    public static func verify(path: String, trustedFingerprint: String? = nil,
                              trustedCustodyKeys: Set<String> = []) throws(EvidenceError) -> VerificationReport {
        let bundle = try openBundle(path)
        var report = VerificationReport(problem: nil, filesChecked: 0, signer: nil, signedByTrustedKey: nil, custody: [],
                                        caseID: nil)
        report.problem = check(bundle, trustedFingerprint: trustedFingerprint?.lowercased(),
                               trustedCustodyKeys: Set(trustedCustodyKeys.map { $0.lowercased() }), report: &report)
        return report
    }

    private static func check(_ bundle: any BundleContents, trustedFingerprint: String?, trustedCustodyKeys: Set<String>,
                              report: inout VerificationReport) -> String? {
        let present: [BundleContentsFile]
        do { present = try bundle.files() } catch { return error.message }
        var byPath: [String: BundleContentsFile] = [:]
        for file in present {
            // A zip may hold two members of one name; only one of them would be checked.
            guard byPath.updateValue(file, forKey: file.path) == nil else { return "\(file.path): appears twice in the bundle" }
        }
        for name in [BundleLayout.manifest, BundleLayout.signature, BundleLayout.publicKey, BundleLayout.custody] {
            guard let file = byPath[name] else { return "\(name): missing" }
            guard file.regular else { return "\(name): not a regular file (a link or device)" }
        }

        // The key, and the manifest it signed.
        let manifestBytes: Data, signature: Data, keyText: Data, custody: Data
        do {
            manifestBytes = try bundle.data(BundleLayout.manifest)
            signature = try bundle.data(BundleLayout.signature)
            keyText = try bundle.data(BundleLayout.publicKey)
            custody = try bundle.data(BundleLayout.custody)
        } catch { return error.message }
        let key: EvidencePublicKey
        do { key = try EvidencePublicKey(text: String(decoding: keyText, as: UTF8.self)) } catch {
            return "\(BundleLayout.publicKey): \(error.message)"
        }
        report.signer = key
        // The file is not in the manifest (it checks the manifest), so it must be exactly what export
        // writes for its key: then no byte of it, not even the note for people, can change unnoticed.
        guard keyText == Data(BundleLayout.publicKeyFile(key).utf8) else {
            return "\(BundleLayout.publicKey): edited (it is not the file export writes for the key it holds)"
        }
        guard key.isValidSignature(signature, for: manifestBytes) else {
            return "\(BundleLayout.manifest): signature does not match (\(BundleLayout.manifest) or \(BundleLayout.signature) "
                + "was changed after signing)"
        }
        let manifest: BundleManifest
        do { manifest = try JSONDecoder().decode(BundleManifest.self, from: manifestBytes) } catch {
            return "\(BundleLayout.manifest): signed, but not a WardWatch manifest (\(error))"
        }
        report.caseID = manifest.caseID
        guard manifest.format == BundleManifest.formatName else {
            return "\(BundleLayout.manifest): format '\(manifest.format)' is not \(BundleManifest.formatName)"
        }
        guard manifest.signer.publicKey == key.base64 else {
            return "\(BundleLayout.publicKey): not the key manifest.json names (\(manifest.signer.fingerprint))"
        }
        if let trustedFingerprint {
            report.signedByTrustedKey = key.fingerprint == trustedFingerprint
            if key.fingerprint != trustedFingerprint {
                return "\(BundleLayout.manifest): signed by key \(key.fingerprint), not by the given key \(trustedFingerprint)"
            }
        }

        // Every listed file, exactly as listed.
        var listed = Set<String>()
        for entry in manifest.files {
            if let problem = pathProblem(entry.path) { return "\(BundleLayout.manifest): \(problem)" }
            guard listed.insert(entry.path).inserted else { return "\(BundleLayout.manifest): '\(entry.path)' is listed twice" }
            guard let file = byPath[entry.path] else { return "\(entry.path): missing (listed in \(BundleLayout.manifest))" }
            guard file.regular else { return "\(entry.path): not a regular file (a link or device)" }
            let digest: (size: Int64, sha256: String)
            do { digest = try bundle.digest(entry.path) } catch { return error.message }
            if digest.size != entry.size {
                return "\(entry.path): size \(digest.size) differs from manifest (\(entry.size) bytes)"
            }
            if digest.sha256 != entry.sha256 { return "\(entry.path): SHA-256 differs from manifest" }
            report.filesChecked += 1
        }
        for file in present where !listed.contains(file.path) && !BundleLayout.unlisted.contains(file.path) {
            return "\(file.path): not listed in \(BundleLayout.manifest) (added after export)"
        }

        // The chain of custody.
        let manifestHash = FileDigest.sha256(manifestBytes)
        if let problem = CustodyLog.firstProblem(in: custody, manifestSHA256: manifestHash, bundleKey: key,
                                                  trustedKeys: trustedCustodyKeys) { return problem }
        report.custody = (try? CustodyLog.entries(custody)) ?? []
        return nil
    }

    /// Manifest paths stay inside the bundle: relative, no "..", no empty parts.
    private static func pathProblem(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.hasPrefix("/") || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "path '\(path)' leaves the bundle or is not plain"
        }
        return nil
    }
}
