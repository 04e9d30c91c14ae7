package io.swarmcdn.origin.connection;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/** Installs {@link ResponseDate} behind the HTTP/1.1 codec of every connection. */
@Component
final class ResponseDateCustomizer implements NettyServerCustomizer {
  private final ResponseDate handler = new ResponseDate(new DateHeader());

  @Override
  public HttpServer apply(HttpServer server) {
    return server.doOnChannelInit((observer, channel, remoteAddress) -> {
      if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "swarmcdn.responseDate", handler);
      }
    });
  }
}
