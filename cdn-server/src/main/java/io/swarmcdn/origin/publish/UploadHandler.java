package io.swarmcdn.origin.publish;

import io.swarmcdn.origin.api.FileViews;
import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.config.SwarmCdnProperties;
import io.swarmcdn.origin.connection.BulkReads;
import io.swarmcdn.origin.library.MediaLibrary;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.origin.torrents.TorrentFactory;
import io.swarmcdn.torrent.create.PieceLengths;
import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.Progress;
import io.swarmcdn.torrent.jvm.hash.StreamingHasher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/files?path=REL/PATH[&overwrite=true][&sync=false]}: the body (raw, or the
 * {@code file} part of a {@code multipart/form-data} form whose {@code path} defaults to the
 * part's file name) is streamed to disk and hashed as it arrives, then published (renamed into
 * place and served) while {@link UploadFlusher} puts it on disk; 201 with the file entry once
 * that flush is done, or at once with {@code sync=false}. Disk writes and hashing run off the
 * event loop. The piece length follows the declared {@code Content-Length} (the same rule as for
 * library files); without one, the upload limit.
 */
@Component
final class UploadHandler {
  /**
   * Chunks buffered between the network and the disk writer. A chunk is what one socket read
   * returned, at most {@link BulkReads#MAX_BULK_READ} while an upload streams in (and it holds its
   * read buffer until the writer is done with it), so this holds at most 8 MiB per upload: enough
   * for the event loop to keep reading while the writer is in one of its block writes ({@link
   * GatheringWriter}) or waits for a free block ({@link DirectWriter}).
   */
  private static final int PREFETCH = 16;

  private final MediaLibrary library;
  private final UploadArea area;
  private final ParallelPieceHasher hasher;
  private final TorrentFactory torrents;
  private final UploadFlusher flusher;
  private final UploadWriters writers;
  private final FileViews views;
  private final long maxBytes;

  UploadHandler(MediaLibrary library, UploadArea area, ParallelPieceHasher hasher,
      TorrentFactory torrents, UploadFlusher flusher, UploadWriters writers, FileViews views,
      SwarmCdnProperties properties) {
    this.library = library;
    this.area = area;
    this.hasher = hasher;
    this.flusher = flusher;
    this.writers = writers;
    this.torrents = torrents;
    this.views = views;
    this.maxBytes = properties.getMaxUploadSize().toBytes();
  }

