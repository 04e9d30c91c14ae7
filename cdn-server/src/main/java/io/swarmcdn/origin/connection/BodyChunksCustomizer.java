package io.swarmcdn.origin.connection;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import reactor.netty.http.server.HttpRequestDecoderSpec;

/**
 * Lets the HTTP decoder hand a request body on in the pieces the socket reads return (up to
 * {@link BulkReads#MAX_BULK_READ}) rather than in slices of at most 8 KiB (Netty's {@code
 * maxChunkSize} default). The pieces are slices of the read buffer either way, so this costs no
 * memory; it spares each 64 KiB read eight passes through Reactor and the upload's writer.
 *
 * <p>Runs after Spring Boot's own customizer (lowest precedence) and keeps every other decoder
 * setting it made ({@code server.max-http-request-header-size} and the like): Reactor Netty
 * starts each {@code httpRequestDecoder} call from a fresh spec.
 */
@Component
final class BodyChunksCustomizer
    implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

  @Override
  public void customize(NettyReactiveWebServerFactory factory) {
    factory.addServerCustomizers(server -> {
      HttpRequestDecoderSpec current = server.configuration().decoder();
      return server.httpRequestDecoder(spec -> spec
          .maxInitialLineLength(current.maxInitialLineLength())
          .maxHeaderSize(current.maxHeaderSize())
          .validateHeaders(current.validateHeaders())
          .initialBufferSize(current.initialBufferSize())
          .allowDuplicateContentLengths(current.allowDuplicateContentLengths())
          .h2cMaxContentLength(current.h2cMaxContentLength())
          .allowPartialChunks(current.allowPartialChunks())
          .maxChunkSize(Math.max(current.maxChunkSize(), BulkReads.MAX_BULK_READ)));
    });
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
