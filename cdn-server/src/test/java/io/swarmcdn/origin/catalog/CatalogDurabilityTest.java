package io.swarmcdn.origin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.config.SwarmCdnProperties;
import io.swarmcdn.origin.library.FileState;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.torrent.create.TorrentBuilder;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The saved catalog against real files: an upload published before its data is flushed is
 * absent from it (so a crash in between makes the next start hash the file again) until {@link
 * Catalog#markFlushed}. "Restart" here is a fresh {@link CatalogStore#load} of the data folder,
 * exactly what the next start reads.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CatalogDurabilityTest {
  @TempDir Path data;
  CatalogStore store;
  Catalog catalog;

  @BeforeEach
  void open() {
    store = newStore();
    catalog = new Catalog(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  CatalogStore newStore() {
    SwarmCdnProperties properties = new SwarmCdnProperties();
    properties.setDataDir(data);
    return new CatalogStore(properties, JsonMapper.builder().build());
  }

  static CatalogEntry entry(String path, long size, long mtimeNanos, byte seed) {
    int pieces = (int) ((size + 16383) / 16384);
    byte[] hashes = new byte[20 * pieces];
    java.util.Arrays.fill(hashes, seed);
    Metainfo torrent = TorrentBuilder.singleFile(MediaPath.parse(path).fileName(), size)
        .pieceLength(16384).build(hashes);
    return new CatalogEntry(MediaPath.parse(path), new FileState(size, mtimeNanos), torrent);
  }

  /** What the next start would read: path -> info-hash of every saved entry with its torrent. */
  Map<String, String> saved() throws Exception {
    store.flush();
    try (CatalogStore reader = newStore()) {
      List<CatalogStore.StoredFile> files = reader.load();
      return files.stream().collect(Collectors.toMap(f -> f.path().toString(),
          f -> f.torrent().infoHash().hex()));
    }
  }

  @Test
  void unflushedUploadIsNotSavedUntilItsDataIsFlushed() throws Exception {
    CatalogEntry upload = entry("up/a.bin", 100_000, 1_000, (byte) 1);
    catalog.publishUnflushed(upload);

    assertThat(catalog.get(upload.infoHash())).contains(upload);
    assertThat(saved()).doesNotContainKey("up/a.bin");
    assertThat(store.torrentFile(upload.infoHash())).doesNotExist();

    catalog.markFlushed(upload);
    assertThat(store.torrentFile(upload.infoHash())).exists();
    assertThat(saved()).containsEntry("up/a.bin", upload.infoHash().hex());
  }

  @Test
  void unflushedOverwriteDropsTheOldEntryFromTheSavedCatalogToo() throws Exception {
    CatalogEntry old = entry("v.bin", 50_000, 1_000, (byte) 1);
    catalog.publish(old);
    assertThat(saved()).containsEntry("v.bin", old.infoHash().hex());

    // Replaced by an upload: on disk, the path may now hold the new bytes only partly. Neither
    // the old torrent nor the new one may be trusted for it after a crash.
    CatalogEntry replacement = entry("v.bin", 50_000, 2_000, (byte) 2);
    catalog.publishUnflushed(replacement);
    assertThat(saved()).doesNotContainKey("v.bin");
    assertThat(store.torrentFile(old.infoHash())).doesNotExist();

    catalog.markFlushed(replacement);
    assertThat(saved()).containsEntry("v.bin", replacement.infoHash().hex());
  }

  @Test
  void flushCompletingAfterDeleteOrReplaceSavesNothingOfIt() throws Exception {
    CatalogEntry deleted = entry("d.bin", 20_000, 1_000, (byte) 3);
    catalog.publishUnflushed(deleted);
    catalog.remove(deleted.path());
    catalog.markFlushed(deleted);
    assertThat(saved()).doesNotContainKey("d.bin");
    assertThat(store.torrentFile(deleted.infoHash())).doesNotExist();

    CatalogEntry first = entry("r.bin", 20_000, 1_000, (byte) 4);
    CatalogEntry second = entry("r.bin", 30_000, 2_000, (byte) 5);
    catalog.publishUnflushed(first);
    catalog.publishUnflushed(second);
    catalog.markFlushed(first);
    assertThat(saved()).doesNotContainKey("r.bin");
    assertThat(store.torrentFile(first.infoHash())).doesNotExist();
    catalog.markFlushed(second);
    assertThat(saved()).containsEntry("r.bin", second.infoHash().hex());
  }

  @Test
  void otherEntriesKeepBeingSavedWhileAnUploadIsUnflushed() throws Exception {
    CatalogEntry upload = entry("up.bin", 10_000, 1_000, (byte) 6);
    CatalogEntry scanned = entry("lib.bin", 10_000, 1_000, (byte) 7);
    catalog.publishUnflushed(upload);
    catalog.publish(scanned);
    assertThat(saved()).containsOnlyKeys("lib.bin");
  }
}
