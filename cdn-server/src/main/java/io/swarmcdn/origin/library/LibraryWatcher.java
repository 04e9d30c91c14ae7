package io.swarmcdn.origin.library;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every directory of the library (the JDK watch service is not recursive, so each
 * directory found by a scan is registered) and reports that something changed. It does not
 * interpret events: the library answers any of them, and an overflow, with a debounced rescan,
 * which also keeps the set of watched directories current.
 */
final class LibraryWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LibraryWatcher.class);

  private final WatchService service;
  private final Map<Path, WatchKey> keys = new ConcurrentHashMap<>();
  private final Thread thread;

  LibraryWatcher(Runnable onChange) throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.thread = new Thread(() -> loop(onChange), "library-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Watches exactly {@code directories} from now on.
   *
   * @return whether a directory was newly registered: what was created in it between the scan
   *     that found it and now raised no event, so the caller scans once more
   */
  boolean watch(Collection<Path> directories) {
    boolean added = false;
    Set<Path> wanted = new HashSet<>(directories);
    keys.entrySet().removeIf(e -> {
      if (!wanted.contains(e.getKey()) || !e.getValue().isValid()) {
        e.getValue().cancel();
        return true;
      }
      return false;
    });
    for (Path dir : wanted) {
      if (!keys.containsKey(dir)) {
        try {
          keys.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
          added = true;
        } catch (IOException e) {
          // Out of inotify watches, or gone: the periodic rescan still covers it.
          log.debug("Cannot watch {}: {}", dir, e.toString());
        }
      }
    }
    return added;
  }

  private void loop(Runnable onChange) {
    try {
      while (true) {
        WatchKey key = service.take();
        key.pollEvents();
        key.reset();
        onChange.run();
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the library is stopping
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
