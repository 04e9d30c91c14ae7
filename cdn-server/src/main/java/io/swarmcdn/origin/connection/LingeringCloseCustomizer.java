package io.swarmcdn.origin.connection;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/** Installs {@link LingeringClose} behind the HTTP/1.1 codec of every connection. */
@Component
final class LingeringCloseCustomizer implements NettyServerCustomizer {

  @Override
  public HttpServer apply(HttpServer server) {
    return server.doOnChannelInit((observer, channel, remoteAddress) -> {
      if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "swarmcdn.lingeringClose",
            new LingeringClose());
      }
    });
  }
}
