package io.swarmcdn.origin.connection;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Installs the origin's own HTTP/1.1 handlers behind the codec of every connection: {@link
 * LingeringClose} (one per connection: it keeps that connection's state) and {@link
 * ResponseDate} (shared), and gives every connection its {@link BulkReads} (off until an upload
 * turns it on) with the {@link BodyProgress} it reads an upload in place by.
 */
@Component
final class HttpPipelineCustomizer implements NettyServerCustomizer {
  private final ResponseDate responseDate = new ResponseDate(new DateHeader());

  @Override
  public HttpServer apply(HttpServer server) {
    return server.doOnChannelInit((observer, channel, remoteAddress) -> {
      BulkReads.install(channel);
      if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
        channel.pipeline()
            .addAfter(NettyPipeline.HttpCodec, "swarmcdn.responseDate", responseDate)
            .addAfter(NettyPipeline.HttpCodec, "swarmcdn.lingeringClose", new LingeringClose());
      }
    });
  }
}
