package io.swarmcdn.origin.library;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcdn.origin.catalog.Catalog;
import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.catalog.CatalogStore;
import io.swarmcdn.origin.config.SwarmCdnProperties;
import io.swarmcdn.origin.torrents.TorrentFactory;
import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the catalog in step with the media folder. A scan (at start, after any watch event,
 * debounced, and every {@code rescan-interval}) compares the files on disk with the catalog:
 * vanished files are unpublished at once, new or changed ones are hashed in the background (one
 * file at a time, its pieces on all cores) once they are stable. Unchanged files (same size and
 * mtime as recorded) are never hashed again, across restarts too.
 *
 * <p>Starts after the web server (last lifecycle phase), because torrents carry the public URL,
 * which may depend on the port the server bound. Can be stopped and started again (Spring's test
 * framework pauses cached contexts that way).
 */
@Component
public class MediaLibrary implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(MediaLibrary.class);
  private static final long DEBOUNCE_MS = 200;

  private final Path root;
  private final SwarmCdnProperties properties;
  private final Catalog catalog;
  private final CatalogStore store;
  private final TorrentFactory torrents;
  private final ParallelPieceHasher hasher;
  private final Counter hashedCounter;
  private final AtomicLong hashedFiles = new AtomicLong();

  /** Queued or running hash jobs. */
  private final Map<MediaPath, HashJob> jobs = new ConcurrentHashMap<>();
  /** Files seen changing: path -> (state, when first seen in that state). */
  private final Map<MediaPath, Observation> observations = new ConcurrentHashMap<>();
  /** Files whose hashing failed in that state (e.g. unreadable): not retried until they change. */
  private final Map<MediaPath, FileState> failed = new ConcurrentHashMap<>();
  /** Paths an upload is writing right now: the scan leaves them to the upload. */
  private final Set<MediaPath> reserved = ConcurrentHashMap.newKeySet();

  private final AtomicBoolean rescanQueued = new AtomicBoolean();
  private ScheduledExecutorService scanner;
  private ExecutorService hashing;
  private LibraryWatcher watcher;
  private volatile boolean running;
  /** The catalog is read from disk once; a stopped and restarted library keeps it in memory. */
  private boolean restored;

  private record Observation(FileState state, long sinceNanos) {}

  public MediaLibrary(SwarmCdnProperties properties, Catalog catalog, CatalogStore store,
      TorrentFactory torrents, ParallelPieceHasher hasher, MeterRegistry meters) {
    this.root = properties.getMediaDir().toAbsolutePath().normalize();
    this.properties = properties;
    this.catalog = catalog;
    this.store = store;
    this.torrents = torrents;
    this.hasher = hasher;
    this.hashedCounter = Counter.builder("swarmcdn.library.hashed")
        .description("Files hashed since start").register(meters);
    Gauge.builder("swarmcdn.library.published", catalog, Catalog::size)
        .description("Files published").register(meters);
    Gauge.builder("swarmcdn.library.hashing", jobs, Map::size)
        .description("Files waiting for or being hashed").register(meters);
  }

  /** The media folder (absolute, normalised). */
  public Path root() {
    return root;
  }

  /** Files hashed by the library since this server started (uploads are hashed as they arrive). */
  public long hashedFiles() {
    return hashedFiles.get();
  }

  /** Files waiting for or being hashed, with their progress. */
  public List<HashProgress> hashing() {
    List<HashProgress> result = new ArrayList<>();
    for (HashJob job : jobs.values()) {
      result.add(job.progress());
    }
    result.sort((a, b) -> a.path().compareTo(b.path()));
    return result;
  }

  @Override
  public void start() {
    try {
      Files.createDirectories(root);
      if (!restored) {
        restoreCatalog();
        restored = true;
      }
      scanner = Executors.newSingleThreadScheduledExecutor(daemon("library-scan"));
      hashing = Executors.newSingleThreadExecutor(daemon("library-hash"));
      watcher = new LibraryWatcher(this::requestRescan);
      running = true;
      long interval = properties.getRescanInterval().toMillis();
      scanner.scheduleWithFixedDelay(this::rescan, 0, interval, TimeUnit.MILLISECONDS);
      log.info("Media library {} ({} files published from the catalog)", root, catalog.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the media library " + root, e);
    }
  }

  private void restoreCatalog() throws IOException {
    List<CatalogEntry> restored = new ArrayList<>();
    for (CatalogStore.StoredFile f : store.load()) {
      try {
        restored.add(new CatalogEntry(f.path(), f.state(), torrents.refresh(f.path(), f.torrent())));
      } catch (RuntimeException e) {
        log.warn("Hashing {} again: {}", f.path(), e.getMessage());
      }
    }
    catalog.restore(restored);
  }

  @Override
  public void stop() {
    running = false;
    scanner.shutdownNow();
    hashing.shutdownNow();
    jobs.values().forEach(HashJob::cancel);
    jobs.clear();
    rescanQueued.set(false);
    try {
      watcher.close();
      scanner.awaitTermination(5, TimeUnit.SECONDS);
      hashing.awaitTermination(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      log.debug("Closing the watcher: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.flush();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Last to start (after the web server), first to stop. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }

  /** Schedules a scan soon; many requests within the debounce window make one scan. */
  public void requestRescan() {
    if (running && rescanQueued.compareAndSet(false, true)) {
      try {
        scanner.schedule(this::rescan, DEBOUNCE_MS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        rescanQueued.set(false);
      }
    }
  }

  private void rescan() {
    rescanQueued.set(false);
    try {
      LibraryScanner.Scan scan = LibraryScanner.scan(root);
      boolean newDirectories = watcher.watch(scan.directories());
      reconcile(scan.files());
      if (newDirectories) {
        requestRescan();
      }
    } catch (IOException | RuntimeException e) {
      log.error("Scanning {} failed: {}", root, e.toString());
    }
  }

  private synchronized void reconcile(Map<MediaPath, FileState> found) {
    Set<MediaPath> paths = new HashSet<>(found.keySet());
    catalog.entries().forEach(e -> paths.add(e.path()));
    paths.addAll(jobs.keySet());
    long now = System.nanoTime();
    long stableNanos = properties.getStableAfter().toNanos();
    long nextCheck = Long.MAX_VALUE;
    for (MediaPath path : paths) {
      if (reserved.contains(path)) {
        continue;
      }
      FileState seen = found.get(path);
      CatalogEntry entry = catalog.get(path).orElse(null);
      if (seen != null && entry != null && entry.state().equals(seen)) {
        continue;
      }
      // Something differs: decide on the current state, not the scan's (it may be stale).
      FileState current = currentState(path);
      if (entry != null && !entry.state().equals(current)) {
        catalog.remove(path);
        log.info("Unpublished {} ({})", path, current == null ? "deleted" : "changed");
      }
      HashJob job = jobs.get(path);
      if (job != null && !job.state().equals(current)) {
        job.cancel();
        jobs.remove(path, job);
        job = null;
      }
      if (current == null) {
        observations.remove(path);
        failed.remove(path);
        continue;
      }
      if (job != null || (entry != null && entry.state().equals(current))
          || current.equals(failed.get(path))) {
        continue;
      }
      long wait = stableIn(path, current, now, stableNanos);
      if (wait > 0) {
        nextCheck = Math.min(nextCheck, wait);
      } else {
        enqueue(path, current);
      }
    }
    if (nextCheck != Long.MAX_VALUE && running) {
      scanner.schedule(this::requestRescan, TimeUnit.NANOSECONDS.toMillis(nextCheck) + 1,
          TimeUnit.MILLISECONDS);
    }
  }

  private FileState currentState(MediaPath path) {
    try {
      Path file = path.resolveIn(root);
      return Files.isRegularFile(file) ? FileState.of(file) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Nanoseconds until {@code path} counts as stable: its mtime is at least {@code stable-after}
   * old, or it has been seen unchanged for that long (mtimes in the future exist).
   */
  private long stableIn(MediaPath path, FileState state, long now, long stableNanos) {
    long age = System.currentTimeMillis() * 1_000_000L - state.mtimeNanos();
    if (age >= stableNanos) {
      observations.remove(path);
      return 0;
    }
    Observation seen = observations.get(path);
    if (seen == null || !seen.state().equals(state)) {
      observations.put(path, new Observation(state, now));
      return Math.min(stableNanos, stableNanos - age);
    }
    return Math.max(0, Math.min(stableNanos - (now - seen.sinceNanos()), stableNanos - age));
  }

  private void enqueue(MediaPath path, FileState state) {
    observations.remove(path);
    HashJob job = new HashJob(path, path.resolveIn(root), state);
    jobs.put(path, job);
    hashing.execute(() -> runJob(job));
  }

  private void runJob(HashJob job) {
    try {
      HashJob.Result result = job.run(hasher);
      synchronized (this) {
        if (result != null && !job.isCancelled() && running) {
          catalog.publish(new CatalogEntry(result.path(), result.state(),
              torrents.create(result.path(), result.state().size(), result.pieceLength(),
                  result.pieces())));
          hashedFiles.incrementAndGet();
          hashedCounter.increment();
        } else if (result == null && !job.isCancelled()) {
          requestRescan();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (running) {
        log.warn("Cannot hash {}: {}", job.progress().path(), e.toString());
        failed.put(job.progress().path(), job.state());
        requestRescan();
      }
    } finally {
      jobs.remove(job.progress().path(), job);
    }
  }

  /**
   * Reserves {@code path} for an upload: scans leave it alone until {@link #release}.
   *
   * @return false when another upload holds it
   */
  public boolean reserve(MediaPath path) {
    return reserved.add(path);
  }

  public void release(MediaPath path) {
    reserved.remove(path);
  }

  /**
   * Publishes a file an upload has just moved into place (already hashed while it arrived),
   * replacing whatever the library knew of that path. Its bytes may still be in the page cache
   * only: the uploader calls {@link Catalog#markFlushed} once they are on disk.
   */
  public synchronized void publishUploaded(CatalogEntry entry) {
    HashJob job = jobs.remove(entry.path());
    if (job != null) {
      job.cancel();
    }
    observations.remove(entry.path());
    failed.remove(entry.path());
    catalog.publishUnflushed(entry);
  }

  /** Deletes a published file from disk and unpublishes it. */
  public synchronized void delete(CatalogEntry entry) throws IOException {
    Files.deleteIfExists(entry.path().resolveIn(root));
    catalog.remove(entry.path());
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
