import Foundation

/// `index.html`: the bundle as a page an investigator opens from a USB stick.
///
/// Self-contained on purpose: inline styles, no scripts, no fonts or images from anywhere, and only
/// relative links into the bundle, so it shows the same on an offline court laptop as here.
public enum EvidenceReport {
    /// The page for a bundle.
    /// - Parameters:
    ///   - files: the listed files (all but index.html and the four describing files) with hashes.
    ///   - signer: the key that will sign the manifest.
    public static func html(metadata: EvidenceMetadata, files: [BundleManifest.Entry], signer: EvidencePublicKey) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Evidence \(escape(metadata.caseID))</title>
            <style>
            body { font: 15px/1.45 "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #111; }
            h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #999; }
            table { border-collapse: collapse; margin: 0.6em 0; } td, th { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
            th { background: #eee; } code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; word-break: break-all; }
            video { width: 100%; max-width: 48em; background: #000; display: block; margin: 0.5em 0; }
            img.still { max-width: 14em; display: block; }
            .note { color: #444; font-size: 0.9em; } .time { white-space: nowrap; }
            </style>
            </head>
            <body>
            <h1>Evidence bundle: case \(escape(metadata.caseID))</h1>
            <table>
            <tr><th>Reason</th><td>\(escape(metadata.reason))</td></tr>
            <tr><th>Exported by</th><td>\(escape(metadata.exportedBy))</td></tr>
            <tr><th>Exported at</th><td>\(escape(metadata.exportedAtLocal)) (\(escape(metadata.exportedAt)))</td></tr>
            <tr><th>Software</th><td>WardWatch \(escape(metadata.wardwatchVersion)); \(escape(metadata.ffmpeg))</td></tr>
            <tr><th>Signed by</th><td>Ed25519 key, SHA-256 fingerprint <span class="hash">\(signer.fingerprint)</span></td></tr>
            </table>
            <p class="note">Clips are cut from the original recordings without re-encoding, from the keyframe at or before
            \(format(metadata.preRollSeconds)) s before each event to \(format(metadata.postRollSeconds)) s after it.
            To check that nothing in this folder changed since export, run
            <code>wardwatch verify &lt;this folder&gt; --key &lt;the ward's public key&gt;</code>; it needs no network.
            The chain of custody is in <a href="\(BundleLayout.custody)">\(BundleLayout.custody)</a>.</p>

            """
        for (index, item) in metadata.items.enumerated() {
            page += section(item, number: index + 1)
        }
        page += """
            <h2>Files</h2>
            <p class="note">As listed in <a href="\(BundleLayout.manifest)">\(BundleLayout.manifest)</a> (this page is listed there
            too, and so cannot show its own hash).</p>
            <table>
            <tr><th>File</th><th>Bytes</th><th>SHA-256</th></tr>

            """
        for file in files {
            page += "<tr><td><a href=\"\(escape(file.path))\">\(escape(file.path))</a></td><td>\(file.size)</td>"
                + "<td class=\"hash\">\(file.sha256)</td></tr>\n"
        }
        page += "</table>\n</body>\n</html>\n"
        return page
    }

    private static func section(_ item: EvidenceMetadata.Item, number: Int) -> String {
        let camera = item.camera
        var html = "<h2 id=\"item-\(number)\">\(number). \(escape(item.title))</h2>\n<table>\n"
        html += "<tr><th>Camera</th><td>\(escape(camera.id))\(camera.name.map { " – " + escape($0) } ?? "")</td></tr>\n"
        let place = [camera.street, camera.ward].compactMap { $0 }.joined(separator: ", ")
        html += "<tr><th>Place</th><td>\(escape(place.isEmpty ? "not registered" : place))"
        if let latitude = camera.latitude, let longitude = camera.longitude {
            html += " (\(format(latitude, digits: 5)), \(format(longitude, digits: 5)))"
        }
        html += "</td></tr>\n"
        html += "<tr><th>Period</th><td>\(escape(item.from.local)) – \(escape(item.to.local))<br>"
            + "\(escape(item.from.utc)) – \(escape(item.to.utc))</td></tr>\n</table>\n"
        if let clip = item.clip {
            html += "<video controls preload=\"metadata\" src=\"\(escape(clip.path))\"></video>\n"
            html += "<p class=\"note\"><a href=\"\(escape(clip.path))\">\(escape(clip.path))</a>: "
                + "\(escape(clip.start.local)) – \(escape(clip.end.local)), \(format(clip.durationSeconds)) s; "
                + (clip.leadSeconds >= 0
                    ? "starts \(format(clip.leadSeconds, digits: 2)) s before the requested start "
                        + "\(escape(clip.requestedStart.local)), at a keyframe."
                    : "the footage begins \(format(-clip.leadSeconds, digits: 2)) s after the requested start "
                        + "\(escape(clip.requestedStart.local)): no earlier recording is indexed.")
                + "</p>\n"
        } else {
            html += "<p class=\"note\">No clip.</p>\n"
        }
        html += "<table>\n<tr><th>Event</th><th>Start (local, then UTC)</th><th>End</th><th>Duration</th>"
            + "<th>In clip at</th><th>Score</th><th>Still</th></tr>\n"
        for event in item.events {
            let still = event.still.map { "<a href=\"\(escape($0))\"><img class=\"still\" src=\"\(escape($0))\" alt=\"still of event \(event.id)\"></a>" }
            html += "<tr><td>\(event.id)</td><td class=\"time\">\(escape(event.start.local))<br>\(escape(event.start.utc))</td>"
                + "<td class=\"time\">\(escape(event.end.local))<br>\(escape(event.end.utc))</td>"
                + "<td class=\"time\">\(format(event.durationSeconds)) s</td>"
                + "<td class=\"time\">\(event.clipOffsetSeconds.map { format($0) + " s" } ?? "")</td><td>\(format(event.score, digits: 3))</td>"
                + "<td>\(still ?? "none")</td></tr>\n"
        }
        if item.events.isEmpty { html += "<tr><td colspan=\"7\">No motion events were indexed in this period.</td></tr>\n" }
        html += "</table>\n<table>\n<tr><th>Source recording</th><th>Start (local)</th><th>SHA-256 of the whole file</th></tr>\n"
        for source in item.sources {
            html += "<tr><td><code>\(escape(source.path))</code></td><td class=\"time\">\(escape(source.start.local))</td>"
                + "<td class=\"hash\">\(source.sha256)</td></tr>\n"
        }
        return html + "</table>\n"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func format(_ value: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
}
