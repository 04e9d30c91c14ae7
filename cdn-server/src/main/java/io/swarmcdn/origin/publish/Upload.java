package io.swarmcdn.origin.publish;

import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.connection.BulkReads;
import io.swarmcdn.origin.library.FileState;
import io.swarmcdn.origin.library.MediaLibrary;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.origin.storage.AtomicFiles;
import io.swarmcdn.origin.torrents.TorrentFactory;
import io.swarmcdn.torrent.jvm.hash.StreamingHasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * One upload in progress: bytes go to a temp file and into the streaming hasher in the same pass
 * (never read back), then the file is moved into place atomically and published; {@link
 * UploadFlusher} puts it on disk afterwards. Used from one thread at a time (Reactor serialises
 * the body's signals); {@link #discard} removes the temp file of a failed, aborted or oversized
 * upload.
 */
final class Upload {
  private final MediaPath path;
  private final Path target;
  private final Path temp;
  private final boolean overwrite;
  private final long maxBytes;
  private final int pieceLength;
  private final FileChannel channel;
  private final StreamingHasher hasher;
  private final UploadFlusher flusher;
  private final UploadWriter writer;
  private long written;
  /** The channel belongs to the flusher once the file is published. */
  private boolean published;

  /** A published upload; {@code flushed} completes once it is durable. */
  record Published(CatalogEntry entry, CompletableFuture<Void> flushed) {}

  Upload(MediaPath path, Path target, Path temp, boolean overwrite, long maxBytes,
      int pieceLength, StreamingHasher hasher, UploadWriter writer, UploadFlusher flusher) {
    this.path = path;
    this.target = target;
    this.temp = temp;
    this.overwrite = overwrite;
    this.maxBytes = maxBytes;
    this.pieceLength = pieceLength;
    this.hasher = hasher;
    this.flusher = flusher;
    this.writer = writer;
    this.channel = writer.channel();
  }

  /**
   * Memory of this upload's own that its connection may read the body into, in place (see
   * {@link BulkReads}); null when it is written through the page cache.
   */
  BulkReads.Destination destination() {
    return writer instanceof DirectWriter direct ? direct.destination() : null;
  }

  /** Takes one chunk of the body: written and hashed in batches, then released. */
  void write(DataBuffer buffer) {
    written += buffer.readableByteCount();
    if (written > maxBytes) {
      DataBufferUtils.release(buffer);
      throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
          "upload larger than the limit of " + maxBytes + " bytes");
    }
    try {
      writer.add(buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Moves the upload to its path (refusing to replace a file unless {@code overwrite}) and
   * publishes it with the torrent built from the hashes computed on the way in; its flush to
   * disk follows in the background.
   */
  Published publish(MediaLibrary library, TorrentFactory torrents) throws IOException {
    byte[] pieces = writer.finish();
    if (written == 0) {
      // BEP 3 pieces cannot describe an empty file (it was a 500 from the torrent builder).
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "the upload is empty: a torrent needs at least one byte");
    }
    FileState state = FileState.of(temp);
    if (state.size() != written) {
      throw new IOException("temp file has " + state.size() + " bytes, expected " + written);
    }
    CatalogEntry entry = new CatalogEntry(path, state,
        torrents.create(path, written, pieceLength, pieces));
    Files.createDirectories(target.getParent());
    if (Files.isDirectory(target)) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, path + " is a directory");
    }
    if (overwrite) {
      AtomicFiles.moveAtomically(temp, target);
    } else {
      try {
        // link(2) fails if the target exists: an atomic "create only if absent" rename.
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw new ResponseStatusException(HttpStatus.CONFLICT,
            path + " already exists (use overwrite=true to replace it)");
      }
      Files.delete(temp);
    }
    library.publishUploaded(entry);
    published = true;
    return new Published(entry, flusher.flush(channel, target.getParent(), entry));
  }

  /** Abandons the upload: closes and deletes the temp file (a no-op after a publish). */
  void discard() {
    writer.discard();
    hasher.close();
    if (published) {
      return;
    }
    try {
      channel.close();
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // deleted at the next start by UploadArea
    }
  }
}
