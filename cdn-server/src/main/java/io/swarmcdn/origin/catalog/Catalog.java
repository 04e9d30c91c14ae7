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
 * persisted through {@link CatalogStore}: the catalog file never names a torrent that is not on
 * disk.
 *
 * <p>An uploaded file is published before its bytes are flushed to disk ({@link
 * #publishUnflushed}): it is served at once (the page cache survives a process kill), but the
 * catalog file leaves it out, together with whatever that path held before, until {@link
 * #markFlushed} says its data is durable. After an OS crash in between, the file is therefore
 * not in the saved catalog and the start-up scan hashes whatever the disk holds: the catalog never
 * trusts a size and mtime whose bytes may not have reached the disk.
 *
 * <p>Two paths with identical content and file name have the same info-hash; the torrent served
 * for that hash is the one of the first path (both web seeds hold the same bytes).
 */
@Component
public class Catalog implements PublishedTorrents {
  private final CatalogStore store;
  private final ConcurrentSkipListMap<MediaPath, CatalogEntry> byPath = new ConcurrentSkipListMap<>();
  private final Map<InfoHash, CatalogEntry> byHash = new ConcurrentHashMap<>();
  /** Published entries whose data may still be only in the page cache: never saved. */
  private final Map<MediaPath, CatalogEntry> unflushed = new ConcurrentHashMap<>();

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
    save();
  }

  /**
   * Publishes (or replaces) the entry of a file already durable on disk (e.g. hashed from the
   * media folder): torrent first, then the catalog.
   */
  public synchronized void publish(CatalogEntry entry) throws IOException {
    replace(entry);
    store.writeTorrent(entry.torrent());
    put(entry);
    save();
  }

  /**
   * Publishes (or replaces) the entry of a file whose bytes may not be on disk yet: visible at
   * once, saved (with its torrent) only after {@link #markFlushed}. The previous entry of the
   * path leaves the catalog file at the next save.
   */
  public synchronized void publishUnflushed(CatalogEntry entry) {
    replace(entry);
    put(entry);
    unflushed.put(entry.path(), entry);
    save();
  }

  /**
   * The data of {@code entry} (file and directory entry) is on disk: writes its torrent and
   * saves it in the catalog file. A no-op if the entry was replaced or removed meanwhile.
   */
  public synchronized void markFlushed(CatalogEntry entry) throws IOException {
    if (byPath.get(entry.path()) != entry || !unflushed.remove(entry.path(), entry)) {
      return;
    }
    store.writeTorrent(entry.torrent());
    save();
  }

  /** Unpublishes the file at {@code path}, if published; its torrent file goes when unused. */
  public synchronized Optional<CatalogEntry> remove(MediaPath path) {
    CatalogEntry removed = byPath.get(path);
    if (removed != null) {
      unlink(removed);
      save();
    }
    return Optional.ofNullable(removed);
  }

  private void replace(CatalogEntry entry) {
    CatalogEntry previous = byPath.get(entry.path());
    if (previous != null) {
      // The file changed: its old torrent no longer describes it, publish or not.
      unlink(previous);
    }
  }

  /** Saves every entry but the unflushed ones (soon: {@link CatalogStore} coalesces saves). */
  private void save() {
    List<CatalogEntry> durable = new ArrayList<>(byPath.size());
    for (CatalogEntry e : byPath.values()) {
      if (unflushed.get(e.path()) != e) {
        durable.add(e);
      }
    }
    store.requestSave(durable);
  }

  private void put(CatalogEntry entry) {
    byPath.put(entry.path(), entry);
    byHash.putIfAbsent(entry.infoHash(), entry);
  }

  private void unlink(CatalogEntry entry) {
    byPath.remove(entry.path());
    unflushed.remove(entry.path(), entry);
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
