package io.swarmcdn.origin.media;

import io.netty.channel.Channel;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandler;
import io.swarmcdn.origin.catalog.Catalog;
import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.config.PublicUrls;
import io.swarmcdn.origin.config.RequestTarget;
import io.swarmcdn.origin.config.SwarmCdnProperties;
import io.swarmcdn.origin.errors.ErrorResponses;
import io.swarmcdn.origin.library.FileState;
import io.swarmcdn.origin.library.MediaLibrary;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.origin.stats.OriginStats;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code GET}/{@code HEAD /media/{path}}: the published files, which are at once the site's
 * media URLs and the torrents' BEP 19 web seeds. Single byte ranges (206/416), {@code If-Range},
 * strong {@code ETag} (the info-hash: it names exactly these bytes) and {@code Last-Modified}
 * with the conditional requests of RFC 9110 section 13, and zero-copy transfer (a Netty file
 * region, i.e. sendfile). Only catalog entries are served, and only while the file on disk still
 * has the state that was hashed: a torrent's web seed must never hand out bytes that fail its
 * pieces. Errors have the origin's JSON shape ({@link ErrorResponses}). {@code Date} is
 * added to every response by {@code connection.ResponseDate}.
 */
@Component
final class MediaHandler {
  /** The media path below the server's base path ({@code spring.webflux.base-path}). */
  static final String PREFIX = "/media/";

  private final Catalog catalog;
  private final MediaLibrary library;
  private final OriginStats stats;
  private final MediaCors cors;
  private final Representation.Cache representations = new Representation.Cache();
  /**
   * {@link #PREFIX} below {@code spring.webflux.base-path}: Spring applies the base path to its
   * own routes only, and this route comes before Spring, so it applies it itself. Media outside
   * the base path is not served (Spring answers 404 there), like every other route.
   */
  private final String prefix;

  MediaHandler(Catalog catalog, MediaLibrary library, OriginStats stats,
      SwarmCdnProperties properties, PublicUrls urls) {
    this.prefix = urls.basePath() + PREFIX;
    this.catalog = catalog;
    this.library = library;
    this.stats = stats;
    this.cors = new MediaCors(MediaCorsConfiguration.reads(properties));
  }

