package io.swarmcdn.origin.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Counts the body bytes the HTTP decoder has handed on for the request it decodes now: where in
 * that body the connection's next socket read starts, for {@link BulkReads} to read an upload in
 * place. Exact because the decoder hands a {@code Content-Length} body on as it reads it, the
 * whole of each read, before the next read begins. Sits right after the codec; event loop only.
 */
final class BodyProgress extends ChannelInboundHandlerAdapter {
  /** The headers of the request being decoded: they identify it. */
  private HttpHeaders request;
  private long position;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest r) {
      request = r.headers();
      position = 0;
    }
    if (msg instanceof HttpContent content) {
      position += content.content().readableBytes();
    }
    ctx.fireChannelRead(msg);
  }

  /** Whether the decoder is in the request that has these headers (its body, or its end). */
  boolean decoding(HttpHeaders headers) {
    return request == headers;
  }

  /** Body bytes of the current request decoded so far. */
  long position() {
    return position;
  }
}
