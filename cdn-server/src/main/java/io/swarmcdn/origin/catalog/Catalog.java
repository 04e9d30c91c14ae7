package io.swarmcdn.origin.catalog;

import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.origin.tracker.PublishedTorrents;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.springframework.stereotype.Component;

/**
 * The published files, by path and by info-hash. Reads are lock-free (they run on event-loop
 * threads, e.g. the tracker's allow-list and every media request); changes are serialised and
 * persisted through {@link CatalogStore}: the .torrent is on disk before the entry is visible,
 * and the catalog file never names a torrent that is not.
 *
 * <p>Two paths with identical content and file name have the same info-hash; the torrent served
 * for that hash is the one of the first path (both web seeds hold the same bytes).
 */
@Component
public class Catalog implements PublishedTorrents {
  private final CatalogStore store;
  private final ConcurrentSkipListMap<MediaPath, CatalogEntry> byPath = new ConcurrentSkipListMap<>();
  private final Map<InfoHash, CatalogEntry> byHash = new ConcurrentHashMap<>();

  public Catalog(CatalogStore store) {
    this.store = store;
  }

  public Optional<CatalogEntry> get(MediaPath path) {
    return Optional.ofNullable(byPath.get(path));
  }

  public Optional<CatalogEntry> get(InfoHash infoHash) {
    return Optional.ofNullable(byHash.get(infoHash));
  }

  /** Every entry, ordered by path. */
  public Collection<CatalogEntry> entries() {
    return byPath.values();
  }

  public int size() {
    return byPath.size();
  }

  /** All paths published under {@code infoHash} (usually one). */
  public List<CatalogEntry> entries(InfoHash infoHash) {
    List<CatalogEntry> result = new ArrayList<>();
    for (CatalogEntry e : byPath.values()) {
      if (e.infoHash().equals(infoHash)) {
        result.add(e);
      }
    }
    return result;
  }

  @Override
  public boolean isPublished(InfoHash infoHash) {
    return byHash.containsKey(infoHash);
  }

  /** Entries restored from the data folder at start-up (their torrents are already on disk). */
  public synchronized void restore(Collection<CatalogEntry> entries) {
    for (CatalogEntry e : entries) {
      put(e);
    }
    store.requestSave(byPath.values());
  }

  /** Publishes (or replaces) the entry for its path: torrent first, then the catalog. */
  public synchronized void publish(CatalogEntry entry) throws IOException {
    CatalogEntry previous = byPath.get(entry.path());
    if (previous != null) {
      // The file changed: its old torrent no longer describes it, publish or not.
      unlink(previous);
    }
    store.writeTorrent(entry.torrent());
    put(entry);
    store.requestSave(byPath.values());
  }

  /** Unpublishes the file at {@code path}, if published; its torrent file goes when unused. */
  public synchronized Optional<CatalogEntry> remove(MediaPath path) {
    CatalogEntry removed = byPath.get(path);
    if (removed != null) {
      unlink(removed);
      store.requestSave(byPath.values());
    }
    return Optional.ofNullable(removed);
  }

  private void put(CatalogEntry entry) {
    byPath.put(entry.path(), entry);
    byHash.putIfAbsent(entry.infoHash(), entry);
  }

  private void unlink(CatalogEntry entry) {
    byPath.remove(entry.path());
    InfoHash hash = entry.infoHash();
    if (byHash.get(hash) == entry) {
      byHash.remove(hash);
      List<CatalogEntry> others = entries(hash);
      if (others.isEmpty()) {
        store.deleteTorrent(hash);
      } else {
        byHash.put(hash, others.get(0));
      }
    }
  }
}