  Mono<ServerResponse> upload(ServerRequest request) {
    boolean overwrite = flag(request, "overwrite", false);
    // Durable on reply unless the client opts out: see README, "Upload durability".
    boolean sync = flag(request, "sync", true);
    long declared = request.headers().contentLength().orElse(-1);
    if (declared > maxBytes) {
      throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
          "upload larger than the limit of " + maxBytes + " bytes");
    }
    Optional<String> path = request.queryParam("path");
    MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_OCTET_STREAM);
    if (MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type)) {
      return multipart(request, path.orElse(null), overwrite, sync, declared);
    }
    MediaPath target = validPath(path.orElseThrow(() -> new ResponseStatusException(
        HttpStatus.BAD_REQUEST, "the path query parameter is required")));
    return receive(request, target, overwrite, sync, declared, request.bodyToFlux(DataBuffer.class),
        true);
  }

  /**
   * A {@code true}/{@code false} query parameter. Anything else is a 400: read as false, a
   * misspelt {@code overwrite=yes} would be a 409 and {@code sync=no} a silent fsync wait.
   */
  private static boolean flag(ServerRequest request, String name, boolean absent) {
    Optional<String> value = request.queryParam(name);
    if (value.isEmpty()) {
      return absent;
    }
    if (value.get().equalsIgnoreCase("true")) {
      return true;
    }
    if (value.get().equalsIgnoreCase("false")) {
      return false;
    }
    throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " must be true or false");
  }

  /**
   * Streams the {@code file} part; a {@code path} form field before it (or the query parameter)
   * names the target, else the part's file name. Other parts are drained.
   */
  private Mono<ServerResponse> multipart(ServerRequest request, String queryPath,
      boolean overwrite, boolean sync, long declared) {
    AtomicReference<String> path = new AtomicReference<>(queryPath);
    return request.bodyToFlux(PartEvent.class)
        .windowUntil(PartEvent::isLast)
        .concatMap(part -> part.switchOnFirst((first, events) -> {
          PartEvent event = first.get();
          if (event instanceof FilePartEvent file && "file".equals(file.name())) {
            String name = path.get() != null ? path.get() : file.filename();
            return receive(request, validPath(name), overwrite, sync, declared,
                events.map(PartEvent::content), false);
          }
          if (event instanceof FormPartEvent form && "path".equals(form.name())) {
            path.compareAndSet(null, form.value());
          }
          return events.doOnNext(e -> DataBufferUtils.release(e.content())).then(Mono.empty());
        }))
        .next()
        .switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
            "multipart upload without a 'file' part")));
  }

  private static MediaPath validPath(String raw) {
    try {
      MediaPath path = MediaPath.parse(raw);
      if (path.isIgnored()) {
        throw new IllegalArgumentException(
            "hidden (.*) and temporary (*.part, *.tmp) names are not published");
      }
      return path;
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "invalid path: " + e.getMessage());
    }
  }

  /**
   * Streams {@code body} (of {@code request}) into an upload; the connection reads in large
   * buffers until the body is in ({@link BulkReads}), straight into the upload's own memory if
   * {@code raw} (the body is the file: no multipart framing between its bytes).
   */
  private Mono<ServerResponse> receive(ServerRequest request, MediaPath path, boolean overwrite,
      boolean sync, long declared, Flux<DataBuffer> body, boolean raw) {
    Path target = path.resolveIn(library.root());
    if (Files.isDirectory(target)) {
      return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT, path + " is a directory"));
    }
    if (!overwrite && Files.exists(target)) {
      return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
          path + " already exists (use overwrite=true to replace it)"));
    }
    if (!library.reserve(path)) {
      return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
          "another upload to " + path + " is in progress"));
    }
    int pieceLength = PieceLengths.automatic(declared >= 0 ? declared : maxBytes);
    return Mono.fromCallable(() -> newUpload(path, target, overwrite, pieceLength))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(upload -> {
          BulkReads.Switch bulkReads =
              BulkReads.during(request, raw ? upload.destination() : null);
          return body
              .doFinally(signal -> bulkReads.stop())
              .publishOn(Schedulers.boundedElastic(), PREFETCH)
              // Releases chunks still queued when the upload fails; placed before write(), which
              // releases the chunks it consumes (then() would discard them a second time).
              .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
              .doOnNext(upload::write)
              .then(Mono.fromCallable(() -> upload.publish(library, torrents)))
              .doFinally(signal -> upload.discard());
        })
        .doFinally(signal -> library.release(path))
        .flatMap(published -> sync || flusher.backlogged()
            // A client that goes away meanwhile must not cancel the flush (true: suppress).
            ? Mono.fromFuture(published.flushed(), true).thenReturn(published.entry())
            : Mono.just(published.entry()))
        .flatMap(this::created);
  }

  private Upload newUpload(MediaPath path, Path target, boolean overwrite, int pieceLength)
      throws IOException {
    Path temp = area.newTempFile();
    StreamingHasher streaming = hasher.stream(pieceLength, Progress.NONE);
    try {
      return new Upload(path, target, temp, overwrite, maxBytes, pieceLength, streaming,
          writers.open(temp, streaming, pieceLength), flusher);
    } catch (IOException | RuntimeException e) {
      streaming.close();
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  private Mono<ServerResponse> created(CatalogEntry entry) {
    return ServerResponse.created(URI.create("/api/v1/files/" + entry.infoHash().hex()))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(views.of(entry));
  }
}
