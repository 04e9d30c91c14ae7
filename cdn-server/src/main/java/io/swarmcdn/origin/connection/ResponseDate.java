package io.swarmcdn.origin.connection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Adds {@code Date} to every HTTP/1.1 response that has none. RFC 9110 section 6.6.1: an origin
 * server with a clock MUST send it in every 2xx, 3xx and 4xx response (caches compute a
 * response's age from it), and neither Spring WebFlux nor reactor-netty does: not for the media
 * route, the API, the trackers, nor reactor-netty's own error answers. One handler behind the
 * HTTP codec covers them all.
 *
 * <p>After a {@code 101 Switching Protocols} (the WebSocket tracker's upgrade) the connection
 * carries no more HTTP responses, so the handler leaves the pipeline: the tracker's frames do not
 * pass through it.
 */
@ChannelHandler.Sharable
final class ResponseDate extends ChannelOutboundHandlerAdapter {
  private final DateHeader date;

  ResponseDate(DateHeader date) {
    this.date = date;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      if (!response.headers().contains(HttpHeaderNames.DATE)) {
        response.headers().set(HttpHeaderNames.DATE, date.now());
      }
      if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        ctx.pipeline().remove(this);
      }
    }
    ctx.write(msg, promise);
  }
}
