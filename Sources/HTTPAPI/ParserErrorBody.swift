import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Gives the 400 that Hummingbird's HTTP/1 channel writes for a request it cannot parse (a broken
/// request line or header) the same JSON error body and headers as every other error. That answer is
/// written below the router, as a bare head (`Content-Length: 0`, `Connection: close`), so it is
/// rewritten here, on its way out of the channel.
final class ParserErrorBody: ChannelOutboundHandler, RemovableChannelHandler, Sendable {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let body = #"{"error":{"code":"bad_request","message":"the request is not valid HTTP/1.1","status":400}}"#

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case let .head(head) = unwrapOutboundIn(data), head.status == .badRequest,
              head.headerFields[.contentLength] == "0", head.headerFields[.contentType] == nil else {
            context.write(data, promise: promise)
            return
        }
        var fields = head.headerFields
        let bytes = Array(Self.body.utf8)
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(bytes.count)
        fields[.xContentTypeOptions] = "nosniff"
        fields[.cacheControl] = "no-store"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .badRequest, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: bytes))), promise: promise)
    }
}
