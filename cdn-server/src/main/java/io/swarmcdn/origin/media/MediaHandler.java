package io.swarmcdn.origin.media;

import io.swarmcdn.origin.catalog.Catalog;
import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.library.FileState;
import io.swarmcdn.origin.library.MediaLibrary;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.origin.stats.OriginStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * {@code GET}/{@code HEAD /media/{path}}: the published files, which are at once the site's
 * media URLs and the torrents' BEP 19 web seeds. Single byte ranges (206/416), {@code If-Range},
 * strong {@code ETag} (the info-hash: it names exactly these bytes) and {@code Last-Modified}
 * with the usual conditional requests, and zero-copy transfer (Netty file region, i.e.
 * sendfile). Only catalog entries are served, and only while the file on disk still has the
 * state that was hashed: a torrent's web seed must never hand out bytes that fail its pieces.
 */
@Component
final class MediaHandler {
  static final String PREFIX = "/media/";

  private final Catalog catalog;
  private final MediaLibrary library;
  private final OriginStats stats;

  MediaHandler(Catalog catalog, MediaLibrary library, OriginStats stats) {
    this.catalog = catalog;
    this.library = library;
    this.stats = stats;
  }

  Mono<ServerResponse> serve(ServerRequest request) {
    MediaPath path = requestedPath(request);
    CatalogEntry entry = catalog.get(path).orElseThrow(
        () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no published file at " + path));
    Path file = path.resolveIn(library.root());
    if (!entry.state().equals(stateOf(file))) {
      library.requestRescan();
      throw new ResponseStatusException(HttpStatus.NOT_FOUND,
          path + " changed on disk and is being hashed again");
    }
    String etag = "\"" + entry.infoHash().hex() + "\"";
    Instant lastModified = Instant.ofEpochSecond(entry.state().mtimeMillis() / 1000);
    return request.checkNotModified(lastModified, etag)
        .switchIfEmpty(Mono.defer(() -> respond(request, entry, file, etag, lastModified)));
  }

  private static MediaPath requestedPath(ServerRequest request) {
    String raw = request.requestPath().pathWithinApplication().value();
    try {
      return MediaPath.fromUrlPath(raw.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "invalid media path: " + e.getMessage());
    }
  }

  private static FileState stateOf(Path file) {
    try {
      return FileState.of(file);
    } catch (IOException e) {
      return null;
    }
  }

  private Mono<ServerResponse> respond(ServerRequest request, CatalogEntry entry, Path file,
      String etag, Instant lastModified) {
    long size = entry.size();
    ByteRange range = ifRangeHolds(request, etag, lastModified)
        ? ByteRange.parse(request.headers().firstHeader(HttpHeaders.RANGE)) : null;
    ServerResponse.BodyBuilder builder;
    ByteRange.Region region;
    if (range == null) {
      builder = ServerResponse.ok();
      region = new ByteRange.Region(0, size - 1);
    } else {
      region = range.resolve(size);
      if (region == null) {
        return ServerResponse.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            .header(HttpHeaders.CONTENT_RANGE, "bytes */" + size)
            .header(HttpHeaders.ACCEPT_RANGES, "bytes")
            .eTag(etag).lastModified(lastModified).build();
      }
      builder = ServerResponse.status(HttpStatus.PARTIAL_CONTENT)
          .header(HttpHeaders.CONTENT_RANGE,
              "bytes " + region.start() + "-" + region.end() + "/" + size);
    }
    builder.header(HttpHeaders.ACCEPT_RANGES, "bytes")
        .eTag(etag)
        .lastModified(lastModified)
        .contentType(MediaTypeFactory.getMediaType(entry.path().fileName())
            .orElse(MediaType.APPLICATION_OCTET_STREAM))
        .contentLength(region.length());
    if (request.method() == HttpMethod.HEAD || region.length() == 0) {
      return builder.build();
    }
    return builder.body(zeroCopy(entry, file, region));
  }

  /**
   * RFC 9110 section 13.1.5: honour Range only if If-Range (when present) still names this
   * representation: a strong ETag match, or exactly its Last-Modified date.
   */
  private static boolean ifRangeHolds(ServerRequest request, String etag, Instant lastModified) {
    String ifRange = request.headers().firstHeader(HttpHeaders.IF_RANGE);
    if (ifRange == null) {
      return true;
    }
    ifRange = ifRange.strip();
    if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
      return ifRange.equals(etag);
    }
    try {
      return ZonedDateTime.parse(ifRange, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
          .equals(lastModified);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private BodyInserter<Void, ReactiveHttpOutputMessage> zeroCopy(CatalogEntry entry, Path file,
      ByteRange.Region region) {
    return (message, context) -> {
      if (!(message instanceof ZeroCopyHttpOutputMessage zeroCopy)) {
        return Mono.error(new IllegalStateException("the server does not offer zero-copy writes"));
      }
      return zeroCopy.writeWith(file, region.start(), region.length())
          .doOnSuccess(done -> stats.record(entry.infoHash(), entry.path().toString(),
              region.length()));
    };
  }
}
