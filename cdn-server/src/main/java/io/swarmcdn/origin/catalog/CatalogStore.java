package io.swarmcdn.origin.catalog;

import io.swarmcdn.origin.config.SwarmCdnProperties;
import io.swarmcdn.origin.library.FileState;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.origin.storage.AtomicFiles;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The catalog on disk: {@code <data-dir>/catalog.json} (path, size, mtime, info-hash per file)
 * and one {@code <data-dir>/torrents/<hex>.torrent} per info-hash. Every file is replaced
 * atomically ({@link AtomicFiles}); torrents are written before the catalog that names them, so
 * a kill at any point leaves a catalog whose every entry has its torrent. Catalog saves are
 * coalesced (at most one every {@value #SAVE_DELAY_MS} ms) so a first scan of thousands of files
 * does not rewrite the file thousands of times; losing the last few entries in a crash only
 * means hashing those files again.
 */
@Component
public class CatalogStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CatalogStore.class);
  private static final int VERSION = 1;
  private static final long SAVE_DELAY_MS = 200;
  /** A single-file torrent of 1 TiB with 16 KiB pieces is 1.3 GB of hashes: refuse such files. */
  private static final long MAX_TORRENT_BYTES = 64L << 20;

  private final Path catalogFile;
  private final Path torrentDir;
  private final JsonMapper json;
  private final ScheduledExecutorService saver =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "catalog-save");
        t.setDaemon(true);
        return t;
      });
  private final AtomicReference<List<Stored>> pending = new AtomicReference<>();

  /** One line of catalog.json. */
  record Stored(String path, long size, long mtimeNanos, String infoHash) {}

  record Document(int version, List<Stored> files) {}

  /** A file of the saved catalog whose torrent is intact. */
  public record StoredFile(MediaPath path, FileState state, Metainfo torrent) {}

  public CatalogStore(SwarmCdnProperties properties, JsonMapper json) {
    this.catalogFile = properties.getDataDir().resolve("catalog.json");
    this.torrentDir = properties.getDataDir().resolve("torrents");
    this.json = json;
  }

  /**
   * Reads the saved catalog. Entries whose torrent is missing, unreadable or does not match the
   * recorded size and info-hash are dropped (the library hashes those files again); torrent
   * files no entry names (left by a kill between the two writes) are deleted.
   */
  public List<StoredFile> load() throws IOException {
    Files.createDirectories(torrentDir);
    List<StoredFile> result = new ArrayList<>();
    Set<String> referenced = new HashSet<>();
    for (Stored s : readDocument()) {
      try {
        MediaPath path = MediaPath.parse(s.path());
        InfoHash hash = InfoHash.fromHex(s.infoHash());
        Metainfo torrent = readTorrent(hash);
        if (torrent != null && torrent.info().isSingleFile()
            && torrent.info().totalLength() == s.size()) {
          result.add(new StoredFile(path, new FileState(s.size(), s.mtimeNanos()), torrent));
          referenced.add(hash.hex() + ".torrent");
        } else {
          log.warn("Catalog entry {} has no matching torrent; it will be hashed again", s.path());
        }
      } catch (RuntimeException e) {
        log.warn("Dropping invalid catalog entry {}: {}", s.path(), e.getMessage());
      }
    }
    deleteUnreferenced(referenced);
    return result;
  }

  private List<Stored> readDocument() throws IOException {
    if (!Files.exists(catalogFile)) {
      return List.of();
    }
    try {
      Document doc = json.readValue(Files.readAllBytes(catalogFile), Document.class);
      if (doc.version() != VERSION || doc.files() == null) {
        log.warn("Ignoring {} (unknown version {})", catalogFile, doc.version());
        return List.of();
      }
      return doc.files();
    } catch (RuntimeException e) {
      // Cannot happen through our atomic writes, but a hand-edited file must not stop the server.
      log.warn("Ignoring unreadable {}: {}; every file will be hashed again", catalogFile,
          e.getMessage());
      return List.of();
    }
  }

  private Metainfo readTorrent(InfoHash hash) throws IOException {
    Path file = torrentFile(hash);
    try {
      if (Files.size(file) > MAX_TORRENT_BYTES) {
        return null;
      }
      Metainfo m = Metainfo.parse(Files.readAllBytes(file));
      return m.infoHash().equals(hash) ? m : null;
    } catch (NoSuchFileException e) {
      return null;
    } catch (RuntimeException e) {
      log.warn("Unreadable torrent {}: {}", file, e.getMessage());
      return null;
    }
  }

  private void deleteUnreferenced(Set<String> referenced) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(torrentDir)) {
      for (Path f : files) {
        if (!referenced.contains(f.getFileName().toString())) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** Writes the torrent of an info-hash, atomically. */
  void writeTorrent(Metainfo torrent) throws IOException {
    AtomicFiles.write(torrentFile(torrent.infoHash()), torrent.toBytes());
  }

  void deleteTorrent(InfoHash hash) {
    try {
      Files.deleteIfExists(torrentFile(hash));
    } catch (IOException e) {
      log.warn("Cannot delete {}: {} (removed at next start)", torrentFile(hash), e.getMessage());
    }
  }

  /** Path of the .torrent kept for {@code hash} (its modification time tells when it was hashed). */
  public Path torrentFile(InfoHash hash) {
    return torrentDir.resolve(hash.hex() + ".torrent");
  }

  /** Saves a snapshot of {@code entries} soon (coalesced with other requests). */
  void requestSave(Collection<CatalogEntry> entries) {
    List<Stored> snapshot = new ArrayList<>(entries.size());
    for (CatalogEntry e : entries) {
      snapshot.add(new Stored(e.path().toString(), e.size(), e.state().mtimeNanos(),
          e.infoHash().hex()));
    }
    if (pending.getAndSet(snapshot) == null) {
      saver.schedule(this::saveNow, SAVE_DELAY_MS, TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void saveNow() {
    List<Stored> snapshot = pending.getAndSet(null);
    if (snapshot == null) {
      return;
    }
    try {
      AtomicFiles.write(catalogFile, json.writeValueAsBytes(new Document(VERSION, snapshot)));
    } catch (IOException | RuntimeException e) {
      log.error("Cannot save {}: {}", catalogFile, e.toString());
    }
  }

  /** Writes any pending save now (e.g. when the library stops). */
  public void flush() {
    saveNow();
  }

  /** Writes any pending save and stops the saver thread (when the application closes). */
  @Override
  public void close() {
    saver.shutdown();
    try {
      saver.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    saveNow();
  }
}