  /** Whether this handler answers {@code request}: any GET or HEAD below {@link #prefix}. */
  boolean accepts(HttpServerRequest request) {
    // Preflights (OPTIONS) stay with Spring's CORS handling; every other method is ours, so
    // that a write to a media URL is a 405 naming the methods there are, not a 404.
    return request.method() != HttpMethod.OPTIONS
        && RequestTarget.rawPath(request.uri()).startsWith(prefix);
  }

  Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
    HttpHeaders in = request.requestHeaders();
    HttpHeaders out = response.responseHeaders();
    HttpMethod method = request.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      // RFC 9110 section 15.5.6: a 405 carries Allow. Media is read-only here; uploads go
      // through the API (POST /api/v1/files).
      out.set(HttpHeaderNames.ALLOW, "GET, HEAD, OPTIONS");
      return ErrorResponses.send(request, response, HttpResponseStatus.METHOD_NOT_ALLOWED,
          method + " is not allowed on media (publish with POST /api/v1/files)");
    }
    if (!cors.apply(in, out, request.scheme())) {
      return ErrorResponses.send(request, response, HttpResponseStatus.FORBIDDEN,
          "origin " + in.get(HttpHeaderNames.ORIGIN) + " may not read media");
    }
    MediaPath path;
    try {
      path = MediaPath.fromUrlPath(RequestTarget.rawPath(request.uri()).substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      return ErrorResponses.send(request, response, HttpResponseStatus.BAD_REQUEST,
          "invalid media path: " + e.getMessage());
    }
    CatalogEntry entry = catalog.get(path).orElse(null);
    if (entry == null) {
      return ErrorResponses.send(request, response, HttpResponseStatus.NOT_FOUND,
          "no published file at " + path);
    }
    Path file = path.resolveIn(library.root());
    if (!entry.state().equals(stateOf(file))) {
      library.requestRescan();
      return ErrorResponses.send(request, response, HttpResponseStatus.NOT_FOUND,
          path + " changed on disk and is being hashed again");
    }
    return respond(request, response, entry, file);
  }

  /** The answer for a current, published file: validators, preconditions, range, body. */
  private Mono<Void> respond(HttpServerRequest request, HttpServerResponse response,
      CatalogEntry entry, Path file) {
    HttpHeaders in = request.requestHeaders();
    HttpHeaders out = response.responseHeaders();
    Representation representation = representations.of(entry);
    String etag = representation.etag();
    long lastModified = representation.lastModified();
    // RFC 9110 section 15.4.5: a 304 carries the validators a 200 would have.
    out.set(HttpHeaderNames.ETAG, etag);
    out.set(HttpHeaderNames.LAST_MODIFIED, representation.lastModifiedDate());
    HttpResponseStatus stop = Preconditions.evaluate(in, etag, lastModified);
    if (stop == HttpResponseStatus.NOT_MODIFIED) {
      return response.status(stop).send();
    }
    if (stop != null) {
      return ErrorResponses.send(request, response, stop,
          "a precondition of the request does not hold");
    }
    out.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
    long size = entry.size();
    ByteRange range = ifRangeHolds(in.get(HttpHeaderNames.IF_RANGE), etag, lastModified)
        ? ByteRange.parse(in.get(HttpHeaderNames.RANGE)) : null;
    ByteRange.Region region;
    if (range == null) {
      region = new ByteRange.Region(0, size - 1);
    } else {
      region = range.resolve(size);
      if (region == null) {
        out.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
        out.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response.status(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE).send();
      }
      response.status(HttpResponseStatus.PARTIAL_CONTENT);
      out.set(HttpHeaderNames.CONTENT_RANGE,
          "bytes " + region.start() + "-" + region.end() + "/" + size);
    }
    out.set(HttpHeaderNames.CONTENT_TYPE, representation.contentType());
    out.set(HttpHeaderNames.CONTENT_LENGTH, region.length());
    if (request.method() == HttpMethod.HEAD || region.length() == 0) {
      return response.send();
    }
    return sendBody(response, entry, file, region);
  }

  private static FileState stateOf(Path file) {
    try {
      return FileState.of(file);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * RFC 9110 section 13.1.5: honour Range only if If-Range (when present) still names this
   * representation: a strong ETag match, or exactly its Last-Modified date.
   */
  private static boolean ifRangeHolds(String ifRange, String etag, long lastModified) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.strip();
    if (value.startsWith("\"") || value.startsWith("W/")) {
      return value.equals(etag);
    }
    return HttpDate.parse(value) == lastModified;
  }

  /**
   * The file's bytes {@code region}, counted in {@link OriginStats} when the transfer ends. On a
   * plain connection as one {@link DefaultFileRegion} (sendfile), whose progress also counts the
   * bytes of a transfer the client aborts. Behind TLS, compression or on an HTTP/2 or HTTP/3
   * stream (no socket channel) a file region cannot pass, and reactor-netty's {@code sendFile}
   * streams chunks instead (counted once complete). No content coding is ever negotiated: RFC
   * 9110 section 14.1.2 ranges would then address the encoded bytes.
   */
  private Mono<Void> sendBody(HttpServerResponse response, CatalogEntry entry, Path file,
      ByteRange.Region region) {
    response.compression(false);
    Channel channel = channelOf(response);
    if (!(channel instanceof SocketChannel) || channel.pipeline().get(SslHandler.class) != null
        || channel.pipeline().get(NettyPipeline.CompressionHandler) != null) {
      return response.sendFile(file, region.start(), region.length()).then()
          .doOnSuccess(done -> count(entry, region.length()));
    }
    AtomicReference<DefaultFileRegion> sent = new AtomicReference<>();
    return response.sendUsing(
            () -> FileChannel.open(file, StandardOpenOption.READ),
            (connection, fileChannel) -> {
              DefaultFileRegion body =
                  new DefaultFileRegion(fileChannel, region.start(), region.length());
              sent.set(body);
              return body;
            },
            MediaHandler::close)
        .then()
        .doFinally(signal -> {
          DefaultFileRegion body = sent.get();
          count(entry, body == null ? 0 : body.transferred());
        });
  }

  private static Channel channelOf(HttpServerResponse response) {
    Channel[] channel = new Channel[1];
    response.withConnection(connection -> channel[0] = connection.channel());
    return channel[0];
  }

  private void count(CatalogEntry entry, long bytes) {
    if (bytes > 0) {
      stats.record(entry.infoHash(), entry.path().toString(), bytes);
    }
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only: nothing was lost
    }
  }
}
