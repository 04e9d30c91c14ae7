package io.swarmcdn.origin.publish;

import io.swarmcdn.origin.catalog.Catalog;
import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.storage.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Puts published uploads on disk, on one background thread: fsync of the file, then of its
 * directory, then the entry (and its torrent) goes into the saved catalog ({@link
 * Catalog#markFlushed}). The 201 waits for it unless the client asked {@code sync=false}
 * ({@link UploadHandler}); then a process kill still loses nothing the page cache holds, only an
 * OS crash can, and then the saved catalog does not name the file, so the start-up scan hashes
 * what the disk really holds.
 *
 * <p>An upload written with O_DIRECT ({@link DirectWriter}) is on the device already: its fsync
 * only commits the metadata and the device's cache. For one written through the page cache,
 * {@link #writeBackSoon} starts the kernel's writeback of what it has so far while it arrives, so
 * that the final flush has little left to do. Closing (graceful stop) waits for the flushes
 * already queued.
 */
@Component
final class UploadFlusher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UploadFlusher.class);
  /**
   * Flushes queued beyond this make the next uploads wait for their own flush before replying,
   * so a burst of uploads cannot run ahead of the disk (nor hold an unbounded number of files
   * open).
   */
  private static final int MAX_PENDING = 64;
  private static final long STOP_TIMEOUT_SECONDS = 60;

  private final Catalog catalog;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "upload-flush");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger pending = new AtomicInteger();

  UploadFlusher(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Starts writing back the bytes written so far to {@code channel} (an upload still arriving),
   * unless the previous writeback of that upload still runs ({@code running}). Not awaited.
   */
  void writeBackSoon(FileChannel channel, AtomicBoolean running) {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(() -> {
        try {
          channel.force(false);
        } catch (IOException e) {
          // The upload ended (its channel closed) meanwhile: nothing to write back.
        } finally {
          running.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      running.set(false);
    }
  }

  /**
   * Flushes a published upload in the background: its data ({@code channel}, closed afterwards),
   * its directory entry in {@code dir}, then its catalog entry.
   *
   * @return completes once the entry is durable and in the saved catalog
   */
  CompletableFuture<Void> flush(FileChannel channel, Path dir, CatalogEntry entry) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable task = () -> {
      try {
        flushNow(channel, dir, entry);
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        log.error("Cannot flush the upload {} ({}): it is served, but hashed again at the next "
            + "start", entry.path(), e.toString());
        done.completeExceptionally(e);
      } finally {
        pending.decrementAndGet();
      }
    };
    pending.incrementAndGet();
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      // Stopping: flush in the caller rather than lose the entry.
      task.run();
    }
    return done;
  }

  private void flushNow(FileChannel channel, Path dir, CatalogEntry entry) throws IOException {
    try (channel) {
      channel.force(true);
    }
    AtomicFiles.syncDirectory(dir);
    catalog.markFlushed(entry);
  }

  /** More flushes queued than the disk keeps up with: uploads should wait for theirs. */
  boolean backlogged() {
    return pending.get() > MAX_PENDING;
  }

  /** Waits for the queued flushes (graceful stop), before the catalog's last save. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("Upload flushes still running after {} s; those files are hashed again at the "
            + "next start", STOP_TIMEOUT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
